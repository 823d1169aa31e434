"""What phone photos cost (issue 19): the CPU time of making all the versions of one 12 MP photo
(target: under 0.3 s), what `sitegen check` spends on one, what a turned photo's original costs
(jpegtran, or encoded again without it), what AVIF would cost instead of WebP, and cold,
no-change and one-edit builds of a site with 50 phone photos. CPU includes the libjpeg-turbo
tools' processes (jpeg_data.py).

    python bench/photos.py [--photos 50] [--runs 3] [--dir /dev/shm] [--jobs N]

Photos are generated (tests/photo_samples.py: photo-like noise over shapes, EXIF orientation
and GPS), 4032 x 3024 like a 12 MP phone camera's, saved at quality 92 (4-5 MB each, as phones
write them). Each build runs `python -m sitegen build` as its own process; its CPU is the
user+system time of it and every worker it started."""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from photo_samples import phone_jpeg  # noqa: E402
from PIL import Image, features  # noqa: E402

from sitegen import jpeg_data  # noqa: E402
from sitegen.photos import make  # noqa: E402

TOML = """title = "照片基准"
base_url = "http://bench.example/"
language = "zh-CN"
search = false
stale_days = 0
study_column = ""
"""


def cpu() -> float:
    """CPU seconds of this process and of the processes it waited for (djpeg, jpegtran)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def per_photo(runs: int) -> list[tuple[str, float, int, int]]:
    """(kind, median CPU seconds, original bytes, bytes of all versions) per kind of photo."""
    rows = []
    for kind, orientation in (("12 MP landscape", 1), ("12 MP portrait (EXIF 6)", 6)):
        data = phone_jpeg(4032, 3024, orientation=orientation, seed=orientation, quality=92)
        make(data)  # the first call loads codecs
        times = []
        for _ in range(runs):
            started = cpu()
            made = make(data)
            times.append(cpu() - started)
        rows.append((kind, statistics.median(times), len(data), sum(len(v[2]) for v in made.versions)))
    return rows


def other_costs(runs: int) -> list[tuple[str, float, float]]:
    """(what, median CPU seconds, median wall seconds) for one 12 MP photo: `sitegen check`'s
    reading (make(probe=True)) with djpeg and without, and a turned photo with photo_originals
    (all versions and the original), with jpegtran and without."""
    data = phone_jpeg(4032, 3024, orientation=6, seed=6, quality=92)
    rows = []
    for what, call, tools in (("check, djpeg reading it all (1/8 size)", lambda: make(data, probe=True), True),
                              ("check, without djpeg (Pillow at 1/8)", lambda: make(data, probe=True), False),
                              ("versions + original, jpegtran turning it", lambda: make(data, originals=True), True),
                              ("versions + original, encoded again (no jpegtran)", lambda: make(data, originals=True), False)):
        saved = jpeg_data.JPEGTRAN, jpeg_data.DJPEG
        if not tools:
            jpeg_data.JPEGTRAN = jpeg_data.DJPEG = None
        try:
            call()
            cpus, walls = [], []
            for _ in range(runs):
                started, wall = cpu(), time.perf_counter()
                call()
                cpus.append(cpu() - started)
                walls.append(time.perf_counter() - wall)
        finally:
            jpeg_data.JPEGTRAN, jpeg_data.DJPEG = saved
        rows.append((what, statistics.median(cpus), statistics.median(walls)))
    return rows


def formats(runs: int) -> list[tuple[str, float, int]]:
    """(encoder, median CPU seconds, bytes) of the largest version of a 12 MP photo (1600 x 1200):
    WebP as photos.py writes it, and AVIF at the speeds a build could afford."""
    image = Image.open(io.BytesIO(phone_jpeg(4032, 3024, seed=3, quality=92))).resize((1600, 1200))
    encoders = [("WebP q80 method 2 (photos.py)", {"format": "WEBP", "quality": 80, "method": 2})]
    if features.check("avif"):
        encoders += [(f"AVIF q60 speed {speed}", {"format": "AVIF", "quality": 60, "speed": speed}) for speed in (6, 8, 10)]
    rows = []
    for name, options in encoders:
        times, size = [], 0
        for _ in range(runs + 1):
            out = io.BytesIO()
            started = time.process_time()
            image.save(out, **options)
            times.append(time.process_time() - started)
            size = len(out.getvalue())
        rows.append((name, statistics.median(times[1:]), size))
    return rows


def write_site(root: Path, photos: int) -> None:
    (root / "columns/style").mkdir(parents=True)
    (root / "site.toml").write_text(TOML, encoding="utf-8")
    (root / "columns/style/_index.md").write_text("---\ntitle: 党员风采\norder: 1\n---\n", encoding="utf-8")
    for post in range(photos // 8 + (photos % 8 > 0)):
        bundle = root / f"columns/style/2024-05-{post + 1:02d}-activity-{post}"
        bundle.mkdir()
        names = []
        for i in range(min(8, photos - post * 8)):
            name = f"IMG_{post:02d}{i:02d}.jpg"
            (bundle / name).write_bytes(phone_jpeg(4032, 3024, orientation=6 if i % 3 == 0 else 1,
                                                   seed=post * 8 + i, quality=92))
            names.append(name)
        body = "\n\n".join(f"![活动照片 {n}]({n})" for n in names)
        (bundle / "index.md").write_text(f"---\ntitle: 主题党日活动 {post}\ndate: 2024-05-{post + 1:02d}\n"
                                         f"cover: {names[0]}\n---\n\n{body}\n", encoding="utf-8")


def build(root: Path, jobs: int | None) -> tuple[float, float]:
    """Wall and CPU seconds (this build and its workers) of one build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    command = [sys.executable, "-m", "sitegen", "build", "--source", str(root)]
    if jobs:
        command += ["--jobs", str(jobs)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(REPO)})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def store_size(output: Path) -> str:
    """The reuse store against the pictures it keeps (versions were kept hex-encoded: twice)."""
    pictures = 0
    for folder, _, names in os.walk(output):  # (symlinks to folders are not followed: each file once)
        if ".sitegen-cache" not in folder:
            pictures += sum(os.path.getsize(os.path.join(folder, n)) for n in names if n.endswith((".webp", ".jpg")))
    store = sum(f.stat().st_size for f in (output / ".sitegen-cache").glob("cache.sqlite*"))
    return f"store after the cold build: {store / 1e6:.1f} MB for {pictures / 1e6:.1f} MB of published pictures\n"


