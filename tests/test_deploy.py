"""Publishing by commit: deploy/post-receive, installed in a real bare repository, checks
the pushed branch out into SITE_DIR and builds it; a build error keeps the last good site and
reaches the pusher as "remote: ..." lines.

Everything runs real git in tmp_path. Settings reach the hook through the environment of
`git push` (git passes it on to receive-pack and its hooks on a local push).
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, SITE_TOML, column, post

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None,
                                reason="needs git and bash")

ALPHA = "columns/news/2019-03-05-alpha.md"
BETA = "columns/news/2019-03-06-beta.md"


class Remote:
    """A bare repository with the hook, a clone to work in, and the published site folder."""

    def __init__(self, tmp: Path) -> None:
        self.bare = tmp / "site.git"
        self.clone = tmp / "work"
        self.site_dir = tmp / "srv" / "party-site"
        self.output = self.site_dir / "output"
        empty_config = tmp / "gitconfig"
        empty_config.write_text("", encoding="utf-8")
        # A clean environment for git: nothing from a surrounding repository or hook (GIT_DIR,
        # GIT_INDEX_FILE, ...) and none of the user's own git settings.
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        self.env.update({
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": str(empty_config),
            "GIT_TERMINAL_PROMPT": "0",
            "SITE_DIR": str(self.site_dir),
            "SITEGEN": f"{sys.executable} -m sitegen",
            "BRANCH": "main",
            "BUILD": "always",
            "LC_ALL": "C.UTF-8",
        })
        self.git("init", "-q", "--bare", str(self.bare), cwd=tmp)
        hook = self.bare / "hooks" / "post-receive"
        shutil.copyfile(REPO / "deploy" / "post-receive", hook)
        hook.chmod(0o755)
        self.git("clone", "-q", str(self.bare), str(self.clone), cwd=tmp)
        self.git("symbolic-ref", "HEAD", "refs/heads/main")
        self.git("config", "user.name", "Test Editor")
        self.git("config", "user.email", "editor@school.test")
        self.git("config", "core.quotepath", "false")

    def git(self, *args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(["git", *args], cwd=cwd or self.clone, env=self.env,
                                capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            pytest.fail(f"git {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def write(self, files: dict[str, str]) -> None:
        for name, text in files.items():
            path = self.clone / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def push(self, branch: str = "main", **env: str) -> subprocess.CompletedProcess[str]:
        """Pushes and returns the result; the hook's output is in its stderr."""
        result = subprocess.run(["git", "push", "origin", f"HEAD:refs/heads/{branch}"], cwd=self.clone,
                                env={**self.env, **env}, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"push failed:\n{result.stdout}\n{result.stderr}"
        return result

    def page(self, relpath: str) -> Path:
        return self.output / relpath


def remote_lines(push: subprocess.CompletedProcess[str]) -> list[str]:
    return [line[len("remote: "):].rstrip() for line in push.stderr.splitlines() if line.startswith("remote: ")]


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    return Remote(tmp_path)


@pytest.fixture
def published(remote: Remote) -> Remote:
    """A site with two posts, committed and pushed to main."""
    remote.write({
        "site.toml": SITE_TOML,
        "columns/news/_index.md": column("News", 1, "description: Branch news\n", "News of the branch.\n"),
        ALPHA: post("Alpha", "2019-03-05", body="Alpha, first version.\n"),
        BETA: post("Beta", "2019-03-06", body="Beta text.\n"),
    })
    remote.commit("The site")
    push = remote.push()
    assert remote.page("news/alpha/index.html").is_file(), push.stderr
    return remote


# ----------------------------------------------------------------------------- publishing

def test_a_push_to_main_publishes_the_site(remote):
    remote.write({
        "site.toml": SITE_TOML,
        "columns/news/_index.md": column("News", 1, "description: Branch news\n", "News of the branch.\n"),
        ALPHA: post("Alpha", "2019-03-05", body="Alpha, first version.\n"),
    })
    remote.commit("The site")
    assert not remote.site_dir.exists()
    push = remote.push()

    lines = remote_lines(push)
    assert any(line.startswith("sitegen: checked out main (") for line in lines), push.stderr
    assert any(line.startswith("sitegen: built ") for line in lines), push.stderr
    assert (remote.site_dir / "site.toml").is_file()  # the checkout is the build's source
    assert "Alpha, first version." in remote.page("news/alpha/index.html").read_text("utf-8")
    assert "news/alpha/" in remote.page("news/index.html").read_text("utf-8")
    assert remote.page("index.html").is_file() and remote.page("404.html").is_file()
    assert not (remote.site_dir / ".git").exists()  # a plain folder, not a repository


def test_a_pushed_change_changes_the_page_and_leaves_the_others_alone(published):
    beta = published.page("news/beta/index.html")
    beta_mtime = beta.stat().st_mtime_ns
    published.write({ALPHA: post("Alpha", "2019-03-05", body="Alpha, second version.\n")})
    published.commit("Edit alpha")
    push = published.push()
    alpha = published.page("news/alpha/index.html").read_text("utf-8")
    assert "Alpha, second version." in alpha and "first version" not in alpha, push.stderr
    assert beta.stat().st_mtime_ns == beta_mtime


def test_a_broken_post_keeps_the_last_good_site_and_tells_the_pusher(published):
    page = published.page("news/alpha/index.html")
    good = page.read_bytes()
    published.write({ALPHA: "---\ndate: 2019-02-30\ntitle: Alpha\n---\n\nBroken.\n"})
    published.commit("Break alpha")
    push = published.push()  # the push itself succeeds

    lines = remote_lines(push)
    assert any(line.startswith(f"sitegen: {ALPHA}:2: ") for line in lines), push.stderr
    assert any("build failed" in line for line in lines), push.stderr
    assert page.read_bytes() == good
    # The checkout did happen: the source folder holds the broken file for the next build.
    assert "2019-02-30" in (published.site_dir / ALPHA).read_text("utf-8")

    published.write({ALPHA: post("Alpha", "2019-03-05", body="Alpha, repaired.\n")})
    published.commit("Fix alpha")
    push = published.push()
    assert "Alpha, repaired." in page.read_text("utf-8"), push.stderr
    assert not any("build failed" in line for line in remote_lines(push))


def test_a_deleted_post_disappears_from_the_published_site(published):
    page = published.page("news/beta/index.html")
    assert page.is_file()
    published.git("rm", "-q", BETA)
    published.commit("Remove beta")
    push = published.push()
    assert not (published.site_dir / BETA).exists(), push.stderr  # gone from the checkout too
    assert not page.exists(), push.stderr
    assert not page.parent.exists()
    index = published.page("news/index.html").read_text("utf-8")
    assert "news/beta/" not in index and "news/alpha/" in index


def test_a_renamed_post_moves_on_the_published_site(published):
    published.git("mv", ALPHA, "columns/news/2019-03-05-gamma.md")
    published.commit("Rename alpha")
    push = published.push()
    assert published.page("news/gamma/index.html").is_file(), push.stderr
    assert not published.page("news/alpha/index.html").exists()


# ----------------------------------------------------------------------------- what is not published

def test_a_push_to_another_branch_publishes_nothing(published):
    before = published.page("news/alpha/index.html").read_bytes()
    published.write({ALPHA: post("Alpha", "2019-03-05", body="Draft on a side branch.\n")})
    published.commit("Side work")
    push = published.push("drafts")
    assert published.page("news/alpha/index.html").read_bytes() == before
    assert "first version" in (published.site_dir / ALPHA).read_text("utf-8")
    assert not any(line.startswith("sitegen:") for line in remote_lines(push)), push.stderr


def test_build_never_only_checks_out(published):
    before = published.page("news/alpha/index.html").read_bytes()
    published.write({ALPHA: post("Alpha", "2019-03-05", body="Checked out, not built.\n")})
    published.commit("Edit alpha")
    push = published.push(BUILD="never")
    assert "Checked out, not built." in (published.site_dir / ALPHA).read_text("utf-8"), push.stderr
    assert published.page("news/alpha/index.html").read_bytes() == before
    assert not any(line.startswith("sitegen: built") for line in remote_lines(push))


# ----------------------------------------------------------------------------- where the site lives

def _site_files() -> dict[str, str]:
    return {
        "site.toml": SITE_TOML,
        "columns/news/_index.md": column("News", 1),
        ALPHA: post("Alpha", "2019-03-05", body="Alpha text.\n"),
        "columns/news/2019-04-01-党建工作.md": post("党建工作", "2019-04-01", "slug: party-work\n", "支部工作。\n"),
    }


def test_a_site_folder_with_spaces_and_chinese_characters_is_published(remote, tmp_path):
    site_dir = tmp_path / "srv" / "党建 专栏"
    remote.write(_site_files())
    remote.commit("The site")
    push = remote.push(SITE_DIR=str(site_dir))
    assert "Alpha text." in (site_dir / "output/news/alpha/index.html").read_text("utf-8"), push.stderr
    assert "支部工作。" in (site_dir / "output/news/party-work/index.html").read_text("utf-8")


def _install_default_sitegen(site_dir: Path) -> None:
    """The default SITEGEN is $SITE_DIR/.venv/bin/sitegen; point it at this venv's command."""
    command = Path(sys.executable).parent / "sitegen"
    if not command.is_file():
        pytest.skip("no sitegen console script next to this Python")
    (site_dir / ".venv" / "bin").mkdir(parents=True)
    (site_dir / ".venv" / "bin" / "sitegen").symlink_to(command)


def test_the_default_sitegen_command_is_found_in_the_site_folder(remote, tmp_path):
    site_dir = tmp_path / "srv" / "party-site"
    _install_default_sitegen(site_dir)
    env = {k: v for k, v in remote.env.items() if k != "SITEGEN"}
    remote.env = env
    remote.write(_site_files())
    remote.commit("The site")
    push = remote.push(SITE_DIR=str(site_dir))
    assert (site_dir / "output/news/alpha/index.html").is_file(), push.stderr


def test_the_default_sitegen_command_works_when_the_site_folder_has_a_space(remote, tmp_path):
    site_dir = tmp_path / "srv" / "party site"
    _install_default_sitegen(site_dir)
    remote.env = {k: v for k, v in remote.env.items() if k != "SITEGEN"}
    remote.write(_site_files())
    remote.commit("The site")
    push = remote.push(SITE_DIR=str(site_dir))
    assert (site_dir / "output/news/alpha/index.html").is_file(), push.stderr


# ----------------------------------------------------------------------------- with a running watcher

def start_watcher(site_dir: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], "queue.Queue[str]"]:
    """`sitegen watch` on a site folder, as deploy/sitegen-watch.service runs it, once it watches."""
    watcher = subprocess.Popen([sys.executable, "-m", "sitegen", "watch", "--source", str(site_dir)],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, env=env)
    lines: "queue.Queue[str]" = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in watcher.stderr], daemon=True).start()  # type: ignore[union-attr]
    deadline = time.monotonic() + 30
    while True:
        try:
            if "watching" in lines.get(timeout=max(0.0, deadline - time.monotonic())):
                return watcher, lines
        except queue.Empty:
            watcher.kill()
            pytest.fail("`sitegen watch` did not start")


