"""sitegen benchmark: builds deterministic corpora and prints a table of figures.

    python bench/run.py                      # N = 1000, 4000, 10000; 3 runs each
    python bench/run.py --sizes 1000 --runs 5 --dir /tmp --write-results

Builds run under /dev/shm when it exists (file creation on the disk adds erratic system
time). Every figure is a median of --runs runs, with min and max.

Search is on in the corpus (bench/corpus.py), so every build that writes something ends by
indexing the site with Pagefind: the build columns are the wall time of the whole `sitegen
build`, indexing included; the search columns give the indexing alone (as the build reports
it), the index's size, and how long after a save in `sitegen watch` the index has followed."""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import make_corpus  # noqa: E402

SITEGEN = [sys.executable, "-m", "sitegen"]


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float
    pages: int = 0
    index_s: float = 0.0  # search indexing, part of wall ("; search index X MB in Y s")
    index_mb: float = 0.0


@dataclass
class Row:
    name: str
    samples: list[Sample] = field(default_factory=list)

    def cell(self, attr: str = "wall", digits: int = 2) -> str:
        values = [getattr(s, attr) for s in self.samples]
        if not values:
            return "-"
        med = statistics.median(values)
        return f"{med:.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def _tree_rss_kb(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return total


def run_build(args: list[str], cwd: Path) -> Sample:
    """Runs `sitegen ...` and measures wall time, user+system CPU of the whole process tree,
    and the peak resident memory of all its processes together."""
    started = time.perf_counter()
    process = subprocess.Popen(SITEGEN + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    out = process.stdout.read() if process.stdout else ""
    err = process.stderr.read() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"sitegen {' '.join(args)} failed:\n{err[-3000:]}")
    match = re.search(r"(\d+) pages", out)
    index = re.search(r"search index ([\d.]+) MB in ([\d.]+) s", out)
    return Sample(wall, usage.ru_utime + usage.ru_stime, peak / 1024, int(match.group(1)) if match else 0,
                  float(index.group(2)) if index else 0.0, float(index.group(1)) if index else 0.0)


# ------------------------------------------------------------------ the pure pipeline floor

_FLOOR_TEMPLATE = None


def _floor_init(template_text: str) -> None:
    global _FLOOR_TEMPLATE, _FLOOR_MD
    import jinja2
    import markdown

    _FLOOR_TEMPLATE = jinja2.Environment(autoescape=True).from_string(template_text)
    _FLOOR_MD = markdown.Markdown(extensions=["tables", "footnotes", "fenced_code", "toc"])


