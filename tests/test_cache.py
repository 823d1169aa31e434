"""The build cache and skipped pages never change what a build produces: after any edit,
an incremental build's output equals a clean build's, byte for byte."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import NO_SEARCH, NOW, SITE_TOML, SiteDir, column, post, served
from photo_samples import phone_jpeg
from sitegen import cache as cache_module
from sitegen import snapshot
from sitegen.build import Options, build
from sitegen.cache import CACHE_DIR
from sitegen.errors import BuildFailed


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in served(folder) if CACHE_DIR not in p.parts
    }


def clean_build(site: SiteDir, tmp_path: Path, **options: object) -> dict[str, bytes]:
    """What a build with no cache and an empty output folder makes of the site as it is now."""
    fresh = tmp_path / f"clean-{len(list(tmp_path.iterdir()))}"
    build(site.root, fresh, Options(now=NOW, cache=False, **options))  # type: ignore[arg-type]
    return tree(fresh)


@pytest.fixture
def linked(site: SiteDir) -> SiteDir:
    site.write({
        "columns/study/_index.md": column("Study", 2, body="Start with [the lesson](lesson.md).\n"),
        "columns/news/2019-01-01-first.md": post("First", "2019-01-01", "tags: [a]\n",
                                                  "Read [the lesson](../study/lesson.md) first.\n"),
        "columns/news/2019-02-01-second.md": post("Second", "2019-02-01", "tags: [a, b]\n", "Second body.\n"),
        "columns/study/lesson.md": post("Lesson", "2019-01-15", "tags: [b]\n", "The lesson.\n"),
    })
    site.build()
    return site


EDITS = {
    "body": lambda s: s.write({"columns/news/2019-02-01-second.md": post("Second", "2019-02-01", "tags: [a, b]\n", "New body.\n")}),
    "tags": lambda s: s.write({"columns/news/2019-02-01-second.md": post("Second", "2019-02-01", "tags: [b]\n", "Second body.\n")}),
    "title": lambda s: s.write({"columns/news/2019-02-01-second.md": post("Second, renamed", "2019-02-01", "tags: [a, b]\n")}),
    "linked slug": lambda s: s.write({"columns/study/lesson.md": post("Lesson", "2019-01-15", "slug: party-lesson\ntags: [b]\n", "The lesson.\n")}),
    "column intro": lambda s: s.write({"columns/study/_index.md": column("Study", 2, body="Read *everything*.\n")}),
    "rename": lambda s: (s.root / "columns/news/2019-02-01-second.md").rename(s.root / "columns/news/2019-02-01-renamed.md"),
    "delete": lambda s: (s.root / "columns/news/2019-02-01-second.md").unlink(),
    "new post": lambda s: s.write({"columns/news/2019-03-01-third.md": post("Third", "2019-03-01", "tags: [b]\n")}),
    "template": lambda s: s.write({"templates/post.html": '{% extends "base.html" %}{% block content %}<h1>{{ post.title }}</h1>{{ post.body_html }}{% endblock %}'}),
    "setting": lambda s: s.write({"site.toml": (s.root / "site.toml").read_text().replace('title = "Test Site"', 'title = "Renamed Site"')}),
    "language": lambda s: s.write({"site.toml": (s.root / "site.toml").read_text().replace('language = "en"', 'language = "zh-CN"')}),
}


@pytest.mark.parametrize("edit", EDITS)
def test_an_incremental_build_equals_a_clean_build(linked: SiteDir, tmp_path: Path, edit: str) -> None:
    EDITS[edit](linked)
    linked.build()
    assert tree(linked.output) == clean_build(linked, tmp_path)


def test_the_cache_is_used_and_lives_inside_the_output(linked: SiteDir) -> None:
    database = linked.output / CACHE_DIR / "cache.sqlite"
    assert database.is_file()
    assert not (linked.root / CACHE_DIR).exists()
    result = linked.build()
    assert result.stats is not None and result.stats.written == 0


def test_a_change_of_sitegen_itself_renders_everything_again(linked: SiteDir, tmp_path: Path, monkeypatch) -> None:
    page = linked.output / "news/first/index.html"
    page.write_text("stale")  # the manifest still says this page is up to date...
    os.utime(page, ns=(0, 0))
    monkeypatch.setattr("sitegen.pipeline.code_key", lambda: "another version of sitegen")
    linked.build()  # ...but a new sitegen trusts neither the cache nor the old pages
    assert tree(linked.output) == clean_build(linked, tmp_path)


def test_a_broken_link_is_found_even_when_the_linking_post_is_cached(linked: SiteDir) -> None:
    (linked.root / "columns/study/lesson.md").unlink()
    with pytest.raises(BuildFailed) as failed:
        linked.build()
    assert any("first.md" in str(p.path) and p.line == 7 for p in failed.value.errors)


@pytest.mark.parametrize("damage", ["garbage", "empty", "wrong table", "deleted"])
def test_a_damaged_cache_is_rebuilt_silently(linked: SiteDir, tmp_path: Path, damage: str) -> None:
    database = linked.output / CACHE_DIR / "cache.sqlite"
    if damage == "garbage":
        database.write_bytes(b"this is not a database" * 100)
    elif damage == "empty":
        database.write_bytes(b"")
    elif damage == "wrong table":
        database.unlink()
        with sqlite3.connect(database) as db:
            db.execute("CREATE TABLE entries (something INTEGER)")
        db.close()
    else:
        database.unlink()
    EDITS["body"](linked)
    result = linked.build()
    assert not result.warnings
    assert tree(linked.output) == clean_build(linked, tmp_path)
    assert database.is_file() and database.stat().st_size > 0


def test_an_unreadable_cache_entry_is_ignored(linked: SiteDir, tmp_path: Path) -> None:
    database = linked.output / CACHE_DIR / "cache.sqlite"
    with sqlite3.connect(database) as db:
        db.execute("UPDATE entries SET value = x'00ff00'")
    db.close()
    linked.build()
    assert tree(linked.output) == clean_build(linked, tmp_path)


def test_one_and_two_processes_give_identical_output(site: SiteDir, tmp_path: Path, monkeypatch) -> None:
    # Enough posts and pages for the work to be split between processes.
    site.write({
        f"columns/news/p{i:03d}.md": post(f"Post {i}", f"2019-{i % 12 + 1:02d}-{i % 28 + 1:02d}", f"tags: [t{i % 7}]\n",
                                          f"Body of post {i} with a [link](p{(i + 1) % 150:03d}.md).\n")
        for i in range(150)
    })
    one = tmp_path / "one"
    two = tmp_path / "two"
    build(site.root, one, Options(now=NOW, jobs=1, cache=False))
    build(site.root, two, Options(now=NOW, jobs=2, cache=False))
    assert tree(one) == tree(two)
    assert len(tree(one)) > 150
    # With a cache, bodies are read back from it by the worker that renders the page: some
    # still waiting to be written, some already in the database.
    cached = tmp_path / "cached"
    monkeypatch.setattr("sitegen.load.Loader.body_again", lambda self, path: pytest.fail("a body was not in the cache"))
    build(site.root, cached, Options(now=NOW, jobs=2))
    assert tree(cached) == tree(one)
    (site.root / "templates").mkdir()
    (site.root / "templates/post.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>{{ post.title }}</h1>{{ post.body_html }}{% endblock %}')
    build(site.root, cached, Options(now=NOW, jobs=2))  # every post page again, every body from the database
    build(site.root, one, Options(now=NOW, jobs=1, cache=False))
    assert tree(cached) == tree(one)


# A site's own list showing every field of a card, and the lastmod templates may use.
OWN_LIST_OF_CARDS = """{% extends "base.html" %}
{% block content %}
{% for post in posts %}
<article><a href="{{ post.url }}">{{ post.title }}</a> {{ post.slug }} {{ post.date | isodate }} {{ post.updated }}
{{ post.lastmod | isodate }} {{ post.author }} {{ post.tags | map(attribute='name') | join(',') }} {{ post.summary_html }}
{{ post.column.title }} {{ post.cover_url }} {{ post.pinned }} {{ post.draft }} {{ post.reading_minutes }}
{{ post.attachments | length }}</article>
{% endfor %}
{% endblock %}
"""


@pytest.mark.parametrize("edit", ["title", "body"])
def test_a_sites_own_list_of_cards_follows_every_edit(linked: SiteDir, tmp_path: Path, edit: str) -> None:
    linked.write({"templates/column.html": OWN_LIST_OF_CARDS})
    linked.build()
    EDITS[edit](linked)
    linked.build()
    assert tree(linked.output) == clean_build(linked, tmp_path)
    linked.write({"columns/news/2019-01-01-first.md": post("First", "2019-01-01", "tags: [a]\nauthor: Li Hua\n"
                                                           "updated: 2019-06-01\n", "Read [the lesson](../study/lesson.md) first.\n")})
    linked.build()
    assert "Li Hua" in (linked.output / "news/index.html").read_text("utf-8")
    assert tree(linked.output) == clean_build(linked, tmp_path)


def test_every_field_of_a_post_is_on_its_card_or_in_its_own_key() -> None:
    # A post's own page is known unchanged while its card and own_key are: a field of a post on
    # neither would let that page go stale.
    from dataclasses import fields

    from sitegen.model import CARD_FIELDS, Post

    assert {f.name for f in fields(Post)} - set(CARD_FIELDS) == {"body", "toc_html", "source"}


def test_code_key_follows_the_code(tmp_path: Path, monkeypatch) -> None:
    before = cache_module.code_key()
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    assert cache_module.code_key() != before


# ============================================================ a build with nothing to do

def settle() -> None:
    """File times tick coarsely: a file changed just before a build is not trusted by its
    status (snapshot.RACY_NS), so these tests let the sources age past that first."""
    time.sleep(snapshot.RACY_NS / 1e9 + 0.02)


def test_a_build_with_nothing_to_do_reads_no_post(linked: SiteDir, monkeypatch) -> None:
    settle()
    first = linked.build()
    assert first.site is not None
    # (build() makes a Loader itself: load_site is the report command's.)
    monkeypatch.setattr("sitegen.load.Loader.load", lambda self: pytest.fail("the posts were loaded again"))
    again = linked.build()
    assert again.site is None and again.stats is not None and again.stats.written == 0
    assert again.summary().split(", 0 written")[0] == first.summary().split(", 0 written")[0]


OUTPUT_EDITS = {
    "page deleted": lambda s: (s.output / "news/second/index.html").unlink(),
    "page edited": lambda s: (s.output / "news/second/index.html").write_text("edited by hand"),
    "feed deleted": lambda s: (s.output / "feed.xml").unlink(),
    "stylesheet deleted": lambda s: next((s.output / "static").glob("style.*.css")).unlink(),
}


def _same_size_same_mtime(site: SiteDir) -> None:
    """An edit that keeps the file's size and modification time (a tool restoring mtimes)."""
    path = site.root / "columns/news/2019-02-01-second.md"
    before = path.stat()
    path.write_text(path.read_text().replace("Second body.", "Second BODY."))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize("edit", [*EDITS, *OUTPUT_EDITS, "same size and time"])
