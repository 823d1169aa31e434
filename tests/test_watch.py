"""Live editing: a real Watcher (watchdog, in this process) follows what an editor does to
the site's sources, and the output folder follows it after each burst of changes.

Every test waits for the output by polling with a timeout; none sleeps for a fixed time to
"let the watcher catch up". The watcher uses the real clock, so posts are dated in 2019.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from pathlib import Path
from typing import Callable

import pytest

from conftest import post, served
from sitegen.build import Options, build
from sitegen import watch as watch_module
from sitegen.watch import Outcome, Watcher

TIMEOUT = 10.0

# watchdog's inotify observer watches output/ too (the whole source folder is watched) and
# warns "Callback with id ... already exists for watch" when a build creates nested output
# folders quickly. The project turns warnings into errors, which would kill watchdog's
# reader thread and with it the watcher; the warning itself is harmless noise.
pytestmark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")


# ----------------------------------------------------------------------------- helpers

def wait_until(predicate: Callable[[], object], timeout: float = TIMEOUT, what: str = "") -> object:
    """Polls every 0.05 s until predicate() is truthy; fails the test after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(0.05)


def stays(predicate: Callable[[], object], seconds: float = 1.0, what: str = "") -> None:
    """Polls for `seconds` and fails as soon as predicate() turns false."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert predicate(), f"no longer true: {what or predicate}"
        time.sleep(0.05)


def settle(builds: "Recorder", quiet: float = 0.6, timeout: float = TIMEOUT) -> int:
    """Waits until no outcome came for `quiet` s (the watcher is idle); returns the count."""
    deadline = time.monotonic() + timeout
    count, since = builds.count, time.monotonic()
    while time.monotonic() - since < quiet:
        if time.monotonic() > deadline:
            pytest.fail(f"the watcher kept building for {timeout} s: {builds.count} builds")
        time.sleep(0.05)
        if builds.count != count:
            count, since = builds.count, time.monotonic()
    return count


class Recorder:
    """on_build callback: keeps every Outcome, in order."""

    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []
        self.lock = threading.Lock()

    def __call__(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.outcomes)

    @property
    def last(self) -> Outcome:
        with self.lock:
            return self.outcomes[-1]

    def since(self, count: int) -> list[Outcome]:
        with self.lock:
            return self.outcomes[count:]


def read(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except OSError:
        return None


def has(path: Path, text: str) -> Callable[[], bool]:
    return lambda: text in (read(path) or "")


def gone(path: Path) -> Callable[[], bool]:
    return lambda: not path.exists()


def save_like_an_editor(path: Path, text: str) -> None:
    """Writes a hidden temporary file next to the target and renames it over the target."""
    temp = path.with_name(f".{path.name}.goutputstream-{os.getpid()}")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


@pytest.fixture
def watch(site):
    """Starts Watchers on the test site; every one is stopped at teardown."""
    started: list[Watcher] = []

    def start(poll: bool = False) -> tuple[Watcher, Recorder]:
        recorder = Recorder()
        watcher = Watcher(site.root, site.output, on_build=recorder, poll=poll)
        started.append(watcher)
        watcher.start()
        assert recorder.count == 1 and recorder.last.ok, recorder.outcomes  # start() builds once
        return watcher, recorder

    yield start
    for watcher in started:
        watcher.stop()


ALPHA = "columns/news/2019-03-05-alpha.md"
BETA = "columns/news/2019-03-06-beta.md"


# ----------------------------------------------------------------------------- what counts

def test_only_the_sources_are_relevant(site):
    watcher = Watcher(site.root, site.output)
    root = str(site.root.resolve())
    assert watcher.relevant(f"{root}/columns/news/2019-03-05-alpha.md")
    assert watcher.relevant(f"{root}/columns/news")
    assert watcher.relevant(f"{root}/site.toml")
    assert watcher.relevant(f"{root}/templates/post.html")
    assert watcher.relevant(f"{root}/static/logo.png")
    assert not watcher.relevant(f"{root}/output/index.html")
    assert not watcher.relevant(f"{root}/output")
    assert not watcher.relevant(f"{root}/output/columns/news/x.md")
    assert not watcher.relevant(f"{root}/columns/news/.2019-03-05-alpha.md.swp")
    assert not watcher.relevant(f"{root}/columns/news/2019-03-05-alpha.md~")
    assert not watcher.relevant(f"{root}/columns/.git/index")
    assert not watcher.relevant(f"{root}/README.md")
    assert not watcher.relevant(f"{root}/site.toml.bak")
    assert not watcher.relevant(root)
    assert not watcher.relevant(str(site.root.parent / "elsewhere" / "columns" / "a.md"))


# ----------------------------------------------------------------------------- create, modify, delete, rename

def test_a_created_post_appears_and_a_modified_post_changes(site, watch):
    watcher, builds = watch()
    page = site.output / "news/alpha/index.html"
    assert not page.exists()

    site.write({ALPHA: post("Alpha", "2019-03-05", body="First version.\n")})
    wait_until(has(page, "First version."), what="the new post's page")
    wait_until(has(site.output / "news/index.html", "news/alpha/"), what="the column index to link it")
    wait_until(lambda: builds.count >= 2, what="the build's outcome")  # reported after the writes
    assert builds.last.ok and builds.last.version >= 2

    site.write({ALPHA: post("Alpha", "2019-03-05", body="Second version.\n")})
    wait_until(has(page, "Second version."), what="the modified page")
    assert "First version." not in page.read_text("utf-8")
    assert builds.last.ok


def test_a_deleted_post_disappears_from_the_output_and_its_column(site, watch):
    site.write({ALPHA: post("Alpha", "2019-03-05"), BETA: post("Beta", "2019-03-06")})
    watcher, builds = watch()
    page = site.output / "news/alpha/index.html"
    index = site.output / "news/index.html"
    assert page.is_file() and "news/alpha/" in index.read_text("utf-8")

    (site.root / ALPHA).unlink()
    wait_until(gone(page), what="the deleted post's page to go")
    wait_until(lambda: "news/alpha/" not in (read(index) or "news/alpha/"), what="the column index to drop it")
    assert "Alpha" not in index.read_text("utf-8")
    assert "news/beta/" in index.read_text("utf-8")
    assert not (site.output / "news/alpha").exists()  # its emptied folder goes too
    assert builds.last.ok


def test_a_renamed_post_moves_and_leaves_no_old_page(site, watch):
    site.write({ALPHA: post("Alpha", "2019-03-05"), BETA: post("Beta", "2019-03-06")})
    watcher, builds = watch()
    old = site.output / "news/alpha/index.html"
    new = site.output / "news/gamma/index.html"
    index = site.output / "news/index.html"
    assert old.is_file()

    os.rename(site.root / ALPHA, site.root / "columns/news/2019-03-05-gamma.md")
    wait_until(lambda: new.is_file() and not old.exists(), what="the page to move")
    wait_until(lambda: "news/gamma/" in (read(index) or "") and "news/alpha/" not in (read(index) or ""),
               what="the column index to follow the rename")
    assert "news/beta/" in index.read_text("utf-8")
    assert builds.last.ok


def test_a_new_column_folder_with_posts_is_picked_up(site, watch):
    watcher, builds = watch()
    site.write({
        "columns/study/_index.md": "---\ntitle: Study\norder: 2\n---\nStudy.\n",
        "columns/study/2019-04-01-lesson.md": post("Lesson", "2019-04-01", body="Party lesson.\n"),
    })
    wait_until(has(site.output / "study/lesson/index.html", "Party lesson."), what="the new column's post")
    wait_until(has(site.output / "index.html", "study/"), what="the home page to link the column")


# ----------------------------------------------------------------------------- bursts

def test_a_burst_of_fifty_new_posts_is_a_few_builds(site, watch):
    watcher, builds = watch()
    before = builds.count
    for n in range(50):
        site.write({f"columns/news/2019-05-{n % 28 + 1:02d}-burst-{n:02d}.md": post(f"Burst {n}", f"2019-05-{n % 28 + 1:02d}")})
    pages = [site.output / f"news/burst-{n:02d}/index.html" for n in range(50)]
    wait_until(lambda: all(p.is_file() for p in pages), what="all 50 pages")
    wait_until(lambda: builds.last.ok and len(builds.last.result.site.posts) == 50, what="the build's outcome")
    settle(builds)
    burst = builds.since(before)
    assert 1 <= len(burst) <= 3, [o.version for o in burst]
    assert burst[-1].ok
    assert len(burst[-1].result.site.posts) == 50


def test_saving_through_a_temporary_file_and_rename_rebuilds_once_per_burst(site, watch):
    site.write({ALPHA: post("Alpha", "2019-03-05", body="Version 0.\n")})
    watcher, builds = watch()
    before = builds.count
    page = site.output / "news/alpha/index.html"
    for n in range(1, 21):
        save_like_an_editor(site.root / ALPHA, post("Alpha", "2019-03-05", body=f"Version {n}.\n"))
    wait_until(has(page, "Version 20."), what="the last save")
    wait_until(lambda: builds.count > before, what="the rebuild's outcome")
    settle(builds)
    assert has(page, "Version 20.")()
    assert 1 <= builds.count - before <= 3, builds.since(before)
    assert not any(p.name.startswith(".") for p in (site.root / "columns/news").iterdir())
    assert not any(".goutputstream" in p.as_posix() for p in site.output.rglob("*"))


# ----------------------------------------------------------------------------- no build loop

def test_changes_in_the_output_folder_do_not_trigger_builds(site, watch):
    site.write({ALPHA: post("Alpha", "2019-03-05", body="One.\n")})
    watcher, builds = watch()
    # A person (or another program) writes into output/: nothing to build.
    (site.output / "extra.html").write_text("put here by a person", encoding="utf-8")
    os.utime(site.output / "index.html")
    (site.output / "news/alpha/note.txt").write_text("x", encoding="utf-8")
    stays(lambda: builds.count == 1, 1.0, "no build after writing into output/")

    # A real change rebuilds once; its own writes into output/ do not start another build.
    site.write({ALPHA: post("Alpha", "2019-03-05", body="Two.\n")})
    wait_until(has(site.output / "news/alpha/index.html", "Two."), what="the rebuild")
    wait_until(lambda: builds.count >= 2, what="the rebuild's outcome")
    count = settle(builds)  # fails if builds never stop coming
    assert count <= 3, builds.outcomes
    stays(lambda: builds.count == count, 0.5, "no build loop after a rebuild")
    assert watcher.version == count


def test_ignored_editor_files_do_not_trigger_builds(site, watch):
    site.write({ALPHA: post("Alpha", "2019-03-05")})
    watcher, builds = watch()
    site.write({
        "columns/news/.2019-03-05-alpha.md.swp": "swap",
        "columns/news/2019-03-05-alpha.md~": "backup",
        "columns/news/#2019-03-05-alpha.md#": "emacs",
        "README.md": "not a source",
    })
    stays(lambda: builds.count == 1, 0.7, "no build for editor droppings")


# ----------------------------------------------------------------------------- broken saves

def test_a_broken_save_keeps_the_last_good_page_and_a_fix_brings_the_site_back(site, watch):
    site.write({ALPHA: post("Alpha", "2019-03-05", body="Good text.\n")})
    watcher, builds = watch()
    page = site.output / "news/alpha/index.html"
    good = page.read_bytes()
    good_mtime = page.stat().st_mtime_ns
    before = builds.count

    # Line 2 is "tags: [a, b" -- a list never closed.
    site.write({ALPHA: "---\ntags: [a, b\ntitle: Alpha\ndate: 2019-03-05\n---\n\nBroken text.\n"})
    wait_until(lambda: builds.count > before and not builds.last.ok, what="a failed outcome")
    failed = builds.last
    assert failed.result is None
    errors = [p for p in failed.problems if p.is_error]
    assert errors
    located = [p.format(site.root.resolve()) for p in errors]
    assert any(re.match(r"columns/news/2019-03-05-alpha\.md:2: ", text) for text in located), located
    assert page.read_bytes() == good
    assert page.stat().st_mtime_ns == good_mtime
    assert watcher.last is failed

    site.write({ALPHA: post("Alpha fixed", "2019-03-05", body="Fixed text.\n")})
    wait_until(lambda: builds.last.ok and builds.last.version > failed.version, what="a good outcome after the fix")
    wait_until(has(page, "Fixed text."), what="the fixed page")
    assert "Alpha fixed" in page.read_text("utf-8")
    assert builds.last.problems == ()


def test_a_broken_site_toml_fails_and_keeps_the_site(site, watch):
    site.write({ALPHA: post("Alpha", "2019-03-05")})
    watcher, builds = watch()
    home = site.output / "index.html"
    good = home.read_bytes()
    before = builds.count
    toml = (site.root / "site.toml").read_text("utf-8")
    (site.root / "site.toml").write_text(toml + "posts_per_page = \n", encoding="utf-8")
    wait_until(lambda: builds.count > before and not builds.last.ok, what="a failed outcome")
    assert any(p.path is not None and p.path.name == "site.toml" and p.line for p in builds.last.problems), \
        builds.last.problems
    assert home.read_bytes() == good
    (site.root / "site.toml").write_text(toml, encoding="utf-8")
    wait_until(lambda: builds.last.ok and builds.count > before + 1, what="a good build after the fix")


# ----------------------------------------------------------------------------- templates and settings

def test_a_template_change_rebuilds_the_pages(site, watch):
    site.write({ALPHA: post("Alpha", "2019-03-05")})
    watcher, builds = watch()
    page = site.output / "news/alpha/index.html"
    assert "TEMPLATE-MARK" not in page.read_text("utf-8")
    site.write({"templates/post.html": (
        '{% extends "base.html" %}{% block content %}<h1>{{ post.title }}</h1>'
        "<p>TEMPLATE-MARK one</p>{% endblock %}"
    )})
    wait_until(has(page, "TEMPLATE-MARK one"), what="the page to use the new template")
    site.write({"templates/post.html": (
        '{% extends "base.html" %}{% block content %}<h1>{{ post.title }}</h1>'
        "<p>TEMPLATE-MARK two</p>{% endblock %}"
    )})
    wait_until(has(page, "TEMPLATE-MARK two"), what="the page to follow the template edit")
    assert builds.last.ok


def test_a_site_toml_change_rebuilds_the_pages(site, watch):
    site.write({ALPHA: post("Alpha", "2019-03-05")})
    watcher, builds = watch()
    home = site.output / "index.html"
    assert "Renamed Site" not in home.read_text("utf-8")
    toml = (site.root / "site.toml").read_text("utf-8")
    (site.root / "site.toml").write_text(toml.replace('title = "Test Site"', 'title = "Renamed Site"'), encoding="utf-8")
    wait_until(has(home, "Renamed Site"), what="the new title on the home page")
    wait_until(has(site.output / "news/alpha/index.html", "Renamed Site"), what="the new title on a post")


def test_a_static_file_change_is_copied(site, watch):
    watcher, builds = watch()
    # static/ is copied to the top of the output folder.
    site.write({"static/notice.txt": "first"})
    wait_until(lambda: read(site.output / "notice.txt") == "first", what="the static file")
    site.write({"static/notice.txt": "second"})
    wait_until(lambda: read(site.output / "notice.txt") == "second", what="the changed static file")
    (site.root / "static/notice.txt").unlink()
    wait_until(gone(site.output / "notice.txt"), what="the removed static file")


# ----------------------------------------------------------------------------- unchanged files

def test_unchanged_pages_keep_their_mtime_across_rebuilds(site, watch):
    site.write({ALPHA: post("Alpha", "2019-03-05", body="Alpha text.\n"),
                BETA: post("Beta", "2019-03-06", body="Beta text.\n")})
    watcher, builds = watch()
    alpha = site.output / "news/alpha/index.html"
    beta = site.output / "news/beta/index.html"
    css = next((site.output / "static").glob("style.*.css"))
    alpha_before, beta_before, css_before = (p.stat().st_mtime_ns for p in (alpha, beta, css))
    beta_inode = beta.stat().st_ino

    site.write({ALPHA: post("Alpha", "2019-03-05", body="Alpha text, edited.\n")})
    wait_until(has(alpha, "Alpha text, edited."), what="the edited page")
    wait_until(lambda: builds.count >= 2, what="the rebuild's outcome")
    assert builds.last.ok

    assert alpha.stat().st_mtime_ns != alpha_before
    assert beta.stat().st_mtime_ns == beta_before
    assert beta.stat().st_ino == beta_inode  # not even replaced by an identical copy
    assert css.stat().st_mtime_ns == css_before
    stats = builds.last.result.stats
    assert stats.written >= 1 and stats.unchanged >= 3 and stats.removed == 0


def test_a_changed_title_reaches_every_page_that_shows_it(site, watch):
    """Rebuilds skip unchanged pages; the pages that show a post's title are not unchanged."""
    site.write({ALPHA: post("Alpha", "2019-03-05", "tags: [study]\n"),
                BETA: post("Beta", "2019-03-06", "tags: [study]\n")})
    watcher, builds = watch()
    site.write({ALPHA: post("Alpha Renamed", "2019-03-05", "tags: [study]\n")})
    wait_until(has(site.output / "news/alpha/index.html", "Alpha Renamed"), what="the post's own page")
    wait_until(lambda: builds.count >= 2, what="the rebuild's outcome")
    settle(builds)
    for relpath in ("news/beta/index.html", "news/index.html", "index.html", "tags/study/index.html",
                    "archive/index.html", "feed.xml"):
        assert "Alpha Renamed" in (site.output / relpath).read_text("utf-8"), relpath


