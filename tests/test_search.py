"""Site search: Pagefind indexes what `sitegen build` wrote, and visitors search it in the browser.

A Chinese site (base_path /party/) with Chinese and English posts in two columns, a single-page
column and a draft, built once with drafts shown (so the draft's page exists and must still stay
out of the index). Without a browser: the index is written inside the output folder and only
there; `search = false` writes none; a build that writes nothing leaves it alone; only post
bodies, titles and column intros are marked for it, and only those pages are in it (read from
Pagefind's own files); the index follows a change while `sitegen watch` runs.

The search page in a browser: tests/test_search_browser.py.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SiteDir, column, post, served
from sitegen import search
from sitegen import watch as watch_module
from sitegen.errors import SiteError
from sitegen.i18n import STRINGS
from sitegen.search import INDEX_DIR, IndexResult
from sitegen.search_records import SPACE_MARK, _blocks_one_by_one, _joined, han_words_text, plain_text
from sitegen.watch import Watcher

NOW = datetime(2021, 1, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ZH = STRINGS["zh-CN"]

ZH_SITE = """\
title = "红烛先锋"
description = "搜索测试站"
base_url = "http://intranet.test/party/"
base_path = "/party/"
language = "zh-CN"
timezone = "Asia/Shanghai"
posts_per_page = 10
search = true
"""

# Titles, and the words each test searches for.
APPRAISAL = "支部完成年度党员民主评议"       # dynamics, 2019: 民主评议 in the middle of a sentence
LIBRARY = "Branch Members Volunteer at the Community Library"  # dynamics, 2020, English
INTEGRITY = "五月专题学习：党风廉政建设"      # study, 2020: 民主评议 again, and 党风廉政
READING = "Reading Group on Red Star Over China"  # study, 2019, English, 西行漫记 inside a sentence
DRAFT = "尚未发布的草稿"
DRAFT_WORD = "琥珀色的蜻蜓"  # only in the draft
ENGLISH_WORD = "bookmobile"  # only in LIBRARY's body
TAG_ONLY = "党课"  # INTEGRITY's tag, in no post's text

SITE_FILES = {
    "site.toml": ZH_SITE,
    "columns/dynamics/_index.md": column("党建动态", 1, "description: 支部工作动态\n", "报道支部的组织生活和主题党日。\n"),
    "columns/study/_index.md": column("专题学习", 2, "", "每月专题学习的安排与内容。\n"),
    "columns/mailbox/_index.md": column("书记信箱", 3, "layout: page\n", "教职工可以通过信箱向支部书记反映意见。\n"),
    "columns/dynamics/2019-11-appraisal.md": post(APPRAISAL, "2019-11-20", "tags: [民主评议]\n",
        "11月20日下午，支部在三楼会议室开展民主评议党员活动，全体党员参加。\n\n"
        "## 评议过程\n\n每位党员作了自我评价，大家开展了批评与自我批评。\n\n"
        "## 评议结果\n\n全体党员评议等次均为合格以上。\n"),
    "columns/dynamics/2020-03-library.md": post(LIBRARY, "2020-03-05", "author: Zhang Wei\n",
        "Twelve members spent the morning at the community library, sorting books for the "
        f"district {ENGLISH_WORD} that visits village schools.\n"),
    "columns/study/2020-05-integrity.md": post(INTEGRITY, "2020-05-08", f"tags: [{TAG_ONLY}]\n",
        "全体党员学习了全面加强党风廉政建设的有关要求。\n\n"
        "会上还总结了上一年度的民主评议工作。\n"),
    "columns/study/2019-06-reading.md": post(READING, "2019-06-12", "",
        "We read Edgar Snow's book, known in Chinese as 《西行漫记》, over four evenings "
        "and wrote a short appraisal of each chapter.\n"),
    "columns/dynamics/2019-12-draft.md": post(DRAFT, "2019-12-01", "draft: true\n",
        f"这篇草稿里有一个独特的词：{DRAFT_WORD}。也提到了民主评议。\n"),
}

EN_FILES = {
    "site.toml": ZH_SITE.replace('language = "zh-CN"', 'language = "en"').replace("红烛先锋", "Red Candle"),
    "columns/news/_index.md": column("News", 1, "", "News of the branch.\n"),
    "columns/news/2019-05-chinese.md": post("支部开展主题党日活动", "2019-05-10", "",
        "五月十日，支部开展民主评议党员活动。\n"),
    "columns/news/2019-06-english.md": post("Volunteers Paint the School Gate", "2019-06-01", "",
        "Eight volunteers repainted the gate on Saturday.\n"),
}


def build_site(root: Path, files: dict[str, str], **options: object) -> SiteDir:
    site = SiteDir(root).write(files)
    options.setdefault("now", NOW)
    result = site.build(**options)
    assert result.search is not None, result.warnings
    return site


@pytest.fixture(scope="module")
def zh_site(tmp_path_factory) -> SiteDir:
    return build_site(tmp_path_factory.mktemp("search-zh") / "site", SITE_FILES, drafts=True)


@pytest.fixture(scope="module")
def en_site(tmp_path_factory) -> SiteDir:
    return build_site(tmp_path_factory.mktemp("search-en") / "site", EN_FILES)


def indexed_now(output: Path) -> dict[str, dict]:
    """indexed(), or nothing while the index is being swapped in."""
    try:
        return indexed(output)
    except OSError:
        return {}


def indexed(output: Path) -> dict[str, dict]:
    """URL -> the record Pagefind keeps for each indexed page (its fragment: content, meta,
    filters), read from the bundle: gzip, a 'pagefind_dcd' signature, then JSON (Pagefind 1.5)."""
    pages = {}
    for file in (output / INDEX_DIR / "fragment").iterdir():
        data = gzip.decompress(file.read_bytes())
        assert data.startswith(b"pagefind_dcd"), file
        record = json.loads(data[len(b"pagefind_dcd"):])
        record["content"] = as_written(record["content"])
        pages[record["url"]] = record
    return pages


# ============================================================ the index, without a browser

def test_the_index_is_written_inside_the_output_folder(zh_site):
    index = zh_site.output / INDEX_DIR
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (index / name).is_file(), name
    files = [p for p in index.rglob("*") if p.is_file()]
    assert files and all(p.resolve().is_relative_to(zh_site.output.resolve()) for p in files)
    entry = json.loads((index / "pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["en"]  # one index for the whole site, Chinese posts too
    # Nothing of the index's making is left where visitors could reach it.
    assert not list(zh_site.output.glob("pagefind-*")) and not (zh_site.output / "pagefind-new").exists()


def test_search_false_writes_no_index_no_search_page_and_no_search_box(site):
    site.write({"columns/news/2019-03-05-a.md": post("A", "2019-03-05")})
    result = site.build()
    assert result.search is None
    assert not (site.output / INDEX_DIR).exists() and not site.exists("search/index.html")
    assert site.html("index.html").select_one("form[role=search]") is None


def test_a_build_that_writes_nothing_leaves_the_index_alone(tmp_path):
    site = build_site(tmp_path / "site", EN_FILES)
    entry = site.output / INDEX_DIR / "pagefind-entry.json"
    before = entry.stat().st_mtime_ns
    result = site.build(now=NOW)
    assert result.stats is not None and result.stats.written == 0
    assert result.search is None and entry.stat().st_mtime_ns == before
    # A change is indexed again.
    site.write({"columns/news/2019-07-new.md": post("A July Post", "2019-07-01", body="Fresh words.\n")})
    result = site.build(now=NOW)
    assert result.search is not None and result.search.size > 0
    assert "search index" in result.summary()
    assert "/news/new/" in indexed(site.output)


def test_a_sitegen_that_makes_records_differently_indexes_again_though_no_page_changed(tmp_path, monkeypatch):
    site = build_site(tmp_path / "site", EN_FILES)
    entry = site.output / INDEX_DIR / "pagefind-entry.json"
    before = entry.stat().st_mtime_ns
    # An upgrade whose records differ (say, their text is laid out otherwise) while every page
    # stays the same: the index it left must not be kept.
    monkeypatch.setattr(search, "format_key", lambda: "records of a later sitegen")
    (site.root / "site.toml").touch()  # (this process's code is unchanged: make the build look)
    result = site.build(now=NOW)
    assert result.stats is not None and result.stats.written == 0
    assert result.search is not None and entry.stat().st_mtime_ns != before
    again = site.build(now=NOW)
    assert again.search is None  # and then it is kept


def test_only_post_bodies_titles_and_column_intros_are_marked_for_the_index(zh_site):
    marked = {}
    for file in (p for p in served(zh_site.output) if p.suffix == ".html"):
        rel = file.relative_to(zh_site.output).as_posix()
        if not rel.startswith((INDEX_DIR + "/", ".")):
            marked[rel] = len(zh_site.html(rel).select("[data-pagefind-body]"))
    assert marked["dynamics/appraisal/index.html"] == 1
    assert marked["dynamics/index.html"] == 2  # the column's header and its intro
    assert marked["mailbox/index.html"] == 1
    for rel in ("index.html", "404.html", "search/index.html", "tags/index.html", "archive/index.html",
                "archive/2019/index.html", "report/index.html", "dynamics/draft/index.html"):
        assert marked[rel] == 0, rel
    assert all(marked[rel] == 0 for rel in marked if rel.startswith(("tags/", "archive/", "report/")))
    # In a post, only the title and the body: not the badges, meta line, contents, tags or links around it.
    page = zh_site.html("dynamics/appraisal/index.html")
    body = page.select_one("[data-pagefind-body]")
    assert body.name == "article" and body.select_one("h1").get_text() == APPRAISAL
    for part in (".post-meta", ".post-toc", ".post-tags"):
        assert body.select_one(part).has_attr("data-pagefind-ignore"), part
    for outside in (".site-header", ".site-nav", ".breadcrumbs", ".post-nav", ".site-footer"):
        element = page.select_one(outside)
        assert element is None or not element.find_parent(attrs={"data-pagefind-body": True}), outside


def test_the_index_holds_posts_and_column_intros_with_their_column_tags_and_date(zh_site):
    pages = indexed(zh_site.output)
    assert set(pages) == {"/dynamics/appraisal/", "/dynamics/library/", "/study/integrity/", "/study/reading/",
                          "/dynamics/", "/study/", "/mailbox/"}  # never the draft, lists or the report
    appraisal = pages["/dynamics/appraisal/"]
    # The names the search page is built against.
    assert appraisal["meta"] == {"title": APPRAISAL, "column": "党建动态", "date": "2019年11月20日",
                                 "sort": "2019-11-20T00:00:00+08:00"}
    assert appraisal["filters"] == {"column": ["党建动态"], "tag": ["民主评议"]}
    assert "开展民主评议党员活动" in appraisal["content"]
    assert "阅读约" not in appraisal["content"] and "评议过程" in appraisal["content"]  # no meta line; headings
    assert pages["/study/"]["meta"]["title"] == "专题学习" and "每月专题学习" in pages["/study/"]["content"]
    assert pages["/dynamics/"]["filters"] == {"column": ["党建动态"]} and "支部工作动态" in pages["/dynamics/"]["content"]
    assert DRAFT_WORD not in json.dumps(pages, ensure_ascii=False)


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


def as_written(content: str) -> str:
    """A record's text without the spaces that set Chinese characters apart (as search_index.js
    shows it): a space beside one, unless a SPACE_MARK follows (the author's)."""
    return re.sub(f"(?<=[{_HAN}]) (?!{SPACE_MARK})| (?=[{_HAN}])", "", content).replace(SPACE_MARK, "")


def test_each_chinese_character_becomes_a_word_and_an_authors_space_beside_one_is_marked():
    m = SPACE_MARK
    assert han_words_text("开展民主评议 2019年 CPC党员") == f"开 展 民 主 评 议 {m}2019 年 {m}CPC 党 员"
    # A space between other words stays as it is, unmarked; a mark the author typed goes.
    assert han_words_text("党员 party，“好” ok\u2060") == f"党 员 {m}party，“ 好 ” ok"
    for text in ("开展民主评议 2019年 CPC党员", "11 月 20日", "“民主评议党员”活动——全体", "卡尔·马克思 and 恩格斯"):
        assert as_written(han_words_text(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["党", "建", "11", "月", " ", "Python", "，", "“", "”", "·", "——", "ok", "\u2060", "é"]),
                max_size=20).map("".join))
