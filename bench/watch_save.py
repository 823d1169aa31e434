"""A watched save (issue 17's target: a saved post shows within 300 ms at 4,000 posts): the time
from saving a post to its page being rewritten under `sitegen watch` (or, with --serve, to
`sitegen serve` telling open pages to reload), for this checkout and others, each watching its
own copy of one corpus, saves taking turns, so that what else the machine does weighs on all
alike.

    python bench/watch_save.py [--against DIR ...] [--posts 4000] [--saves 9] [--serve]

Prints each save and, per checkout, the median and minimum."""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import shutil
import statistics
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import make_corpus  # noqa: E402


class Watched:
    """`sitegen watch` (or `serve`) of one checkout over its own copy of the corpus."""

    def __init__(self, code: Path, source: Path, output: Path, serve: bool = False) -> None:
        self.source, self.output = source, output
        command = ["watch"]
        if serve:
            with socket.socket() as probe:  # a free port
                probe.bind(("127.0.0.1", 0))
                self.port = probe.getsockname()[1]
            command = ["serve", "--port", str(self.port)]
        self.process = subprocess.Popen([sys.executable, "-m", "sitegen", *command, "--source", str(source),
                                         "--output", str(output)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(code)},
                                        cwd=code)  # (`python -m` puts its folder first: another checkout's would win)
        assert self.process.stderr is not None
        threading.Thread(target=lambda: [None for _ in self.process.stderr], daemon=True).start()  # type: ignore[union-attr]
        self.post = sorted((source / "columns" / "study").glob("post-*.md"))[7]
        self.page = output / "study" / self.post.stem / "index.html"
        # The first build is done when the page is published (its summary line is in the site's
        # language, so it is not what this waits for).
        started = time.perf_counter()
        while not self.page.exists():
            if self.process.poll() is not None or time.perf_counter() > started + 600:
                raise SystemExit(f"{code}: `sitegen watch` did not publish {self.page}")
            time.sleep(0.05)
        time.sleep(1.0)  # the watcher records its state after publishing
        self.events = None
        if serve:  # an open page's event stream, as the reload script opens it
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            base = urlsplit(tomllib.loads((source / "site.toml").read_text("utf-8"))["base_url"]).path
            connection.request("GET", f"{base.rstrip('/')}/__sitegen__/events")
            self.events = connection.getresponse()
            self._event()  # hello

    def _event(self) -> str:
        """The next event's name (keep-alives skipped)."""
        assert self.events is not None
        name = ""
        while True:
            line = self.events.readline().decode().rstrip("\r\n")
            if not line and name:
                return name
            if line.startswith("event:"):
                name = line.split(":", 1)[1].strip()

    def save(self, number: int) -> float:
        before = self.page.read_bytes()
        started = time.perf_counter()
        with open(self.post, "a", encoding="utf-8") as handle:
            handle.write(f"\nWatched edit {number}.\n")
        if self.events is not None:
            while self._event() != "reload":
                pass
            return time.perf_counter() - started
        while self.page.read_bytes() == before:
            if time.perf_counter() > started + 60:
                raise SystemExit(f"{self.output}: the page was not rewritten within 60 s")
            time.sleep(0.002)
        return time.perf_counter() - started

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", action="append", default=[], metavar="DIR", help="another checkout of sitegen")
    parser.add_argument("--posts", type=int, default=4000)
    parser.add_argument("--saves", type=int, default=9)
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else "/tmp")
    parser.add_argument("--serve", action="store_true", help="until `sitegen serve` tells open pages to reload")
    args = parser.parse_args()
    codes = {"this": HERE.parent, **{Path(d).name: Path(d).resolve() for d in args.against}}
    root = Path(args.dir) / f"sitegen-watch-save-{args.posts}"
    shutil.rmtree(root, ignore_errors=True)
    watched: dict[str, Watched] = {}
    try:
        corpus = make_corpus(root / "corpus", args.posts)
        for name, code in codes.items():
            shutil.copytree(corpus, root / name / "src")
            watched[name] = Watched(code, root / name / "src", root / name / "out", args.serve)
        times: dict[str, list[float]] = {name: [] for name in codes}
        for number in range(args.saves):
            order = list(codes) if number % 2 == 0 else list(codes)[::-1]
            for name in order:
                times[name].append(watched[name].save(number))
                time.sleep(0.5)  # the watcher settles (and indexes nothing: the corpus has no search)
            print(f"save {number}: " + ", ".join(f"{n} {t[-1]:.3f} s" for n, t in times.items()), flush=True)
        for name, values in times.items():
            print(f"{name}: median {statistics.median(values):.3f} s, minimum {min(values):.3f} s")
    finally:
        for one in watched.values():
            one.stop()
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