# ----------------------------------------------------------------------------- an edit to a body alone

def output_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in served(folder) if ".sitegen-cache" not in p.parts}


def test_an_edit_to_a_body_alone_rewrites_only_that_page_and_its_feeds(site, watch, tmp_path):
    site.write({ALPHA: post("Alpha", "2019-03-05", "summary: The alpha post.\ntags: [study]\n", body="Alpha text.\n"),
                BETA: post("Beta", "2019-03-06", "tags: [study]\n", body="Beta, after [alpha](2019-03-05-alpha.md).\n")})
    watcher, builds = watch()
    before = {relpath: (site.output / relpath).stat().st_mtime_ns for relpath in output_tree(site.output)}
    with open(site.root / ALPHA, "a", encoding="utf-8") as handle:  # saved in place, as most editors do
        handle.write("\nA second paragraph.\n")
    wait_until(has(site.output / "news/alpha/index.html", "A second paragraph."), what="the edited page")
    wait_until(lambda: builds.count >= 2, what="the rebuild's outcome")
    assert builds.last.ok
    changed = {relpath for relpath, mtime in before.items() if (site.output / relpath).stat().st_mtime_ns != mtime}
    # Lists, neighbours, tags and home show the post's card, which did not change; full-content feeds do.
    assert {r for r in changed if not r.startswith(".sitegen-")} == {"news/alpha/index.html", "feed.xml", "news/feed.xml"}
    assert "A second paragraph." in (site.output / "news/feed.xml").read_text("utf-8")
    fresh = tmp_path / "fresh"
    build(site.root, fresh, Options(cache=False))
    assert output_tree(site.output) == output_tree(fresh)

    # A later build (a title changes) starts from what that one left, and agrees too.
    site.write({BETA: post("Beta Renamed", "2019-03-06", "tags: [study]\n", body="Beta, after [alpha](2019-03-05-alpha.md).\n")})
    wait_until(has(site.output / "news/index.html", "Beta Renamed"), what="the list to show the new title")
    settle(builds)
    fresh = tmp_path / "fresh-2"
    build(site.root, fresh, Options(cache=False))
    assert output_tree(site.output) == output_tree(fresh)