def test_after_any_change_a_settled_site_is_built_again(linked: SiteDir, tmp_path: Path, edit: str) -> None:
    settle()
    linked.build()  # records the settled sources: a next build with no change would do nothing
    (EDITS | OUTPUT_EDITS | {"same size and time": _same_size_same_mtime})[edit](linked)
    result = linked.build()
    assert result.site is not None, "the change went unnoticed"
    assert tree(linked.output) == clean_build(linked, tmp_path)


def test_a_post_appears_when_its_date_comes_even_with_no_file_changed(linked: SiteDir) -> None:
    linked.write({"columns/news/2020-02-01-later.md": post("Later", "2020-02-01")})
    settle()
    linked.build()
    assert not (linked.output / "news/later/index.html").exists()
    assert linked.build().site is None  # nothing changed, and the post is not due yet
    linked.build(now=datetime(2020, 2, 2, tzinfo=NOW.tzinfo))
    assert (linked.output / "news/later/index.html").is_file()


def test_a_build_with_nothing_to_do_repeats_the_warnings(linked: SiteDir) -> None:
    linked.write({"site.toml": (linked.root / "site.toml").read_text() + "unsafe_html = true\n"})
    settle()
    first = linked.build()
    again = linked.build()
    assert again.site is None
    assert [w.format() for w in again.warnings] == [w.format() for w in first.warnings] != []