def test_a_text_shown_without_the_spaces_that_set_its_characters_apart_is_the_text(text):
    """What the search page shows of an index's text (as_written, as search_index.js reads it)
    is the plain text as it was (spaces as plain_text leaves them: single, none at the ends)."""
    text = " ".join(text.replace("\u2060", "").split())
    assert as_written(han_words_text(text)) == text


def test_table_cells_list_items_and_headings_stay_apart_in_the_text():
    html = ("<h2>安排</h2><table><tr><th>日常工作</th><th>党课</th></tr><tr><td>杨建华</td><td>6月</td></tr></table>"
            "<ul><li>第一项</li><li>第二项</li></ul><p>句子结束。</p><p>Next &amp; <em>last</em></p>")
    assert plain_text(html) == "安排 · 日常工作 · 党课 · 杨建华 · 6月 · 第一项 · 第二项 · 句子结束。Next & last"


HTML_PIECES = ["<p>", "</p>", "<td>", "</td>", "<li>", "<br>", "<br/>", "<H2 id=x>", "</h2>", "<em>", "</em>",
               "<a href=\"/x/\" title=\"<p>\">", "</a>", "<!-- <p> -->", "<!doctype html>", "<?x?>", "&amp;", "&amp",
               "&#20826;", "&lt;p&gt;", "&nbsp;", "党建", "学习。", "Next.", " ", "\n", "\t", "<", ">", "&", "·", "<p2>"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(HTML_PIECES), st.text(max_size=5)), max_size=30).map("".join))