def test_a_body_edit_that_changes_the_summary_updates_the_lists(site, watch):
    site.write({ALPHA: post("Alpha", "2019-03-05", body="Alpha text.\n")})
    watcher, builds = watch()
    with open(site.root / ALPHA, "a", encoding="utf-8") as handle:
        handle.write("More words for the summary.\n")
    wait_until(has(site.output / "news/index.html", "More words for the summary."), what="the summary on the list")


def test_a_body_edit_with_a_broken_link_fails_and_keeps_the_page(site, watch):
    site.write({ALPHA: post("Alpha", "2019-03-05", "summary: Fixed.\n", body="Alpha text.\n")})
    watcher, builds = watch()
    with open(site.root / ALPHA, "a", encoding="utf-8") as handle:
        handle.write("\nSee [nothing](missing.md).\n")
    wait_until(lambda: builds.count >= 2 and not builds.last.ok, what="the failed build")
    assert any("missing.md" in p.message for p in builds.last.problems)
    assert "missing.md" not in (site.output / "news/alpha/index.html").read_text("utf-8")


# ----------------------------------------------------------------------------- polling

def test_the_polling_observer_sees_creates_and_changes(site, watch):
    watcher, builds = watch(poll=True)
    assert type(watcher._observer).__name__ == "PollingObserver"
    page = site.output / "news/alpha/index.html"
    site.write({ALPHA: post("Alpha", "2019-03-05", body="Polled one.\n")})
    wait_until(has(page, "Polled one."), what="the polled create")
    site.write({ALPHA: post("Alpha", "2019-03-05", body="Polled two, longer.\n")})
    wait_until(has(page, "Polled two, longer."), what="the polled change")
    (site.root / ALPHA).unlink()
    wait_until(gone(page), what="the polled delete")


