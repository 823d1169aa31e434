"""Publishing that survives a kill, builds started together and SIGTERM (sitegen/publish.py,
sitegen/lock.py), with real `sitegen build` processes on a site of a few thousand posts
(bench/corpus.py): whatever moment a build is killed at, the site under output/ is exactly
the old clean build or the new one, and the next build ends at the new one.

What "served" means here is what a web server reads under output/ (conftest.served: through
the symlinks at the top), compared byte for byte with clean builds in other folders."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, served, stray_versions
from sitegen.lock import OutputLock
from sitegen.publish import LIVE, UNPUBLISHED, VERSIONS

sys.path.insert(0, str(REPO / "bench"))
from corpus import make_corpus  # noqa: E402

POSTS = 1500
KILL_MOMENTS = 10  # spread over one build, besides the aimed ones


def served_tree(output: Path) -> dict[str, bytes]:
    """What visitors get from output/ (sitegen's lock and store are not the site)."""
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in served(output)
            if not p.relative_to(output).as_posix().startswith((".sitegen-cache/", ".sitegen-lock"))}


def start_build(source: Path, output: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--source", str(source), "--output", str(output),
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def build_ok(source: Path, output: Path, *extra: str) -> str:
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(source), "--output", str(output),
                           *extra], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def edit_site(source: Path) -> None:
    """Old site -> new site: bodies and a title edited, a post removed, one added."""
    posts = sorted((source / "columns/study").glob("post-*.md"))
    for path in posts[:5]:
        path.write_text(path.read_text("utf-8") + "\n补充：本次修改后的新段落。\n", "utf-8")
    text = posts[5].read_text("utf-8")
    posts[5].write_text(text.replace('title: "', 'title: "（修订）', 1), "utf-8")
    posts[-1].unlink()
    (source / "columns/study/post-new.md").write_text(
        '---\ntitle: "新增的一篇"\ndate: 2012-01-01 10:00\n---\n\n新文章的正文。\n', "utf-8")


@dataclass
class Sites:
    source: Path  # with the new site's sources
    old: Path  # output/ of the old site, built with its store, as a deployment has it
    old_tree: dict[str, bytes]
    new_tree: dict[str, bytes]  # a clean build of the new site
    tmp: Path

    def copy_of_old(self, name: str) -> Path:
        """The old site's output folder, ready for a build of the new site."""
        output = self.tmp / name
        shutil.copytree(self.old, output, symlinks=True)
        return output

    def assert_whole(self, output: Path, moment: str) -> str:
        tree = served_tree(output)
        if tree == self.old_tree:
            return "old"
        if tree == self.new_tree:
            return "new"
        extra, missing = sorted(set(tree) - set(self.new_tree)), sorted(set(self.new_tree) - set(tree))
        changed = sorted(k for k in set(tree) & set(self.new_tree) if tree[k] != self.new_tree[k])
        pytest.fail(f"{moment}: the site is neither the old nor the new one: {len(extra)} extra {extra[:3]}, "
                    f"{len(missing)} missing {missing[:3]}, {len(changed)} differ from the new {changed[:3]}")

    def assert_recovers(self, output: Path) -> None:
        """The next build ends at the new site and leaves only the live version."""
        build_ok(self.source, output)
        assert served_tree(output) == self.new_tree
        assert stray_versions(output) == []


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Sites:
    tmp = tmp_path_factory.mktemp("publish")
    source = make_corpus(tmp / "site", POSTS)
    old = tmp / "old-output"
    # Built twice, as a deployment has it: the version before last is there, and the builds
    # under test make it into their new version (sitegen/recycle.py).
    first = sorted((source / "columns/study").glob("post-*.md"))[0]
    text = first.read_text("utf-8")
    first.write_text(text + "\n较早的一版。\n", "utf-8")
    build_ok(source, old)
    first.write_text(text, "utf-8")
    build_ok(source, old)
    assert len(os.listdir(old / VERSIONS)) == 2
    old_tree = served_tree(old)
    edit_site(source)
    clean = tmp / "clean-new"
    build_ok(source, clean)
    return Sites(source, old, old_tree, served_tree(clean), tmp)


def new_version_begun(output: Path) -> bool:
    """Whether a build has begun its new version (made one, or taken the one before last):
    a version numbered above the live one."""
    live = int(os.readlink(output / LIVE).split("/")[-1])
    return any(int(name) > live for name in os.listdir(output / VERSIONS))


def kill_at(process: subprocess.Popen[str], seconds: float) -> None:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()  # SIGKILL: no handler runs
    process.communicate()


def kill_when(process: subprocess.Popen[str], moment) -> bool:  # type: ignore[no-untyped-def]
    """Kills the build as soon as moment() is true; False if the build ended first."""
    while process.poll() is None:
        if moment():
            process.kill()
            process.communicate()
            return True
    process.communicate()
    return False


def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site_and_the_next_build_the_new(sites):
    output = sites.copy_of_old("timing")
    started = time.monotonic()
    build_ok(sites.source, output)
    duration = time.monotonic() - started  # only to spread the moments over one build
    assert served_tree(output) == sites.new_tree
    seen = set()
    for number in range(KILL_MOMENTS):
        output = sites.copy_of_old(f"killed-{number}")
        kill_at(start_build(sites.source, output), duration * (number + 0.5) / KILL_MOMENTS)
        seen.add(sites.assert_whole(output, f"killed after {number + 0.5}/{KILL_MOMENTS} of a build"))
        sites.assert_recovers(output)
    assert "old" in seen  # (the moments reached into the build)


