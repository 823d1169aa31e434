"""Helpers for tests/test_browser.py: the demo site built into a temporary folder, the two
servers that serve it (sitegen's preview server and nginx with deploy/nginx.conf), a real
Chromium driven by Playwright, and the checkers nobody on this project wrote (axe-core, the
Nu Html Checker).

Tools and where they come from (scripts/test.sh installs them all):
  Chromium       Debian's `chromium` (/usr/bin/chromium), or $SITEGEN_CHROMIUM
  Playwright     PyPI `playwright`, the test extra in pyproject.toml; it drives the Chromium above
                 and never downloads a browser of its own
  nginx          Debian's `nginx`, run here as a child process on a loopback port, never as a service
  axe-core, vnu  npm, pinned in tests/tools/package-lock.json (`npm ci --prefix tests/tools`)
  Java           runs vnu.jar

A missing tool skips the tests that need it, or fails them when SITEGEN_REQUIRE_BROWSER=1
(.ci/run sets it), so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import served

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / "tests" / "tools" / "node_modules"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
NGINX_CONF = REPO / "deploy" / "nginx.conf"

BASE_PATH = "/party/"  # the demo's base_path (site.toml)
REQUIRED = os.environ.get("SITEGEN_REQUIRE_BROWSER") == "1"
SETUP_HINT = "run `bash scripts/test.sh`, which installs it"

# Chromium without the background traffic it makes on its own (to Google hosts that an
# intranet cannot reach); the tests count only requests that pages make in any case.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
]


def require(ok: object, what: str, hint: str = SETUP_HINT) -> None:
    """Skips the test when `ok` is false, or fails it under SITEGEN_REQUIRE_BROWSER=1."""
    if ok:
        return
    if REQUIRED:
        pytest.fail(f"{what} is missing ({hint}); SITEGEN_REQUIRE_BROWSER=1 makes that an error", pytrace=False)
    pytest.skip(f"{what} is missing ({hint})")


def find_chromium() -> str | None:
    """$SITEGEN_CHROMIUM if set (and only it), else Debian's chromium."""
    if os.environ.get("SITEGEN_CHROMIUM"):
        return shutil.which(os.environ["SITEGEN_CHROMIUM"])
    for candidate in ("chromium", "chromium-browser", "/usr/bin/chromium"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's), driven by Playwright, for a whole test module; a test
    module uses it by importing this fixture."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright (PyPI package playwright, in the test extra)")
    chromium = find_chromium()
    require(chromium, "Chromium (Debian package chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def find_nginx() -> str | None:
    # /usr/sbin is not on every user's PATH.
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin:/usr/local/nginx/sbin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, headers: dict[str, str] | None = None, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    """One request that does not follow redirects: (status, headers with lowercase names, body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def wait_for_http(url: str, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args[0]} stopped with {process.returncode}:\n{read_log(log)}", pytrace=False)
        try:
            status, _, _ = http_get(url, timeout=2)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"{url} did not answer within {seconds} s:\n{read_log(log)}", pytrace=False)


def read_log(path: Path) -> str:
    try:
        return path.read_text("utf-8", errors="replace")[-4000:]
    except OSError:
        return ""


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Ends one child process that this module started, by its id."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# ---------- the demo site ----------

@dataclass(frozen=True)
class Target:
    """A page a visitor opens: its path under the server and the status it must answer with."""

    name: str
    path: str
    status: int = 200


@dataclass
class Demo:
    source: Path  # a copy of the demo's sources (site.toml, columns/)
    output: Path  # what `sitegen build` wrote from it
    targets: dict[str, Target] = field(default_factory=dict)

    def html_files(self) -> list[Path]:
        return [p for p in served(self.output) if p.suffix == ".html"]

    def url_path(self, file: Path) -> str:
        rel = file.relative_to(self.output).as_posix()
        if rel == "index.html":
            return BASE_PATH
        if rel.endswith("/index.html"):
            return BASE_PATH + rel[: -len("index.html")]
        return BASE_PATH + rel


def demo_column_slugs() -> list[str]:
    """The demo's columns, by folder name (known at collection time, before any build)."""
    return sorted(p.parent.name for p in (REPO / "columns").glob("*/_index.md"))


def copy_demo_sources(dest: Path) -> Path:
    """The demo's own sources, copied so that nothing here touches the repository."""
    dest.mkdir(parents=True)
    shutil.copyfile(REPO / "site.toml", dest / "site.toml")
    shutil.copytree(REPO / "columns", dest / "columns")
    if (REPO / "static").is_dir():  # a site's own files, if the demo ever has them
        shutil.copytree(REPO / "static", dest / "static")
    # The theme is the default one, the repository's templates/, as for the demo itself.
    return dest


def build_demo(root: Path) -> Demo:
    """Builds the demo with the real command line, then finds the pages the tests visit."""
    source = copy_demo_sources(root / "site")
    output = root / "output"
    result = subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(source), "--output", str(output)],
                            capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"sitegen build of the demo failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    demo = Demo(source, output)
    demo.targets = find_targets(demo)
    return demo


