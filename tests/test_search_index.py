"""The search index through real builds, queried with Pagefind's own search code (tests/search_query.py):
what it finds after a cold build, and that it follows an edit, a delete, a rename and a post made a
draft at once; a damaged index is made again; and the same under `sitegen watch`, whose index is
kept by Pagefind between saves (only changed records are given again)."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import SiteDir, column, post
from search_query import QueryFailed, search

from sitegen.errors import SiteError
from sitegen.search import INDEX_DIR
from sitegen.watch import Watcher

NOW = datetime(2021, 1, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

SITE = """\
title = "红烛先锋"
base_url = "http://intranet.test/"
language = "zh-CN"
timezone = "Asia/Shanghai"
search = true
"""

FILES = {
    "site.toml": SITE,
    "columns/news/_index.md": column("党建动态", 1, "", "支部的组织生活。\n"),
    "columns/news/2020-01-lesson.md": post("一月主题党日", "2020-01-10", "tags: [党课]\n",
                                           "全体党员参观了红色教育基地。\n\n| 时间 | 内容 |\n|---|---|\n| 上午 | 参观 |\n"),
    "columns/news/2020-02-library.md": post("Library Morning", "2020-02-10", "",
                                            "Members sorted books for the bookmobile.\n"),
    "columns/news/2020-03-study.md": post("三月学习", "2020-03-10", "", "学习了廉政建设的要求。\n"),
}


def build(site: SiteDir) -> None:
    result = site.build(now=NOW)
    assert result.search is not None or result.stats is not None, result.warnings
    assert not [w for w in result.warnings if "search" in w.message], result.warnings


def test_a_cold_build_finds_a_tag_a_chinese_word_a_column_and_an_english_word(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site").write(FILES)
    build(site)
    found = search(site.output, "党课", "基地", "bookmobile", "廉政", "党建动态")
    assert found["党课"] == {"/news/lesson/"}  # only its tag says 党课
    assert found["基地"] == {"/news/lesson/"}
    assert found["bookmobile"] == {"/news/library/"}
    assert found["廉政"] == {"/news/study/"}
    assert {"/news/lesson/", "/news/library/", "/news/study/", "/news/"} <= found["党建动态"]  # the column


def test_the_index_follows_an_edit_a_delete_a_rename_and_a_draft(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site").write(FILES)
    build(site)
    posts = site.root / "columns/news"
    site.write({"columns/news/2020-03-study.md": post("三月学习", "2020-03-10", "", "学习了作风建设的要求。\n")})
    build(site)
    found = search(site.output, "廉政", "作风")
    assert found == {"廉政": set(), "作风": {"/news/study/"}}
    (posts / "2020-02-library.md").unlink()
    build(site)
    assert search(site.output, "bookmobile") == {"bookmobile": set()}
    (posts / "2020-03-study.md").rename(posts / "2020-03-learning.md")
    build(site)
    assert search(site.output, "作风") == {"作风": {"/news/learning/"}}
    site.write({"columns/news/2020-01-lesson.md": post("一月主题党日", "2020-01-10", "tags: [党课]\ndraft: true\n",
                                                       "全体党员参观了红色教育基地。\n")})
    build(site)
    assert search(site.output, "党课", "基地") == {"党课": set(), "基地": set()}


def test_a_damaged_index_is_made_again(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site").write(FILES)
    build(site)
    index = site.output / INDEX_DIR
    fragment = next((index / "fragment").iterdir())
    fragment.write_bytes(b"")  # a full disk, say
    result = site.build(now=NOW)
    assert result.search is not None  # nothing else changed, yet the index was made again
    assert search(site.output, "bookmobile") == {"bookmobile": {"/news/library/"}}


def until_found(output: Path, expected: dict[str, set[str]], what: str) -> None:
    """Waits (a watcher indexes after its pages went online) until the index finds `expected`."""
    deadline = time.monotonic() + 60
    while True:
        try:
            found: object = search(output, *expected)
        except QueryFailed as exc:  # read while the next version went live: ask again
            found = exc
        if found == expected:
            return
        assert time.monotonic() < deadline, f"{what}: {found}"
        time.sleep(0.2)


def test_under_watch_the_kept_index_follows_an_edit_a_delete_a_rename_and_a_draft(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site").write(FILES)
    indexings: list[object] = []
    watcher = Watcher(site.root, site.output, on_build=lambda outcome: None, quiet=0.1, on_index=indexings.append)
    watcher.start()
    try:
        posts = site.root / "columns/news"
        assert search(site.output, "廉政", "党课") == {"廉政": {"/news/study/"}, "党课": {"/news/lesson/"}}
        site.write({"columns/news/2020-03-study.md": post("三月学习", "2020-03-10", "", "学习了作风建设的要求。\n")})
        until_found(site.output, {"廉政": set(), "作风": {"/news/study/"}}, "an edit")
        site.write({"columns/news/2020-04-new.md": post("New Post", "2020-04-01", "", "A zanzibar trip.\n")})
        until_found(site.output, {"zanzibar": {"/news/new/"}, "作风": {"/news/study/"}}, "a new post")
        (posts / "2020-02-library.md").unlink()
        until_found(site.output, {"bookmobile": set(), "zanzibar": {"/news/new/"}}, "a delete")
        (posts / "2020-03-study.md").rename(posts / "2020-03-learning.md")
        until_found(site.output, {"作风": {"/news/learning/"}}, "a rename")
        site.write({"columns/news/2020-01-lesson.md": post("一月主题党日", "2020-01-10", "tags: [党课]\ndraft: true\n",
                                                           "全体党员参观了红色教育基地。\n")})
        until_found(site.output, {"党课": set(), "基地": set(), "作风": {"/news/learning/"}}, "a draft")
        assert not [i for i in indexings if isinstance(i, SiteError)], indexings
    finally:
        watcher.stop()


def test_an_edit_that_changes_no_record_keeps_the_index_as_it_was(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site").write(FILES)
    build(site)
    entry = site.output / INDEX_DIR / "pagefind-entry.json"
    before = entry.stat().st_ino
    # A template change rewrites every page, but no post's text, title, column, date or tags.
    site.write({"templates/404.html": "{% extends \"base.html\" %}{% block content %}<p>Gone.</p>{% endblock %}"})
    result = site.build(now=NOW)
    assert result.search is not None and result.stats is not None and result.stats.written
    assert entry.stat().st_ino == before  # the same index, linked into the new version
    assert search(site.output, "bookmobile") == {"bookmobile": {"/news/library/"}}
    site.write({"columns/news/2020-02-library.md": post("Library Morning", "2020-02-10", "", "Members sorted books.\n")})
    site.build(now=NOW)
    assert entry.stat().st_ino != before and search(site.output, "bookmobile") == {"bookmobile": set()}
