"""Where the time of one watched save goes (issue 17: a save shows within 300 ms at 4,000 posts).

Runs a `Watcher` in this process over a corpus made as bench/corpus.py makes it, saves one
post at a time, and times, from the save: the first watchdog event, the start of the build
(after the quiet time), the new version going live, and the build being reported. Inside the
build, each phase is timed by wrapping the functions that do it: wall and CPU of the watcher's
thread (time.thread_time), inclusive (a phase inside another is counted in both).

    python bench/watch_phases.py [--posts 4000] [--saves 12] [--warm 3] [--code DIR]

--code: measure another checkout (its sitegen is imported instead of this one's)."""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import shutil
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (module, attribute path): the phases timed when present in the checkout measured.
PHASES = [
    ("sitegen.build", "build"),
    ("sitegen.build", "run"),
    ("sitegen.snapshot", "Scan.of"),
    ("sitegen.snapshot", "Scan.again"),
    ("sitegen.listing", "unsettled"),
    ("sitegen.build", "load_state"),
    ("sitegen.snapshot", "State.unchanged"),
    ("sitegen.build", "check_output_folder"),
    ("sitegen.pipeline", "load_config"),
    ("sitegen.pipeline", "load_site"),
    ("sitegen.load", "Loader.load_columns"),
    ("sitegen.load", "walk"),
    ("sitegen.column_posts", "ColumnPosts.read"),
    ("sitegen.posts", "PostReader.read_ahead"),
    ("sitegen.photo_set", "PhotoSet.prepare"),
    ("sitegen.load", "Loader.make_posts"),
    ("sitegen.load", "Loader._context"),
    ("sitegen.load", "Loader.with_intro"),
    ("sitegen.snapshot", "Scan.folder_keys"),
    ("sitegen.reuse", "plan"),
    ("sitegen.pages", "plan"),
    ("sitegen.reuse", "related"),
    ("sitegen.feeds", "feeds_for"),
    ("sitegen.pipeline", "_other_files"),
    ("sitegen.write", "find_collisions"),
    ("sitegen.write", "Staging.__init__"),
    ("sitegen.write", "find_blockers"),
    ("sitegen.blockers", "find_blockers"),
    ("sitegen.recycle", "take"),
    ("sitegen.render_pages", "PageMaker.__init__"),
    ("sitegen.reuse", "known_pages"),
    ("sitegen.render_pages", "render_stale"),
    ("sitegen.pipeline", "search_source"),
    ("sitegen.write", "Staging.commit"),
    ("sitegen.write", "files_of"),
    ("sitegen.recycle", "bring_up_to_date"),
    ("sitegen.write", "write_manifest"),
    ("sitegen.write", "write_others"),
    ("sitegen.write", "go_live"),
    ("sitegen.publish", "sync_file_system"),
    ("sitegen.publish", "sync_folder"),
    ("sitegen.write", "tidy"),
    ("sitegen.recycle", "distrust"),
    ("sitegen.cache", "Cache.save"),
    ("sitegen.build", "record_state"),
]


class Timings:
    def __init__(self) -> None:
        self.wall: dict[str, list[float]] = defaultdict(list)
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.current: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])

    def wrap(self, name: str, function):  # type: ignore[no-untyped-def]
        @functools.wraps(function)
        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                if threading.current_thread().name == "sitegen-watch":
                    slot = self.current[name]
                    slot[0] += time.perf_counter() - wall
                    slot[1] += time.thread_time() - cpu
        return timed

    def end_save(self) -> None:
        for name, (wall, cpu) in self.current.items():
            self.wall[name].append(wall)
            self.cpu[name].append(cpu)
        self.current.clear()


