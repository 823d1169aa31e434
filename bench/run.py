"""sitegen benchmark: builds deterministic corpora and prints a table of figures (issue 8).

    python bench/run.py                      # N = 1000, 4000, 10000; 3 runs each
    python bench/run.py --sizes 1000 --runs 1                          # a quick look
    python bench/run.py --sizes 1000 --runs 5 --dir /tmp --write-results

Builds run under /dev/shm when it exists (file creation on the disk adds erratic system
time). Every figure is a median of --runs runs, with min and max.

Every build is its own process (`python -m sitegen build --source ... --output ...`), and so
is the pure pipeline floor (bench/floor.py: read + front matter + Markdown + Jinja + write,
on as many fork-pool processes as sitegen uses), so interpreter start-up and imports count
for both. Each is measured for wall time, user+system CPU of the whole process tree, and
peak memory of all its processes together: the sum of their PSS (proportional set size, so
pages shared after a fork count once), sampled every 20 ms; the sum of RSS is shown beside it.

The corpus is built with `search = false` for every scenario in the main table, so the
build figures hold no search indexing. Per size, one more cold build with `search = true`
into a fresh output gives the indexing time and index size as the build summary prints them
("search index X MB in Y s") and that build's peak memory (--watch-search also times a save
in `sitegen watch` until the new index is in place). A "targets" section then checks the
figures against the targets of issue 8, for the sizes that were run."""

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
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import make_corpus, set_search  # noqa: E402

SITEGEN = [sys.executable, "-m", "sitegen"]
CODE: dict[str, str] = {}  # PYTHONPATH for the sitegen being measured (--against: another checkout's)
FLOOR = [sys.executable, str(HERE / "floor.py")]
SAMPLE_EVERY = 0.02  # seconds between memory samples
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass
class Sample:
    wall: float
    cpu: float = 0.0
    pss_mb: float = 0.0
    rss_mb: float = 0.0
    pages: int = 0
    index_s: float = 0.0  # search indexing, part of wall ("; search index X MB in Y s")
    index_mb: float = 0.0


@dataclass
class Row:
    name: str
    samples: list[Sample] = field(default_factory=list)

    def values(self, attr: str = "wall") -> list[float]:
        return [getattr(s, attr) for s in self.samples]

    def median(self, attr: str = "wall") -> float | None:
        values = self.values(attr)
        return statistics.median(values) if values else None

    def cell(self, attr: str = "wall", digits: int = 2) -> str:
        values = self.values(attr)
        if not values:
            return "-"
        med = statistics.median(values)
        if len(values) == 1:
            return f"{med:.{digits}f}"
        return f"{med:.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


# ------------------------------------------------------------------ measuring a process tree

class ProcessTree:
    """A process and all its descendants, from /proc/*/stat. Parents are remembered, so each
    call reads the stat file only of processes it has not seen yet (a cheap sample)."""

    def __init__(self, root_pid: int) -> None:
        self.root = root_pid
        self.parent: dict[int, int] = {}

    def pids(self) -> list[int]:
        alive = {int(entry) for entry in os.listdir("/proc") if entry.isdigit()}
        for pid in list(self.parent):
            if pid not in alive:
                del self.parent[pid]
        for pid in alive - self.parent.keys():
            try:
                with open(f"/proc/{pid}/stat") as handle:
                    self.parent[pid] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
        children: dict[int, list[int]] = {}
        for pid, parent in self.parent.items():
            children.setdefault(parent, []).append(pid)
        found, stack = [], [self.root]
        while stack:
            pid = stack.pop()
            found.append(pid)
            stack.extend(children.get(pid, ()))
        return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in kB: smaps_rollup, else RSS from statm for both."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            text = handle.read()
        pss = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
        rss = re.search(r"^Rss:\s+(\d+) kB", text, re.MULTILINE)
        if pss and rss:
            return int(pss.group(1)), int(rss.group(1))
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm") as handle:
            rss_kb = int(handle.read().split()[1]) * PAGE_KB
        return rss_kb, rss_kb
    except (OSError, IndexError, ValueError):
        return 0, 0