def test_a_build_killed_as_its_version_is_made_or_goes_live_leaves_a_whole_site(sites):
    def version_made(output: Path) -> bool:
        return new_version_begun(output)

    def switched(output: Path, before: str) -> bool:
        return os.readlink(output / LIVE) != before

    for name, moment in (("first file written", version_made), ("switch", switched)):
        output = sites.copy_of_old(f"aimed-{name.replace(' ', '-')}")
        before = os.readlink(output / LIVE)
        process = start_build(sites.source, output)
        killed = kill_when(process, (lambda o=output: version_made(o)) if moment is version_made
                           else (lambda o=output: switched(o, before)))
        state = sites.assert_whole(output, f"killed at the {name}")
        if name == "switch" and killed:
            assert state == "new"
        sites.assert_recovers(output)


def test_a_first_build_killed_leaves_no_site_or_the_whole_site_and_the_next_build_recovers(sites):
    started = time.monotonic()
    build_ok(sites.source, sites.tmp / "first-timing")
    duration = time.monotonic() - started
    for number, fraction in enumerate((0.3, 0.7, 0.95)):
        output = sites.tmp / f"first-killed-{number}"
        kill_at(start_build(sites.source, output), duration * fraction)
        tree = served_tree(output) if output.exists() else {}
        assert tree in ({}, sites.new_tree), f"killed at {fraction} of a first build: {len(tree)} files"
        sites.assert_recovers(output)


def test_a_first_build_killed_between_its_top_links_and_its_switch_is_followed_by_a_good_build(sites):
    """The moment the timed kills above reach only now and then: the top symlinks are made,
    leading nowhere, and the switch is not."""
    output = sites.tmp / "first-before-switch"
    build_ok(sites.source, output)
    version = output / os.readlink(output / LIVE)
    (output / LIVE).unlink()
    (version / UNPUBLISHED).touch()
    os.symlink(f"{VERSIONS}/{version.name}", output / VERSIONS / f".{LIVE}.{version.name}.tmp")
    assert served_tree(output) == {}
    sites.assert_recovers(output)


def test_three_builds_started_together_all_succeed_and_the_site_is_the_new_one(sites):
    output = sites.copy_of_old("together")
    processes = [start_build(sites.source, output) for _ in range(3)]
    results = [process.communicate(timeout=600) + (process.returncode,) for process in processes]
    assert [code for _, _, code in results] == [0, 0, 0], [err for _, err, _ in results]
    assert served_tree(output) == sites.new_tree
    assert stray_versions(output) == []


def test_a_second_build_waits_for_the_first_and_says_so(sites):
    output = sites.copy_of_old("waiting")
    holder = OutputLock(output, "test")
    with holder:  # as a build of another process would
        processes = [start_build(sites.source, output) for _ in range(2)]
        for process in processes:
            line = process.stderr.readline()  # type: ignore[union-attr]
            # (the site has no language setting: zh-CN, the default)
            assert line.startswith("sitegen：请稍等：") and line.endswith("它结束后，本次生成就会开始\n"), line
        assert served_tree(output) == sites.old_tree  # nobody wrote while the lock was held
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
    assert served_tree(output) == sites.new_tree


def test_sigterm_stops_a_build_cleanly(sites):
    output = sites.copy_of_old("sigterm")
    process = start_build(sites.source, output)
    while process.poll() is None and not new_version_begun(output):
        pass  # until it writes its first file
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=120)
    if process.returncode != 0:  # it may have finished first
        assert process.returncode == 130, err
        assert "sitegen：已停止" in err and "Traceback" not in err, err  # (the corpus is a zh-CN site)
    state = sites.assert_whole(output, "after SIGTERM")
    if state == "old":  # what it had made is gone with it, not left for the next build
        assert stray_versions(output) == []
    sites.assert_recovers(output)


def test_a_manual_build_while_the_watcher_builds_takes_turns_with_it(sites):
    from sitegen.lock import watcher_running

    output = sites.copy_of_old("watched")
    watcher = subprocess.Popen([sys.executable, "-m", "sitegen", "watch", "--source", str(sites.source),
                                "--output", str(output)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while watcher.poll() is None and watcher_running(output) is None:
            # until it holds its lock: its first build is starting (a short sleep, not a spin:
            # on two cores a spinning test starves the watcher it waits for)
            assert time.monotonic() < deadline, "the watcher never took its lock"
            time.sleep(0.005)
        manual = build_ok(sites.source, output)  # at once: it waits for the watcher's build, or the other way round
        assert "已生成网站" in manual  # (the corpus is a zh-CN site)
        assert served_tree(output) == sites.new_tree
    finally:
        watcher.send_signal(signal.SIGTERM)
        _, err = watcher.communicate(timeout=60)
    assert watcher.returncode in (0, 130), err
    assert "Traceback" not in err, err
    assert watcher_running(output) is None  # its lock went with it
    assert stray_versions(output) == []