def instrument(timings: Timings) -> list[str]:
    found = []
    for module_name, attr in PHASES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        *owners, name = attr.split(".")
        owner = module
        for part in owners:
            owner = getattr(owner, part, None)
        if owner is None or not hasattr(owner, name):
            continue
        original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        label = f"{module_name.split('.')[-1]}.{attr}"
        if isinstance(original, classmethod):
            setattr(owner, name, classmethod(timings.wrap(label, original.__func__)))
        else:
            setattr(owner, name, timings.wrap(label, original))
        found.append(label)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=4000)
    parser.add_argument("--saves", type=int, default=12)
    parser.add_argument("--warm", type=int, default=3, help="saves first, not counted")
    parser.add_argument("--code", default=str(HERE.parent), help="the checkout to measure")
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else "/tmp")
    parser.add_argument("--gap", type=float, default=0.6, help="seconds between saves")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(Path(args.code).resolve()))
    from corpus import make_corpus  # noqa: E402

    timings = Timings()
    labels = instrument(timings)
    import sitegen.watch as watch  # noqa: E402
    from sitegen.build import Options  # noqa: E402

    root = Path(args.dir) / f"sitegen-watch-phases-{args.posts}-{os.getpid()}"
    shutil.rmtree(root, ignore_errors=True)
    source = make_corpus(root / "src", args.posts)
    marks: dict[str, float] = {}
    done = threading.Event()
    hook = "noted" if hasattr(watch.Watcher, "noted") else "_note"  # (older checkouts: _note)
    original_note = getattr(watch.Watcher, hook)
    original_rebuild = watch.Watcher.rebuild

    def note(self, *args):  # type: ignore[no-untyped-def]
        marks.setdefault("event", time.perf_counter())
        original_note(self, *args)

    def rebuild(self, index_now: bool = False):  # type: ignore[no-untyped-def]
        marks.setdefault("build", time.perf_counter())
        marks.setdefault("cpu0", time.thread_time())
        return original_rebuild(self, index_now)

    def on_live(version: int) -> None:
        marks.setdefault("live", time.perf_counter())

    def on_build(outcome) -> None:  # type: ignore[no-untyped-def]
        marks.setdefault("reported", time.perf_counter())
        marks.setdefault("cpu1", time.thread_time())
        if not outcome.ok:
            print("build failed:", [p.message for p in outcome.problems], flush=True)
        done.set()

    setattr(watch.Watcher, hook, note)
    watch.Watcher.rebuild = rebuild  # type: ignore[method-assign]
    watcher = watch.Watcher(source, root / "out", Options(), on_build=on_build, on_live=on_live,
                            on_index=lambda indexed: None)
    started = time.perf_counter()
    watcher.start()
    print(f"first build {time.perf_counter() - started:.2f} s; {args.posts} posts; load {os.getloadavg()[0]:.2f}",
          flush=True)
    posts = sorted((source / "columns" / "study").glob("post-*.md"))
    spans: dict[str, list[float]] = defaultdict(list)
    try:
        time.sleep(1.0)
        for number in range(args.warm + args.saves):
            marks.clear()
            timings.current.clear()
            done.clear()
            post = posts[(7 + number * 13) % len(posts)]
            marks["save"] = time.perf_counter()
            with open(post, "a", encoding="utf-8") as handle:
                handle.write(f"\nWatched edit {number}.\n")
            if not done.wait(60):
                raise SystemExit("no build within 60 s")
            time.sleep(args.gap)
            if number < args.warm:
                timings.current.clear()
                continue
            timings.end_save()
            t0 = marks["save"]
            spans["save → first event"].append(marks["event"] - t0)
            spans["save → build starts"].append(marks["build"] - t0)
            spans["save → live"].append(marks["live"] - t0)
            spans["save → reported"].append(marks["reported"] - t0)
            spans["build start → live"].append(marks["live"] - marks["build"])
            spans["build CPU (thread), whole"].append(marks["cpu1"] - marks["cpu0"])
            print(f"save {number}: live {marks['live'] - t0:.3f} s, reported {marks['reported'] - t0:.3f} s", flush=True)
    finally:
        watcher.stop()
        shutil.rmtree(root, ignore_errors=True)
    print(f"\nmedians of {args.saves} saves ({args.code}); load {os.getloadavg()[0]:.2f}")
    for name, values in spans.items():
        print(f"  {name:<34} {statistics.median(values) * 1000:7.1f} ms")
    print(f"\n  {'phase (inclusive)':<34} {'wall ms':>8} {'cpu ms':>8}")
    for label in labels:
        if label in timings.wall:
            wall, cpu = statistics.median(timings.wall[label]), statistics.median(timings.cpu[label])
            print(f"  {label:<34} {wall * 1000:8.1f} {cpu * 1000:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
