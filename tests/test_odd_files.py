"""Odd things in a site's folders (issue 18, item 7): FIFOs, sockets and devices are skipped with
a warning and never opened; unreadable files and folders, symlink loops and an output path under
a file are errors naming the path. Never a traceback, never a hang.

Builds run as the real command line in a subprocess with a timeout, so that a hang fails the
test instead of stopping the run. chmod 000 means nothing to root: as root, the commands that
must meet an unreadable file run under setpriv without the capabilities that let root read
anything (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), which is what an ordinary user meets."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import pytest

from conftest import REPO, post
from sitegen.errors import SiteError
from sitegen.snapshot import Scan
from sitegen.sources import read_file, walk

TIMEOUT = 60  # generous: a hang, not slowness, is what this catches
ROOT = os.geteuid() == 0
DROP = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def sitegen(*args: str, unprivileged: bool = False, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """The real command line; a hang fails the test (TimeoutExpired) rather than stopping the run."""
    prefix = DROP if unprivileged and ROOT else []
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([*prefix, sys.executable, "-m", "sitegen", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def can_drop_privileges(tmp_path_factory) -> None:
    """Skips a test that needs chmod to bite when it cannot (root without a working setpriv)."""
    if not ROOT:
        return
    if shutil.which("setpriv") is None:
        pytest.skip("running as root and setpriv is missing: chmod 000 would not stop root from reading")
    probe = tmp_path_factory.mktemp("probe") / "locked"
    probe.write_text("x")
    probe.chmod(0)
    read = subprocess.run([*DROP, "cat", str(probe)], capture_output=True)
    if read.returncode == 0:
        pytest.skip("running as root and setpriv cannot drop the capability to read anything")


@pytest.fixture
def locked():
    """locked(path, mode=0): chmod until the test ends (then as it was, so it can be cleaned up)."""
    done: list[tuple[Path, int]] = []

    def lock(path: Path, mode: int = 0) -> Path:
        done.append((path, stat.S_IMODE(path.lstat().st_mode)))
        path.chmod(mode)
        return path

    yield lock
    for path, mode in reversed(done):
        path.chmod(mode)


def make_socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))  # the socket file stays after the socket is closed


def make_device(path: Path) -> None:
    """A character device node like /dev/null's; skips where this process may not make one."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")


class Writer:
    """Opens a FIFO for writing, which waits until someone opens it for reading: if the build
    opened it, `opened` is set. Released at the end by opening it for reading ourselves."""

    def __init__(self, fifo: Path) -> None:
        self.fifo = fifo
        self.opened = threading.Event()
        self.thread = threading.Thread(target=self._wait, daemon=True)
        self.thread.start()

    def _wait(self) -> None:
        fd = os.open(self.fifo, os.O_WRONLY)
        self.opened.set()
        os.close(fd)

    def release(self) -> None:
        fd = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
        self.thread.join(timeout=10)
        os.close(fd)


def good(site) -> None:
    site.write({"columns/news/2019-03-05-alpha.md": post("Alpha", body="Alpha text.\n")})


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".sitegen-cache" not in p.parts}