# ----------------------------------------------------------------------------- stopping

def test_stop_ends_the_watcher_threads_and_later_changes_build_nothing(site):
    builds = Recorder()
    watcher = Watcher(site.root, site.output, on_build=builds)
    watcher.start()
    try:
        assert watcher._thread.is_alive()
    finally:
        watcher.stop()
    assert not watcher._thread.is_alive()
    assert not watcher._observer.is_alive()
    site.write({ALPHA: post("Alpha", "2019-03-05")})
    stays(lambda: builds.count == 1, 0.6, "no build after stop()")
    assert not (site.output / "news/alpha/index.html").exists()


def test_a_save_during_the_first_build_is_not_lost(site):
    site.write({ALPHA: post("Alpha", "2019-03-05", body="Before.\n")})
    builds = Recorder()

    def on_build(outcome: Outcome) -> None:
        builds(outcome)
        if outcome.version == 1:  # still inside start(): the editor saves while serve starts up
            site.write({ALPHA: post("Alpha", "2019-03-05", body="Saved during the first build.\n")})

    watcher = Watcher(site.root, site.output, on_build=on_build)
    watcher.start()
    try:
        wait_until(has(site.output / "news/alpha/index.html", "Saved during the first build."), timeout=3,
                   what="the save made during the first build")
    finally:
        watcher.stop()