def test_the_text_of_every_tag_at_once_is_the_text_of_tag_by_tag(html):
    """plain_text takes every tag in one pass unless a script, style or template is in the way;
    the text is what going tag by tag gives."""
    assert plain_text(html) == _joined(_blocks_one_by_one(html))


def test_footnote_numbers_and_their_way_back_are_not_words_of_the_text():
    html = ('<p>修订于2018年。<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>'
            '<div class="footnote"><hr><ol><li id="fn:1"><p>见党章。&#160;'
            '<a class="footnote-backref" href="#fnref:1" title="↩ 1">↩</a></p></li></ol></div>')
    assert plain_text(html) == "修订于2018年。见党章。"


def test_every_page_has_the_search_box_in_its_header_and_only_the_search_page_has_scripts(zh_site):
    for file in (p for p in served(zh_site.output) if p.suffix == ".html"):
        rel = file.relative_to(zh_site.output).as_posix()
        if rel.startswith((INDEX_DIR + "/", ".")):
            continue
        page = zh_site.html(rel)
        form = page.select_one(".site-header form[role=search]")
        assert form is not None and form["action"] == "/party/search/" and form["method"] == "get", rel
        field = form.select_one("input[type=search][name=q]")
        assert field is not None and page.select_one(f"label[for={field['id']}]").get_text() == ZH["search_label"]
        assert form.select_one("button[type=submit]").get_text() == ZH["search_button"]
        scripts = [s.get("src") for s in page.select("script")]
        if rel == "search/index.html":
            assert len(scripts) == 1 and re.fullmatch(r"/party/static/search\.\w+\.js", scripts[0])
            assert all(not s.string for s in page.select("script")), "an inline script breaks the CSP"
            assert page.select_one("noscript").get_text(strip=True) == ZH["search_needs_js"]
        else:
            assert scripts == [], rel
            assert page.select_one("link[href*=pagefind]") is None, rel