def stop_watcher(watcher: subprocess.Popen[str]) -> int:
    watcher.send_signal(signal.SIGTERM)  # as systemctl stop does
    try:
        return watcher.wait(timeout=20)
    except subprocess.TimeoutExpired:
        watcher.kill()
        watcher.wait()
        pytest.fail("`sitegen watch` did not stop on SIGTERM")
    finally:
        watcher.stderr.close()  # type: ignore[union-attr]


def test_with_this_sites_watcher_running_the_pusher_still_sees_the_build_result(published):
    """deploy/sitegen-watch.service runs `sitegen watch` on SITE_DIR; the hook knows it runs (from
    its lock in the output folder), builds under the shared lock all the same, and the pusher
    sees the result, errors included."""
    watcher, _ = start_watcher(published.site_dir, published.env)
    try:
        published.write({ALPHA: post("Alpha", "2019-03-05", body="Rebuilt with the watcher running.\n")})
        published.commit("Edit alpha")
        push = published.push(BUILD="auto")
        lines = remote_lines(push)
        assert any("this site's watcher runs" in line for line in lines), push.stderr
        assert any(line.startswith("sitegen: built") for line in lines), push.stderr
        # Published when the push returns, whichever of the two built it.
        assert "Rebuilt with the watcher running." in published.page("news/alpha/index.html").read_text("utf-8")

        published.write({ALPHA: "---\ndate: 2019-02-30\ntitle: Alpha\n---\n\nBroken.\n"})
        published.commit("Break alpha")
        push = published.push(BUILD="auto")
        lines = remote_lines(push)
        assert any(line.startswith(f"sitegen: {ALPHA}:2: ") for line in lines), push.stderr
        assert any("build failed" in line for line in lines), push.stderr
        assert "Rebuilt with the watcher running." in published.page("news/alpha/index.html").read_text("utf-8")
    finally:
        assert stop_watcher(watcher) in (0, 130)


