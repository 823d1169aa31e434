"""The search index through real builds, queried with Pagefind's own search code (tests/search_query.py):
what it finds after a cold build, and that it follows an edit, a delete, a rename and a post made a
draft at once; a damaged index is made again; and the same under `sitegen watch`, where a post that
leaves is not found from the moment the site without it is live, before the index follows. An index in
shards (search_shards.py) finds what one index finds, and an edit makes only its post's shard."""

from __future__ import annotations

import json
import shutil
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import SiteDir, column, post
from search_query import QueryFailed, search

from sitegen.errors import SiteError
import sitegen.search_shards as search_shards
from sitegen.search import INDEX_DIR, INDEX_RECORD, IndexResult, index_site
from sitegen.search_removed import REMOVED_FILE
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


def test_english_words_against_chinese_characters_and_punctuation_are_found(tmp_path: Path) -> None:
    """With no space between them: Chinese characters are set apart in the index, but an English
    word beside Chinese punctuation is one word with it, which Pagefind's own words leave out."""
    site = SiteDir(tmp_path / "site").write({**FILES, "columns/news/2020-04-mixed.md": post(
        "四月交流", "2020-04-10", "", "会议决定了Volunteering安排。Outreach继续（Tutoring）。\n")})
    build(site)
    found = search(site.output, "volunteering", "outreach", "tutoring", "安排", "定了")
    assert all(urls == {"/news/mixed/"} for urls in found.values()), found


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