# ----------------------------------------------------------------------------- what watchdog names, and what it misses

def _site_files(output: Path) -> dict[str, bytes]:
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in served(output)
            if ".sitegen-cache" not in path.parts}


def test_a_change_no_event_named_is_published_by_the_idle_watchers_whole_look(site, watch, tmp_path, monkeypatch):
    """A watcher's build looks again only at the files events named; a change no event named
    (a full event queue, say) is found when the idle watcher looks at every file, and the site
    is then what a clean build makes."""
    monkeypatch.setattr(watch_module, "FULL_CHECK_SECONDS", 1.0)
    site.write({ALPHA: post("Alpha", "2019-03-05", body="Alpha one.\n"), BETA: post("Beta", "2019-03-06", body="Beta one.\n")})
    missed = str(site.root / BETA)
    noted = Watcher.noted
    monkeypatch.setattr(Watcher, "noted", lambda self, event, paths: None if missed in paths else noted(self, event, paths))
    time.sleep(0.1)  # (old enough for the first build's scan to trust the files' statuses)
    watcher, builds = watch()
    site.write({BETA: post("Beta", "2019-03-06", body="Beta two.\n")})  # no event says so
    site.write({ALPHA: post("Alpha", "2019-03-05", body="Alpha two.\n")})
    wait_until(has(site.output / "news/alpha/index.html", "Alpha two."), what="the named save")
    wait_until(has(site.output / "news/beta/index.html", "Beta two."), what="the whole look to find the other")
    settle(builds)
    assert builds.last.ok
    clean = build(site.root, tmp_path / "clean", Options())
    assert clean.stats is not None
    assert _site_files(site.output) == _site_files(tmp_path / "clean")


