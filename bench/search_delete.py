"""Issue 21: "deleted, renamed, drafted and future posts leave the index at once". Under `sitegen
watch`, the time from deleting a post to its leaving search, beside the time to the site without
it going live and to the index that no longer has it, for this checkout and another one
(--against, e.g. an earlier commit's), watcher by watcher, alternating.

Per watcher (on the bench corpus, search on, started fresh and waited for until its first index is
in place), --deletes times: a post no other post links to is deleted, and from that moment
(polled every 5 ms):

  live     its page is gone from the live version (the build put the site without it live)
  listed   pagefind/removed.json of the live version names it (search_removed.py): from then the
           search page leaves it out
  index    a new index is live (the watcher made its shard again)
  search   when search stops finding it: the earlier of listed and index (and how long after
           live that is)

The first delete of each watcher is also looked up with Pagefind's own search code (Node, as the
search page does: tests/search_query.py) the moment it is listed (or the index follows), to check
that the figure is for a search that finds it no more.

    python bench/search_delete.py [--posts 10000] [--deletes 3] [--rounds 2] [--against DIR]"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))
from corpus import make_corpus, set_search  # noqa: E402
from run import index_version  # noqa: E402


def listed(output: Path, url: str) -> bool:
    try:
        pages = json.loads((output / "pagefind" / "removed.json").read_text("utf-8"))["pages"]
    except (OSError, ValueError, KeyError):
        return False
    return any(url in urls for urls in pages.values())


def one_watcher(code: Path, source: Path, output: Path, deletes: int, check: bool) -> list[dict[str, float]]:
    shutil.rmtree(output, ignore_errors=True)
    process = subprocess.Popen([sys.executable, "-m", "sitegen", "watch", "--source", str(source), "--output",
                                str(output)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               cwd=source, env={**os.environ, "PYTHONPATH": str(code)})  # (not this folder: -m looks there first)
    lines: list[str] = []
    assert process.stderr is not None
    threading.Thread(target=lambda: [lines.append(line) for line in process.stderr], daemon=True).start()  # type: ignore[union-attr]
    found: list[dict[str, float]] = []
    try:
        while index_version(output) == 0 or not lines:
            if process.poll() is not None:
                raise SystemExit("".join(lines))
            time.sleep(0.05)
        texts = "".join(p.read_text("utf-8") for p in (source / "columns").rglob("*.md"))
        posts = sorted((source / "columns" / "study").glob("post-*.md"))
        unlinked = [p for p in posts[10:] if f"{p.name})" not in texts][:deletes]
        for number, post in enumerate(unlinked):
            time.sleep(2.0)
            page, url = output / "study" / post.stem / "index.html", f"/study/{post.stem}/"
            title = next(line for line in post.read_text("utf-8").splitlines() if line.startswith("title:"))
            before = index_version(output)
            times: dict[str, float] = {}
            started = time.perf_counter()
            post.unlink()
            while "index" not in times:
                now = time.perf_counter() - started
                if "live" not in times and not page.exists():
                    times["live"] = now
                if "listed" not in times and listed(output, url):
                    times["listed"] = now
                if index_version(output) != before:
                    times["index"] = now
                if check and number == 0 and ("listed" in times or "index" in times) and "checked" not in times:
                    times["checked"] = float(_not_found(output, title.split(":", 1)[1].strip().strip('"'), url))
                if now > 600:
                    raise SystemExit("the index did not follow within 600 s")
                time.sleep(0.005)
            times["search"] = min(times["index"], times.get("listed", times["index"]))
            times["search after live"] = times["search"] - times.get("live", times["search"])
            found.append(times)
    finally:
        process.terminate()
        process.wait(timeout=60)
    return found


def _not_found(output: Path, title: str, url: str) -> bool:
    from search_query import QueryFailed, search

    try:
        return url not in search(output, title)[title]
    except QueryFailed:  # (an index put live while it searched: once more)
        return url not in search(output, title)[title]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--deletes", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--against", type=Path, help="another checkout of sitegen, measured in the same run")
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else "/tmp")
    args = parser.parse_args()
    codes = {"this": HERE.parent, **({"against": args.against.resolve()} if args.against else {})}
    root = Path(args.dir) / f"sitegen-search-delete-{args.posts}"
    results: dict[str, list[dict[str, float]]] = {name: [] for name in codes}
    try:
        for run in range(args.rounds):
            for name, code in (list(codes.items()) if run % 2 == 0 else list(codes.items())[::-1]):
                shutil.rmtree(root / "src", ignore_errors=True)
                source = make_corpus(root / "src", args.posts)
                set_search(source, True)
                got = one_watcher(code, source, root / f"out-{name}", args.deletes, check=True)
                results[name] += got
                print(f"{name} ({code}), round {run + 1}: " + "; ".join(
                    ", ".join(f"{k} {v:.2f}" + ("" if k != "checked" else "") for k, v in t.items()) for t in got),
                    flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"{args.posts} posts, {args.deletes} deletes x {args.rounds} watchers each; load {os.getloadavg()[0]:.1f}")
    for name, times in results.items():
        summary = []
        for key in ("live", "listed", "index", "search", "search after live"):
            values = [t[key] for t in times if key in t]
            if values:
                summary.append(f"{key} {statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})")
        checks = [bool(t["checked"]) for t in times if "checked" in t]
        print(f"  {name}: " + ", ".join(summary) + f"; not found by search when first gone: {checks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