def test_options_that_change_the_site_are_not_taken_for_no_change(linked: SiteDir) -> None:
    linked.write({"columns/news/2019-03-01-draft.md": post("Draft", "2019-03-01", "draft: true\n")})
    settle()
    linked.build()
    linked.build(drafts=True)
    assert (linked.output / "news/draft/index.html").is_file()
    linked.build()
    assert not (linked.output / "news/draft/index.html").exists()


def test_an_edit_rewrites_the_pages_that_show_the_post_and_no_other(linked: SiteDir, tmp_path: Path) -> None:
    # A body edit changes that post's page (and full-content feeds) alone; a title edit, the
    # pages that show the post; every other page keeps its bytes and its time, so rsync and
    # caches see only real changes. (How few pages a build even looks at is bench/'s business.)
    def times() -> dict[str, int]:
        return {p.relative_to(linked.output).as_posix(): p.stat().st_mtime_ns
                for p in served(linked.output) if p.suffix == ".html" and CACHE_DIR not in p.parts}

    def rewritten(before: dict[str, int]) -> set[str]:
        return {path for path, mtime in times().items() if before.get(path) != mtime}

    linked.write({"columns/news/2019-02-01-second.md": post("Second", "2019-02-01", "tags: [a, b]\nsummary: The second.\n",
                                                             "Second body.\n\n## More\n\nAnd more.\n")})
    linked.build()
    before = times()
    linked.write({"columns/news/2019-02-01-second.md": post("Second", "2019-02-01", "tags: [a, b]\nsummary: The second.\n",
                                                             "Second body, edited.\n\n## More and more\n\nAnd more.\n")})
    linked.build()
    assert rewritten(before) == {"news/second/index.html"}
    assert tree(linked.output) == clean_build(linked, tmp_path)
    before = times()
    EDITS["title"](linked)  # a card changed: the pages that show the post, and only they
    linked.build()
    assert {"news/second/index.html", "news/first/index.html", "study/lesson/index.html", "news/index.html",
            "tags/a/index.html", "archive/index.html", "index.html"} <= rewritten(before)
    assert "study/index.html" not in rewritten(before) and "404.html" not in rewritten(before)
    assert tree(linked.output) == clean_build(linked, tmp_path)
    (linked.output / "tags/a/index.html").unlink()  # a page gone from the output is made again
    before = times()
    linked.build()
    assert rewritten(before) == {"tags/a/index.html"}
    assert tree(linked.output) == clean_build(linked, tmp_path)


