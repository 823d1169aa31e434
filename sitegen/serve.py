"""Preview server: serves the output folder under base_path on loopback. Outside the pipeline:
it only calls build() and reads what it wrote."""

from __future__ import annotations

import http.server
import mimetypes
import posixpath
import sys
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .build import Options, build
from .config import load_config
from .errors import BuildFailed

mimetypes.add_type("text/css", ".css")
mimetypes.add_type("application/atom+xml", ".atom")
mimetypes.add_type("application/javascript", ".js")


def resolve_request(output: Path, base_path: str, raw_path: str) -> Path | None:
    """The file a request path names, or None if it names nothing inside the output folder."""
    path = unquote(urlsplit(raw_path).path)
    if "\x00" in path or "\\" in path or not path.startswith(base_path):
        return None
    rest = path[len(base_path):]
    parts = rest.split("/")
    if any(part in ("..", ".") for part in parts) or posixpath.isabs(rest):
        return None
    root = output.resolve()
    target = (root / rest).resolve()
    if target != root and root not in target.parents:
        return None
    if target.is_dir():
        if not path.endswith("/"):
            return target  # the handler redirects to the slash form
        target = target / "index.html"
    return target if target.is_file() else None


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    server_version = "sitegen-preview"

    def __init__(self, *args, output: Path, base_path: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.output = output
        self.base_path = base_path
        super().__init__(*args, **kwargs)

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def do_GET(self) -> None:
        self.respond(head=False)

    def respond(self, head: bool) -> None:
        split = urlsplit(self.path)
        if split.path in ("", "/") and self.base_path != "/":
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
            status, body, target = 404, b"Not Found", Path("404.txt")
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind.endswith(("xml", "javascript")):
            kind += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


def make_server(output: Path, base_path: str, host: str = "127.0.0.1", port: int = 8000) -> http.server.ThreadingHTTPServer:
    handler = partial(PreviewHandler, output=output, base_path=base_path)
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve(source: Path, output: Path | None, host: str, port: int, options: Options) -> int:
    output = output or source / "output"
    try:
        result = build(source, output, options)
        print(f"built {result.summary()}")
    except BuildFailed as failed:
        for problem in failed.problems:
            print(problem.format(source), file=sys.stderr)
        if not (output / "index.html").is_file():
            return 1
        print("build failed; serving the last good site", file=sys.stderr)
    base_path = load_config(source).base_path
    server = make_server(output, base_path, host, port)
    print(f"serving {output} at http://{host}:{server.server_address[1]}{base_path} (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
