"""Preview server: serves the output folder under base_path on loopback, rebuilds on change
and reloads open pages. The reload script is added to responses here, never to what
`sitegen build` writes."""

from __future__ import annotations

import hashlib
import http.server
import json
import mimetypes
import os
import posixpath
import re
import socket
import sys
import threading
import time
from functools import partial
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .build import Options
from .byte_ranges import ByteRange, Unsatisfiable, requested_range
from .config import load_config
from .errors import SiteError
from .messages import os_reason, say, site_language
from .watch import Outcome, Watcher, report, report_index

HOOK = "__sitegen__/"
# The theme's fingerprinted files (static/style.3f9a1c0b2e.css): a new content is a new name, so
# a browser keeps them without asking again, as deploy/nginx.conf has it. Every other answer is
# "no-cache" with an ETag: asked again each time (a preview shows the latest build at once), and
# a cheap 304 when unchanged.
_FINGERPRINTED = re.compile(r"/static/.+\.[0-9a-f]{10}\.(?:css|js)$")
IMMUTABLE = "public, max-age=31536000, immutable"
RELOAD_HEAD_START = 0.04  # seconds the build leaves to open pages' reloads (BuildState.went_live)
# A connection that sends nothing for this long is closed: each one holds a thread. (Long enough
# for a browser's idle keep-alive connection to be reused between two clicks.)
IDLE_SECONDS = 20.0

# The types a page cannot do without, fixed here rather than taken from the system's table, which
# can be wrong: on Windows mimetypes reads the registry, where some installed programs set .js to
# text/plain, and a browser then refuses the script. A table of our own (rather than add_type at
# import) also leaves the process's mimetypes as it was; other files fall back to guess_type.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",  # always UTF-8 (RFC 8259): a charset would mean nothing
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".woff2": "font/woff2",
}

# Reloads the page after a successful build; shows a failed build's problems over the page.
LIVE_RELOAD_JS = r"""(function () {
  var source = new EventSource(document.currentScript.dataset.events);
  var seen = null;
  function overlay(problems, heading) {
    var box = document.getElementById("sitegen-errors");
    if (!problems) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "sitegen-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,0,0,.92);" +
        "color:#fff;font:15px/1.6 monospace;padding:2rem;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = heading + "\n\n" + problems.join("\n");
  }
  source.addEventListener("hello", function (e) {
    var state = JSON.parse(e.data);
    if (seen !== null && state.version !== seen && state.ok) { location.reload(); return; }
    seen = state.version;
    overlay(state.ok ? null : state.problems, state.heading);
  });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("failed", function (e) {
    var state = JSON.parse(e.data);
    seen = state.version;
    overlay(state.problems, state.heading);
  });
})();
"""