def test_a_build_without_the_cache_in_between_is_not_taken_for_the_last_cached_one(linked: SiteDir, tmp_path: Path) -> None:
    # The cache's record of what the pages were made from holds for the output as that build
    # left it; a build without the cache rewrote pages behind its back.
    second = linked.root / "columns/news/2019-02-01-second.md"
    before = second.read_text()
    EDITS["title"](linked)
    linked.build(cache=False)
    second.write_text(before)  # the cards are as the cached build saw them, the pages are not
    linked.build()
    assert tree(linked.output) == clean_build(linked, tmp_path)


def test_the_work_report_follows_the_day_with_no_file_changed(linked: SiteDir, tmp_path: Path) -> None:
    # The report says which months have ended: a build on a later day, with the same posts,
    # writes the report as a clean build of that day does.
    later = datetime(2019, 3, 2, 12, 0, tzinfo=NOW.tzinfo)
    linked.build(now=datetime(2019, 2, 20, 12, 0, tzinfo=NOW.tzinfo))
    before = tree(linked.output)
    linked.build(now=later)
    fresh = tmp_path / "clean-later"
    build(linked.root, fresh, Options(now=later, cache=False))
    assert tree(linked.output) == tree(fresh)
    assert tree(linked.output)["report/index.html"] != before["report/index.html"]