def _soup(file: Path) -> BeautifulSoup:
    return BeautifulSoup(file.read_text("utf-8"), "html.parser")


def find_targets(demo: Demo) -> dict[str, Target]:
    """The pages the issue names, found in the built demo the way a visitor would find them."""
    out = demo.output
    home = _soup(out / "index.html")
    targets = {"home": Target("home", BASE_PATH)}
    nav = [a["href"] for a in home.select(".site-nav a")]
    for slug in demo_column_slugs():
        path = f"{BASE_PATH}{slug}/"
        assert path in nav, f"the home page's navigation has no link to the column {slug!r} ({path}): {nav}"
        targets[f"column-{slug}"] = Target(f"column-{slug}", path)
    # A column's second page, reached by its "next page" link.
    for slug in demo_column_slugs():
        nxt = _soup(out / slug / "index.html").select_one(".pagination a[rel=next]")
        if nxt is not None:
            targets["paginated"] = Target("paginated", nxt["href"])
            break
    # A post that shows a picture and lists attachments (the demo's bundle).
    post = None
    for file in demo.html_files():
        page = _soup(file)
        if page.select_one(".post-body img") and page.select_one(".attachment-list a"):
            post = page
            targets["post"] = Target("post", demo.url_path(file))
            break
    assert post is not None, "no post of the demo shows a picture and lists attachments"
    tag = post.select_one(".tag-list a")
    assert tag is not None, "the demo's post with attachments has no tags"
    targets["tag"] = Target("tag", tag["href"])
    archive = home.select_one(".footer-links a[href$='/archive/']")
    assert archive is not None, "the footer has no link to the archive"
    targets["archive"] = Target("archive", archive["href"])
    targets["404"] = Target("404", f"{BASE_PATH}no-such-page/", 404)
    assert "paginated" in targets, "no column of the demo has a second page"
    return targets


# ---------- servers ----------

class Server:
    name = ""
    origin = ""

    def url(self, path: str) -> str:
        return self.origin + path

    def close(self) -> None:
        raise NotImplementedError


class PreviewServer(Server):
    """`sitegen serve` on a loopback port: builds its own output and injects live reload."""

    name = "preview"

    def __init__(self, demo: Demo, root: Path) -> None:
        port = free_port()
        self.origin = f"http://127.0.0.1:{port}"
        self.log = root / "preview.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sitegen", "serve", "--source", str(demo.source),
                 "--output", str(root / "preview-output"), "--port", str(port)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_for_http(self.url(BASE_PATH), self.process, self.log)

    def close(self) -> None:
        stop(self.process, signal.SIGINT)  # Ctrl+C: the server stops its watcher and exits


LISTEN = re.compile(r"^(\s*)listen 80;", re.MULTILINE)
ALIAS = re.compile(r"^(\s*)alias /srv/party-site/output/;", re.MULTILINE)


def nginx_server_config(output: Path, port: int) -> str:
    """deploy/nginx.conf with its listen line on 127.0.0.1:port and its alias on `output`."""
    text = NGINX_CONF.read_text("utf-8")
    for pattern, what in ((LISTEN, "listen 80;"), (ALIAS, "alias /srv/party-site/output/;")):
        found = len(pattern.findall(text))
        assert found == 1, f"deploy/nginx.conf must have exactly one `{what}` line for the test to replace (found {found})"
    text = LISTEN.sub(lambda m: f"{m.group(1)}listen 127.0.0.1:{port};", text)
    return ALIAS.sub(lambda m: f"{m.group(1)}alias {output.as_posix()}/;", text)