def test_the_idle_watchers_whole_look_says_nothing_when_nothing_changed(site, watch, monkeypatch):
    monkeypatch.setattr(watch_module, "FULL_CHECK_SECONDS", 0.3)
    site.write({ALPHA: post("Alpha", "2019-03-05")})
    watcher, builds = watch()
    stays(lambda: builds.count == 1, 1.5, "no build reported for a look that found nothing")
    site.write({ALPHA: post("Alpha", "2019-03-05", body="Changed.\n")})
    wait_until(has(site.output / "news/alpha/index.html", "Changed."), what="the save")
    count = settle(builds)
    stays(lambda: builds.count == count, 1.5, "no build reported after the save's")


def test_a_save_in_a_new_folder_and_a_removed_folder_are_built_as_a_clean_build(site, watch, tmp_path):
    """Folders made or removed are scanned whole: events name their files only one by one."""
    site.write({ALPHA: post("Alpha", "2019-03-05")})
    watcher, builds = watch()
    site.write({"columns/news/bundle/index.md": post("Bundle", "2019-03-07", body="With minutes.\n"),
                "columns/news/bundle/minutes.pdf": "%PDF-1.4\n"})
    wait_until(lambda: (site.output / "news/bundle/minutes.pdf").is_file(), what="the bundle's attachment")
    shutil.rmtree(site.root / "columns/news/bundle")
    wait_until(gone(site.output / "news/bundle"), what="the removed bundle to go")
    settle(builds)
    assert builds.last.ok
    build(site.root, tmp_path / "clean", Options())
    assert _site_files(site.output) == _site_files(tmp_path / "clean")


