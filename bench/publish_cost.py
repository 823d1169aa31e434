"""The cost of publishing (issue 18): no-change and one-post-edited builds of the same site by
this checkout and another (--against DIR, such as an earlier commit's), interleaved build by
build, so that what else the machine does weighs on both alike. Each checkout builds into an
output folder of its own from one corpus (bench/corpus.py).

    python bench/publish_cost.py --against /path/to/other/checkout [--posts 10000] [--rounds 7]

Prints each round and the medians (and minimums) with their after/before ratios. The target of
issue 18: no-change and one-edit builds at 10,000 posts at most 1.2x the other's."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import make_corpus  # noqa: E402


def build(code: Path, source: Path, output: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(source), "--output", str(output)],
                          env={**os.environ, "PYTHONPATH": str(code)}, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{code}: build failed:\n{done.stderr}")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, metavar="DIR", help="the other checkout of sitegen")
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else None)
    args = parser.parse_args()
    codes = {"before": Path(args.against).resolve(), "after": HERE.parent}
    root = Path(args.dir or "/tmp") / f"sitegen-publish-cost-{args.posts}"
    shutil.rmtree(root, ignore_errors=True)
    try:
        source = make_corpus(root / "src", args.posts)
        for name, code in codes.items():
            print(f"{name}: cold build {build(code, source, root / name):.2f} s", flush=True)
        times: dict[tuple[str, str], list[float]] = {(n, k): [] for n in codes for k in ("no-change", "one edit")}
        post = sorted((source / "columns" / "study").glob("post-*.md"))[5]
        for number in range(args.rounds):
            with open(post, "a", encoding="utf-8") as handle:
                handle.write(f"\nEdit {number}.\n")
            order = list(codes) if number % 2 == 0 else list(codes)[::-1]
            for kind in ("one edit", "no-change"):
                for name in order:
                    times[(name, kind)].append(build(codes[name], source, root / name))
            print(f"round {number}: " + ", ".join(f"{n} {k} {v[-1]:.2f} s" for (n, k), v in times.items()), flush=True)
        for kind in ("no-change", "one edit"):
            before, after = times[("before", kind)], times[("after", kind)]
            print(f"{kind}: after {statistics.median(after):.2f} s / before {statistics.median(before):.2f} s = "
                  f"{statistics.median(after) / statistics.median(before):.2f} (minimums {min(after):.2f} / "
                  f"{min(before):.2f} = {min(after) / min(before):.2f})")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