def test_under_watch_the_index_in_shards_follows_an_edit_a_delete_a_rename_and_a_draft(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(search_shards, "SHARD_RECORDS", 2)  # (the site's 4 records: 2 shards)
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
    site.write({"columns/news/2020-02-library.md": post("Library Morning", "2020-02-10", "", "Members tidied the shelves.\n")})
    site.build(now=NOW)
    assert entry.stat().st_ino != before and search(site.output, "bookmobile") == {"bookmobile": set()}


MORE = {f"columns/news/2020-05-day{n}.md": post(f"五月第{n}天", f"2020-05-{n:02d}", "tags: [党课]\n" if n % 3 else "",
                                                f"第{n}天的学习记录，讨论了作风建设。\n") for n in range(1, 13)}
QUERIES = ("党课", "作风建设", "学习", "bookmobile", "党建动态", "第7天")


def shards_of(output: Path) -> list[str]:
    return json.loads((output / INDEX_DIR / "shards.json").read_text("utf-8"))["shards"]


def test_an_index_in_shards_finds_the_same_pages_as_one_index(tmp_path: Path, monkeypatch) -> None:
    one = SiteDir(tmp_path / "one").write({**FILES, **MORE})
    build(one)
    assert shards_of(one.output) == [""]  # a small site: one index, as before shards
    monkeypatch.setattr(search_shards, "SHARD_RECORDS", 4)
    sharded = SiteDir(tmp_path / "sharded").write({**FILES, **MORE})
    build(sharded)
    assert len(shards_of(sharded.output)) == 4  # 16 records
    expected = search(one.output, *QUERIES)
    assert expected["党课"] and expected["第7天"] == {"/news/day7/"}
    assert search(sharded.output, *QUERIES) == expected


def test_a_site_of_more_than_half_a_shard_is_indexed_in_two_shards_made_at_once(tmp_path: Path, monkeypatch) -> None:
    """Pagefind makes a shard on one core: above half a shard's records, the index comes in two
    shards, so that a cold build makes it on both cores; they find what one index finds."""
    monkeypatch.setattr(search_shards, "SHARD_RECORDS", 40)
    small = SiteDir(tmp_path / "small").write({**FILES, **MORE})
    build(small)
    assert shards_of(small.output) == [""]  # 16 records, not more than half of 40
    monkeypatch.setattr(search_shards, "SHARD_RECORDS", 30)
    larger = SiteDir(tmp_path / "larger").write({**FILES, **MORE})
    build(larger)
    assert shards_of(larger.output) == ["", "1/"]
    assert search(larger.output, *QUERIES) == search(small.output, *QUERIES)


def test_an_edit_or_a_delete_makes_only_the_shard_of_its_post_again(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(search_shards, "SHARD_RECORDS", 4)
    site = SiteDir(tmp_path / "site").write({**FILES, **MORE})
    build(site)

    def entries() -> dict[str, tuple[int, str]]:  # shard -> its entry file: inode (a linked shard keeps it), text
        files = {prefix: site.output / INDEX_DIR / prefix / "pagefind-entry.json" for prefix in shards_of(site.output)}
        return {prefix: (path.stat().st_ino, path.read_text("utf-8")) for prefix, path in files.items()}

    def one_made_again(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> bool:
        made = [p for p in before if after[p][1] != before[p][1]]  # (an inode may be used again)
        return len(made) == 1 and all(after[p][0] == before[p][0] for p in before if p not in made)
    before = entries()
    site.write({"columns/news/2020-05-day7.md": post("五月第7天", "2020-05-07", "", "第7天参观了纪念馆。\n")})
    build(site)
    after = entries()
    assert after.keys() == before.keys() and one_made_again(before, after)
    assert search(site.output, "纪念馆", "党课") == {"纪念馆": {"/news/day7/"},
                                                   "党课": {"/news/lesson/"} | {f"/news/day{n}/" for n in range(1, 13) if n % 3 and n != 7}}
    (site.root / "columns/news/2020-05-day5.md").unlink()
    build(site)
    assert one_made_again(after, entries())
    assert "/news/day5/" not in search(site.output, "学习")["学习"]


def test_a_delete_a_rename_a_draft_and_a_later_date_leave_search_with_the_build_not_the_index(tmp_path: Path, monkeypatch) -> None:
    """A watcher's build puts the pages live and leaves the index for later (search_index=False):
    the post that left is not found from that moment (pagefind/removed.json goes live with the
    pages), although its shard is made again only afterwards; then the index finds exactly what a
    cold build's finds."""
    monkeypatch.setattr(search_shards, "SHARD_RECORDS", 2)  # (5 records: shards of the index)
    site = SiteDir(tmp_path / "site").write({**FILES, "columns/news/2020-04-trip.md": post(
        "四月参观", "2020-04-10", "", "参观了博物馆。\n")})
    build(site)
    queries = ("党课", "基地", "bookmobile", "廉政", "博物馆", "党建动态")
    assert search(site.output, "bookmobile", "廉政", "基地", "博物馆") == {
        "bookmobile": {"/news/library/"}, "廉政": {"/news/study/"}, "基地": {"/news/lesson/"}, "博物馆": {"/news/trip/"}}
    posts = site.root / "columns/news"
    (posts / "2020-02-library.md").unlink()
    (posts / "2020-03-study.md").rename(posts / "2020-03-learning.md")
    site.write({"columns/news/2020-01-lesson.md": post("一月主题党日", "2020-01-10", "tags: [党课]\ndraft: true\n",
                                                       "全体党员参观了红色教育基地。\n"),
                "columns/news/2020-04-trip.md": post("四月参观", "2021-04-10", "", "参观了博物馆。\n")})  # (due later)
    before = (site.output / INDEX_DIR / INDEX_RECORD).read_bytes()
    result = site.build(now=NOW, search_index=False)
    assert result.index_wanted and (site.output / INDEX_DIR / INDEX_RECORD).read_bytes() == before  # (not made yet)
    removed = json.loads((site.output / INDEX_DIR / REMOVED_FILE).read_text("utf-8"))["pages"]
    assert {url for urls in removed.values() for url in urls} == {"/news/library/", "/news/study/", "/news/lesson/", "/news/trip/"}
    found = search(site.output, *queries)
    assert found["bookmobile"] == found["廉政"] == found["基地"] == found["博物馆"] == found["党课"] == set()
    assert found["党建动态"] == {"/news/"}  # (the renamed post is found once the index follows)
    assert result.search_source is not None
    assert isinstance(index_site(site.output, result.search_source), IndexResult)
    assert json.loads((site.output / INDEX_DIR / REMOVED_FILE).read_text("utf-8")) == {"pages": {}}
    settled = search(site.output, *queries, "作风", "学习")
    cold = SiteDir(tmp_path / "cold")
    shutil.copytree(site.root, cold.root, ignore=shutil.ignore_patterns("output"))
    build(cold)
    assert settled == search(cold.output, *queries, "作风", "学习") and settled["廉政"] == {"/news/learning/"}
