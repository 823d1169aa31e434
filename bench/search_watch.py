"""Issue 21's watched-save target: the time from saving a post to the search index that finds it
being in place under `sitegen watch` (5 s at 10,000 posts, 2 s at 1,000), and the peak memory of
the watcher with its Pagefind processes (one per shard being made, search_shards.py).

On the bench corpus (search on) it starts `sitegen watch`, waits for the first build with its
index, times a first save (the watcher keeps no Pagefind process, so it waits for nothing), then,
per save, appends a sentence with a word no post has and waits until the live index changes;
the last save's word is looked up in that index with Pagefind's own search code (Node), so the
figure is for an index that finds it. One more save deletes a post (its shard is made again).

    python bench/search_watch.py [--posts 1000] [--saves 5] [--shard 1000] [--dir /dev/shm]"""

from __future__ import annotations

import argparse
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
from run import ProcessTree, _memory_kb, index_version  # noqa: E402


class Peak:
    """The largest RSS sum of a process and its children, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.kb = self.pss_kb = 0
        self._pid = pid
        self._stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        tree = ProcessTree(self._pid)
        while not self._stop.wait(0.05):
            each = [_memory_kb(pid) for pid in tree.pids()]
            self.kb = max(self.kb, sum(rss for _, rss in each))
            self.pss_kb = max(self.pss_kb, sum(pss for pss, _ in each))  # (pages shared after a fork once)

    def stop(self) -> tuple[float, float]:
        """The peaks of the summed RSS and PSS, MB."""
        self._stop.set()
        return self.kb / 1024, self.pss_kb / 1024


def wait_index_change(output: Path, before: int, started: float, limit: float = 600) -> float:
    while index_version(output) == before:
        if time.perf_counter() - started > limit:
            raise SystemExit(f"the search index did not follow within {limit:.0f} s")
        time.sleep(0.005)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--shard", type=int, default=0, help="records per shard (SITEGEN_SEARCH_SHARD; 0: sitegen's own)")
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else "/tmp")
    args = parser.parse_args()
    root = Path(args.dir) / f"sitegen-search-watch-{args.posts}"
    shutil.rmtree(root, ignore_errors=True)
    source, output = make_corpus(root / "src", args.posts), root / "out"
    set_search(source, True)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "sitegen", "watch", "--source", str(source), "--output",
                                str(output)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(HERE.parent),
                                    **({"SITEGEN_SEARCH_SHARD": str(args.shard)} if args.shard else {})})
    peak = Peak(process.pid)
    lines: list[str] = []
    assert process.stderr is not None
    threading.Thread(target=lambda: [lines.append(line) for line in process.stderr], daemon=True).start()  # type: ignore[union-attr]
    try:
        while index_version(output) == 0 or not lines:
            if process.poll() is not None:
                raise SystemExit("".join(lines))
            time.sleep(0.05)
        print(f"{args.posts} posts: first build with its index {time.perf_counter() - started:.1f} s")
        posts = sorted((source / "columns" / "study").glob("post-*.md"))
        warm = time.perf_counter()
        before = index_version(output)
        with open(posts[3], "a", encoding="utf-8") as handle:
            handle.write("\nA first save.\n")
        print(f"first save: {wait_index_change(output, before, warm):.2f} s")
        times = []
        for run in range(args.saves):
            time.sleep(1.0)
            before = index_version(output)
            word = f"zqxwatched{run}"
            saved = time.perf_counter()
            with open(posts[7], "a", encoding="utf-8") as handle:
                handle.write(f"\nWatched edit {word}.\n")
            times.append(wait_index_change(output, before, saved))
            print(f"save {run}: findable after {times[-1]:.2f} s")
        from search_query import search

        assert search(output, word)[word] == {f"/study/{posts[7].stem}/"}, "the index does not find the saved word"
        time.sleep(1.0)
        # A post no other post links to (a link to a deleted post fails the build).
        texts = "".join(p.read_text("utf-8") for p in (source / "columns").rglob("*.md"))
        unlinked = next(p for p in posts[8:] if f"{p.name})" not in texts)
        before = index_version(output)
        saved = time.perf_counter()
        unlinked.unlink()
        print(f"a post deleted: gone from the index after {wait_index_change(output, before, saved):.2f} s")
        rss, pss = peak.stop()
        print(f"saves: median {statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s; "
              f"peak memory of the watcher and its processes: {pss:.0f} MB PSS sum ({rss:.0f} MB RSS sum)")
    finally:
        process.terminate()
        process.wait(timeout=60)
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