def test_a_page_written_over_in_place_is_mended_after_the_next_save(site, watch, tmp_path, monkeypatch):
    """A watcher's build looks at the output only where folders changed; a page someone wrote
    over in place, in a folder no build touched, is found when the build records the site's
    files, and the whole look that follows at once writes it again."""
    monkeypatch.setattr(watch_module, "FULL_CHECK_SECONDS", 1000.0)  # (not the idle watcher's whole look)
    site.write({ALPHA: post("Alpha", "2019-03-05"), "columns/study/_index.md": "---\ntitle: Study\norder: 2\n---\nStudy.\n",
                "columns/study/2019-04-01-lesson.md": post("Lesson", "2019-04-01")})
    watcher, builds = watch()
    page = site.output / "news/alpha/index.html"
    for n in range(3):  # (the versions alternate; each has been listed once)
        site.write({ALPHA: post("Alpha", "2019-03-05", body=f"Save {n}.\n")})
        wait_until(has(page, f"Save {n}."), what=f"save {n}")
        settle(builds, quiet=0.3)
    beta = site.output / "study/lesson/index.html"  # (a page the saves do not change)
    with open(beta, "a", encoding="utf-8") as handle:
        handle.write("<p>written over by hand</p>")
    site.write({ALPHA: post("Alpha", "2019-03-05", body="Save 3.\n")})
    wait_until(has(page, "Save 3."), what="the save")
    wait_until(lambda: "written over by hand" not in (read(beta) or "written over by hand"), what="the page mended")
    settle(builds)
    assert builds.last.ok
    build(site.root, tmp_path / "clean", Options())
    assert _site_files(site.output) == _site_files(tmp_path / "clean")