def test_a_body_the_cache_cannot_give_back_is_made_again(linked: SiteDir, tmp_path: Path) -> None:
    # Pages read posts' bodies back from the store; when an entry is gone (another build cleaned
    # it, the disk failed), the body is rendered again from its file and the page is the same.
    with sqlite3.connect(linked.output / CACHE_DIR / "cache.sqlite") as db:
        assert db.execute("DELETE FROM entries WHERE key LIKE 'html%'").rowcount >= 3
    db.close()
    EDITS["template"](linked)  # every post page is rendered, so every body is asked for
    linked.build()
    assert tree(linked.output) == clean_build(linked, tmp_path)


def test_a_body_made_again_from_a_file_changed_during_the_build_fails_the_build(linked: SiteDir) -> None:
    # When a body's cache entry is gone by the time a page shows it, the body is made again from
    # its file; if the file changed since the build read it, that body would not be the one the
    # post was loaded with (and the file may be gone). The build fails and says so; the pages
    # stay as the last good build left them, never with an empty body.
    lesson = linked.root / "columns/study/lesson.md"
    with sqlite3.connect(linked.output / CACHE_DIR / "cache.sqlite") as db:
        assert db.execute("DELETE FROM entries WHERE key LIKE 'html' || char(31) || '%'").rowcount == 3  # the three posts
    db.close()
    EDITS["template"](linked)  # every post's page is rendered again, and asks for its body
    before = tree(linked.output)

    def edit_lesson(what: str, done: int, total: int) -> None:
        # The news column's pages come first (order 1): the lesson's page is not rendered yet.
        if what == "pages written" and done == 1:
            lesson.write_text(post("Lesson", "2019-01-15", "tags: [b]\n", "The lesson, edited.\n"))

    with pytest.raises(BuildFailed) as failed:
        linked.build(jobs=1, progress=edit_lesson)
    assert [(p.path, p.message, p.hint) for p in failed.value.errors] == [
        (lesson, "the file changed while the site was being built", "build again")]
    assert tree(linked.output) == before
    linked.build()
    assert "The lesson, edited." in (linked.output / "study/lesson/index.html").read_text()