def builds(base: Path, photos: int, runs: int, jobs: int | None) -> dict[str, list[tuple[float, float]]]:
    found: dict[str, list[tuple[float, float]]] = {"cold": [], "no change": [], "one text edit": []}
    for run in range(runs):
        root = Path(tempfile.mkdtemp(prefix="sitegen-photos-", dir=base))
        try:
            write_site(root, photos)
            found["cold"].append(build(root, jobs))
            if run == 0:
                print(store_size(root / "output"))
            found["no change"].append(build(root, jobs))
            post = next((root / "columns/style").glob("*/index.md"))
            post.write_text(post.read_text(encoding="utf-8") + f"\n编辑 {run}\n", encoding="utf-8")
            found["one text edit"].append(build(root, jobs))
        finally:
            shutil.rmtree(root, ignore_errors=True)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--no-builds", action="store_true", help="one photo's costs only")
    parser.add_argument("--dir", type=Path, default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    args = parser.parse_args()
    print("| photo | CPU for all versions (median) | original | all versions |")
    print("|---|---|---|---|")
    for kind, cpu, size, made in per_photo(args.runs):
        print(f"| {kind} | {cpu:.3f} s {'(target 0.3 s: met)' if cpu < 0.3 else '(target 0.3 s: NOT met)'} | "
              f"{size / 1e6:.1f} MB | {made / 1e3:.0f} KB |")
    print("\n| one 12 MP portrait photo (EXIF 6) | CPU (median) | wall (median) |")
    print("|---|---|---|")
    for what, seconds, wall in other_costs(args.runs):
        print(f"| {what} | {seconds * 1000:.0f} ms | {wall * 1000:.0f} ms |")
    print("\n| the 1600 px version of a 12 MP photo, encoded as | CPU (median) | bytes |")
    print("|---|---|---|")
    for name, cpu, size in formats(args.runs):
        print(f"| {name} | {cpu:.3f} s | {size / 1e3:.0f} KB |")
    if args.no_builds:
        return 0
    print(f"\n| build of {args.photos} phone photos | wall (median, min-max) | CPU (median) |")
    print("|---|---|---|")
    for name, samples in builds(args.dir, args.photos, args.runs, args.jobs).items():
        walls = [wall for wall, _ in samples]
        print(f"| {name} | {statistics.median(walls):.2f} s ({min(walls):.2f}-{max(walls):.2f}) | "
              f"{statistics.median(cpu for _, cpu in samples):.2f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