def _floor_one(job: tuple[str, str]) -> int:
    import yaml

    source, target = job
    text = Path(source).read_text("utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.load(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    _FLOOR_MD.reset()
    html = _FLOOR_TEMPLATE.render(title=meta["title"], body=_FLOOR_MD.convert(body))  # type: ignore[union-attr]
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text(html, "utf-8")
    return 1


FLOOR_TEMPLATE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><header><nav><a href="/">Home</a></nav></header><main><h1>{{ title }}</h1>{{ body|safe }}</main></body></html>"""


def floor(source: Path, output: Path, jobs: int) -> float:
    """read + front matter + Python-Markdown + Jinja + write, on `jobs` processes, nothing else."""
    shutil.rmtree(output, ignore_errors=True)
    files = sorted(p for p in (source / "columns").rglob("*.md") if p.name != "_index.md")
    work = [(str(p), str(output / p.relative_to(source).with_suffix("") / "index.html")) for p in files]
    started = time.perf_counter()
    with get_context("fork").Pool(jobs, initializer=_floor_init, initargs=(FLOOR_TEMPLATE,)) as pool:
        sum(pool.imap_unordered(_floor_one, work, chunksize=32))
    return time.perf_counter() - started


# ------------------------------------------------------------------ scenarios

def edit_post(source: Path, run: int) -> Path:
    post = sorted((source / "columns" / "study").glob("post-*.md"))[5]
    with open(post, "a", encoding="utf-8") as handle:
        handle.write(f"\nEdited for benchmark run {run}.\n")
    return post


def edit_template(source: Path, run: int) -> None:
    templates = source / "templates"
    if not templates.is_dir():
        shutil.copytree(HERE.parent / "templates", templates, ignore=shutil.ignore_patterns("static"))
    with open(templates / "post.html", "a", encoding="utf-8") as handle:
        handle.write(f"{{# benchmark edit {run} #}}\n<!-- edit {run} -->\n")


def page_of(output: Path, post: Path) -> Path:
    return output / "study" / post.stem.removeprefix("") / "index.html"


def index_version(output: Path) -> int:
    """Changes whenever a build swaps a new search index into output/pagefind/ (a new folder)."""
    try:
        return os.stat(output / "pagefind").st_ino
    except FileNotFoundError:
        return 0


def watch_latency(source: Path, output: Path, runs: int) -> tuple[list[float], list[float]]:
    """Time from saving a post to its page being rewritten while `sitegen watch` runs, and to
    the search index having followed (the new index in place)."""
    process = subprocess.Popen(SITEGEN + ["watch", "--source", str(source), "--output", str(output)],
                               cwd=source, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        for line in process.stderr:  # wait for the first build
            if "built" in line or "failed" in line:
                break
        post = sorted((source / "columns" / "study").glob("post-*.md"))[7]
        page = output / "study" / post.stem / "index.html"
        drain = threading.Thread(target=lambda: [None for _ in process.stderr], daemon=True)  # type: ignore[union-attr]
        drain.start()
        results, indexed = [], []
        for run in range(runs):
            before, index_before = page.read_bytes(), index_version(output)
            started = time.perf_counter()
            with open(post, "a", encoding="utf-8") as handle:
                handle.write(f"\nWatched edit {run}.\n")
            deadline = started + 60
            while page.read_bytes() == before:
                if time.perf_counter() > deadline:
                    raise SystemExit("watch: the page was not rewritten within 60 s")
                time.sleep(0.002)
            results.append(time.perf_counter() - started)
            if index_before:  # search is on: wait for the index too
                deadline = started + 300
                while index_version(output) == index_before:
                    if time.perf_counter() > deadline:
                        raise SystemExit("watch: the search index did not follow within 300 s")
                    time.sleep(0.01)
                indexed.append(time.perf_counter() - started)
            time.sleep(0.5)  # let the watcher settle before the next save
        return results, indexed
    finally:
        process.terminate()
        process.wait(timeout=30)


def bench_size(n: int, base: Path, runs: int, jobs: int | None) -> dict[str, Row]:
    root = base / f"sitegen-bench-{n}"
    source = root / "src"
    output = root / "out"
    shutil.rmtree(root, ignore_errors=True)
    make_corpus(source, n)
    jobs_args = ["--jobs", str(jobs)] if jobs else []
    build_args = ["build", "--source", str(source), "--output", str(output)] + jobs_args
    rows = {name: Row(name) for name in ("cold", "nochange", "post", "template", "floor", "watch", "watch_index")}
    for run in range(runs):
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(source / ".sitegen-cache", ignore_errors=True)
        rows["cold"].samples.append(run_build(build_args, source))
        rows["nochange"].samples.append(run_build(build_args, source))
        edit_post(source, run)
        rows["post"].samples.append(run_build(build_args, source))
        edit_template(source, run)
        rows["template"].samples.append(run_build(build_args, source))
        rows["floor"].samples.append(Sample(floor(source, root / "floor", jobs or os.cpu_count() or 1), 0, 0))
    shutil.rmtree(source / "templates", ignore_errors=True)
    run_build(build_args, source)
    page_times, index_times = watch_latency(source, output, runs)
    rows["watch"].samples = [Sample(t, 0, 0) for t in page_times]
    rows["watch_index"].samples = [Sample(t, 0, 0) for t in index_times]
    shutil.rmtree(root, ignore_errors=True)
    return rows


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, Python {platform.python_version()}"


def table(results: dict[int, dict[str, Row]]) -> str:
    lines = [
        "| posts | pages | cold build s | pure floor s | cold/floor | no-change s | one post edited s | one template edited s | watch save→page s | peak RSS MB (cold) | CPU s (cold) "
        "| search index s (cold) | search index MB | search index s (one post edited) | watch save→search index s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, rows in results.items():
        cold = statistics.median(s.wall for s in rows["cold"].samples)
        floor_s = statistics.median(s.wall for s in rows["floor"].samples)
        lines.append(
            f"| {n} | {rows['cold'].samples[0].pages} | {rows['cold'].cell()} | {rows['floor'].cell()} | {cold / floor_s:.2f} "
            f"| {rows['nochange'].cell()} | {rows['post'].cell()} | {rows['template'].cell()} | {rows['watch'].cell('wall', 3)} "
            f"| {rows['cold'].cell('rss_mb', 0)} | {rows['cold'].cell('cpu')} "
            f"| {rows['cold'].cell('index_s')} | {rows['cold'].cell('index_mb', 1)} | {rows['post'].cell('index_s')} "
            f"| {rows['watch_index'].cell('wall', 2)} |"
        )
    lines.append("")
    lines.append("Build columns: wall time of the whole `sitegen build`, search indexing included. Search index s: "
                 "the indexing alone, as the build reports it; a build that writes nothing (no-change) does not index. "
                 "Watch save→search index: from saving a post until the new index is in place.")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,4000,10000", help="comma-separated post counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median, min, max)")
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else None,
                        help="where to build (default: /dev/shm when it exists, else the temp folder)")
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs to sitegen (default: its own default)")
    parser.add_argument("--write-results", action="store_true", help="also write bench/RESULTS.md")
    args = parser.parse_args()
    base = Path(args.dir) if args.dir else Path(os.environ.get("TMPDIR", "/tmp"))
    results: dict[int, dict[str, Row]] = {}
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"benchmarking {n} posts ...", file=sys.stderr, flush=True)
        results[n] = bench_size(n, base, args.runs, args.jobs)
    text = table(results)
    print(text)
    if len(results) > 1:
        sizes = sorted(results)
        small, large = (statistics.median(s.wall for s in results[k]["cold"].samples) for k in (sizes[0], sizes[-1]))
        print(f"\ncold build growth {sizes[0]} -> {sizes[-1]} posts: {large / small:.1f}x for {sizes[-1] / sizes[0]:.0f}x the posts")
    if args.write_results:
        (HERE / "RESULTS.md").write_text(
            f"# Benchmark results\n\nTaken {time.strftime('%Y-%m-%d')} on {machine()}, building under {base}, "
            f"{args.runs} runs per figure: median (min–max), seconds unless marked.\n\n{text}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