def test_a_file_changed_just_before_a_build_is_read_again_by_the_next(tmp_path: Path) -> None:
    # File times are coarse: a file changed just before a scan could change again, within the
    # same tick, without its status showing it. So it is not taken as unchanged next time.
    fresh = tmp_path / "fresh.md"
    fresh.write_text("x")
    coarse = tmp_path / "coarse.md"  # a whole-second time, as FAT or some network shares keep
    coarse.write_text("x")
    whole_second = (time.time_ns() // 1_000_000_000 - 1) * 1_000_000_000
    os.utime(coarse, ns=(whole_second, whole_second))
    old = tmp_path / "old.md"
    old.write_text("x")
    os.utime(old, ns=(time.time_ns() - 10**10, time.time_ns() - 10**10))
    scan = snapshot.Scan.of([tmp_path])
    assert scan.entries[str(fresh)] is None
    assert scan.entries[str(coarse)] is None
    time.sleep(snapshot.RACY_NS / 1e9 + 0.02)
    later = snapshot.Scan.of([tmp_path])
    assert later.entries[str(fresh)] is not None  # old enough now, to the nanosecond
    assert later.entries[str(old)] is not None


def test_a_scan_brought_up_to_date_by_the_named_changes_is_a_whole_scan(tmp_path: Path) -> None:
    # A watcher's build looks again only at the files events named (snapshot.Scan.again): what
    # it finds must be what a whole scan finds, or a build would trust a stale status.
    site = SiteDir(tmp_path / "site").write({"site.toml": SITE_TOML, "columns/news/_index.md": column("News", 1),
                                             "columns/news/a.md": post("A"), "columns/news/b.md": post("B"),
                                             "columns/study/_index.md": column("Study", 2), "columns/study/c.md": post("C")})
    roots = [site.root / "site.toml", site.root / "columns", site.root / "templates", site.root / "static"]
    time.sleep(snapshot.RACY_NS / 1e9 + 0.01)
    last = snapshot.Scan.of(roots)
    last.folder_keys(site.root / "columns")
    steps = [{"columns/news/a.md": post("A", body="Edited.\n")}, {"columns/news/d.md": post("D")}, "columns/news/b.md",
             {"site.toml": SITE_TOML + "\n"}, {"columns/study/c.md": post("C", body="Edited.\n")}]
    for step in steps:
        if isinstance(step, str):
            (site.root / step).unlink()
            named = [str(site.root / step)]
        else:
            site.write(step)
            named = [str(site.root / name) for name in step]
        time.sleep(snapshot.RACY_NS / 1e9 + 0.01)
        again, whole = snapshot.Scan.again(last, roots, named), snapshot.Scan.of(roots)
        assert again.entries == whole.entries, step
        assert again.folder_keys(site.root / "columns") == whole.folder_keys(site.root / "columns"), step
        last = again
    site.write({"columns/news/bundle/index.md": post("Bundle")})  # a new folder: scanned whole
    again = snapshot.Scan.again(last, roots, [str(site.root / "columns/news/bundle/index.md")])
    assert str(site.root / "columns/news/bundle") in again.entries


# ------------------------------------------------------------------ any sequence of edits

EDIT_STEPS = ("body", "body and summary", "title", "author", "tags", "tag spelling", "pinned", "date", "slug",
              "new post", "delete", "next month", "page deleted", "template", "settings", "static file", "draft",
              "future", "column title", "attachment", "photo")
SETTINGS = (SITE_TOML + NO_SEARCH, SITE_TOML.replace("posts_per_page = 10", "posts_per_page = 2") + NO_SEARCH)


def _statuses(root: Path) -> dict[str, tuple[int, ...]]:
    """Every file of a site's sources (not its output) with its status."""
    found = {}
    for folder in ("columns", "templates", "static"):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                info = path.stat()
                found[str(path)] = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
    config = root / "site.toml"
    info = config.stat()
    found[str(config)] = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
    return found


def _changed(before: dict[str, tuple[int, ...]], after: dict[str, tuple[int, ...]]) -> set[str]:
    """The files made, changed or removed: what watchdog reports of a step."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


class _Posts:
    """A small site whose posts link to each other, edited step by step."""

    def __init__(self, site: SiteDir) -> None:
        self.site = site
        self.posts = {f"p{i}": {"title": f"Post {i}", "tags": ["a", "b"][: i % 3], "slug": None, "author": None,
                                "pinned": False, "month": 1 + i, "summary": "Fixed summary." if i % 2 else None,
                                "body": f"Body {i}.", "draft": False, "year": 2019} for i in range(4)}
        self.count = 4
        self.now = NOW
        self.versions = {"template": 0, "settings": 0, "static file": 0, "column title": 0, "attachment": 0, "photo": 0}

    def shown(self, name: str) -> bool:
        """Whether a build publishes the post (links to one it leaves out are errors)."""
        post_ = self.posts[name]
        return not post_["draft"] and post_["year"] < self.now.year

    def write(self, name: str) -> None:
        post_ = self.posts[name]
        extra = f"tags: [{', '.join(post_['tags'])}]\npinned: {str(post_['pinned']).lower()}\n"
        extra += f"slug: {post_['slug']}\n" if post_["slug"] else ""
        extra += f"author: {post_['author']}\n" if post_["author"] else ""
        extra += f"summary: {post_['summary']}\n" if post_["summary"] else ""
        extra += "draft: true\n" if post_["draft"] else ""
        others = sorted(other for other in self.posts if self.shown(other) or other == name)
        target = others[(others.index(name) + 1) % len(others)]
        link = f"See [the next one]({target}.md)." if target != name else "No other post."
        body = f"{post_['body']}\n\n{link}\n\n## One\n\nText.\n\n## Two\n\nMore.\n"
        date = f"{post_['year']}-{post_['month']:02d}-01"
        self.put({f"columns/news/{name}.md": post(post_["title"], date, extra, body)})

    def put(self, files: dict[str, str]) -> None:
        """Writes the files whose text changed: the others keep their statuses, so that a build
        may trust them (and take what the last build read of a folder whose files all kept theirs)."""
        self.site.write({name: text for name, text in files.items() if not (self.site.root / name).is_file()
                         or (self.site.root / name).read_text(encoding="utf-8") != text})

    def write_site_files(self) -> None:
        """The template, settings and static file, in their current versions."""
        template, settings, static = (self.versions[k] for k in ("template", "settings", "static file"))
        files: dict[str, str] = {"site.toml": SETTINGS[settings % 2]}
        # A column no step edits (one post of it comes due after two months), sharing tags with news.
        files["columns/notes/_index.md"] = column("Notes", 2, "", "Notes of the branch.\n")
        files["columns/notes/n1.md"] = post("Note one", "2019-07-01", "tags: [a]\n", "A note.\n")
        files["columns/notes/n2.md"] = post("Note two", "2020-02-15", "tags: [b]\n", "A later note.\n")
        if template:
            files["templates/404.html"] = (f"{{% extends 'base.html' %}}{{% block content %}}Gone ({template})."
                                           "{% endblock %}\n")
        title = "News" + "!" * (self.versions["column title"] % 2)
        files["columns/news/_index.md"] = column(title, 1, "description: Branch news\n", "News of the branch.\n")
        # A photo shown in the bundle and as its cover: absent, then one, then another (taken sideways).
        photo = self.versions["photo"] % 3
        shown = "cover: photo.jpg\n" if photo else ""
        files["columns/news/bundle/index.md"] = post("A bundle", "2019-06-02", shown,
                                                     "Minutes attached.\n" + ("\n![合影](photo.jpg)\n" if photo else ""))
        picture = self.site.root / "columns/news/bundle/photo.jpg"
        if photo:
            data = phone_jpeg(200, 150, orientation=1 if photo == 1 else 6, seed=photo)
            if not picture.is_file() or picture.read_bytes() != data:
                self.site.write({"columns/news/bundle/photo.jpg": data})
        elif picture.exists():
            picture.unlink()
        attachment = self.site.root / "columns/news/bundle/minutes.pdf"
        if self.versions["attachment"] % 3:  # absent, then of one size, then of another
            files["columns/news/bundle/minutes.pdf"] = "%PDF-1.4\n" + "x" * (100 * (self.versions["attachment"] % 3))
        elif attachment.exists():
            attachment.unlink()
        if static % 3:
            files["static/notes.txt"] = f"Notes, version {static}.\n"
        elif (self.site.root / "static/notes.txt").exists():
            (self.site.root / "static/notes.txt").unlink()
        self.put(files)

    def write_all(self) -> None:
        for name in self.posts:
            self.write(name)

    def step(self, kind: str, pick: int) -> None:
        name = sorted(self.posts)[pick % len(self.posts)]
        post_ = self.posts[name]
        if kind == "body":
            post_["body"] += " More."
            post_["summary"] = post_["summary"] or "Now a fixed summary."
        elif kind == "body and summary":
            post_["body"] = f"Rewritten {pick}. " + post_["body"]
        elif kind == "title":  # back and forth, so that a build may meet cards it has seen before
            post_["title"] = post_["title"][:-1] if post_["title"].endswith("!") else post_["title"] + "!"
        elif kind == "author":
            post_["author"] = "Wang" if post_["author"] != "Wang" else "Li"
        elif kind == "tag spelling":  # the same tag (by its address), spelt otherwise
            post_["tags"] = [tag.upper() if tag.islower() else tag.lower() for tag in post_["tags"]]
        elif kind == "pinned":
            post_["pinned"] = not post_["pinned"]
        elif kind == "date":
            post_["month"] = 1 + (post_["month"] + pick) % 12
        elif kind == "tags":
            post_["tags"] = ["a", "c"] if post_["tags"] != ["a", "c"] else ["b"]
        elif kind == "slug":
            post_["slug"] = f"moved-{name}" if post_["slug"] is None else None
        elif kind == "new post":
            name = f"p{self.count}"
            self.count += 1
            self.posts[name] = {"title": f"New {name}", "tags": ["a"], "slug": None, "author": None, "pinned": False,
                                "month": 1 + pick, "summary": None, "body": "New.", "draft": False, "year": 2019}
        elif kind == "delete" and len(self.posts) > 2:
            del self.posts[name]
            (self.site.root / f"columns/news/{name}.md").unlink()
        elif kind == "next month":
            self.now = self.now + timedelta(days=31)
        elif kind == "page deleted":  # by hand, from the site as it is served (sitegen's versions folder is its own)
            pages = sorted(path for path in served(self.site.output) if path.name == "index.html")
            pages[pick % len(pages)].unlink()
        elif kind in self.versions:
            self.versions[kind] += 1
        elif kind == "draft":
            post_["draft"] = not post_["draft"]
        elif kind == "future":  # dated after "now" (left out), or back
            post_["year"] = 2030 if post_["year"] == 2019 else 2019
        self.write_all()  # links follow renames and deletions
        self.write_site_files()


@settings(max_examples=int(os.environ.get("SITEGEN_EDIT_EXAMPLES", "12")), deadline=None, database=None,
          derandomize=bool(os.environ.get("CI")), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(EDIT_STEPS), st.integers(0, 7),
                                st.sampled_from(["store", "store", "watcher", "watched", "watched", "no store"])),
                      min_size=1, max_size=6))
@example(steps=[("body", 1, "store")])
@example(steps=[("title", 0, "no store"), ("title", 0, "store")])  # cards seen before, pages written since without the store
@example(steps=[("draft", 1, "watcher"), ("template", 0, "watcher"), ("draft", 1, "watcher"), ("settings", 0, "watcher")])
@example(steps=[("static file", 0, "watcher"), ("future", 2, "store"), ("static file", 0, "watcher"),
                ("static file", 0, "watcher"), ("future", 2, "watcher")])
@example(steps=[("attachment", 0, "watcher"), ("column title", 0, "watcher"), ("attachment", 0, "watcher")])  # a column, an attachment's size
@example(steps=[("tag spelling", 2, "watcher"), ("body", 2, "watcher")])
@example(steps=[("photo", 0, "store")])
@example(steps=[("photo", 0, "watcher"), ("photo", 0, "store"), ("body", 0, "watcher"), ("photo", 0, "watcher")])
@example(steps=[("next month", 0, "watcher"), ("next month", 0, "watcher")])  # a post of an unchanged column comes due
@example(steps=[("tag spelling", 2, "watcher"), ("template", 0, "watcher"), ("body", 1, "watcher")])  # an earlier post names a tag first  # a tag is named as an unchanged post earlier in the column spells it
@example(steps=[("page deleted", 0, "store"), ("body", 7, "store")])  # the version recycled next had lost a page while live
@example(steps=[("page deleted", 0, "store"), ("page deleted", 0, "store"), ("body", 5, "store")])
@example(steps=[("body", 1, "watched"), ("page deleted", 0, "watched"), ("title", 2, "watched"), ("body", 1, "watched")])
@example(steps=[("delete", 1, "watched"), ("new post", 0, "watched"), ("photo", 0, "watched"), ("static file", 0, "watched")])
def test_any_sequence_of_edits_builds_what_a_clean_build_does(site: SiteDir, tmp_path_factory, steps) -> None:
    # Every shortcut (stored posts, related posts and intros, pages known from the cards, the
    # no-change snapshot, what a watcher's last build left in memory, and, "watched", only the
    # files that changed looked at again, the output as the last build listed it) at once,
    # after edits in any order, builds by build.
    root = tmp_path_factory.mktemp("edits")
    shutil.copytree(site.root, root, dirs_exist_ok=True)
    edited = _Posts(SiteDir(root))
    edited.write_all()
    edited.write_site_files()
    last = edited.site.build(reusable=True)
    for done, (kind, pick, how) in enumerate(steps, 1):  # as a watcher saves after saves, or an API user builds without the store
        before = _statuses(root)
        edited.step(kind, pick)
        time.sleep(snapshot.RACY_NS / 1e9 + 0.01)  # the files this step left alone are trusted by their statuses
        options = Options(now=edited.now, cache=how != "no store", reusable=True)
        changed = _changed(before, _statuses(root)) if how == "watched" else None  # what watchdog would name
        last = build(root, edited.site.output, options, last if how in ("watcher", "watched") else None, changed)
        fresh = root.parent / f"{root.name}-clean-{done}"  # after every step: a later step may hide a stale page
        build(root, fresh, Options(now=edited.now, cache=False))
        assert tree(edited.site.output) == tree(fresh), steps[:done]