class BuildState:
    """The latest build's outcome and the version counter that waiting clients follow. A build's
    version counts as soon as its pages are live (went_live), before its outcome is reported: open
    pages reload then, not after the bookkeeping that follows."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.outcome: Outcome | None = None
        self.live = 0  # the version of the pages being served, once they are live
        self.root: Path | None = None
        self.closing = False
        self.watching = 0  # open pages following the event stream

    def publish(self, outcome: Outcome) -> None:
        with self.changed:
            self.outcome = outcome
            if outcome.ok:
                self.live = max(self.live, outcome.version)
            self.changed.notify_all()

    def went_live(self, version: int) -> None:
        """Called by the build (its thread) the moment its version is live: open pages reload."""
        with self.changed:
            self.live = max(self.live, version)
            self.changed.notify_all()
            watched = self.watching > 0
        # Each open page asks for itself again at once. What the build still does (recording the
        # state, ~30 ms of CPU at 4,000 posts, mostly in calls that hold the interpreter) would
        # make those requests wait for it: the build waits for them instead, a moment that
        # brought a save into view 20-30 ms sooner (bench/RESULTS.md).
        if watched:
            time.sleep(RELOAD_HEAD_START)

    def close(self) -> None:
        with self.changed:
            self.closing = True
            self.changed.notify_all()

    def snapshot(self) -> tuple[Outcome | None, int]:
        """(outcome, live version), read together; call with self.changed held."""
        return self.outcome, self.live

    def as_json(self, outcome: Outcome | None, live: int = 0) -> str:
        """What a page is told of the build `outcome` (or of pages live since, `live`)."""
        if outcome is None or (outcome.ok and live > outcome.version):  # live before it is reported
            return json.dumps({"version": live, "ok": True, "problems": []})
        language = site_language(self.root) if self.root is not None else "en"
        problems = [p.format(self.root, language) for p in outcome.problems if p.is_error]
        state = {"version": max(outcome.version, live) if outcome.ok else outcome.version, "ok": outcome.ok,
                 "problems": problems}
        if not outcome.ok:  # the error box's first line
            state["heading"] = say("serve.failed", language)
        return json.dumps(state, ensure_ascii=False)


def _event(seen: tuple[Outcome | None, int], current: tuple[Outcome | None, int]) -> str | None:
    """What a page that saw `seen` is told now: "reload" when newer pages are live (once per
    version: the outcome reported after a switch adds nothing), "failed" for a build that
    failed, None when nothing it shows has changed."""
    (before, live_before), (outcome, live) = seen, current
    if outcome is not before and outcome is not None and not outcome.ok:
        return "failed"
    if live > live_before or (outcome is not before and outcome is not None and outcome.version > live_before):
        return "reload"
    return None


def content_type(name: str) -> str:
    """The Content-Type header for a file name: from CONTENT_TYPES, else as mimetypes guesses it."""
    fixed = CONTENT_TYPES.get(PurePosixPath(name).suffix.lower())
    if fixed is not None:
        return fixed
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind.endswith(("xml", "javascript")):
        kind += "; charset=utf-8"
    return kind


def resolve_request(output: Path, base_path: str, raw_path: str) -> Path | None:
    """The file a request path names, or None if it names nothing inside the output folder."""
    path = unquote(urlsplit(raw_path).path)
    if "\x00" in path or "\\" in path or not path.startswith(base_path):
        return None
    rest = path[len(base_path):]
    # Hidden files (the manifest, the build cache, editors' droppings) are not part of the site.
    if any(part.startswith(".") for part in rest.split("/")) or posixpath.isabs(rest):
        return None
    # os.path.realpath, not Path.resolve: a symlink loop in the output must not raise.
    root = Path(os.path.realpath(output))
    target = Path(os.path.realpath(root / rest))
    if target != root and root not in target.parents:
        return None
    try:
        if target.is_dir():
            if not path.endswith("/"):
                return target  # the handler redirects to the slash form
            target = target / "index.html"
        return target if target.is_file() else None  # (a FIFO is not: it is never opened)
    except OSError:  # a folder in the output that cannot be read, say
        return None


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    server_version = "sitegen-preview"
    protocol_version = "HTTP/1.1"

    def __init__(self, *args, output: Path, base_path: str, state: BuildState | None,  # type: ignore[no-untyped-def]
                 idle_timeout: float = IDLE_SECONDS, **kwargs) -> None:
        self.output = output
        self.base_path = base_path
        self.state = state
        self.timeout = idle_timeout  # the socket's timeout (StreamRequestHandler.setup): an idle client is let go
        super().__init__(*args, **kwargs)

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def do_GET(self) -> None:
        self.respond(head=False)

    def respond(self, head: bool) -> None:
        split = urlsplit(self.path)
        hook = self.base_path + HOOK
        if self.state is not None and split.path == hook + "events":
            return self.events()
        if self.state is not None and split.path == hook + "livereload.js":
            return self.send(200, CONTENT_TYPES[".js"], LIVE_RELOAD_JS.encode(), head)
        if split.path in ("", "/", self.base_path.rstrip("/")) and self.base_path != "/":
            return self.redirect(self.base_path)
        target = resolve_request(self.output, self.base_path, self.path)
        if target is not None and target.is_dir():
            return self.redirect(split.path + "/")
        status = 200
        if target is None:
            status, target = 404, self.output / "404.html"
        try:
            body = target.read_bytes()
        except OSError:
            status, target = 404, Path("404.html")
            body = b"<!doctype html><title>Not Found</title><h1>Not Found</h1>"
        kind = content_type(target.name)
        if kind.startswith("text/html") and self.state is not None:
            body = self.inject(body)
        if status != 200:
            return self.send(status, kind, body, head)
        if _FINGERPRINTED.search(split.path) and split.path.startswith(self.base_path):
            return self.send_part(kind, body, head, {"Cache-Control": IMMUTABLE})
        tag = f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'
        if tag in (self.headers.get("If-None-Match") or "").replace("W/", "").split(", "):
            return self.send(304, kind, b"", True, {"ETag": tag})
        self.send_part(kind, body, head, {"ETag": tag})

    def send_part(self, kind: str, body: bytes, head: bool, headers: dict[str, str]) -> None:
        """A file, or the single range of it the request asks for (a browser seeking in a video).
        With If-Range the whole file is sent unless it names this file's ETag."""
        if_range = self.headers.get("If-Range")
        same = if_range is None or if_range == headers.get("ETag")
        wanted = requested_range(self.headers.get("Range"), len(body)) if same else None
        if isinstance(wanted, ByteRange):
            self.send(206, kind, wanted.of(body), head, {**headers, "Content-Range": wanted.content_range(len(body))})
        elif isinstance(wanted, Unsatisfiable):
            self.send(416, "text/plain; charset=utf-8", b"Range Not Satisfiable\n", head,
                      {"Content-Range": wanted.content_range(len(body))})
        else:
            self.send(200, kind, body, head, headers)

    def inject(self, body: bytes) -> bytes:
        hook = self.base_path + HOOK
        tag = f'<script src="{hook}livereload.js" data-events="{hook}events"></script>'.encode()
        index = body.rfind(b"</body>")
        return body[:index] + tag + body[index:] if index >= 0 else body + tag

    def send(self, status: int, kind: str, body: bytes, head: bool, headers: dict[str, str] | None = None) -> None:
        headers = dict(headers or {})
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if status != 304:  # (a 304 has no body, and says nothing of the length of the one kept)
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", headers.pop("Cache-Control", "no-cache"))
        if status in (200, 206, 416):  # a file: a part of it may be asked for
            self.send_header("Accept-Ranges", "bytes")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                self.close_connection = True  # the browser left the page before it arrived, or stopped reading

    def redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def events(self) -> None:
        """Server-sent events: 'hello' with the current state, then 'reload' or 'failed' per build."""
        assert self.state is not None
        state = self.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        with state.changed:
            seen = state.snapshot()
            state.watching += 1
        try:
            self.wfile.write(f"retry: 1000\nevent: hello\ndata: {state.as_json(*seen)}\n\n".encode())
            self.wfile.flush()
            while True:
                with state.changed:
                    state.changed.wait_for(lambda: state.outcome is not seen[0] or state.live != seen[1] or state.closing,
                                           timeout=15)
                    if state.closing:
                        return
                    current = state.snapshot()
                event = _event(seen, current)
                seen = current
                self.wfile.write(f"event: {event}\ndata: {state.as_json(*current)}\n\n".encode() if event
                                 else b": keep-alive\n\n")  # (also notices a closed browser tab)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):  # the tab closed, or stopped reading
            return
        finally:
            with state.changed:
                state.watching -= 1

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        if self.server.verbose:  # type: ignore[attr-defined]
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


