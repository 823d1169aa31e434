"""A build with search, cold and after one edit, against other checkouts of sitegen, taking turns.

    python bench/search_cold.py [--against DIR ...] [--posts 1000] [--runs 3]

For each run and each checkout (this one first on even runs, last on odd ones): a cold build of
the corpus (bench/corpus.py, `search = true`) into a fresh output folder, then the same site
built again after one post was edited. Each build is `python -m sitegen build` with the
checkout on PYTHONPATH and the site's folder as its working folder (so that `-m` finds the
checkout's sitegen, not the current folder's), measured as bench/run.py measures: wall time,
CPU of the process tree, peak of the summed PSS and RSS of all its processes; and the index's
time as the summary prints it. Prints each build, then medians."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import make_corpus, set_search  # noqa: E402
from run import Sample, edit_post, run_build  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", action="append", default=[], metavar="DIR", help="another checkout of sitegen")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else "/tmp")
    args = parser.parse_args()
    codes = {"this": HERE.parent, **{Path(d).name: Path(d).resolve() for d in args.against}}
    root = Path(args.dir) / f"sitegen-search-cold-{args.posts}"
    shutil.rmtree(root, ignore_errors=True)
    found: dict[str, dict[str, list[Sample]]] = {name: {"cold": [], "edit": []} for name in codes}
    try:
        corpus = make_corpus(root / "corpus", args.posts)
        set_search(corpus, True)
        for run in range(args.runs):
            for name in (list(codes) if run % 2 == 0 else list(codes)[::-1]):
                site = root / name
                shutil.rmtree(site, ignore_errors=True)
                shutil.copytree(corpus, site)
                cold = run_build(["build"], site, codes[name])
                edit_post(site, run)
                edit = run_build(["build"], site, codes[name])
                found[name]["cold"].append(cold)
                found[name]["edit"].append(edit)
                print(f"run {run} {name}: cold {cold.wall:.2f} s wall, {cold.cpu:.2f} s CPU, {cold.pss_mb:.0f} MB PSS "
                      f"({cold.rss_mb:.0f} RSS), index {cold.index_s} s; one edit {edit.wall:.2f} s wall, "
                      f"index {edit.index_s} s; load {os.getloadavg()[0]:.2f}", flush=True)
        print(f"\nmedians of {args.runs} runs, {args.posts} posts (wall s / CPU s / peak PSS MB / peak RSS MB / index s):")
        for name, kinds in found.items():
            cells = []
            for kind, samples in kinds.items():
                median = {attr: statistics.median(getattr(s, attr) or 0.0 for s in samples)
                          for attr in ("wall", "cpu", "pss_mb", "rss_mb", "index_s")}
                cells.append(f"{kind} {median['wall']:.2f} / {median['cpu']:.2f} / {median['pss_mb']:.0f} / "
                             f"{median['rss_mb']:.0f} / {median['index_s']:.2f}")
            print(f"  {name}: " + "; ".join(cells))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
