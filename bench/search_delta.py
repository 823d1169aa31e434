"""Issue 21, item 2: what one edited post costs the search index, by way of making it.

On one built corpus (bench/corpus.py, search on) and the records sitegen gives Pagefind
(search_records.py), side by side:

  full       a new index of every record (what `sitegen build` does when a record changed)
  kept       the index held by Pagefind (as `sitegen watch` keeps it): the edited record given
             again, the whole index written again
  delta      a second, small index of the edited record alone (to be merged in the browser with
             mergeIndex, the main index's stale entry hidden there): what making it costs
  remove     a record taken out: Pagefind cannot, so the index is made anew (= full)

Each row: wall seconds (median of --runs), and the peak RSS of the Pagefind process.

    python bench/search_delta.py [--posts 1000] [--runs 3] [--dir /dev/shm]"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from corpus import make_corpus, set_search  # noqa: E402
from search_api import PeakMemory  # noqa: E402

from sitegen.search import KeptIndex, SearchSource, _written  # noqa: E402
from sitegen.search_records import Entry  # noqa: E402


def edited(source: SearchSource, run: int) -> SearchSource:
    """The source with one post's record changed (its text gains a sentence)."""
    entries = list(source.entries)
    index = len(entries) // 2
    old = entries[index]

    def make() -> object:
        record = old.make()
        return replace(record, text=record.text + f" 补充的新段落 {run}。")
    entries[index] = Entry(old.url, f"{old.key}-{run}", make)  # type: ignore[arg-type]
    return replace(source, entries=tuple(entries))


def timed(action) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else "/tmp")
    args = parser.parse_args()
    root = Path(args.dir) / f"sitegen-search-delta-{args.posts}"
    shutil.rmtree(root, ignore_errors=True)
    try:
        source_dir = make_corpus(root / "src", args.posts)
        set_search(source_dir, True)
        from sitegen.build import Options, build

        built = build(source_dir, root / "out", Options(search_index=False))
        source = built.search_source
        assert source is not None
        print(f"{args.posts} posts, {len(source.entries)} records")
        from sitegen.publish import live_folder
        from sitegen.search import pages_key

        live = live_folder(root / "out")
        assert live is not None
        print(f"pages_key of the live version (each indexing names the pages it goes with): "
              f"{timed(lambda: pages_key(live)):.2f} s")
        rows: dict[str, list[float]] = {"full": [], "kept": [], "delta": []}
        peaks: dict[str, float] = {}
        for run in range(args.runs):
            out = root / f"run{run}"
            with PeakMemory() as memory:
                with KeptIndex() as kept:
                    rows["full"].append(timed(lambda: kept.write(source, out / "full")))
                    peaks["full"] = max(peaks.get("full", 0), memory.peak_kb / 1024)
                    changed = edited(source, run)
                    rows["kept"].append(timed(lambda: kept.write(changed, out / "kept")))
            peaks["kept"] = max(peaks.get("kept", 0), memory.peak_kb / 1024)
            with PeakMemory() as memory:
                one = replace(source, entries=(edited(source, run).entries[len(source.entries) // 2],))
                with KeptIndex() as small:
                    rows["delta"].append(timed(lambda: small.write(one, out / "delta")))
            peaks["delta"] = memory.peak_kb / 1024
            assert _written(out / "kept") is not None and _written(out / "delta") is not None
            shutil.rmtree(out, ignore_errors=True)
        for name, seconds in rows.items():
            print(f"{name + ':':7s} median {statistics.median(seconds):6.2f} s (min {min(seconds):.2f}, "
                  f"max {max(seconds):.2f}), Pagefind peak {peaks[name]:6.0f} MB")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