def assert_clean_failure(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"


# ----------------------------------------------------------------------------- FIFOs, sockets, devices

@pytest.mark.parametrize("kind", ["fifo", "socket", "device"])
def test_a_fifo_socket_or_device_named_like_a_post_is_skipped_with_a_warning(site, kind):
    good(site)
    odd = site.root / "columns/news/2019-03-06-odd.md"
    {"fifo": os.mkfifo, "socket": make_socket, "device": make_device}[kind](odd)
    writer = Writer(odd) if kind == "fifo" else None
    try:
        built = sitegen("build", "--source", str(site.root))
        checked = sitegen("check", "--source", str(site.root))
        again = sitegen("build", "--source", str(site.root))  # the no-change build says it again
        assert writer is None or not writer.opened.is_set(), "the build opened the FIFO"
    finally:
        if writer is not None:
            writer.release()
    what = {"fifo": "a named pipe (FIFO)", "socket": "a socket", "device": "a device"}[kind]
    line = f"columns/news/2019-03-06-odd.md: warning: this is {what}, not a file; skipped"
    for result in (built, checked, again):
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert line in result.stderr, result.stderr
    assert site.exists("news/alpha/index.html") and not (site.output / "news/odd").exists()


def test_fifos_in_static_a_bundle_templates_and_directly_in_columns_are_skipped_unopened(site):
    good(site)
    site.write({"columns/news/2019-03-07-bundle/index.md": post("Bundle", body="Text.\n"),
                "static/logo.png": b"\x89PNG\r\n\x1a\nlogo",
                "templates/static/site.css": "body { color: black }\n"})
    fifos = [site.root / name for name in ("static/pipe.png", "columns/news/2019-03-07-bundle/notes.pdf",
                                           "columns/stray.md", "templates/post.html", "templates/static/extra.css")]
    writers = []
    for fifo in fifos:
        os.mkfifo(fifo)
        writers.append(Writer(fifo))
    try:
        result = sitegen("build", "--source", str(site.root))
        assert not [w.fifo for w in writers if w.opened.is_set()], "the build opened a FIFO"
    finally:
        for writer in writers:
            writer.release()
    assert result.returncode == 0, result.stderr
    for fifo in fifos:
        assert f"{fifo.relative_to(site.root).as_posix()}: warning: this is a named pipe (FIFO)" in result.stderr
    # The rest of the site is there; the FIFO post.html gave way to the default theme's.
    assert site.exists("news/bundle/index.html") and site.exists("logo.png") and not site.exists("pipe.png")
    assert "Alpha text." in (site.output / "news/alpha/index.html").read_text("utf-8")


def test_a_fifo_where_a_file_must_be_read_is_an_error_not_a_hang(site):
    """A column's _index.md and site.toml cannot be skipped: the build fails, naming them."""
    good(site)
    index = site.root / "columns/news/_index.md"
    index.unlink()
    os.mkfifo(index)
    for args in (["build"], ["new", "news", "A title"]):
        assert_clean_failure(sitegen(*args, "--source", str(site.root)),
                             "columns/news/_index.md: cannot read the file: it is a named pipe (FIFO)")
    toml = site.root / "site.toml"
    toml.unlink()
    os.mkfifo(toml)
    assert_clean_failure(sitegen("check", "--source", str(site.root)),
                         "site.toml: cannot read the file: it is a named pipe (FIFO)")


def test_read_file_never_waits_on_a_fifo(tmp_path):
    fifo = tmp_path / "x.md"
    os.mkfifo(fifo)
    found: list[object] = []
    reader = threading.Thread(target=lambda: found.append(read_file(fifo, 1 << 20)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "read_file waits on a FIFO"
    assert isinstance(found[0], SiteError) and "named pipe" in found[0].message


# ----------------------------------------------------------------------------- symlink loops

def test_two_symlinks_pointing_at_each_other_are_an_error_naming_them(site):
    good(site)
    site.build()
    before = tree(site.output)
    (site.root / "columns/news/a.md").symlink_to("b.md")
    (site.root / "columns/news/b.md").symlink_to("a.md")
    (site.root / "static").mkdir()
    (site.root / "static/x.png").symlink_to("x.png")
    result = sitegen("build", "--source", str(site.root))
    assert_clean_failure(result, "columns/news/a.md: symlink loop", "columns/news/b.md: symlink loop",
                         "static/x.png: symlink loop")
    assert tree(site.output) == before


def test_a_symlink_to_a_folder_that_holds_it_is_an_error_naming_it(site):
    good(site)
    (site.root / "columns/news/up").symlink_to("..", target_is_directory=True)
    (site.root / "columns/news/here").symlink_to(".", target_is_directory=True)
    for command in ("build", "check"):
        result = sitegen(command, "--source", str(site.root))
        assert_clean_failure(result, "columns/news/up: symlink loop: the link leads to columns, a folder that holds it",
                             "columns/news/here: symlink loop: the link leads to columns/news")


def test_a_symlink_to_the_root_of_the_disk_is_refused_without_walking_the_disk(site):
    """The status scan, which runs before anything is read, follows symlinks as the loader does:
    it must not follow one out of the site (it used to walk all of / from here)."""
    good(site)
    (site.root / "columns/news/everything").symlink_to("/", target_is_directory=True)
    (site.root / "columns/news/up").symlink_to(site.root.parent, target_is_directory=True)
    result = sitegen("build", "--source", str(site.root))
    assert_clean_failure(result, "columns/news/everything: symlink points outside the site (to /)")


def test_the_status_scan_ends_and_stays_inside_the_site(site):
    good(site)
    (site.root / "columns/news/everything").symlink_to("/", target_is_directory=True)
    (site.root / "columns/news/up").symlink_to("..", target_is_directory=True)
    (site.root / "columns/news/a.md").symlink_to("b.md")
    (site.root / "columns/news/b.md").symlink_to("a.md")
    scans: list[Scan] = []
    scanner = threading.Thread(target=lambda: scans.append(Scan.of([site.root / "columns"])), daemon=True)
    scanner.start()
    scanner.join(timeout=TIMEOUT)
    assert not scanner.is_alive(), "the scan did not end"
    inside = str(site.root / "columns") + "/"
    assert all(path.startswith(inside) or path == inside[:-1] for path in scans[0].entries)
    assert not any("/everything/" in path or "/up/" in path for path in scans[0].entries)


def test_a_symlink_loop_given_as_source_or_output_is_one_line(site, tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    for args in (["build", "--source", str(site.root), "--output", str(loop)], ["check", "--source", str(loop / "x")]):
        result = sitegen(*args)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert "symlink loop" in result.stderr


def test_walk_reports_loops_and_odd_files_and_keeps_the_rest(site):
    good(site)
    folder = site.root / "columns/news"
    os.mkfifo(folder / "pipe.md")
    (folder / "up").symlink_to("..", target_is_directory=True)
    (folder / "a.md").symlink_to("b.md")
    (folder / "b.md").symlink_to("a.md")
    found, problems = walk(folder, site.root)
    assert [p.name for p in found] == ["2019-03-05-alpha.md", "_index.md"]
    assert sorted((p.path.name, p.severity) for p in problems) == [
        ("a.md", "error"), ("b.md", "error"), ("pipe.md", "warning"), ("up", "error")]


# ----------------------------------------------------------------------------- unreadable files and folders

UNREADABLE = [
    ("columns/news/2019-03-05-alpha.md", "cannot read the file: Permission denied"),
    ("columns/news", "cannot read the folder: Permission denied"),
    ("columns/news r--", "cannot read the folder: Permission denied"),  # listed, not entered
    ("static/pictures --x", "cannot read the folder: Permission denied"),  # entered, not listed
    ("columns/news/2019-03-07-bundle", "cannot read the folder: Permission denied"),
    ("columns", "cannot read the folder: Permission denied"),
    ("static/logo.png", "cannot read the file: Permission denied"),
    ("static/pictures", "cannot read the folder: Permission denied"),
    ("templates/post.html", "cannot read the file: Permission denied"),
    ("templates/static", "cannot read the folder: Permission denied"),
    ("site.toml", "cannot read the file: Permission denied"),
]


@pytest.mark.parametrize("case, message", UNREADABLE, ids=[case for case, _ in UNREADABLE])
def test_an_unreadable_file_or_folder_is_an_error_naming_it(site, can_drop_privileges, locked, case, message):
    good(site)
    site.write({"columns/news/2019-03-07-bundle/index.md": post("Bundle", body="Text.\n"),
                "static/logo.png": b"\x89PNG\r\n\x1a\nlogo", "static/pictures/a.png": b"\x89PNG\r\n\x1a\na",
                "templates/post.html": '{% extends "base.html" %}\n', "templates/static/site.css": "p {}\n"})
    assert sitegen("build", "--source", str(site.root)).returncode == 0
    before = tree(site.output)
    name, _, mode = case.partition(" ")
    locked(site.root / name, {"": 0, "r--": 0o444, "--x": 0o111}[mode])
    for command in ("build", "check"):
        result = sitegen(command, "--source", str(site.root), unprivileged=True)
        assert_clean_failure(result, f"{name}: {message}")
    assert tree(site.output) == before


def test_an_unreadable_output_folder_or_one_under_it_is_an_error_naming_it(site, can_drop_privileges, locked, tmp_path):
    good(site)
    closed = tmp_path / "closed"
    closed.mkdir()
    locked(closed)
    for output in (closed, closed / "site"):
        result = sitegen("build", "--source", str(site.root), "--output", str(output), unprivileged=True)
        assert_clean_failure(result, f"{output}: cannot use the output folder: Permission denied")


# ----------------------------------------------------------------------------- the output path under a file

def test_an_output_path_under_a_file_is_an_error_naming_the_file(site, tmp_path):
    good(site)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    os.mkfifo(tmp_path / "a-fifo")
    for output, culprit in ((blocker / "site", blocker), (blocker / "deeper/site", blocker),
                            (tmp_path / "a-fifo/site", tmp_path / "a-fifo")):
        result = sitegen("build", "--source", str(site.root), "--output", str(output))
        assert_clean_failure(result, f"{culprit}: the output folder {output} cannot be made: this is a file, not a folder")
    assert blocker.read_text() == "not a folder"


# ----------------------------------------------------------------------------- the watcher keeps watching

class Watching:
    """`sitegen watch` in a subprocess, with its stderr read line by line."""

    def __init__(self, root: Path, unprivileged: bool = False) -> None:
        prefix = DROP if unprivileged and ROOT else []
        self.process = subprocess.Popen(
            [*prefix, sys.executable, "-m", "sitegen", "watch", "--source", str(root)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)})
        self.lines: "queue.Queue[str]" = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._pump, daemon=True)
        self.reader.start()

    def _pump(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, accept: Callable[[str], bool], what: str) -> list[str]:
        """The lines up to the first that `accept` likes."""
        deadline = time.monotonic() + TIMEOUT
        got: list[str] = []
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"`sitegen watch` did not say {what}; it said: {''.join(self.seen)}")
            self.seen.append(line)
            got.append(line)
            if accept(line):
                return got

    def built(self) -> list[str]:
        return self.wait_for(lambda line: re.search(r"\] built ", line) is not None, "built")

    def failed(self) -> list[str]:
        return self.wait_for(lambda line: "] build failed" in line, "build failed")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(timeout=5)
        assert self.process.stderr is not None
        self.process.stderr.close()
        assert "Traceback" not in "".join(self.seen), "".join(self.seen)


def wait_for_text(path: Path, text: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not (path.is_file() and text in path.read_text("utf-8")):
        if time.monotonic() > deadline:
            pytest.fail(f"{path} never showed {text!r}")
        time.sleep(0.05)


def test_the_watcher_skips_a_new_fifo_reports_a_loop_and_keeps_building(site):
    good(site)
    watching = Watching(site.root)
    try:
        watching.built()
        fifo = site.root / "columns/news/2019-03-06-pipe.md"
        os.mkfifo(fifo)
        said = "".join(watching.built())
        assert "columns/news/2019-03-06-pipe.md: warning: this is a named pipe (FIFO)" in said
        (site.root / "columns/news/up").symlink_to("..", target_is_directory=True)
        assert "columns/news/up: symlink loop" in "".join(watching.failed())
        (site.root / "columns/news/up").unlink()
        watching.built()
        site.write({"columns/news/2019-03-05-alpha.md": post("Alpha", body="Edited while a FIFO is there.\n")})
        wait_for_text(site.output / "news/alpha/index.html", "Edited while a FIFO is there.")
    finally:
        watching.stop()


def test_the_watcher_sees_edits_in_a_folder_that_was_unreadable_when_it_started(site, can_drop_privileges, locked):
    good(site)
    site.write({"columns/news/more/2019-03-08-later.md": post("Later", body="Before.\n")})
    folder = locked(site.root / "columns/news/more")
    watching = Watching(site.root, unprivileged=True)
    try:
        assert "columns/news/more: cannot read the folder: Permission denied" in "".join(watching.failed())
        folder.chmod(0o755)
        watching.built()
        site.write({"columns/news/more/2019-03-08-later.md": post("Later", body="After the fix.\n")})
        wait_for_text(site.output / "news/later/index.html", "After the fix.")
    finally:
        watching.stop()


def test_a_post_swapped_for_a_fifo_while_the_build_reads_it_fails_that_build_and_never_hangs(site, monkeypatch):
    """Between the first read of a post (its front matter) and the second (its body, maybe on
    a worker), the file becomes a FIFO: the body's read must not wait for a writer."""
    from sitegen.bodies import BodyRenderer
    from sitegen.build import Options, build
    from sitegen.errors import BuildFailed

    site.write({"columns/news/a.md": post("A"), "columns/news/b.md": post("B", "2019-03-06")})
    path = site.root / "columns/news/a.md"
    real = BodyRenderer.bodies

    def swapped(self, sources, cached):  # type: ignore[no-untyped-def]
        path.unlink()
        os.mkfifo(path)
        return real(self, sources, cached)

    monkeypatch.setattr(BodyRenderer, "bodies", swapped)
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the build waited on the FIFO"))
    signal.alarm(TIMEOUT)
    try:
        with pytest.raises(BuildFailed) as failed:
            build(site.root, site.output, Options(jobs=1))
    finally:
        signal.alarm(0)
    assert [p.format(site.root) for p in failed.value.errors] == [
        "columns/news/a.md: cannot read the file: it is a named pipe (FIFO) (replace it with a regular file)"]
    assert not site.output.exists()


def test_a_fifo_put_in_place_of_a_published_file_is_replaced_without_waiting(site):
    site.write({"columns/news/a/index.md": post("A", body="See [the list](empty.txt).\n"), "columns/news/a/empty.txt": ""})
    done = sitegen("build", "--source", str(site.root))
    assert done.returncode == 0, done.stderr
    published = site.output / "news/a/empty.txt"
    published.unlink()
    os.mkfifo(published)  # (through the top symlink, in the live version)
    os.utime(site.root / "columns/news/a/empty.txt", (1, 1))  # the source looks changed: the bytes are compared
    done = sitegen("build", "--source", str(site.root))
    assert done.returncode == 0, done.stderr
    assert stat.S_ISREG(os.stat(published).st_mode) and published.read_bytes() == b""


@pytest.mark.parametrize("where", ["output", "output/.sitegen-versions"])
def test_a_read_only_output_folder_fails_the_build_and_what_is_served_stays_as_it_was(site, can_drop_privileges, locked,
                                                                                       where):
    """chmod 555 (issue 18: a failed build said the output was left as it was while 7 pages had
    changed). The lock, the store and the versions live in output/: where they cannot be
    written, the build fails saying why, and the site served stays the last good one."""
    from conftest import served

    good(site)
    assert sitegen("build", "--source", str(site.root)).returncode == 0
    before = {p: p.read_bytes() for p in served(site.output)}
    site.write({"columns/news/2019-03-05-alpha.md": post("Alpha", body="Alpha text, edited.\n"),
                "columns/news/2019-03-06-beta.md": post("Beta", "2019-03-06")})
    locked(site.output / where.partition("/")[2] if "/" in where else site.output, 0o555)
    result = sitegen("build", "--source", str(site.root), unprivileged=True)
    assert_clean_failure(result, "Permission denied", "the output folder was left as it was")
    assert {p: p.read_bytes() for p in served(site.output)} == before


def test_a_folder_of_the_site_made_read_only_does_not_stop_the_next_builds(site, can_drop_privileges, locked):
    """The live version's folder is read-only; the builds after make new versions beside it
    (the version that holds it is not made into a later one in place)."""
    from conftest import served

    good(site)
    assert sitegen("build", "--source", str(site.root)).returncode == 0
    locked((site.output / ".sitegen-live/news").resolve(), 0o555)
    for n in range(3):
        site.write({"columns/news/2019-03-05-alpha.md": post("Alpha", body=f"Alpha text, edit {n}.\n")})
        result = sitegen("build", "--source", str(site.root), unprivileged=True)
        assert result.returncode == 0, result.stderr
        assert f"edit {n}." in (site.output / "news/alpha/index.html").read_text("utf-8")
    assert "Traceback" not in result.stderr
    assert any("news/alpha/index.html" in str(p) for p in served(site.output))