def _tree_memory_kb(tree: ProcessTree) -> tuple[int, int]:
    pss = rss = 0
    for pid in tree.pids():
        p, r = _memory_kb(pid)
        pss, rss = pss + p, rss + r
    return pss, rss


def run_process(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[Sample, str]:
    """Runs a command and measures wall time, user+system CPU of the whole process tree (the
    process and every child it waited for), and the peak of the summed PSS and RSS of all its
    processes, sampled every SAMPLE_EVERY seconds. Returns the sample and the standard output."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **env} if env else None)
    peak_pss = peak_rss = 0
    done = threading.Event()
    streams: dict[str, str] = {}

    def sample() -> None:
        nonlocal peak_pss, peak_rss
        tree = ProcessTree(process.pid)
        while not done.is_set():
            pss, rss = _tree_memory_kb(tree)
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
            done.wait(SAMPLE_EVERY)

    def read(name: str, stream) -> None:  # type: ignore[no-untyped-def]
        streams[name] = stream.read()

    threads = [threading.Thread(target=sample, daemon=True),
               threading.Thread(target=read, args=("out", process.stdout), daemon=True),
               threading.Thread(target=read, args=("err", process.stderr), daemon=True)]
    for thread in threads:
        thread.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    for thread in threads:
        thread.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{streams.get('err', '')[-3000:]}")
    out = streams.get("out", "")
    match = re.search(r"(\d+) pages", out)
    return Sample(wall, usage.ru_utime + usage.ru_stime, peak_pss / 1024, peak_rss / 1024,
                  int(match.group(1)) if match else 0), out


# The summary's last part, in either language the corpus may be written in (bench/corpus.py: Chinese).
INDEX_SAID = re.compile(r"search index ([\d.]+) MB in ([\d.]+) s|搜索索引 ([\d.]+) MB，用时 ([\d.]+) 秒")


def run_build(args: list[str], cwd: Path, code: Path | None = None) -> Sample:
    """`python -m sitegen <args>` (of the checkout `code`, else CODE's), measured; reads the
    search indexing from its summary."""
    sample, out = run_process(SITEGEN + args, cwd, {"PYTHONPATH": str(code)} if code else CODE)
    index = INDEX_SAID.search(out)
    if index:
        sample.index_mb = float(index.group(1) or index.group(3))
        sample.index_s = float(index.group(2) or index.group(4))
    return sample


# ------------------------------------------------------------------ scenarios

def edit_post(source: Path, run: int) -> Path:
    post = sorted((source / "columns" / "study").glob("post-*.md"))[5]
    with open(post, "a", encoding="utf-8") as handle:
        handle.write(f"\nEdited for benchmark run {run}.\n")
    return post


def edit_template(source: Path, run: int) -> None:
    templates = source / "templates"
    if not templates.is_dir():  # the default theme of the sitegen being measured
        theme = Path(CODE.get("PYTHONPATH", HERE.parent)) / "templates"
        shutil.copytree(theme, templates, ignore=shutil.ignore_patterns("static"))
    with open(templates / "post.html", "a", encoding="utf-8") as handle:
        handle.write(f"{{# benchmark edit {run} #}}\n<!-- edit {run} -->\n")


def index_version(output: Path) -> int:
    """Changes whenever a build puts a new search index live in output/pagefind/."""
    try:
        return os.stat(output / "pagefind" / ".sitegen-index.json").st_ino  # (written anew with every index, whichever shards changed)
    except FileNotFoundError:
        return 0


def watch_latency(source: Path, output: Path, saves: int, with_index: bool = False) -> tuple[list[float], list[float]]:
    """Time from saving a post to its page being rewritten while `sitegen watch` runs, and
    (with_index) to the search index having followed (the new index in place)."""
    process = subprocess.Popen(SITEGEN + ["watch", "--source", str(source), "--output", str(output)],
                               cwd=source, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **CODE} if CODE else None)
    try:
        assert process.stderr is not None
        drain = threading.Thread(target=lambda: [None for _ in process.stderr], daemon=True)  # type: ignore[union-attr]
        drain.start()
        post = sorted((source / "columns" / "study").glob("post-*.md"))[7]
        page = output / "study" / post.stem / "index.html"
        # The first build is done when its page is there (and its index, with_index); waiting for
        # a word of its summary would depend on the site's language.
        deadline = time.perf_counter() + 1800
        while not page.exists() or (with_index and index_version(output) == 0):
            if process.poll() is not None or time.perf_counter() > deadline:
                raise SystemExit("watch: the first build did not finish")
            time.sleep(0.05)
        results, indexed = [], []
        for run in range(saves):
            before, index_before = page.read_bytes(), index_version(output)
            started = time.perf_counter()
            with open(post, "a", encoding="utf-8") as handle:
                handle.write(f"\nWatched edit {run}{' (search)' if with_index else ''}.\n")
            deadline = started + 60
            while page.read_bytes() == before:
                if time.perf_counter() > deadline:
                    raise SystemExit("watch: the page was not rewritten within 60 s")
                time.sleep(0.002)
            results.append(time.perf_counter() - started)
            if with_index:
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


SCENARIOS = ("cold", "nochange", "post", "template")


def bench_size(n: int, base: Path, runs: int, jobs: int | None, watch_search: bool) -> dict[str, Row]:
    root = base / f"sitegen-bench-{n}"
    source = root / "src"
    output = root / "out"
    shutil.rmtree(root, ignore_errors=True)
    make_corpus(source, n)  # search = false
    jobs_args = ["--jobs", str(jobs)] if jobs else []
    build_args = ["build", "--source", str(source), "--output", str(output)] + jobs_args
    floor_args = ["--source", str(source), "--output", str(root / "floor")] + jobs_args
    rows = {name: Row(name) for name in SCENARIOS + ("floor", "watch", "search", "watch_page_s", "watch_index")}
    try:
        for run in range(runs):
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(source / ".sitegen-cache", ignore_errors=True)
            rows["cold"].samples.append(run_build(build_args, source))
            rows["nochange"].samples.append(run_build(build_args, source))
            edit_post(source, run)
            rows["post"].samples.append(run_build(build_args, source))
            edit_template(source, run)
            rows["template"].samples.append(run_build(build_args, source))
            rows["floor"].samples.append(run_process(FLOOR + floor_args, source)[0])
        shutil.rmtree(root / "floor", ignore_errors=True)
        shutil.rmtree(source / "templates", ignore_errors=True)
        run_build(build_args, source)
        page_times, _ = watch_latency(source, output, runs)
        rows["watch"].samples = [Sample(t) for t in page_times]

        # Search indexing on its own: one cold build with search = true into a fresh output.
        set_search(source, True)
        search_output = root / "out-search"
        shutil.rmtree(source / ".sitegen-cache", ignore_errors=True)
        search_args = ["build", "--source", str(source), "--output", str(search_output)] + jobs_args
        rows["search"].samples.append(run_build(search_args, source))
        if watch_search:
            page_times, index_times = watch_latency(source, search_output, 1, with_index=True)
            rows["watch_page_s"].samples = [Sample(t) for t in page_times]
            rows["watch_index"].samples = [Sample(t) for t in index_times]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return rows


# ------------------------------------------------------------------ report

def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, Python {platform.python_version()}"


def table(results: dict[int, dict[str, Row]], watch_search: bool) -> str:
    lines = [
        "| posts | pages | cold build s | cold CPU s | pure floor s | floor CPU s | cold/floor | no-change s "
        "| one post edited s | one template edited s | watch save→page s | peak memory MB (PSS, cold) "
        "| RSS sum MB (cold) | floor peak MB (PSS) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, rows in results.items():
        cold, floor_s = rows["cold"].median(), rows["floor"].median()
        lines.append(
            f"| {n} | {rows['cold'].samples[0].pages} | {rows['cold'].cell()} | {rows['cold'].cell('cpu')} "
            f"| {rows['floor'].cell()} | {rows['floor'].cell('cpu')} | {cold / floor_s:.2f} "
            f"| {rows['nochange'].cell()} | {rows['post'].cell()} | {rows['template'].cell()} "
            f"| {rows['watch'].cell('wall', 3)} | {rows['cold'].cell('pss_mb', 0)} | {rows['cold'].cell('rss_mb', 0)} "
            f"| {rows['floor'].cell('pss_mb', 0)} |"
        )
    lines += [
        "",
        "Search indexing (one cold build per size with `search = true`, fresh output; the rows above are built "
        "with `search = false`):",
        "",
        "| posts | cold build with search s | search index s | search index MB | peak memory MB (PSS) | RSS sum MB |"
        + (" watch save→page s | watch save→search index s |" if watch_search else ""),
        "|---|---|---|---|---|---|" + ("---|---|" if watch_search else ""),
    ]
    for n, rows in results.items():
        search = rows["search"]
        line = (f"| {n} | {search.cell()} | {search.cell('index_s')} | {search.cell('index_mb', 1)} "
                f"| {search.cell('pss_mb', 0)} | {search.cell('rss_mb', 0)} |")
        if watch_search:
            line += f" {rows['watch_page_s'].cell('wall', 3)} | {rows['watch_index'].cell('wall', 2)} |"
        lines.append(line)
    lines += [
        "",
        "Build columns: wall time of the whole `python -m sitegen build` process; CPU: user+system of it and all "
        "its children. Pure floor: bench/floor.py as its own process (start-up and imports included) on the same "
        "number of processes. Peak memory: the largest sum of PSS over the process tree, sampled every 20 ms "
        "(pages shared after fork count once); RSS sum counts them in every process. Search index s and MB: as "
        "the build summary prints them.",
    ]
    return "\n".join(lines)


def comparison(before: dict[int, dict[str, Row]], after: dict[int, dict[str, Row]]) -> str:
    """This checkout against the other (--against), medians, as after/before."""
    lines = ["This checkout against the other, medians (after / before; under 1 is faster or smaller):", "",
             "| posts | cold build | no-change | one post edited | one template edited | watch save→page "
             "| peak memory (PSS, all builds) |", "|---|---|---|---|---|---|---|"]
    for n in after:
        cells = []
        for name, digits in (("cold", 2), ("nochange", 2), ("post", 2), ("template", 2), ("watch", 3)):
            old, new = before[n][name].median(), after[n][name].median()
            cells.append(f"{new:.{digits}f} / {old:.{digits}f} = {new / old:.2f}" if old and new else "–")
        peak = [max(s.pss_mb for name in SCENARIOS for s in rows[name].samples) for rows in (after[n], before[n])]
        cells.append(f"{peak[0]:.0f} / {peak[1]:.0f} MB = {peak[0] / peak[1]:.2f}")
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(results: dict[int, dict[str, Row]]) -> str:
    """Each target of issue 8 against the figures, for the sizes that were run."""
    lines = ["Targets (issue 8), medians:", ""]
    skipped: list[str] = []

    def check(label: str, value: float, limit: float, unit: str, met: bool, digits: int = 2) -> None:
        lines.append(f"- {label}: {value:.{digits}f}{unit} (target {limit:g}{unit}) — {'met' if met else 'NOT met'}")

    for n, rows in results.items():
        ratio = rows["cold"].median() / rows["floor"].median()
        check(f"cold build ≤ 1.25× pure floor at {n}", ratio, 1.25, "×", ratio <= 1.25)
    if 10000 in results:
        rows = results[10000]
        value = rows["nochange"].median()
        check("no-change rebuild at 10000 < 1 s", value, 1, " s", value < 1)
        value = rows["post"].median()
        check("one post edited at 10000 < 1.5 s", value, 1.5, " s", value < 1.5)
    else:
        skipped += ["no-change at 10000", "one post edited at 10000"]
    if 4000 in results:
        value = results[4000]["watch"].median()
        check("watch save→page at 4000 < 0.3 s", value, 0.3, " s", value < 0.3, 3)
    else:
        skipped.append("watch save→page at 4000")
    if 1000 in results and 10000 in results:
        value = results[10000]["cold"].median() / results[1000]["cold"].median()
        check("cold build 10000 ≤ 11× cold build 1000", value, 11, "×", value <= 11)
    else:
        skipped.append("cold 10000 ≤ 11× cold 1000")
    if 10000 in results:
        rows = results[10000]
        value = max(s.pss_mb for name in SCENARIOS for s in rows[name].samples)
        lines.append(f"- peak memory at 10000 < 250 MB (PSS, largest of all builds with search off): {value:.0f} MB "
                     f"— {'met' if value < 250 else 'NOT met'}")
        search_peak = rows["search"].median("pss_mb")
        if search_peak is not None:
            lines.append(f"  (the cold build with search indexing peaked at {search_peak:.0f} MB PSS; for information)")
    else:
        skipped.append("peak memory at 10000")
    if skipped:
        lines += ["", "Not checked (size not run): " + "; ".join(skipped) + "."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,4000,10000", help="comma-separated post counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median, min, max)")
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else None,
                        help="where to build (default: /dev/shm when it exists, else the temp folder)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="processes for sitegen (--jobs) and the floor alike (default: one per CPU)")
    parser.add_argument("--watch-search", action="store_true",
                        help="also time one save in `sitegen watch` with search on until the new index is in place")
    parser.add_argument("--write-results", action="store_true", help="also write bench/RESULTS.md")
    parser.add_argument("--against", metavar="DIR",
                        help="another checkout of sitegen (such as an earlier commit's) to measure in the same run, "
                             "size by size before this one; a table compares the two")
    args = parser.parse_args()
    base = Path(args.dir) if args.dir else Path(os.environ.get("TMPDIR", "/tmp"))
    results: dict[int, dict[str, Row]] = {}
    earlier: dict[int, dict[str, Row]] = {}
    for n in (int(s) for s in args.sizes.split(",")):
        if args.against:
            print(f"benchmarking {n} posts with {args.against} ...", file=sys.stderr, flush=True)
            CODE["PYTHONPATH"] = str(Path(args.against).resolve())
            earlier[n] = bench_size(n, base, args.runs, args.jobs, args.watch_search)
            CODE["PYTHONPATH"] = str(HERE.parent)
        print(f"benchmarking {n} posts ...", file=sys.stderr, flush=True)
        results[n] = bench_size(n, base, args.runs, args.jobs, args.watch_search)
    text = table(results, args.watch_search)
    if earlier:
        text = (f"This checkout:\n\n{text}\n\n{args.against}, measured in the same run before each size:\n\n"
                f"{table(earlier, args.watch_search)}\n\n{comparison(earlier, results)}")
    sizes = sorted(results)
    if len(sizes) > 1:
        small, large = (results[k]["cold"].median() for k in (sizes[0], sizes[-1]))
        text += (f"\n\ncold build growth {sizes[0]} -> {sizes[-1]} posts: {large / small:.1f}x "
                 f"for {sizes[-1] / sizes[0]:.0f}x the posts")
    text += "\n\n" + targets(results)
    header = (f"Taken {time.strftime('%Y-%m-%d')} on {machine()}, building under {base}, "
              f"{args.runs} run(s) per figure, jobs: {args.jobs or 'one per CPU'}; "
              f"median (min–max), seconds unless marked.")
    print(header + "\n\n" + text)
    if args.write_results:
        command = "python bench/run.py " + " ".join(sys.argv[1:])
        (HERE / "RESULTS.md").write_text(
            f"# Benchmark results\n\n{header}\nCommand: `{command.strip()}`\n\n{text}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