def test_the_index_follows_a_change_while_watching(tmp_path):
    site = SiteDir(tmp_path / "site").write(EN_FILES)
    outcomes, events = [], []
    watcher = Watcher(site.root, site.output, on_build=lambda o: (outcomes.append(o), events.append("built")),
                      quiet=0.1, on_index=lambda i: events.append(i))
    watcher.start()
    try:
        assert outcomes and outcomes[-1].ok and outcomes[-1].result.search is not None  # started complete
        assert "zanzibar" not in json.dumps(indexed(site.output))
        site.write({"columns/news/2019-08-new.md": post("Late Summer", "2019-08-20", body="A trip to Zanzibar.\n")})
        page = site.output / "news/new/index.html"
        deadline = time.monotonic() + 30
        while not page.is_file():
            assert time.monotonic() < deadline, "no build wrote the new page within 30 s"
            time.sleep(0.02)
        # The page is online at once; the index follows on the watcher's indexing thread.
        while "/news/new/" not in indexed_now(site.output):
            assert time.monotonic() < deadline, "the index did not follow within 30 s"
            time.sleep(0.05)
        assert "Zanzibar" in indexed(site.output)["/news/new/"]["content"]
        # The save was reported as soon as its pages were written, and the index came after.
        assert outcomes[-1].ok and outcomes[-1].result.search is None
        # (The index is in place a moment before the indexing thread reports it.)
        while not any(isinstance(event, IndexResult) for event in events[1:]):
            assert time.monotonic() < deadline, "the indexing was not reported within 30 s"
            time.sleep(0.02)
        first_index = next(i for i, event in enumerate(events) if isinstance(event, IndexResult) and i > 0)
        assert "built" in events[1:first_index], events
    finally:
        watcher.stop()


