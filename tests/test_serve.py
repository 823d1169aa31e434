"""The preview server: real HTTP on 127.0.0.1 (a free port), pages served under base_path,
nothing outside the output folder ever served, the live-reload script added to served HTML
only, and the event stream that tells open pages to reload or to show a failed build.

Requests go through http.client so the path reaches the server exactly as written (urllib
and browsers would normalise '..' away before sending).
"""

from __future__ import annotations

import http.client
import json
import mimetypes
import os
import queue
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import pytest

from conftest import REPO, SITE_TOML, post, run_cli, served
from sitegen.byte_ranges import UNSATISFIABLE, ByteRange, requested_range
from sitegen.serve import BuildState, content_type, make_server, resolve_request
from sitegen.watch import Outcome, Watcher

# See test_watch.py: watchdog's harmless warning about output/ folders must not kill its thread.
pytestmark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")

TIMEOUT = 10.0
BASE = "/party/"
PARTY_TOML = SITE_TOML.replace('base_url = "http://intranet.test/"',
                               'base_url = "http://intranet.test/party/"\nbase_path = "/party/"')
ALPHA = "columns/news/2019-03-05-alpha.md"
HOOK_TAG = '<script src="/party/__sitegen__/livereload.js" data-events="/party/__sitegen__/events"></script>'


# ----------------------------------------------------------------------------- helpers