def nginx_main_config(server_config: str, prefix: Path) -> str:
    """A whole nginx.conf around the server block, everything it writes kept in `prefix`."""
    mime = Path("/etc/nginx/mime.types")
    temp = "\n".join(f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # nginx started by root runs its workers as "nobody", who cannot read pytest's private
    # temporary folders; the test server only listens on loopback.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
events {{ worker_connections 128; }}
http {{
    include {mime};
    default_type application/octet-stream;
    sendfile on;
    access_log {prefix / "access.log"};
{temp}
{server_config}
}}
"""


class NginxServer(Server):
    name = "nginx"

    def __init__(self, demo: Demo, root: Path, binary: str) -> None:
        port = free_port()
        self.origin = f"http://127.0.0.1:{port}"
        self.prefix = root / "nginx"
        self.prefix.mkdir()
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(nginx_main_config(nginx_server_config(demo.output, port), self.prefix), "utf-8")
        self.log = self.prefix / "error.log"
        command = [binary, "-e", "stderr", "-p", str(self.prefix), "-c", str(self.conf),
                   "-g", f"daemon off; pid {self.prefix / 'nginx.pid'};"]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=60)
        if checked.returncode != 0:
            pytest.fail(f"nginx rejects deploy/nginx.conf:\n{checked.stderr}\n--- generated {self.conf}:\n"
                        f"{self.conf.read_text('utf-8')}", pytrace=False)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_for_http(self.url(BASE_PATH), self.process, self.log)

    def close(self) -> None:
        stop(self.process, signal.SIGQUIT)  # graceful: the master lets its worker finish, then exits


# ---------- watching what a page does ----------

class Watch:
    """Records what a page does: every request it makes, failures, console errors.

    Counted: requests outside the site (another host, or this host outside base_path), requests
    that fail or answer with an error status, console errors and uncaught exceptions.
    Expected and not counted: the error status of a page that is meant to be "not found", and
    what the browser itself cuts short when it leaves a page (a late icon, the preview server's
    live-reload stream); before leaving, the tests wait for every answer (settle).
    """

    def __init__(self, page, origin: str) -> None:  # type: ignore[no-untyped-def]
        self.site = origin + BASE_PATH
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.expected_missing: set[str] = set()
        self.pending: dict[object, str] = {}  # request -> URL, until it has its answer
        self.leaving = False  # set while the browser goes from one page to the next
        page.on("request", self._request)
        page.on("requestfinished", self._finished)
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught error: {error}"))

    def expect_not_found(self, url: str) -> None:
        self.expected_missing.add(url)

    def settle(self, page, seconds: float = 10) -> None:  # type: ignore[no-untyped-def]
        """Waits until every request the page made has its answer (the icon comes after `load`),
        so that leaving the page next cuts nothing short. Live reload's stream never ends."""
        waited = 0.0
        while self.pending and waited < seconds:
            page.wait_for_timeout(10)
            waited += 0.01
        for url in self.pending.values():
            self.problems.append(f"request unanswered after {seconds} s: {url}")
        self.pending.clear()

    @contextmanager
    def navigating(self, page):  # type: ignore[no-untyped-def]
        """Around going to another page: what the old page still loads may be cut short."""
        self.settle(page)
        self.leaving = True
        try:
            yield
        finally:
            self.leaving = False
        self.settle(page)

    def _request(self, request) -> None:  # type: ignore[no-untyped-def]
        self.requests.append(request.url)
        if request.resource_type != "eventsource":
            self.pending[request] = request.url
        if not request.url.startswith(self.site):
            self.problems.append(f"request leaves the site: {request.method} {request.url} "
                                 f"(from {request.frame.url if request.frame else '?'})")

    def _finished(self, request) -> None:  # type: ignore[no-untyped-def]
        self.pending.pop(request, None)

    def _failed(self, request) -> None:  # type: ignore[no-untyped-def]
        self.pending.pop(request, None)
        failure = request.failure or ""
        if "ERR_ABORTED" in failure and (self.leaving or request.resource_type == "eventsource"):
            return  # cut short by the browser leaving the page (the icon, live reload's stream)
        self.problems.append(f"request failed: {request.url}: {failure}")

    def _response(self, response) -> None:  # type: ignore[no-untyped-def]
        if response.status >= 400 and response.url not in self.expected_missing:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def _console(self, message) -> None:  # type: ignore[no-untyped-def]
        if message.type != "error":
            return
        where = message.location.get("url", "") if message.location else ""
        if where in self.expected_missing and "404" in message.text:
            return  # Chromium logs the expected status of the "not found" page itself
        self.problems.append(f"console error: {message.text} (at {where})")

    def assert_clean(self, page=None) -> None:  # type: ignore[no-untyped-def]
        if page is not None:
            self.settle(page)
        assert not self.problems, "\n".join(dict.fromkeys(self.problems))