def test_another_sites_watcher_is_not_taken_for_this_ones(published, tmp_path):
    other = tmp_path / "other-site"
    other.mkdir()
    (other / "site.toml").write_text(SITE_TOML, "utf-8")
    (other / "columns/news").mkdir(parents=True)
    (other / "columns/news/_index.md").write_text(column("News", 1), "utf-8")
    watcher, _ = start_watcher(other, published.env)  # its command line says "sitegen watch" too
    try:
        published.write({ALPHA: post("Alpha", "2019-03-05", body="Built by the hook.\n")})
        published.commit("Edit alpha")
        push = published.push(BUILD="auto")
        assert not any("this site's watcher runs" in line for line in remote_lines(push)), push.stderr
        assert "Built by the hook." in published.page("news/alpha/index.html").read_text("utf-8")
    finally:
        stop_watcher(watcher)


def test_two_pushes_a_moment_apart_publish_the_second(published, tmp_path):
    """A second clone pushes while the hook of the first push still runs: the hooks take turns,
    and the site ends as the second push left the branch."""
    second = tmp_path / "second"
    published.git("clone", "-q", str(published.bare), str(second), cwd=tmp_path)
    published.git("config", "user.name", "Other Editor", cwd=second)
    published.git("config", "user.email", "other@school.test", cwd=second)
    published.write({ALPHA: post("Alpha", "2019-03-05", body="First push.\n")})
    published.commit("First")
    first = subprocess.Popen(["git", "push", "origin", "HEAD:refs/heads/main"], cwd=published.clone,
                             env=published.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # The second editor's commit comes after the first push's (the branch has moved once the
        # first hook started, which the first push's "remote:" lines show).
        deadline = time.monotonic() + 60
        while published.git("ls-remote", str(published.bare), "refs/heads/main", cwd=tmp_path).stdout.split()[:1] != \
                published.git("rev-parse", "HEAD").stdout.split():
            assert time.monotonic() < deadline, "the first push did not arrive"
            time.sleep(0.02)
        published.git("pull", "-q", "--ff-only", "origin", "main", cwd=second)
        (second / BETA).write_text(post("Beta", "2019-03-06", body="Second push.\n"), "utf-8")
        published.git("commit", "-q", "-am", "Second", cwd=second)
        push = subprocess.run(["git", "push", "origin", "HEAD:refs/heads/main"], cwd=second, env=published.env,
                              capture_output=True, text=True, timeout=120)
        assert push.returncode == 0, push.stderr
    finally:
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert "Second push." in published.page("news/beta/index.html").read_text("utf-8"), push.stderr
    assert "First push." in published.page("news/alpha/index.html").read_text("utf-8")
    assert any(line.startswith("sitegen: built") for line in remote_lines(push)), push.stderr
