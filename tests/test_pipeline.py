"""The one pipeline: every entry point reads the clock once, the reuse store is never trusted
beyond what it can prove (and never runs code), and a watcher renders like `sitegen build`."""

from __future__ import annotations

import json
import multiprocessing
import pickle
import sqlite3
import time
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

from conftest import NOW, SITE_TOML, SiteDir, column, post, served
from sitegen import build as build_module
from sitegen.build import Options, build
from sitegen.cache import CACHE_DIR
from sitegen.watch import Watcher


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in served(folder) if CACHE_DIR not in p.parts}


def clean(site: SiteDir, folder: Path, now: datetime) -> dict[str, bytes]:
    build(site.root, folder, Options(now=now, cache=False))
    return tree(folder)


def reported(site: SiteDir) -> SiteDir:
    """A site with the work report on: its pages say which months have ended, so they depend
    on the day a build takes as today."""
    site.write({"site.toml": SITE_TOML + "search = false\nreport = true\n",
                "columns/news/2019-01-01-first.md": post("First", "2019-01-01"),
                "columns/news/2019-02-01-second.md": post("Second", "2019-02-01")})
    return site


def test_a_build_across_midnight_takes_one_day_for_the_whole_site(site: SiteDir, tmp_path: Path, monkeypatch) -> None:
    # The clock is read once: if any part of the build read it again, it would see the next
    # day (this clock passes midnight after its first reading) and the report and the record
    # of what the pages were made from would disagree with the rest of the site.
    reported(site)
    tz = NOW.tzinfo
    before_midnight = datetime(2019, 2, 28, 23, 59, 59, 999000, tzinfo=tz)

    class Clock(datetime):
        readings = 0

        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
            cls.readings += 1
            moment = before_midnight if cls.readings == 1 else before_midnight + timedelta(seconds=2)
            return moment.astimezone(tz) if tz else moment

    monkeypatch.setattr(build_module, "datetime", Clock)
    build(site.root, site.output, Options())
    assert Clock.readings == 1
    monkeypatch.undo()
    assert tree(site.output) == clean(site, tmp_path / "clean", before_midnight)
    # The next build, after midnight and with no file changed, follows the new day (1 March:
    # February has ended), as a clean build of that day does.
    after = before_midnight + timedelta(seconds=2)
    site.build(now=after)
    assert tree(site.output) == clean(site, tmp_path / "clean-after", after)


def test_check_reads_the_clock_once_too(site: SiteDir, monkeypatch) -> None:
    reported(site)
    readings: list[object] = []

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
            readings.append(tz)
            return NOW.astimezone(tz) if tz else NOW

    monkeypatch.setattr(build_module, "datetime", Clock)
    build_module.check(site.root)
    assert len(readings) == 1


def test_the_store_keeps_nothing_that_runs_code_when_read(site: SiteDir, tmp_path: Path) -> None:
    # The store lives in the output folder, which a web server's deploy user may be able to
    # write. Whatever is put there, a build reads it as data or not at all.
    site.write({"columns/news/2019-01-01-first.md": post("First", "2019-01-01", "tags: [a]\n", "Body.\n")})
    site.build()
    store = site.output / CACHE_DIR
    assert sorted(p.name for p in store.iterdir()) == ["cache.sqlite"]  # the one store
    with sqlite3.connect(store / "cache.sqlite") as db:
        values = [value for (value,) in db.execute("SELECT value FROM entries")]
        states = [value for (value,) in db.execute("SELECT value FROM state")]
    db.close()
    assert values and len(states) == 1
    for value in values + states:
        json.loads(value)  # every entry, and the state, is plain JSON

    # Every entry and the state replaced by a pickle that would leave a file behind if loaded.
    witness = tmp_path / "code-ran"

    class Payload:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (Path.touch, (witness,))

    bomb = pickle.dumps(Payload())
    with sqlite3.connect(store / "cache.sqlite") as db:
        db.execute("UPDATE entries SET value = ?", (bomb,))
        db.execute("UPDATE state SET value = ?", (bomb,))
    db.close()
    site.write({"columns/news/2019-01-01-first.md": post("First", "2019-01-01", "tags: [a]\n", "Body, edited.\n")})
    site.build()
    assert not witness.exists()
    assert tree(site.output) == clean(site, tmp_path / "clean", NOW)


