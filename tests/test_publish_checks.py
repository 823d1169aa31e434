"""Publishing, the smaller cases: the search index verified rather than trusted, files others put
into the output folder, a full disk, a folder laid out by an older sitegen, and the watcher
building again when a file changed while it was read (sitegen/publish.py, write.py, search.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import NOW, NO_SEARCH, SITE_TOML, SiteDir, column, post, run_cli, served, served_files, stray_versions
from sitegen import watch as watch_module
from sitegen.build import Options, build
from sitegen.errors import BuildFailed, SiteError
from sitegen.publish import LIVE, VERSIONS
from sitegen.search import INDEX_DIR, IndexResult, index_valid
from sitegen.watch import CHANGED_DURING_BUILD, Outcome, Watcher

FILES = {
    "site.toml": SITE_TOML,
    "columns/news/_index.md": column("News", 1, "description: Branch news\n", "News of the branch.\n"),
    "columns/news/2019-03-05-alpha.md": post("Alpha", "2019-03-05", body="Alpha words about Zanzibar.\n"),
    "columns/news/2019-03-06-beta.md": post("Beta", "2019-03-06", body="Beta words.\n"),
}


def live(output: Path) -> Path:
    return output / os.readlink(output / LIVE)


def visible(output: Path) -> dict[Path, bytes]:
    """What visitors can get (sitegen's private store and work folders left out)."""
    return {p: p.read_bytes() for p in served(output) if ".sitegen-cache" not in p.parts}


@pytest.fixture
def searched(tmp_path: Path) -> SiteDir:
    site = SiteDir(tmp_path / "site").write(FILES)
    assert site.build().search is not None
    return site


# ---------------------------------------------------------------------------- the search index

def test_an_index_that_is_missing_a_file_is_made_again_by_the_next_build_with_no_page_changed(searched):
    (live(searched.output) / INDEX_DIR / "pagefind-entry.json").unlink()
    result = searched.build()
    assert result.stats is not None and result.stats.written == 0
    assert result.search is not None, result.warnings
    assert index_valid(live(searched.output))
    assert searched.build().stats.written == 0 and index_valid(live(searched.output))  # and then it holds


def test_an_index_made_from_other_pages_is_made_again_by_the_next_build(searched):
    """A watcher puts pages live first and indexes after; killed in between, the index is the
    one of the pages before. The next build, with nothing else to do, makes it again."""
    searched.write({"columns/news/2019-03-05-alpha.md": post("Alpha", "2019-03-05", body="Alpha words, edited.\n")})
    result = searched.build(search_index=False)
    assert result.index_wanted and result.search is None
    assert not index_valid(live(searched.output))
    result = searched.build()
    assert result.search is not None and result.stats.written == 0
    assert index_valid(live(searched.output))


# Pagefind's service as sitegen speaks to it (base64 JSON, each followed by a comma), writing
# only empty files.
FAKE_SERVICE = """\
import base64, json, pathlib, sys
message = b""
while byte := sys.stdin.buffer.read(1):
    if byte != b",":
        message += byte
        continue
    request, message = json.loads(base64.b64decode(message)), b""
    payload = request["payload"]
    if payload["type"] == "WriteFiles":
        out = pathlib.Path(payload["output_path"])
        out.mkdir(parents=True)
        for name in ("pagefind.js", "pagefind-entry.json", "pagefind-ui.js"):
            (out / name).write_bytes(b"")
    answer = {"message_id": request["message_id"], "payload": {"type": payload["type"], "index_id": 1}}
    sys.stdout.buffer.write(base64.b64encode(json.dumps(answer).encode()) + b",")
    sys.stdout.buffer.flush()
"""


def test_an_index_pagefind_wrote_empty_files_into_is_never_put_live(searched, monkeypatch, tmp_path):
    """On a nearly full disk Pagefind wrote empty files and succeeded: that index is refused, the
    previous one stays, and the next build tries again."""
    script = tmp_path / "fake_pagefind.py"
    script.write_text(FAKE_SERVICE, "utf-8")
    before = (searched.output / INDEX_DIR / "pagefind.js").stat().st_ino
    monkeypatch.setattr("sitegen.search.pagefind_command", lambda: [sys.executable, str(script)])
    searched.write({"columns/news/2019-03-06-beta.md": post("Beta", "2019-03-06", body="Beta, edited.\n")})
    result = searched.build()
    assert result.search is None and result.index_wanted
    assert any("search index not updated" in w.message for w in result.warnings)
    assert (searched.output / INDEX_DIR / "pagefind.js").stat().st_ino == before  # the previous index
    assert json.loads((searched.output / INDEX_DIR / "pagefind-entry.json").read_text("utf-8"))["languages"]
    monkeypatch.undo()
    result = searched.build()
    assert result.search is not None and index_valid(live(searched.output))


def test_a_build_killed_while_pagefind_runs_leaves_the_old_site_and_index_and_the_next_build_indexes(searched):
    searched.write({"columns/news/2019-03-07-gamma.md": post("Gamma", "2019-03-07", body="Gamma words.\n")})
    old = visible(searched.output)
    process = subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--source", str(searched.root)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = searched.output / ".sitegen-cache"
    while process.poll() is None and not any(p.name.startswith("pagefind-") for p in cache.iterdir()):
        pass
    process.kill()
    process.wait()
    now = visible(searched.output)
    if "news/gamma/index.html" not in served_files(searched.output):  # (it may have finished first)
        assert now == old
    done = run_cli("build", "--source", str(searched.root))
    assert done.returncode == 0, done.stderr
    assert searched.exists("news/gamma/index.html") and index_valid(live(searched.output))
    assert stray_versions(searched.output) == []
    assert not [p for p in cache.iterdir() if p.name.startswith("pagefind-")]


# ---------------------------------------------------------------------------- others' files

def test_a_watchers_new_index_goes_live_in_a_recycled_version_with_the_pages_as_they_were(searched):
    """A watcher builds with search left for later (search_index=False), then index_site() puts
    the index live in a version of its own: each time the version before last, made into it."""
    from sitegen.build import Options, build
    from sitegen.search import index_site

    (searched.output / "news/notice.pdf").write_bytes(b"%PDF someone's")
    for n in range(3):
        searched.write({"columns/news/2019-03-05-alpha.md": post("Alpha", "2019-03-05", body=f"Alpha edit {n}.\n")})
        result = build(searched.root, searched.output, Options(search_index=False, now=NOW))
        assert result.index_wanted
        pages = pages_of(searched.output)
        assert result.search_source is not None and isinstance(index_site(searched.output, result.search_source), IndexResult)
        assert pages_of(searched.output) == pages  # the pages as the build left them
        assert index_valid(live(searched.output))
        assert stray_versions(searched.output) == []
        assert (searched.output / "news/notice.pdf").read_bytes() == b"%PDF someone's"
    assert searched.build().stats.written == 0  # and a build then finds nothing to do


def test_a_file_of_others_removed_or_replaced_in_the_live_site_stays_so_through_the_next_versions(site):
    """The version before last, made into the next one in place, held the file as it was: what
    the live site has now is what counts."""
    site.write({"columns/news/a.md": post("A"), "columns/news/b.md": post("B", "2019-03-06")})
    site.build()
    (site.output / "news/notice.pdf").write_bytes(b"%PDF first")
    (site.output / "news/old.txt").write_text("to be removed", "utf-8")
    for n in range(3):  # each version in turn carries both
        site.write({"columns/news/a.md": post("A", body=f"Edit {n}.\n")})
        assert site.build().stats.written
    (site.output / "news/old.txt").unlink()
    (site.output / "news/notice.pdf").unlink()
    (site.output / "news/notice.pdf").write_bytes(b"%PDF second")
    for n in range(3):
        site.write({"columns/news/a.md": post("A", body=f"Later edit {n}.\n")})
        assert site.build().stats.written
        assert (site.output / "news/notice.pdf").read_bytes() == b"%PDF second"
        assert not (site.output / "news/old.txt").exists()
    # Put in while a version is live, carried into the next one only, then removed there.
    (site.output / "news/brief.txt").write_text("for a day", "utf-8")
    site.write({"columns/news/a.md": post("A", body="One more.\n")})
    site.build()
    (site.output / "news/brief.txt").unlink()
    for n in range(2):
        site.write({"columns/news/a.md": post("A", body=f"And more {n}.\n")})
        site.build()
        assert not (site.output / "news/brief.txt").exists()


def test_a_symlink_put_where_a_removed_page_was_never_leads_a_build_outside_the_output_folder(site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("not the site's", "utf-8")
    site.write({"columns/news/a.md": post("A"), "columns/news/b.md": post("B", "2019-03-06")})
    site.build()
    (site.root / "columns/news/b.md").unlink()
    shutil.rmtree(site.output / "news/b")  # (in the live version) and in its place:
    os.symlink(outside, site.output / "news/b")
    for n in range(3):  # the version that held news/b/index.html is made into the next ones
        site.build()
        site.write({"columns/news/a.md": post("A", body=f"Edit {n}.\n")})
    assert (outside / "index.html").read_text("utf-8") == "not the site's"


def test_a_new_version_is_on_the_disk_before_it_goes_live(site, monkeypatch):
    """What a power cut would show cannot be tested here; what can: the file system is synced
    (syncfs) with the new version complete and the old one still live, once per build."""
    import sitegen.publish as publish_module

    seen = []
    real = publish_module.sync_file_system

    def sync(folder: Path) -> None:
        version = os.readlink(site.output / LIVE) if os.path.lexists(site.output / LIVE) else None
        pending = sorted(p.name for p in (site.output / VERSIONS).iterdir() if p.name not in (version or "").split("/"))
        seen.append((version, pending, (site.output / VERSIONS / pending[-1] / "news/a/index.html").is_file()))
        real(folder)

    monkeypatch.setattr(publish_module, "sync_file_system", sync)
    site.write({"columns/news/a.md": post("A")})
    site.build()
    site.write({"columns/news/a.md": post("A", body="Edited.\n")})
    site.build()
    assert len(seen) == 2
    assert seen[0][0] is None and seen[0][2]  # the first: nothing live yet, the new version whole
    assert seen[1][0] is not None and seen[1][2]  # the second: the old version live meanwhile
    assert os.readlink(site.output / LIVE) != seen[1][0]


def pages_of(output: Path) -> dict[str, bytes]:
    """What visitors get but the search index (two indexes of the same pages differ in names)
    and sitegen's bookkeeping (digests name the source folder)."""
    return {p.relative_to(output).as_posix(): data for p, data in visible(output).items()
            if p.relative_to(output).parts[0] != INDEX_DIR and not p.name.startswith(".sitegen-")}


def test_builds_in_turn_keep_two_versions_and_each_serves_the_clean_build(site, tmp_path):
    """Pages added, edited and removed, a column gone and back, search on: each build is made
    from the version before last, and serves exactly what a clean build serves."""
    clean = SiteDir(tmp_path / "clean-source")
    for target in (site, clean):
        target.write({"site.toml": SITE_TOML, "columns/news/_index.md": column("News", 1)})
    steps = [
        {"columns/news/a.md": post("A"), "columns/news/b.md": post("B", "2019-03-06")},
        {"columns/news/a.md": post("A", body="Edited.\n"), "columns/notes/_index.md": column("Notes", 2),
         "columns/notes/n.md": post("N")},
        {"columns/news/b.md": None},
        {"columns/notes": None, "columns/news/c.md": post("C", "2019-03-07")},
        {"columns/notes/_index.md": column("Notes", 2), "columns/notes/n.md": post("N", body="Back.\n")},
        {"columns/news/a.md": post("A", body="Edited again.\n")},
    ]
    names = []
    for step in steps:
        for target in (site, clean):
            for relpath, text in step.items():
                if text is None:
                    path = target.root / relpath
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
                else:
                    target.write({relpath: text})
        site.build()
        shutil.rmtree(clean.output, ignore_errors=True)
        clean.build()
        assert pages_of(site.output) == pages_of(clean.output)
        assert index_valid(live(site.output))
        assert stray_versions(site.output) == [] and len(os.listdir(site.output / VERSIONS)) <= 2
        names.append(live(site.output).name)
    assert len(set(names)) == len(names)  # every build put a new version live


def test_files_others_put_into_the_sites_folders_stay_through_every_new_version(site):
    site.write({"columns/news/a.md": post("A"), "columns/news/b.md": post("B", "2019-03-06")})
    site.build()
    (site.output / "news/notice.pdf").write_bytes(b"%PDF a notice")  # inside the live version
    (site.output / "mine.txt").write_text("at the top", "utf-8")
    for body in ("First edit.\n", "Second edit.\n"):
        site.write({"columns/news/a.md": post("A", body=body)})
        assert site.build().stats.written
    (site.root / "columns/news/b.md").unlink()
    site.build()
    assert (site.output / "news/notice.pdf").read_bytes() == b"%PDF a notice"
    assert (site.output / "mine.txt").read_text("utf-8") == "at the top"
    assert not site.exists("news/b/index.html")
    assert stray_versions(site.output) == []


def test_a_file_put_into_a_version_while_it_is_replaced_is_moved_into_the_new_one(site):
    site.write({"columns/news/a.md": post("A")})
    site.build()
    old = live(site.output)
    site.write({"columns/news/a.md": post("A", body="Edited.\n")})
    site.build()
    # A file someone wrote into the old version just before it went out of use (as if between
    # the new version's making and the switch): the next build's tidying keeps it.
    old.mkdir(exist_ok=True)
    shutil.copy(live(site.output) / ".sitegen-manifest.json", old / ".sitegen-manifest.json")
    (old / "news").mkdir(parents=True, exist_ok=True)
    (old / "news" / "late.txt").write_text("late", "utf-8")
    site.write({"columns/news/a.md": post("A", body="Edited again.\n")})
    site.build()
    assert (site.output / "news/late.txt").read_text("utf-8") == "late"
    assert not old.exists()


def flatten(site: SiteDir, tmp_path: Path) -> None:
    """Turns site.output into the layout before versions: the site's files at the top of
    output/, the manifest beside them, with a file of someone else's at the top and one inside."""
    flat = tmp_path / "flat"
    for path in served(site.output):
        relpath = path.relative_to(site.output)
        if not str(relpath).startswith(".sitegen-cache"):
            (flat / relpath).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, flat / relpath)
    (flat / "news/notice.pdf").write_bytes(b"someone's")
    (flat / "mine.txt").write_text("someone's", "utf-8")
    shutil.rmtree(site.output)
    flat.rename(site.output)


def assert_clean_plus_others(site: SiteDir, tmp_path: Path) -> None:
    clean = SiteDir(site.root)
    clean.output = tmp_path / "clean"
    clean.build(cache=False)
    ours = served_files(clean.output)
    assert {p for p in served_files(site.output) if not p.startswith(".sitegen-cache")} \
        == ours | {"news/notice.pdf", "mine.txt"}
    for relpath in ours:
        assert (site.output / relpath).read_bytes() == (clean.output / relpath).read_bytes(), relpath
    assert (site.output / "news").is_symlink() and (site.output / "mine.txt").is_file()


def test_an_output_folder_of_an_older_sitegen_is_taken_over(site, tmp_path):
    """The first build makes a version, and the site ends as a clean build's, others' files kept."""
    site.write({"columns/news/a.md": post("A"), "columns/news/b.md": post("B", "2019-03-06")})
    site.build()
    flatten(site, tmp_path)
    (site.root / "columns/news/b.md").unlink()
    site.write({"columns/news/a.md": post("A", body="Edited.\n")})
    site.build()
    assert_clean_plus_others(site, tmp_path)


def test_a_take_over_cut_short_after_the_switch_is_finished_by_the_next_build(site, tmp_path, monkeypatch):
    site.write({"columns/news/a.md": post("A"), "columns/news/b.md": post("B", "2019-03-06")})
    site.build()
    flatten(site, tmp_path)
    site.write({"columns/news/a.md": post("A", body="Edited.\n")})

    def killed(*args: object) -> None:
        raise OSError("as if killed right after the switch")

    monkeypatch.setattr("sitegen.migrate.migrate", killed)
    site.build()
    assert not (site.output / "news").is_symlink()  # the old folder still stands there
    monkeypatch.undo()
    site.build()
    assert_clean_plus_others(site, tmp_path)


# ---------------------------------------------------------------------------- a full disk

@pytest.fixture
def small_disk(tmp_path: Path):
    folder = tmp_path / "disk"
    folder.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("a full disk needs a small tmpfs: mounting one needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"a full disk needs a small tmpfs, and this machine cannot mount one: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_full_disk_is_one_line_and_the_site_online_stays_whole(site, small_disk):
    site.write({"site.toml": SITE_TOML + NO_SEARCH, **{f"columns/news/p{n}.md": post(f"P{n}") for n in range(3)}})
    output = small_disk / "output"
    first = run_cli("build", "--source", str(site.root), "--output", str(output))
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in served(output)}
    site.write({f"columns/news/big{n}.md": post(f"Big {n}", body="x" * 200_000 + "\n") for n in range(8)})
    failed = run_cli("build", "--source", str(site.root), "--output", str(output))
    assert failed.returncode == 1
    lines = failed.stderr.strip().splitlines()
    assert len([line for line in lines if "disk is full" in line]) == 1, failed.stderr
    assert lines[-1].startswith("build failed: 1 error(s)"), failed.stderr
    assert {p: p.read_bytes() for p in served(output)} == before
    assert stray_versions(output) == []


def test_a_full_disk_is_said_in_the_sites_language(site, small_disk):
    site.write({"site.toml": SITE_TOML.replace('language = "en"', 'language = "zh-CN"') + NO_SEARCH,
                **{f"columns/news/big{n}.md": post(f"Big {n}", body="x" * 200_000 + "\n") for n in range(8)}})
    failed = run_cli("build", "--source", str(site.root), "--output", str(small_disk / "output"))
    assert failed.returncode == 1
    assert len([line for line in failed.stderr.splitlines() if "磁盘已满" in line]) == 1, failed.stderr


# ---------------------------------------------------------------------------- the watcher

def test_a_file_changing_during_a_watchers_build_makes_it_build_again_not_report_an_error(site, monkeypatch):
    site.write({"columns/news/a.md": post("A")})
    real = watch_module.build
    calls = []

    def saved_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) <= 2:
            raise BuildFailed([SiteError(site.root / "columns/news/a.md", None, CHANGED_DURING_BUILD, "build again")])
        return real(*args, **kwargs)

    monkeypatch.setattr(watch_module, "build", saved_meanwhile)
    outcomes: list[Outcome] = []
    watcher = Watcher(site.root, site.output, on_build=outcomes.append, quiet=0.05, on_index=lambda i: None)
    watcher.start()
    try:
        deadline = time.monotonic() + 30
        while not outcomes:
            assert time.monotonic() < deadline, "the watcher never reported"
            time.sleep(0.02)
    finally:
        watcher.stop()
    assert len(calls) == 3 and [o.ok for o in outcomes] == [True]
    assert site.exists("news/a/index.html")