def test_a_failed_indexing_under_watch_is_a_warning_and_the_next_save_indexes_again(tmp_path, monkeypatch):
    site = SiteDir(tmp_path / "site").write(EN_FILES)
    events = []
    watcher = Watcher(site.root, site.output, on_build=lambda o: None, quiet=0.1, on_index=events.append)
    watcher.start()
    try:
        real = watch_module.index_site
        calls = []

        def flaky(output, *rest):
            calls.append(output)
            if len(calls) == 1:
                raise FileNotFoundError("a page went away while it was copied")
            return real(output, *rest)

        monkeypatch.setattr(watch_module, "index_site", flaky)
        site.write({"columns/news/2019-08-new.md": post("Late Summer", "2019-08-20", body="A trip to Zanzibar.\n")})
        deadline = time.monotonic() + 30
        while not events:
            assert time.monotonic() < deadline, "the indexing thread reported nothing"
            time.sleep(0.05)
        assert isinstance(events[0], SiteError) and not events[0].is_error and "not updated" in events[0].message
        site.write({"columns/news/2019-08-other.md": post("Other", "2019-08-21", body="Back from Zanzibar.\n")})
        while "/news/other/" not in indexed_now(site.output):
            assert time.monotonic() < deadline, "the next save was not indexed"
            time.sleep(0.05)
        assert "/news/new/" in indexed(site.output)
    finally:
        watcher.stop()


def test_a_future_preview_does_not_put_later_posts_into_search(tmp_path):
    # `--future` shows posts dated later, for the editors to check; the search index must not
    # carry them (a visitor would find a notice before it is due), and their page says so.
    files = {**EN_FILES, "columns/news/2021-03-later.md": post("Spring Plan", "2021-03-01", "",
                                                                 "The zanzibar plan for the spring term.\n")}
    site = build_site(tmp_path / "site", files, future=True)
    assert site.exists("news/later/index.html")
    article = site.html("news/later/index.html").select_one("article.post")
    assert not article.has_attr("data-pagefind-body")
    assert "Scheduled" in article.select_one(".badges").get_text()
    records = indexed(site.output)
    assert "/news/later/" not in records and "zanzibar" not in json.dumps(records).lower()
    assert "/news/english/" in records  # the others are indexed as ever
