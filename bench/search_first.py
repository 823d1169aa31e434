"""Issue 21: what a visitor's first search costs, in Chromium: requests and bytes (as received,
encoded) from opening the search page with a query to its first results drawn, and the time
that takes, on the bench corpus (search on) served by nginx with deploy/nginx.conf (gzip, the
Content-Security-Policy), each run in a new browser context (an empty cache).

This checkout's build beside another's (--against DIR, e.g. an earlier commit's), the same
corpus, runs alternating; medians. "index" counts what comes from pagefind/ (Pagefind's
script, worker, WebAssembly, entry and meta files, index chunks, filters, fragments).

    python bench/search_first.py [--posts 10000] [--runs 3] [--term 民主评议] [--against DIR]"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))
from corpus import make_corpus, set_search  # noqa: E402

SETTLED = ("() => { const list = document.getElementById('search-results');"
           " return list && !list.hasAttribute('aria-busy') && list.children.length > 0; }")


def first_search(browser, origin: str, term: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    seen: list[tuple[str, int]] = []

    def finished(request) -> None:  # type: ignore[no-untyped-def]
        sizes = request.sizes()
        seen.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))
    page.on("requestfinished", finished)
    started = time.perf_counter()
    page.goto(f"{origin}/party/search/?q={quote(term)}")
    page.wait_for_function(SETTLED, timeout=60_000)
    seconds = time.perf_counter() - started
    page.wait_for_timeout(300)  # (late answers counted too)
    context.close()
    index = [size for url, size in seen if "/pagefind/" in url]
    kinds: dict[str, list[int]] = {}
    for url, size in seen:
        kinds.setdefault(_kind(url), []).append(size)
    return {"requests": len(seen), "kb": sum(size for _, size in seen) / 1024, "index requests": len(index),
            "index kb": sum(index) / 1024, "seconds": seconds,
            **{f"{kind} requests": len(sizes) for kind, sizes in kinds.items()},
            **{f"{kind} kb": sum(sizes) / 1024 for kind, sizes in kinds.items()}}


def _kind(url: str) -> str:
    """What a request of the search page is, by its address."""
    path = url.split("?")[0]
    for part, kind in (("/fragment/", "fragment"), ("/index/", "chunk"), ("/filter/", "filter"), ("wasm.", "wasm"),
                       ("pagefind-worker", "worker"), ("pagefind.js", "script"), ("entry.json", "entry"),
                       (".pf_meta", "meta"), ("/pagefind/", "listing"), ("/static/", "theme")):
        if part in path:
            return kind
    return "page"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--term", default="民主评议")
    parser.add_argument("--against", type=Path, help="another checkout of sitegen, measured in the same run")
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else "/tmp")
    args = parser.parse_args()
    from browser_support import CHROMIUM_ARGS, Demo, NginxServer, find_chromium, find_nginx
    from playwright.sync_api import sync_playwright

    codes = {"this": HERE.parent, **({"against": args.against.resolve()} if args.against else {})}
    root = Path(tempfile.mkdtemp(prefix=f"sitegen-search-first-{args.posts}-", dir=args.dir))
    servers = {}
    try:
        source = make_corpus(root / "src", args.posts)
        set_search(source, True)
        for name, code in codes.items():
            output = root / f"out-{name}"
            done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(source), "--output",
                                   str(output)], cwd=source, capture_output=True, text=True,
                                  env={**os.environ, "PYTHONPATH": str(code)})  # (cwd: -m looks there first)
            if done.returncode:
                raise SystemExit(done.stdout + done.stderr)
            shards = output / "pagefind" / "shards.json"
            said = (done.stdout + done.stderr).splitlines()
            summary = next((line for line in said if "索引" in line or "search index" in line), said[-1] if said else "")
            print(f"{name}: {summary.strip()}; {shards.read_text() if shards.exists() else ''}", flush=True)
            (root / f"nginx-{name}").mkdir()
            servers[name] = NginxServer(Demo(output, output), root / f"nginx-{name}", find_nginx())
        results: dict[str, list[dict[str, float]]] = {name: [] for name in codes}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            for run in range(args.runs):
                for name in (list(codes) if run % 2 == 0 else list(codes)[::-1]):
                    results[name].append(first_search(browser, servers[name].origin, args.term))
            browser.close()
        print(f"{args.posts} posts, first search for {args.term}, {args.runs} runs each (medians); "
              f"load {os.getloadavg()[0]:.1f}")
        for name, runs in results.items():
            keys = sorted({key for r in runs for key in r})
            median = {key: statistics.median(r.get(key, 0) for r in runs) for key in keys}
            print(f"  {name}: " + ", ".join(f"{key} {median[key]:.{2 if key == 'seconds' else 0}f}" for key in
                                             ("requests", "kb", "index requests", "index kb", "seconds")))
            kinds = sorted(key[:-len(" requests")] for key in keys if key.endswith(" requests") and key != "index requests")
            print("    by kind (requests, KB): " + ", ".join(
                f"{kind} {median[kind + ' requests']:.0f}, {median[kind + ' kb']:.0f}" for kind in kinds))
    finally:
        for server in servers.values():
            server.close()
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