class PreviewServer(http.server.ThreadingHTTPServer):
    # socketserver listens with a backlog of 5: a page with many pictures (or 50 clients at
    # once) overflowed it, and each refused connection waited a second or more to retry.
    request_queue_size = socket.SOMAXCONN
    language = "en"  # the site's, for the line a failed request prints (serve() sets it)

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """A visitor who leaves (a phone closing the page) is no error, and no request's trouble
        is a traceback on the editor's terminal: socketserver printed one for each."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        sys.stderr.write(say("serve.request_failed", self.language, client=client_address[0], reason=repr(error)) + "\n")


def make_server(output: Path, base_path: str, host: str = "127.0.0.1", port: int = 8000,
                state: BuildState | None = None, verbose: bool = False,
                idle_timeout: float = IDLE_SECONDS) -> PreviewServer:
    handler = partial(PreviewHandler, output=output, base_path=base_path, state=state, idle_timeout=idle_timeout)
    server = PreviewServer((host, port), handler)
    server.daemon_threads = True
    server.verbose = verbose  # type: ignore[attr-defined]
    return server


def serve(source: Path, output: Path | None, host: str, port: int, options: Options, poll: bool = False) -> int:
    source = source.resolve()
    try:
        base_path = load_config(source).base_path
    except SiteError as exc:
        print(exc.format(source, site_language(source)), file=sys.stderr)
        return 1
    state = BuildState()
    state.root = source

    def on_build(outcome: Outcome) -> None:
        report(outcome, source)
        state.publish(outcome)

    watcher = Watcher(source, output, options, on_build=on_build, poll=poll, on_index=lambda i: report_index(i, source),
                      on_live=state.went_live)
    try:
        server = make_server(watcher.output, base_path, host, port, state)
    except OSError as exc:
        print(say("cli.cannot_listen", site_language(source), host=host, port=port, reason=os_reason(exc)), file=sys.stderr)
        return 1
    server.language = site_language(source)
    watcher.start()
    print(say("cli.serving", site_language(source), output=watcher.output,
              url=f"http://{host}:{server.server_address[1]}{base_path}"), file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        state.close()
        watcher.stop()
        server.server_close()
    return 0