def test_a_watchers_builds_carry_what_others_put_into_the_live_site_folder_by_folder(site, tmp_path):
    """A watcher's builds list the live version anew only where a folder changed since they last
    listed it (listing.py): whatever someone adds, removes or replaces in the live site between
    two saves, in a folder the builds did not touch, is carried into the next versions as a
    build without that memory carries it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not the site's", "utf-8")
    site.write({"columns/news/a.md": post("A"), "columns/news/b.md": post("B", "2019-03-06"),
                "columns/study/_index.md": column("Study", 2), "columns/study/c.md": post("C", "2019-03-07")})
    options = Options(now=NOW, reusable=True, search_index=False)
    result = build(site.root, site.output, options)
    saves = iter(range(100))

    def save() -> None:  # an edit in news/ only: study/ stays as it was listed
        nonlocal result
        time.sleep(0.1)  # (a folder changed within 50 ms of its listing is read again anyway)
        site.write({"columns/news/a.md": post("A", body=f"Edit {next(saves)}.\n")})
        result = build(site.root, site.output, options, result)
        assert result.stats is not None and result.stats.written

    for _ in range(4):  # each of the two versions listed once
        save()
    (site.output / "study/c/notes.txt").write_text("added", "utf-8")
    (site.output / "study/extra").mkdir()
    (site.output / "study/extra/deep.txt").write_text("deeper", "utf-8")
    (site.output / "study/c/link").symlink_to(outside)
    for _ in range(3):
        save()
        assert (site.output / "study/c/notes.txt").read_text("utf-8") == "added"
        assert (site.output / "study/extra/deep.txt").read_text("utf-8") == "deeper"
        assert os.readlink(site.output / "study/c/link") == str(outside)
    (site.output / "study/c/notes.txt").unlink()
    shutil.rmtree(site.output / "study/extra")
    (site.output / "study/extra").write_text("a file now", "utf-8")
    for _ in range(3):
        save()
        assert not (site.output / "study/c/notes.txt").exists()
        assert (site.output / "study/extra").read_text("utf-8") == "a file now"
    assert stray_versions(site.output) == []
    assert (outside / "secret.txt").read_text("utf-8") == "not the site's" and len(os.listdir(outside)) == 1
    clean = build(site.root, tmp_path / "clean", Options(now=NOW))
    assert clean.stats is not None
    assert served_files(site.output) - served_files(tmp_path / "clean") == {"study/c/link/secret.txt", "study/extra"}