def test_a_truncated_store_is_rebuilt(site: SiteDir, tmp_path: Path) -> None:
    site.write({"columns/news/2019-01-01-first.md": post("First", "2019-01-01", body="Body.\n")})
    site.build()
    path = site.output / CACHE_DIR / "cache.sqlite"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    site.write({"columns/news/2019-01-01-first.md": post("First", "2019-01-01", body="Body, edited.\n")})
    result = site.build()
    assert not result.warnings
    assert tree(site.output) == clean(site, tmp_path / "clean", NOW)


def test_the_watcher_renders_on_several_processes_like_a_build(site: SiteDir, tmp_path: Path) -> None:
    # Enough pages for two workers; a template edit renders every page again.
    site.write({f"columns/news/2019-01-{day:02d}-post-{n}.md": post(f"Post {n}", f"2019-01-{day:02d}", body=f"Text {n}.\n")
                for n in range(160) for day in [1 + n % 28]})
    seen: list[int] = []
    done: list[object] = []
    watcher = Watcher(site.root, site.output, Options(now=NOW, jobs=2), on_build=done.append, quiet=0.05,
                      on_index=lambda _: None)
    watcher.start()
    try:
        count = len(done)
        site.write({"templates/404.html": "{% extends 'base.html' %}{% block content %}gone{% endblock %}\n",
                    "columns/news/_index.md": column("News, renamed", 1)})  # every page shows the column's title
        deadline = time.monotonic() + 60
        while len(done) == count:
            seen.append(len(multiprocessing.active_children()))
            assert time.monotonic() < deadline, "the watcher did not rebuild within 60 s"
            time.sleep(0.005)
        assert done[-1].ok, done[-1]  # type: ignore[attr-defined]
    finally:
        watcher.stop()
    assert max(seen) >= 2, "the watcher's build ran on one process"
    assert tree(site.output) == clean(site, tmp_path / "clean", NOW)


def test_chinese_slugs_are_spelled_without_loading_the_pinyin_dictionaries_into_the_build(tmp_path: Path) -> None:
    # pypinyin's dictionaries (about 50 MB) stay out of the building process, which may be a
    # long-lived watcher, and out of the workers it forks: names are spelled in a child.
    import subprocess
    import sys

    site = SiteDir(tmp_path / "site").write({
        "site.toml": SITE_TOML + "search = false\n",
        "columns/学习/_index.md": column("专题学习", 1),
        "columns/学习/2019-03-05-党课.md": post("党课", "2019-03-05", "tags: [党史, 学习]\n"),
    })
    script = ("import sys; from pathlib import Path; from sitegen.build import build, Options; "
              f"build(Path({str(site.root)!r}), None, Options(jobs=1)); print('pypinyin' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"
    assert site.exists("xue-xi/dang-ke/index.html")
    assert site.exists("tags/dang-shi/index.html") and site.exists("tags/xue-xi/index.html")


def test_a_future_preview_follows_a_post_coming_due_with_no_file_changed(site: SiteDir, tmp_path: Path) -> None:
    site.write({"columns/news/2020-01-02-later.md": post("Later", "2020-01-02")})  # a day after NOW
    site.build(future=True)
    assert "Scheduled" in site.html("news/later/index.html").select_one("article.post").get_text()
    due = NOW + timedelta(days=2)
    site.build(future=True, now=due)  # nothing changed on disk, but the post is due now
    assert "Scheduled" not in site.html("news/later/index.html").select_one("article.post").get_text()
    fresh = tmp_path / "clean"
    build(site.root, fresh, Options(now=due, future=True, cache=False))
    assert tree(site.output) == tree(fresh)


def test_a_state_that_is_not_what_sitegen_wrote_is_not_trusted(site: SiteDir, tmp_path: Path) -> None:
    # The state says which files a no-change build compares; one edited by someone else (wrong
    # shapes, wrong types) is ignored and the build is a real one, with no traceback.
    site.write({"columns/news/2019-01-01-first.md": post("First", "2019-01-01", body="Body.\n")})
    site.build()
    store = site.output / CACHE_DIR / "cache.sqlite"
    with closing(sqlite3.connect(store)) as db:
        original = json.loads(db.execute("SELECT value FROM state").fetchone()[0])
    for damage in ({"outputs": {"index.html": [1, 2, 3]}}, {"sources": {"x": "status"}}, {"digests": {"x": 3}},
                   {"built": "yesterday"}, {"summary": []}):
        with closing(sqlite3.connect(store)) as db, db:
            db.execute("UPDATE state SET value = ?", (json.dumps({**original, **damage}),))
        result = site.build()
        assert result.site is not None, damage  # a real build, not the last summary repeated
    assert tree(site.output) == clean(site, tmp_path / "clean", NOW)