def wait_until(predicate: Callable[[], object], timeout: float = TIMEOUT, what: str = "") -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(0.05)


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def fetch(port: int, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> Response:
    """One request with the path sent exactly as given."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        conn.close()


class EventStream:
    """A client of the server-sent events endpoint, reading one event at a time."""

    def __init__(self, port: int, path: str = BASE + "__sitegen__/events") -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        self.conn.request("GET", path)
        self.socket = self.conn.sock  # (the connection lets go of it once the response is read)
        self.response = self.conn.getresponse()
        self.seen: list[tuple[str, str]] = []

    def next(self) -> tuple[str, str]:
        """The next event as (name, data); raises EOFError when the server ends the stream
        and TimeoutError when nothing came for TIMEOUT s (keep-alives come every 15 s)."""
        name, data = "", []
        while True:
            raw = self.response.readline()
            if not raw:
                raise EOFError("the event stream ended")
            line = raw.decode("utf-8").rstrip("\r\n")
            if not line:
                if name or data:
                    self.seen.append((name or "message", "\n".join(data)))
                    return self.seen[-1]
                continue
            if line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)

    def wait_for(self, name: str, accept: Callable[[dict], bool] = lambda data: True) -> dict:
        """Skips events until one called `name` whose JSON data `accept` likes."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            event, data = self.next()
            if event == name and accept(json.loads(data)):
                return json.loads(data)
        pytest.fail(f"no '{name}' event within {TIMEOUT} s; got {self.seen}")

    def close(self) -> None:
        self.response.close()
        self.conn.close()


@pytest.fixture
def party(site):
    """The test site with base_path /party/ and one post, built."""
    site.write({"site.toml": PARTY_TOML, ALPHA: post("Alpha", "2019-03-05", body="Alpha text.\n")})
    site.build()
    return site


@pytest.fixture
def serving():
    """serving(output, state=None) -> port: a preview server in a thread, shut down at teardown."""
    running: list[tuple[object, threading.Thread, BuildState | None]] = []

    def start(output: Path, state: BuildState | None = None, **options: object) -> int:
        server = make_server(output, BASE, "127.0.0.1", 0, state, **options)  # type: ignore[arg-type]
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        running.append((server, thread, state))
        return server.server_address[1]

    yield start
    for server, thread, state in running:
        if state is not None:
            state.close()  # ends open event streams
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def live(party, serving):
    """What `sitegen serve` runs, in this process: a Watcher whose builds go to a BuildState
    that the server's event stream follows. Returns (port, watcher, state)."""
    state = BuildState()
    state.root = party.root.resolve()
    watcher = Watcher(party.root, party.output, on_build=state.publish)
    watcher.start()
    try:
        port = serving(party.output, state)
        yield port, watcher, state
    finally:
        state.close()
        watcher.stop()


@pytest.fixture
def streams():
    """Event streams opened by a test, closed at teardown."""
    opened: list[EventStream] = []

    def connect(port: int) -> EventStream:
        opened.append(EventStream(port))
        return opened[-1]

    yield connect
    for stream in opened:
        stream.close()


# ----------------------------------------------------------------------------- pages and redirects

def test_pages_are_served_under_base_path(party, serving):
    port = serving(party.output)
    home = fetch(port, "/party/")
    assert home.status == 200
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    assert home.body == (party.output / "index.html").read_bytes()  # no state: served as written

    page = fetch(port, "/party/news/alpha/")
    assert page.status == 200 and "Alpha text." in page.text
    assert fetch(port, "/party/news/alpha/index.html").body == page.body
    assert fetch(port, "/party/feed.xml").headers["content-type"].startswith("application/xml")
    css = next((party.output / "static").glob("style.*.css")).name
    styled = fetch(port, f"/party/static/{css}")
    assert styled.status == 200 and styled.headers["content-type"] == "text/css; charset=utf-8"

    head = fetch(port, "/party/", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert int(head.headers["content-length"]) == len(home.body)


def test_the_root_redirects_to_base_path_and_folders_to_their_slash_form(party, serving):
    port = serving(party.output)
    root = fetch(port, "/")
    assert root.status in (301, 302, 307, 308) and root.headers["location"] == "/party/"
    folder = fetch(port, "/party/news")
    assert folder.status in (301, 302, 307, 308) and folder.headers["location"] == "/party/news/"
    deeper = fetch(port, "/party/news/alpha")
    assert deeper.status in (301, 302, 307, 308) and deeper.headers["location"] == "/party/news/alpha/"
    assert fetch(port, "/party/news/").status == 200


def test_base_path_without_its_slash_redirects(party, serving):
    port = serving(party.output)
    response = fetch(port, "/party")
    assert response.status in (301, 302, 307, 308) and response.headers["location"] == "/party/"


def test_a_missing_page_is_a_404_with_the_sites_404_page(party, serving):
    port = serving(party.output)
    for path in ("/party/no-such-page/", "/party/news/nothing.html", "/elsewhere/index.html"):
        missing = fetch(port, path)
        assert missing.status == 404, path
        assert missing.body == (party.output / "404.html").read_bytes(), path
        assert missing.headers["content-type"] == "text/html; charset=utf-8"


def test_a_file_with_a_non_ascii_name_is_served(party, serving):
    party.write({"static/通知.txt": "请各党小组按时参加。"})
    party.build()
    port = serving(party.output)
    response = fetch(port, "/party/%E9%80%9A%E7%9F%A5.txt")
    assert response.status == 200
    assert response.text == "请各党小组按时参加。"


# Each file type a page needs, with the Content-Type a browser must get for it (a script sent as
# text/plain is refused). Binary files need no real content: the server looks only at the name.
STATIC_TYPES = {
    "static/app.js": "application/javascript; charset=utf-8",
    "static/extra.css": "text/css; charset=utf-8",
    "static/data.xml": "application/xml; charset=utf-8",
    "static/logo.svg": "image/svg+xml; charset=utf-8",
    "static/data.json": "application/json",
    "static/notice.txt": "text/plain; charset=utf-8",
    "static/photo.webp": "image/webp",
    "static/photo.avif": "image/avif",
    "static/font.woff2": "font/woff2",
    "static/SHOUT.JS": "application/javascript; charset=utf-8",
    "static/report.pdf": "application/pdf",  # not in the server's table: as mimetypes guesses it
    "static/data.unknown-kind": "application/octet-stream",
}


def test_each_kind_of_file_is_served_with_its_content_type(party, serving):
    party.write({name: "x" for name in STATIC_TYPES})
    party.build()
    port = serving(party.output)
    for name, expected in STATIC_TYPES.items():
        response = fetch(port, BASE + name.removeprefix("static/"))
        assert (response.status, response.headers["content-type"]) == (200, expected), name


def test_the_types_a_page_needs_do_not_come_from_the_systems_table(monkeypatch):
    # As on a Windows machine whose registry says every file is text/plain.
    monkeypatch.setattr(mimetypes, "guess_type", lambda *args, **kwargs: ("text/plain", None))
    assert content_type("app.js") == "application/javascript; charset=utf-8"
    assert content_type("style.css") == "text/css; charset=utf-8"
    assert content_type("index.html") == "text/html; charset=utf-8"
    assert content_type("report.pdf") == "text/plain; charset=utf-8"  # the rest: as the system says


IMPORT_LEAVES_MIMETYPES = """
import json, mimetypes
mimetypes.init()  # as any first guess_type() would: read the system's tables before comparing


def table():
    types = dict(mimetypes.types_map)
    return {**{"type of " + ext: kind for ext, kind in types.items()},
            **{"extensions of " + kind: mimetypes.guess_all_extensions(kind) for kind in set(types.values())}}


before = table()
import sitegen.serve
after = table()
print(json.dumps({key: [before.get(key), after.get(key)]
                  for key in sorted(before.keys() | after.keys()) if before.get(key) != after.get(key)}))
"""


def test_importing_the_server_leaves_mimetypes_as_it_was(tmp_path):
    # A fresh interpreter: this one imported sitegen.serve long ago.
    result = subprocess.run([sys.executable, "-c", IMPORT_LEAVES_MIMETYPES], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {}


# ----------------------------------------------------------------------------- nothing outside output/

TRAVERSALS = [
    "/party/../site.toml",
    "/party/%2e%2e/site.toml",
    "/party/%2E%2E/site.toml",
    "/party/..%2fsite.toml",
    "/party/..%2Fsite.toml",
    "/party/%2e%2e%2fsite.toml",
    "/party/.%2e/site.toml",
    "/party/%2e%2e%5csite.toml",
    "/party/..\\site.toml",
    "/party/news/../../site.toml",
    "/party/news/%2e%2e/%2e%2e/site.toml",
    "/party/news/..%2f..%2fsite.toml",
    "/party/./../site.toml",
    "/../site.toml",
    "/party/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/party//etc/passwd",
    "/party/%2Fetc%2Fpasswd",
    "/party/%2fetc/passwd",
    "//etc/passwd",
    "/party/%00../site.toml",
    "/party/leak.txt",  # a symlink in output/ that points out of it
    "/party/leakdir/site.toml",  # a symlinked folder that points out of it
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_request_reads_a_file_outside_the_output_folder(party, serving, path):
    secret = "SECRET-d41d8cd9"
    toml = party.root / "site.toml"
    toml.write_text(PARTY_TOML + f'description = "{secret}"\n', encoding="utf-8")
    (party.output / "leak.txt").symlink_to(toml)
    (party.output / "leakdir").symlink_to(party.root, target_is_directory=True)
    port = serving(party.output)
    response = fetch(port, path)
    assert response.status in (400, 403, 404), (path, response.status)
    assert secret not in response.text
    assert "root:" not in response.text
    if response.status == 404:
        assert response.body == (party.output / "404.html").read_bytes()


@pytest.mark.parametrize("path", ["/party/../site.toml", "/party/%2e%2e/site.toml", "/party/..%2fsite.toml",
                                  "/party/%2e%2e%5csite.toml", "/party//etc/passwd", "/party/%2Fetc%2Fpasswd"])
def test_resolve_request_names_nothing_outside_output(party, path):
    assert resolve_request(party.output, BASE, path) is None


def test_resolve_request_maps_urls_to_files(party):
    output = party.output.resolve()
    # (the files of the live version, which the symlinks at the top of output/ lead to)
    def resolved(path: str) -> Path:
        found = resolve_request(party.output, BASE, path)
        assert found is not None, path
        return found.resolve()

    assert resolved("/party/") == (output / "index.html").resolve()
    assert resolved("/party/news/alpha/?x=1") == (output / "news/alpha/index.html").resolve()
    assert resolved("/party/news") == (output / "news").resolve()  # the handler redirects
    assert resolve_request(party.output, BASE, "/party/nothing.html") is None
    assert resolve_request(party.output, BASE, "/other/index.html") is None


# ----------------------------------------------------------------------------- the live-reload script

def test_served_html_has_the_reload_script_and_the_written_files_do_not(party, serving):
    result = run_cli("build", "--source", str(party.root))
    assert result.returncode == 0, result.stderr
    written = {p: p.read_bytes() for p in served(party.output)}
    assert not any(b"__sitegen__" in data or b"EventSource" in data for data in written.values())

    state = BuildState()
    port = serving(party.output, state)
    home = fetch(port, "/party/")
    assert home.status == 200
    assert home.text.count(HOOK_TAG) == 1
    assert home.text.index(HOOK_TAG) < home.text.rindex("</body>")
    assert home.text.replace(HOOK_TAG, "") == (party.output / "index.html").read_text("utf-8")
    assert int(home.headers["content-length"]) == len(home.body)
    missing = fetch(port, "/party/nothing/")
    assert missing.status == 404 and HOOK_TAG in missing.text
    script = fetch(port, "/party/__sitegen__/livereload.js")
    assert script.status == 200 and "EventSource" in script.text
    assert script.headers["content-type"].startswith("application/javascript")
    assert fetch(port, "/party/feed.xml").body == (party.output / "feed.xml").read_bytes()  # not HTML: untouched

    # Serving changed nothing on disk.
    assert {p: p.read_bytes() for p in served(party.output)} == written


def test_without_a_build_state_nothing_is_injected(party, serving):
    port = serving(party.output)
    assert "__sitegen__" not in fetch(port, "/party/").text
    assert fetch(port, "/party/__sitegen__/livereload.js").status == 404
    assert fetch(port, "/party/__sitegen__/events").status == 404


# ----------------------------------------------------------------------------- the event stream

def test_the_event_stream_says_hello_then_reload_after_a_change(party, live, streams):
    port, watcher, state = live
    stream = streams(port)
    assert stream.response.status == 200
    assert stream.response.getheader("Content-Type").startswith("text/event-stream")
    hello = stream.wait_for("hello")
    assert hello == {"version": 1, "ok": True, "problems": []}

    party.write({ALPHA: post("Alpha", "2019-03-05", body="Changed text.\n")})
    reload = stream.wait_for("reload")
    assert reload["ok"] is True and reload["version"] >= 2 and reload["problems"] == []
    # The page a reload fetches is already the new one.
    assert "Changed text." in fetch(port, "/party/news/alpha/").text


def test_a_broken_save_sends_failed_with_file_and_line_and_a_fix_sends_reload(party, live, streams):
    port, watcher, state = live
    stream = streams(port)
    stream.wait_for("hello")
    good = fetch(port, "/party/news/alpha/").body

    party.write({ALPHA: "---\ntags: [a, b\ntitle: Alpha\ndate: 2019-03-05\n---\n\nBroken.\n"})
    failed = stream.wait_for("failed")
    assert failed["ok"] is False
    assert any(p.startswith("columns/news/2019-03-05-alpha.md:2: ") for p in failed["problems"]), failed
    assert fetch(port, "/party/news/alpha/").body == good  # the last good page stays

    # A page opened now learns of the failure from its hello.
    late = streams(port)
    hello = late.wait_for("hello")
    assert hello["ok"] is False and hello["version"] == failed["version"]
    assert hello["problems"] == failed["problems"]

    party.write({ALPHA: post("Alpha", "2019-03-05", body="Fixed text.\n")})
    fixed = stream.wait_for("reload", lambda data: data["version"] > failed["version"])
    assert fixed["ok"] is True and fixed["problems"] == []
    late.wait_for("reload")
    assert "Fixed text." in fetch(port, "/party/news/alpha/").text


def test_closing_the_state_ends_open_event_streams(party, live, streams):
    port, watcher, state = live
    stream = streams(port)
    stream.wait_for("hello")
    started = time.monotonic()
    state.close()
    with pytest.raises(EOFError):
        while True:
            stream.next()
    assert time.monotonic() - started < 5


# ----------------------------------------------------------------------------- ranges, many clients, idle clients

CLIP = bytes(range(256)) * 4  # 1,024 bytes, each position telling where it is


@pytest.fixture
def clip(party):
    """The party site with a binary attachment, built; the file's path under base_path."""
    party.write({"static/clip.mp3": CLIP})
    party.build()
    return BASE + "clip.mp3"


@pytest.mark.parametrize("header, first, last", [
    ("bytes=0-9", 0, 9), ("bytes=1000-", 1000, 1023), ("bytes=-24", 1000, 1023), ("bytes=1000-5000", 1000, 1023),
    ("bytes=-5000", 0, 1023), ("bytes=1023-1023", 1023, 1023), ("BYTES = 5-6", 5, 6),
])
def test_a_single_range_is_a_206_with_those_bytes_and_content_range(party, serving, clip, header, first, last):
    port = serving(party.output)
    response = fetch(port, clip, headers={"Range": header})
    assert response.status == 206
    assert response.body == CLIP[first:last + 1]
    assert response.headers["content-range"] == f"bytes {first}-{last}/1024"
    assert int(response.headers["content-length"]) == last - first + 1
    assert response.headers["content-type"] == "audio/mpeg"


@pytest.mark.parametrize("header", ["bytes=1024-", "bytes=5000-6000", "bytes=-0"])
def test_a_range_past_the_end_is_a_416_saying_the_length(party, serving, clip, header):
    port = serving(party.output)
    response = fetch(port, clip, headers={"Range": header})
    assert response.status == 416
    assert response.headers["content-range"] == "bytes */1024"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "bytes=9-3", "items=0-9", "bytes=a-b", "bytes=+1-2", "bytes=-",
                                    "bytes 0-9"])
def test_several_ranges_or_a_header_not_understood_get_the_whole_file(party, serving, clip, header):
    port = serving(party.output)
    response = fetch(port, clip, headers={"Range": header})
    assert response.status == 200 and response.body == CLIP


@pytest.mark.parametrize("header, length, expected", [
    (None, 10, None), ("bytes=0-", 0, UNSATISFIABLE), ("bytes=-1", 0, UNSATISFIABLE), ("bytes=0-0", 1, ByteRange(0, 0)),
    ("bytes=3-", 10, ByteRange(3, 9)), ("bytes= 2-4 ", 10, ByteRange(2, 4)), ("bytes=0-1,2-3", 10, None),
    ("bytes=1_0-", 100, None), ("bytes=\u0663-", 10, None), ("bytes=-", 10, None), ("bytes=4-3", 10, None),
    ("bytes=10-", 10, UNSATISFIABLE), ("bytes=9-", 10, ByteRange(9, 9)),
])
def test_requested_range_reads_the_header_as_the_rfc_says(header, length, expected):
    assert requested_range(header, length) == expected


def test_whole_files_say_they_accept_ranges_and_head_and_if_range_behave(party, serving, clip):
    port = serving(party.output)
    whole = fetch(port, clip)
    assert whole.status == 200 and whole.body == CLIP and whole.headers["accept-ranges"] == "bytes"
    head = fetch(port, clip, method="HEAD", headers={"Range": "bytes=0-9"})
    assert head.status == 206 and head.body == b"" and head.headers["content-range"] == "bytes 0-9/1024"
    # An If-Range naming another version of the file: the whole file, as the RFC says; its own ETag: the part.
    stale = fetch(port, clip, headers={"Range": "bytes=0-9", "If-Range": '"some-etag"'})
    assert stale.status == 200 and stale.body == CLIP
    same = fetch(port, clip, headers={"Range": "bytes=0-9", "If-Range": whole.headers["etag"]})
    assert same.status == 206 and same.body == CLIP[:10]
    missing = fetch(port, BASE + "nothing.mp3", headers={"Range": "bytes=0-9"})
    assert missing.status == 404


def test_a_reload_asks_again_for_pages_and_gets_a_304_for_what_did_not_change(party, serving):
    port = serving(party.output)
    page = fetch(port, "/party/news/alpha/")
    assert page.headers["cache-control"] == "no-cache" and page.headers["etag"]
    again = fetch(port, "/party/news/alpha/", headers={"If-None-Match": page.headers["etag"]})
    assert again.status == 304 and again.body == b"" and again.headers["etag"] == page.headers["etag"]
    party.write({ALPHA: post("Alpha", "2019-03-05", body="Alpha text, edited.\n")})
    party.build()
    edited = fetch(port, "/party/news/alpha/", headers={"If-None-Match": page.headers["etag"]})
    assert edited.status == 200 and "Alpha text, edited." in edited.text


def test_the_themes_fingerprinted_files_are_kept_by_the_browser_as_nginx_has_it(party, serving):
    port = serving(party.output)
    css = next((party.output / "static").glob("style.*.css")).name
    sheet = fetch(port, f"/party/static/{css}")
    assert sheet.status == 200 and sheet.headers["cache-control"] == "public, max-age=31536000, immutable"
    nginx = (REPO / "deploy/nginx.conf").read_text("utf-8")
    assert '"public, max-age=31536000, immutable"' in nginx and r"\.[0-9a-f]{10}\.(?:css|js)$" in nginx
    favicon = fetch(port, "/party/static/favicon.svg")  # not fingerprinted: asked again each time
    assert favicon.status == 200 and favicon.headers["cache-control"] == "no-cache"


def test_a_range_of_a_served_page_counts_the_bytes_served_reload_script_and_all(party, live):
    port, _, _ = live
    page = fetch(port, BASE)
    assert HOOK_TAG in page.text
    tail = fetch(port, BASE, headers={"Range": "bytes=-100"})
    assert tail.status == 206 and tail.body == page.body[-100:]
    assert tail.headers["content-range"] == f"bytes {len(page.body) - 100}-{len(page.body) - 1}/{len(page.body)}"


def test_fifty_clients_connecting_at_once_are_all_queued_and_answered(party, serving):
    """The listen backlog: fifty connections made before the server accepts any all complete (a
    backlog of 5 left the rest waiting for the kernel to retry, a second and more each), and
    then every one gets its page."""
    from sitegen.serve import make_server

    server = make_server(party.output, BASE, "127.0.0.1", 0)
    port = server.server_address[1]
    clients = []
    try:
        for _ in range(50):
            client = socket.socket()
            client.setblocking(False)
            client.connect_ex(("127.0.0.1", port))
            clients.append(client)
        pending = list(clients)
        deadline = time.monotonic() + TIMEOUT
        while pending and time.monotonic() < deadline:
            _, writable, _ = select.select([], pending, [], 0.5)
            pending = [c for c in pending if c not in writable]
        assert not pending, f"{len(pending)} of 50 connections not accepted into the queue"
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        for client in clients:
            client.setblocking(True)
            client.settimeout(TIMEOUT)
            client.sendall(b"GET /party/news/alpha/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        for client in clients:
            answer = b""
            while chunk := client.recv(65536):
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200") and b"Alpha text." in answer
        server.shutdown()
        thread.join(timeout=5)
    finally:
        for client in clients:
            client.close()
        server.server_close()


def test_a_client_that_sends_nothing_is_let_go_and_others_are_served_meanwhile(party, serving):
    port = serving(party.output, idle_timeout=0.5)
    silent = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    halfway = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    try:
        halfway.sendall(b"GET /party/ HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        assert fetch(port, "/party/news/alpha/").status == 200
        assert silent.recv(1024) == b"", "the server kept an idle connection open"
        assert halfway.recv(1024) == b""
    finally:
        silent.close()
        halfway.close()


def test_an_idle_keep_alive_connection_is_closed_after_its_last_answer(party, serving):
    port = serving(party.output, idle_timeout=0.5)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request("GET", "/party/")
        response = conn.getresponse()
        assert response.status == 200 and response.getheader("connection") != "close"
        response.read()
        assert conn.sock is not None and conn.sock.recv(1024) == b""  # closed by the server, not by us
    finally:
        conn.close()


def test_the_event_stream_outlives_the_idle_timeout(party, serving):
    """A page waiting for the next build sends nothing: its stream must stay open regardless."""
    state = BuildState()
    port = serving(party.output, state, idle_timeout=0.2)
    stream = EventStream(port)
    silent = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    try:
        assert stream.next()[0] == "hello"
        assert silent.recv(1024) == b""  # the idle timeout has passed, for the stream too
        state.publish(Outcome(1, None, ()))
        assert stream.next()[0] == "failed"
    finally:
        silent.close()
        stream.close()


def test_the_server_listens_with_a_backlog_of_at_least_128(party):
    from sitegen.serve import make_server

    server = make_server(party.output, BASE, "127.0.0.1", 0)
    try:
        assert server.request_queue_size >= 128
        if shutil.which("ss"):  # the kernel's own word: ss shows a listening socket's backlog as Send-Q
            port = server.server_address[1]
            shown = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, timeout=10)
            fields = shown.stdout.split()
            if shown.returncode == 0 and len(fields) >= 3:
                assert int(fields[2]) >= 128, shown.stdout
    finally:
        server.server_close()


# ----------------------------------------------------------------------------- `sitegen serve`, end to end

def _listening_addresses(port: int) -> list[str] | None:
    """Local addresses of listening TCP sockets on `port`, from /proc (Linux); None elsewhere."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            return None if table.endswith("tcp") else found
        for row in rows:
            fields = row.split()
            address, _, hex_port = fields[1].rpartition(":")
            if fields[3] == "0A" and int(hex_port, 16) == port:
                found.append(address)
    return found


@pytest.fixture
def serve_cli(party):
    """Runs `sitegen serve --port 0` on the party site; returns (process, url, stderr lines)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--source", str(party.root), "--port", "0"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    lines: "queue.Queue[str]" = queue.Queue()

    def pump() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 20
        seen = []
        url = None
        while url is None:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"`sitegen serve` printed no URL: {seen}")
            seen.append(line)
            match = re.search(r" at (http://\S+)", line)
            if match:
                url = match.group(1)
        yield process, url, seen
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        reader.join(timeout=5)
        assert process.stderr is not None
        process.stderr.close()


def test_sitegen_serve_end_to_end_on_loopback(party, serve_cli):
    process, url, printed = serve_cli
    match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/party/", url)
    assert match, url
    port = int(match.group(1))
    assert port != 0
    addresses = _listening_addresses(port)
    if addresses is not None:
        assert addresses == ["0100007F"], addresses  # 127.0.0.1 only, not 0.0.0.0 or ::

    home = fetch(port, "/party/")
    assert home.status == 200 and HOOK_TAG in home.text
    assert "__sitegen__" not in (party.output / "index.html").read_text("utf-8")
    assert fetch(port, "/").headers["location"] == "/party/"

    stream = EventStream(port)
    try:
        assert stream.wait_for("hello")["ok"] is True
        party.write({ALPHA: post("Alpha", "2019-03-05", body="Edited while serving.\n")})
        stream.wait_for("reload")
        assert "Edited while serving." in fetch(port, "/party/news/alpha/").text

        # Ctrl+C stops it cleanly, even with a page still listening for events.
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        stream.close()


def test_sitegen_serve_on_a_busy_port_says_so_without_a_traceback(party):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--source", str(party.root), "--port", str(port))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert str(port) in result.stderr


def test_a_visitor_who_leaves_mid_download_costs_no_traceback(party, serving, capfd):
    """A phone that closes the connection while a large file is sent: the server carries on and
    says nothing (before: socketserver printed a traceback for each)."""
    party.write({"static/film.mp4": bytes(range(256)) * 400_000})  # 100 MB
    party.build()
    port = serving(party.output)
    for path in (f"{BASE}film.mp4", BASE):  # leaving while a file comes, and between two requests
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        head = client.recv(100)
        if path == BASE:  # the small page read whole: the server now waits for the next request
            while b"\r\n\r\n" not in head:
                head += client.recv(4096)
            length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
            received = len(head.split(b"\r\n\r\n", 1)[1])
            while received < length:
                received += len(client.recv(65536))
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # a reset, not a goodbye
        client.close()
    assert fetch(port, BASE).status == 200  # still serving
    time.sleep(0.5)  # (the reset is met on the request's own thread, which says nothing when done)
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception occurred" not in err, err


def test_open_pages_reload_as_soon_as_the_new_pages_are_live_and_only_once(party, serving, streams):
    """serve tells open pages to reload the moment a build's version is live, before the build
    has recorded its state and reported; the report that follows does not reload them again."""
    state = BuildState()
    state.root = party.root.resolve()
    reported = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def on_build(outcome: Outcome) -> None:
        order.append("reported")
        if outcome.version > 1:
            reported.set()
            release.wait(TIMEOUT)  # the report held back: a reload cannot have come from it
        state.publish(outcome)

    def on_live(version: int) -> None:
        order.append(f"live {version}")
        state.went_live(version)

    watcher = Watcher(party.root, party.output, on_build=on_build, on_live=on_live)
    watcher.start()
    try:
        port = serving(party.output, state)
        stream = streams(port)
        assert stream.wait_for("hello")["version"] == 1
        party.write({ALPHA: post("Alpha", "2019-03-05", body="Changed text.\n")})
        reload = stream.wait_for("reload")
        assert reload == {"version": 2, "ok": True, "problems": []}
        assert reported.wait(TIMEOUT) and order == ["live 1", "reported", "live 2", "reported"]
        assert "Changed text." in fetch(port, "/party/news/alpha/").text  # what the reload fetches
        late = streams(port)  # a page opened between the switch and the report
        assert late.wait_for("hello")["version"] == 2
        release.set()
        deadline = time.monotonic() + TIMEOUT
        while (state.outcome is None or state.outcome.version < 2) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert state.outcome is not None and state.outcome.version == 2
        stream.socket.settimeout(1.5)
        with pytest.raises(TimeoutError):  # the report sends no second reload: nothing comes
            stream.next()
    finally:
        release.set()
        state.close()
        watcher.stop()
