"""A watched save as an editor sees it (issue 17's target: a saved post shows in the browser
within 300 ms at 4,000 posts): `sitegen serve` of this checkout over a corpus, the post open in
headless Chromium (Debian's, through playwright) at 390 x 844, and for each save the time from
writing the file to the page asking for itself again (serve's reload) and to the new sentence
being on the screen.

    python bench/watch_browser.py [--posts 4000] [--saves 9] [--dir /dev/shm]

Each save adds a sentence to the end of one post's body, a second apart. The first two saves
after the server starts are left out of the medians (the watcher and the browser warm up)."""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import make_corpus  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=4000)
    parser.add_argument("--saves", type=int, default=9)
    parser.add_argument("--dir", default="/dev/shm")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    root = Path(tempfile.mkdtemp(prefix="watch-browser-", dir=args.dir))
    server = None
    try:
        make_corpus(root, args.posts)
        post = sorted((root / "columns" / "dynamics").glob("post-*.md"))[0]
        with socket.socket() as probe:  # a free port
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--port", str(port)], cwd=root,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  env={**os.environ, "PYTHONPATH": str(HERE.parent)})
        url = f"http://127.0.0.1:{port}/party/dynamics/{post.stem}/"
        deadline = time.monotonic() + 600
        while True:  # the first build
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("sitegen serve did not start", file=sys.stderr)
                    return 1
                time.sleep(0.5)
        shown, asked = [], []
        base = post.read_text("utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium"),
                                                 args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 390, "height": 844})
            requests: list[float] = []
            page.on("request", lambda request: requests.append(time.perf_counter()) if request.url == url else None)
            page.goto(url)
            page.wait_for_timeout(1500)
            for number in range(args.saves + 2):
                sentence = f"Saved sentence {number} of this run."
                requests.clear()
                started = time.perf_counter()
                post.write_text(f"{base}\n{sentence}\n", "utf-8")
                page.wait_for_function(f"() => document.body.innerText.includes({sentence!r})", timeout=30000,
                                       polling=5)
                seen = time.perf_counter() - started
                reload = requests[0] - started if requests else float("nan")
                print(f"save {number}: page asked again {reload:.3f} s, sentence shown {seen:.3f} s", flush=True)
                if number >= 2:
                    shown.append(seen)
                    asked.append(reload)
                page.wait_for_timeout(1000)
            browser.close()
        print(f"{args.posts} posts, {len(shown)} saves: page asked again median {statistics.median(asked):.3f} s; "
              f"sentence shown median {statistics.median(shown):.3f} s, minimum {min(shown):.3f} s")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
