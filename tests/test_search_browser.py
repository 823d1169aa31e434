"""The search page as a visitor uses it, in headless Chromium (tests/browser_support.py).

A small Chinese site (base_path /party/): Chinese and English posts in two columns, tags, a
single-page column and a draft, built once with the real command line (`sitegen build`, a cold
build into an empty folder) and served by nginx with deploy/nginx.conf, so that the site's
Content-Security-Policy applies to everything here. A small English site is built beside it.

What a visitor notices: a two-character Chinese word inside a sentence, a word only in a title and
an English word find their posts; on a 390×844 phone the first result is on the screen without
scrolling; the page has one search box, the header's, which holds the query and searches as one
types; the count is said in a live region in the site's language, with Chinese punctuation in
Chinese labels; the column and tag filters and the order; everything by keyboard alone; axe finds
nothing with results and filters shown; without JavaScript the box still opens the page, which
says search needs it. And after an edit, a delete and a rename, by `sitegen build` again and
under `sitegen watch` once it reports the index, the new words find the post at its new address
and the old ones nothing; a post deleted, renamed or made a draft is found by nothing from the
build that removed it, before its shard of the index is made again. No request leaves the site, no
request fails and the console stays clean (Watch). Missing tools skip these tests, or fail them
under SITEGEN_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from browser_support import AXE_JS, Demo, NginxServer, Server, Watch, browser, find_nginx, require  # noqa: F401 (browser: a fixture)
from conftest import SiteDir, column, post
from sitegen.i18n import STRINGS
import sitegen.search_shards as search_shards
from sitegen.build import Options, build
from sitegen.search import IndexResult, index_site
from sitegen.serve import make_server
from sitegen.watch import Watcher

ZH = STRINGS["zh-CN"]
EN = STRINGS["en"]

ZH_SITE = """\
title = "红烛先锋"
description = "搜索测试站"
base_url = "http://intranet.test/party/"
base_path = "/party/"
language = "zh-CN"
timezone = "Asia/Shanghai"
posts_per_page = 10
search = true
stale_days = 0
study_column = ""
"""

APPRAISAL = "支部完成年度党员民主评议"       # dynamics, 2019: 民主评议 in the middle of a sentence
LIBRARY = "Branch Members Volunteer at the Community Library"  # dynamics, 2020, English
LESSON = "六月主题党日活动"                  # dynamics, 2020, tagged 党课
INTEGRITY = "五月专题学习：党风廉政建设"      # study, 2020: 民主评议 again, and 廉政
READING = "Reading Group on Red Star Over China"  # study, 2019, English, 漫记 inside 《西行漫记》
BOOKS = "书香校园读书月启动"                 # study, 2020: 书香 only in its title
DRAFT = "尚未发布的草稿"
DRAFT_WORD = "琥珀色的蜻蜓"  # only in the draft
ENGLISH_WORD = "bookmobile"  # only in LIBRARY's body

SITE_FILES = {
    "site.toml": ZH_SITE,
    "columns/dynamics/_index.md": column("党建动态", 1, "description: 支部工作动态\n", "报道支部的组织生活和主题党日。\n"),
    "columns/study/_index.md": column("专题学习", 2, "", "每月专题学习的安排与内容。\n"),
    "columns/mailbox/_index.md": column("书记信箱", 3, "layout: page\n", "教职工可以通过信箱向支部书记反映意见。\n"),
    "columns/dynamics/2019-11-appraisal.md": post(APPRAISAL, "2019-11-20", "tags: [民主评议, 组织生活]\n",
        "11月20日下午，支部在三楼会议室开展“民主评议党员”活动——全体党员参加。\n\n"
        "## 评议过程\n\n每位党员作了自我评价，大家开展了批评与自我批评。\n"),
    "columns/dynamics/2020-03-library.md": post(LIBRARY, "2020-03-05", "tags: [志愿服务]\n",
        "Twelve members spent the morning at the community library, sorting books for the "
        f"district {ENGLISH_WORD} that visits village schools.\n"),
    "columns/dynamics/2020-06-lesson.md": post(LESSON, "2020-06-10", "tags: [党课, 组织生活]\n",
        "六月十日，全体党员到革命纪念馆参观学习，重温入党誓词。\n"),
    "columns/study/2020-05-integrity.md": post(INTEGRITY, "2020-05-08", "tags: [学习要求]\n",
        "全体党员学习了全面加强党风廉政建设的有关要求。\n\n会上还总结了上一年度的民主评议工作。\n"),
    "columns/study/2019-06-reading.md": post(READING, "2019-06-12", "",
        "We read Edgar Snow's book, known in Chinese as 《西行漫记》, over four evenings "
        "and wrote a short appraisal of each chapter.\n"),
    "columns/study/2020-04-books.md": post(BOOKS, "2020-04-01", "tags: [读书]\n",
        "全校教师共读一本好书，交流读后感。\n"),
    "columns/dynamics/2019-12-draft.md": post(DRAFT, "2019-12-01", "draft: true\n",
        f"这篇草稿里有一个独特的词：{DRAFT_WORD}。也提到了民主评议。\n"),
}

EN_FILES = {
    "site.toml": ZH_SITE.replace('language = "zh-CN"', 'language = "en"').replace("红烛先锋", "Red Candle"),
    "columns/news/_index.md": column("News", 1, "", "News of the branch.\n"),
    "columns/news/2019-05-chinese.md": post("支部开展主题党日活动", "2019-05-10", "", "五月十日，支部开展民主评议党员活动。\n"),
    "columns/news/2019-06-english.md": post("Volunteers Paint the School Gate", "2019-06-01", "",
                                            "Eight volunteers repainted the gate on Saturday.\n"),
}

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def cold_build(root: Path, files: dict[str, str]) -> SiteDir:
    """Writes the site and builds it with the real command line into an empty folder."""
    site = SiteDir(root).write(files)
    rebuild(site)
    return site


def rebuild(site: SiteDir, shard: int | None = None) -> None:
    """`shard`: records per shard of the index (search_shards.py), for a small site in shards."""
    env = {**os.environ, "SITEGEN_SEARCH_SHARD": str(shard)} if shard else None
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(site.root),
                           "--output", str(site.output)], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stdout + done.stderr


class Preview(Server):
    """sitegen's preview server (no watcher, no live reload) on a loopback port, in a thread."""

    name = "preview"

    def __init__(self, output: Path) -> None:
        self.server = make_server(output, "/party/", port=0)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def zh_site(tmp_path_factory) -> SiteDir:
    return cold_build(tmp_path_factory.mktemp("search-zh") / "site", SITE_FILES)


@pytest.fixture(scope="module")
def server(zh_site, tmp_path_factory):
    """nginx with deploy/nginx.conf (and so the site's Content-Security-Policy) serving zh_site."""
    binary = find_nginx()
    require(binary, "nginx (Debian package nginx)")
    served = NginxServer(Demo(zh_site.output, zh_site.output), tmp_path_factory.mktemp("nginx"), binary)
    yield served
    served.close()


@contextmanager
def visit(browser, server: Server, **options):
    """A new page in a new browser context, with a Watch on everything it does."""
    context = browser.new_context(**{"viewport": DESKTOP, **options})
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch = Watch(page, server.origin)
    try:
        yield page, watch
        watch.assert_clean(page)
    finally:
        context.close()


def go(page, watch: Watch, url: str) -> None:
    with watch.navigating(page):
        response = page.goto(url)
    assert response is not None and response.status == 200, url


def search_url(server: Server, term: str, extra: str = "") -> str:
    return server.url(f"/party/search/?q={quote(term)}{extra}")


def settled(page) -> list[str]:
    """Waits until the results of the latest search are drawn; returns their titles."""
    page.wait_for_function("() => { const list = document.getElementById('search-results');"
                           " return list && !list.hasAttribute('aria-busy')"
                           " && document.getElementById('search-status').textContent.trim() !== ''; }")
    return [t.strip() for t in page.locator(".search-result-title").all_inner_texts()]


def status(page) -> str:
    return page.locator("#search-status").inner_text().strip()


def found(count: int, term: str, strings: dict[str, str] = ZH) -> str:
    if count == 0:
        return strings["search_found_none"].format(query=term)
    if count == 1:
        return strings["search_found_one"].format(query=term)
    return strings["search_found_other"].format(count=count, query=term)


# ============================================================ finding posts

@pytest.mark.parametrize("term, titles", [
    ("廉政", [INTEGRITY]),                   # two Chinese characters inside 党风廉政建设
    ("漫记", [READING]),                     # two characters of a book title inside an English post
    ("民主评议", [INTEGRITY, APPRAISAL]),     # newest first; the draft never
    ("书香", [BOOKS]),                       # only in the post's title
    (ENGLISH_WORD, [LIBRARY]),               # an English word on a Chinese site
    ("Appraisal", [READING]),                # an English word, typed with a capital
    (DRAFT_WORD, []),                        # only in the draft: nothing
    pytest.param("党课", [LESSON], id="tag"),  # only in the post's tags
])
def test_words_find_their_posts_after_a_cold_build(browser, server, term, titles):
    with visit(browser, server) as (page, watch):
        go(page, watch, search_url(server, term))
        assert [t for t in settled(page) if t not in ("党建动态", "专题学习", "书记信箱")] == titles
        assert status(page) == found(len(settled(page)), term)


def test_a_result_links_to_its_post_with_its_date_and_column_in_chinese_punctuation(browser, server):
    with visit(browser, server) as (page, watch):
        go(page, watch, search_url(server, "民主评议"))
        settled(page)
        shown = page.locator(".search-result").filter(has_text=APPRAISAL)
        assert shown.locator("a").first.get_attribute("href") == "/party/dynamics/appraisal/"
        facts = shown.locator(".search-result-meta span").all_inner_texts()
        assert facts == ["日期：2019年11月20日", "栏目：党建动态"]
        excerpt = shown.locator(".search-result-excerpt")
        assert "民主评议" in excerpt.inner_text() and excerpt.locator("mark").all_inner_texts() == ["民主评议"]
        # No ASCII colon after a Chinese character anywhere on the page.
        text = page.locator("main").inner_text()
        assert not [line for line in text.splitlines() if any(f"{c}:" in line for c in "期目签序选")], text


def test_an_excerpt_reads_as_the_post_is_written(browser, server):
    """No gap beside a Chinese character, whatever is on the other side (a digit, a quotation
    mark, a dash), although the index holds each Chinese character as a word of its own."""
    with visit(browser, server) as (page, watch):
        go(page, watch, search_url(server, "会议室"))
        settled(page)
        excerpt = page.locator(".search-result").filter(has_text=APPRAISAL).locator(".search-result-excerpt")
        assert "11月20日下午，支部在三楼会议室开展“民主评议党员”活动" in excerpt.inner_text(), excerpt.inner_text()


def test_a_post_found_by_a_tag_alone_shows_its_first_words_and_the_tag_that_found_it(browser, server):
    """Not its title, column and tags again (they lead the text the index holds, so that they
    are found): its own first words, and the tag in its line of facts, marked."""
    with visit(browser, server) as (page, watch):
        go(page, watch, search_url(server, "党课"))
        settled(page)
        shown = page.locator(".search-result").filter(has_text=LESSON)
        excerpt = shown.locator(".search-result-excerpt")
        assert excerpt.inner_text() == "六月十日，全体党员到革命纪念馆参观学习，重温入党誓词。"
        assert shown.locator(".search-result-meta span").all_inner_texts() == \
            ["日期：2020年6月10日", "栏目：党建动态", "标签：党课"]
        assert shown.locator(".search-result-meta mark").all_inner_texts() == ["党课"]


def test_an_excerpt_is_cut_at_a_clause_and_says_so(browser, server):
    """A match far into a post: its excerpt starts where the match's clause does, with an
    ellipsis; the title, found too, is marked, but not repeated in the excerpt."""
    with visit(browser, server) as (page, watch):
        go(page, watch, search_url(server, "民主评议"))
        settled(page)
        later = page.locator(".search-result").filter(has_text=INTEGRITY).locator(".search-result-excerpt")
        assert later.inner_text() == "……会上还总结了上一年度的民主评议工作。"
        assert later.locator("mark").all_inner_texts() == ["民主评议"]
        shown = page.locator(".search-result").filter(has_text=APPRAISAL)
        assert shown.locator(".search-result-title mark").all_inner_texts() == ["民主评议"]
        assert APPRAISAL not in shown.locator(".search-result-excerpt").inner_text()


ODD_TITLE = "A  <b>bold</b> &amp; “引号”·标题 😀 C++"
ODD_TEXT = "正文从这里开始，没有别的。"


def test_an_excerpt_starts_at_the_text_whatever_the_title_and_tags_hold(browser, tmp_path_factory):
    """Where the text begins is found by the title's, column's and tags' characters
    (search_index.js): markup, entities, emoji, runs of spaces and a "·" inside them change nothing."""
    odd = cold_build(tmp_path_factory.mktemp("search-odd") / "site", {
        "site.toml": ZH_SITE,
        "columns/news/_index.md": column("动态 · 新闻", 1),
        "columns/news/2019-05-odd.md": post(json.dumps(ODD_TITLE, ensure_ascii=False), "2019-05-10",
                                            'tags: ["C++", "a · b", "党  课", "<i>x</i>"]\n', ODD_TEXT + "\n"),
    })
    preview = Preview(odd.output)
    try:
        with visit(browser, preview) as (page, watch):
            for term in ("标题", "党课", "bold"):
                go(page, watch, search_url(preview, term))
                shown = page.locator(".search-result").filter(has_text="正文")
                assert shown.locator(".search-result-title").text_content() == ODD_TITLE, term
                assert shown.locator(".search-result-excerpt").inner_text() == ODD_TEXT, term
    finally:
        preview.close()


# ============================================================ one box, on a phone

def test_on_a_phone_the_first_result_shows_without_scrolling(browser, server):
    with visit(browser, server, viewport=PHONE, screen=PHONE, is_mobile=True, has_touch=True) as (page, watch):
        go(page, watch, server.url("/party/study/integrity/"))
        box = page.get_by_role("searchbox", name=ZH["search_label"])
        box.fill("民主评议")
        with watch.navigating(page), page.expect_navigation():
            box.press("Enter")
        assert unquote(page.url) == server.url("/party/search/?q=民主评议")
        assert settled(page)[:2] == [INTEGRITY, APPRAISAL]
        assert page.evaluate("() => window.scrollY") == 0
        first = page.locator(".search-result").first
        title = first.locator(".search-result-title").bounding_box()
        whole = first.bounding_box()
        assert title and whole and whole["y"] >= 0 and whole["y"] + whole["height"] <= PHONE["height"], whole
        assert title["x"] >= 0 and title["x"] + title["width"] <= PHONE["width"], title
        # Opening the filters leaves the first result on the screen (compact rows), with
        # two columns and four tags to choose from.
        go(page, watch, search_url(server, "学习"))
        assert len(settled(page)) == 5
        page.get_by_role("button", name=ZH["search_filters"]).click()
        assert page.locator("#search-filters").is_visible()
        whole, panel = first.bounding_box(), page.locator("#search-filters").bounding_box()
        assert page.evaluate("() => window.scrollY") == 0
        assert whole and whole["y"] + whole["height"] <= PHONE["height"], whole
        assert panel and panel["height"] <= 2 * 56, panel  # one row of 44 px controls per group


def test_on_a_phone_an_excerpt_takes_two_lines_at_most_in_chinese_or_english(browser, server):
    with visit(browser, server, viewport=PHONE, screen=PHONE, is_mobile=True, has_touch=True) as (page, watch):
        for term, title in ((ENGLISH_WORD, LIBRARY), ("会议室", APPRAISAL)):
            go(page, watch, search_url(server, term))
            settled(page)
            excerpt = page.locator(".search-result").filter(has_text=title).locator(".search-result-excerpt")
            lines = excerpt.evaluate("e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)")
            assert round(lines) <= 2, (term, lines, excerpt.inner_text())
            assert excerpt.locator("mark").count() >= 1, (term, excerpt.inner_text())


def test_the_page_has_one_search_box_the_headers_which_holds_the_query(browser, server):
    with visit(browser, server) as (page, watch):
        go(page, watch, search_url(server, ENGLISH_WORD))
        assert settled(page) == [LIBRARY]
        boxes = page.locator("input:not([type=checkbox]):not([type=hidden]), textarea")
        assert boxes.count() == 1
        box = page.get_by_role("searchbox", name=ZH["search_label"])
        assert box.input_value() == ENGLISH_WORD and box.evaluate("b => !!b.closest('.site-header')")
        # Typing in it searches here, without opening the page again; the address follows.
        page.evaluate("() => { window.samePage = true; }")
        box.fill("appraisal")
        assert READING in settled(page) and LIBRARY not in settled(page)
        assert page.evaluate("() => window.samePage") is True and "q=appraisal" in page.url
        # Enter too; Escape empties the box and the results.
        box.fill("漫记")
        box.press("Enter")
        assert settled(page) == [READING] and page.evaluate("() => window.samePage") is True
        box.focus()
        page.keyboard.press("Escape")
        page.wait_for_function("() => !document.querySelector('.search-result')")
        assert box.input_value() == "" and status(page) == ZH["search_hint"] and "q=" not in page.url


def test_the_count_is_said_in_a_live_region_in_the_sites_language(browser, server, tmp_path_factory):
    with visit(browser, server) as (page, watch):
        go(page, watch, search_url(server, "民主评议"))
        settled(page)
        region = page.locator("#search-status")
        assert region.get_attribute("role") == "status" and region.get_attribute("aria-live") == "polite"
        assert status(page) == "找到 2 条与“民主评议”有关的结果"  # (results: posts and column pages)
        page.get_by_role("searchbox", name=ZH["search_label"]).fill(DRAFT_WORD)
        assert settled(page) == [] and status(page) == found(0, DRAFT_WORD)
    en = cold_build(tmp_path_factory.mktemp("search-en") / "site", EN_FILES)
    preview = Preview(en.output)
    try:
        with visit(browser, preview) as (page, watch):
            go(page, watch, search_url(preview, "民主评议"))
            assert settled(page) == ["支部开展主题党日活动"]
            assert status(page) == "1 result for “民主评议”"
            # An English index holds Chinese characters as words set apart by spaces: none shows.
            excerpt = page.locator(".search-result-excerpt")
            assert excerpt.inner_text() == "五月十日，支部开展民主评议党员活动。"
            assert excerpt.locator("mark").all_inner_texts() == ["民主评议"]
            go(page, watch, search_url(preview, "volunteers"))
            assert settled(page) == ["Volunteers Paint the School Gate"] and status(page) == found(1, "volunteers", EN)
            assert page.locator(".search-filters-button").inner_text().strip() == EN["search_filters"]
    finally:
        preview.close()


# ============================================================ filters and order

def tick(page, group: str, value: str) -> None:
    button = page.get_by_role("button", name=ZH["search_filters"])
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    fieldset = page.locator(".search-filter").filter(has=page.locator("legend", has_text=group))
    fieldset.locator("label").filter(has_text=value).click()


def test_the_column_and_tag_filters_narrow_the_results_and_stay_in_the_address(browser, server):
    with visit(browser, server) as (page, watch):
        go(page, watch, search_url(server, "党员"))
        everything = settled(page)
        assert {APPRAISAL, INTEGRITY, LESSON} <= set(everything)
        legends = page.locator(".search-filter legend").all_text_contents()  # (hidden until shown)
        assert legends == [ZH["search_column"], ZH["search_tag"]]
        tick(page, ZH["search_column"], "党建动态")
        titles = settled(page)
        assert APPRAISAL in titles and LESSON in titles and INTEGRITY not in titles
        tick(page, ZH["search_tag"], "党课")
        assert settled(page) == [LESSON] and status(page) == found(1, "党员")
        assert unquote(page.url).endswith("?q=党员&column=党建动态&tag=党课")
        # The address brings them back, ticked and shown.
        go(page, watch, page.url)
        assert settled(page) == [LESSON]
        assert page.locator(".search-filters-button").get_attribute("aria-expanded") == "true"
        assert page.locator("#search-filters").is_visible()
        assert page.locator(".search-filter input:checked").count() == 2
        # The order is kept in the address too, the filters stay.
        page.select_option("#search-order", "oldest")
        assert settled(page) == [LESSON] and "sort=oldest" in page.url


@pytest.fixture(scope="module")
def sharded_server(tmp_path_factory):
    """The same site as `server`'s, its index in shards of two records (five shards)."""
    site = SiteDir(tmp_path_factory.mktemp("search-shards") / "site").write(SITE_FILES)
    rebuild(site, shard=2)
    assert len(json.loads((site.output / "pagefind" / "shards.json").read_text("utf-8"))["shards"]) > 2
    served = NginxServer(Demo(site.output, site.output), tmp_path_factory.mktemp("nginx-shards"), find_nginx())
    yield served
    served.close()


def test_an_index_in_shards_shows_the_same_results_in_the_same_date_order_and_counts(browser, server, sharded_server):
    def seen(where: Server, term: str, sort: str) -> tuple[list[str], str, list[str]]:
        with visit(browser, where) as (page, watch):
            go(page, watch, search_url(where, term, sort))
            titles = settled(page)
            page.get_by_role("button", name=ZH["search_filters"]).click()
            counts = page.locator(".search-filter li:not([hidden])").all_inner_texts()
            return titles, status(page), counts
    for term in ("党员", "民主评议", "学习"):
        for sort in ("", "&sort=oldest"):
            assert seen(sharded_server, term, sort) == seen(server, term, sort)
        one, sharded = seen(server, term, "&sort=relevance"), seen(sharded_server, term, "&sort=relevance")
        assert sorted(sharded[0]) == sorted(one[0]) and sharded[1:] == one[1:]  # (best match: scored per shard)


def test_newest_and_oldest_first_order_the_results_by_date(browser, server):
    with visit(browser, server) as (page, watch):
        go(page, watch, search_url(server, "党员"))
        newest = [t for t in settled(page) if t in (APPRAISAL, INTEGRITY, LESSON)]
        page.select_option("#search-order", "oldest")  # (the list is busy from the change on)
        oldest = [t for t in settled(page) if t in (APPRAISAL, INTEGRITY, LESSON)]
        assert newest == [LESSON, INTEGRITY, APPRAISAL] and oldest == [APPRAISAL, INTEGRITY, LESSON]


# ============================================================ keyboard alone

FOCUS = """() => { const e = document.activeElement; const s = getComputedStyle(e);
    return {id: e.id, tag: e.tagName, text: (e.textContent || '').trim().slice(0, 40), name: e.name || '',
            visible: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; }"""


def test_search_works_with_the_keyboard_alone(browser, server):
    with visit(browser, server) as (page, watch):
        go(page, watch, server.url("/party/search/"))
        # With no query, the box has the focus and the page says where to type.
        assert page.evaluate(FOCUS)["id"] == "site-search-q" and status(page) == ZH["search_hint"]
        page.keyboard.type("民主评议")
        settled(page)
        page.keyboard.press("Enter")  # searches at once and takes the focus to the count
        assert settled(page)[:2] == [INTEGRITY, APPRAISAL]
        page.wait_for_function("() => document.activeElement.id === 'search-status'")
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        assert focus["tag"] == "BUTTON" and focus["text"] == ZH["search_filters"] and focus["visible"], focus
        page.keyboard.press("Enter")  # shows the filters, under the line with the order
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS)["id"] == "search-order" and page.evaluate(FOCUS)["visible"]
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        assert focus["tag"] == "INPUT" and focus["name"] == "column" and focus["visible"], focus
        while page.evaluate(FOCUS)["name"] == "column" and page.evaluate("() => document.activeElement.value") != "专题学习":
            page.keyboard.press("Tab")
        page.keyboard.press("Space")
        assert settled(page) == [INTEGRITY]
        page.keyboard.press("Escape")  # hides the filters, the focus back on their button
        focus = page.evaluate(FOCUS)
        assert focus["tag"] == "BUTTON" and focus["text"] == ZH["search_filters"]
        assert page.locator(".search-filters-button").get_attribute("data-count") == "1"  # (shown on it)
        assert page.locator("#search-filters").is_hidden()
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS)["id"] == "search-order" and page.evaluate(FOCUS)["visible"]
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        assert focus["tag"] == "A" and focus["text"] == INTEGRITY and focus["visible"], focus
        with watch.navigating(page), page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == server.url("/party/study/integrity/")


def test_a_chinese_input_method_searches_for_the_characters_not_the_pinyin(browser, server):
    with visit(browser, server) as (page, watch):
        go(page, watch, server.url("/party/search/"))
        ime = page.context.new_cdp_session(page)
        ime.send("Input.imeSetComposition", {"text": "dangyuan", "selectionStart": 8, "selectionEnd": 8})
        assert page.locator("#site-search-q").input_value() == "dangyuan"
        page.wait_for_timeout(600)  # longer than the pause after typing: a search would have run
        assert status(page) == ZH["search_hint"] and page.locator(".search-result").count() == 0
        ime.send("Input.insertText", {"text": "党员"})
        assert {APPRAISAL, INTEGRITY, LESSON} <= set(settled(page)) and status(page).endswith("与“党员”有关的结果")


def test_more_results_come_by_a_button_and_the_focus_goes_to_the_first_new_one(browser, tmp_path):
    files = {**{k: v for k, v in SITE_FILES.items() if not k.startswith("columns/")},
             "columns/news/_index.md": column("新闻", 1),
             **{f"columns/news/2019-{m:02d}-{d:02d}-n{m}{d}.md": post(f"第{m}月{d}日会议", f"2019-{m:02d}-{d:02d}", "",
                                                                    "支部召开组织生活会。\n")
                for m in (1, 2, 3) for d in (1, 2, 3, 4)}}
    site = cold_build(tmp_path / "site", files)
    preview = Preview(site.output)
    try:
        with visit(browser, preview) as (page, watch):
            go(page, watch, search_url(preview, "组织生活"))
            assert len(settled(page)) == 10 and status(page) == found(12, "组织生活")
            button = page.get_by_role("button", name=ZH["search_more"])
            button.focus()
            page.keyboard.press("Enter")
            page.wait_for_function("() => document.querySelectorAll('.search-result').length === 12")
            assert page.evaluate(FOCUS)["text"] == page.locator(".search-result-title").nth(10).inner_text().strip()
            assert page.locator(".search-more").is_hidden()
    finally:
        preview.close()


def test_an_old_address_with_a_tag_the_site_no_longer_has_still_finds_the_posts(browser, server):
    with visit(browser, server) as (page, watch):
        go(page, watch, search_url(server, "民主评议", "&tag=" + quote("已删除的标签")))
        assert settled(page)[:2] == [INTEGRITY, APPRAISAL]
        assert unquote(page.url) == server.url("/party/search/?q=民主评议")  # the address forgets it


def test_when_the_index_cannot_be_loaded_the_page_says_so_in_the_sites_language(browser, server):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.route("**/pagefind/pagefind.js*", lambda route: route.abort())  # (the page tries twice)
        page.goto(search_url(server, "民主评议"))
        page.wait_for_function("() => !document.getElementById('search-results').hasAttribute('aria-busy')")
        assert status(page) == ZH["search_failed"] and page.locator(".search-result").count() == 0
    finally:
        context.close()


# ============================================================ checkers and the phone

AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
    .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))"""


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_nothing_on_the_search_page_with_results_and_filters_shown(browser, server, size):
    require(AXE_JS.is_file(), "axe-core (npm: tests/tools)", "run `npm ci --prefix tests/tools`")
    # bypass_csp: the site's Content-Security-Policy rightly refuses the injected axe-core.
    with visit(browser, server, viewport=size, bypass_csp=True) as (page, watch):
        go(page, watch, search_url(server, "民主评议"))
        settled(page)
        page.locator(".search-filters-button").click()
        page.add_script_tag(path=str(AXE_JS))
        violations = page.evaluate(AXE_RUN)
        assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("width", [360, 390])
def test_the_search_page_fits_a_phone_with_16px_text_and_44px_controls(browser, server, width):
    size = {"width": width, "height": 780}
    with visit(browser, server, viewport=size, screen=size, is_mobile=True, has_touch=True) as (page, watch):
        go(page, watch, search_url(server, "党员"))
        settled(page)
        page.locator(".search-filters-button").click()
        layout = page.evaluate("""() => ({scrollWidth: document.documentElement.scrollWidth,
            wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1
                  && !e.closest('.search-filter ul'))  // (a row of filter values scrolls sideways on a phone)
                  .slice(0, 5).map(e => e.tagName + '.' + e.className)})""")
        assert layout["scrollWidth"] <= width and not layout["wide"], layout
        small = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e =>
            [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length
            && getComputedStyle(e).visibility !== 'hidden' && e.getBoundingClientRect().width > 1
            && parseFloat(getComputedStyle(e).fontSize) < 16).map(e => e.tagName + '.' + e.className + ': '
            + e.textContent.trim().slice(0, 20))""")
        assert not small, small
        for control in (".site-search-input", ".site-search-button", "#search-order", ".search-filters-button",
                        ".search-filter label"):
            box = page.locator(control).first.bounding_box()
            assert box and box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= width, (control, box)


def test_without_javascript_the_box_opens_the_search_page_which_says_search_needs_it(browser, server):
    with visit(browser, server, java_script_enabled=False) as (page, watch):
        go(page, watch, server.url("/party/dynamics/"))
        page.get_by_role("searchbox", name=ZH["search_label"]).fill("民主评议")
        with watch.navigating(page), page.expect_navigation():
            page.get_by_role("button", name=ZH["search_button"]).click()
        assert unquote(page.url) == server.url("/party/search/?q=民主评议")
        message = page.locator(".search-needs-js")
        assert message.is_visible() and message.inner_text().strip() == ZH["search_needs_js"]
        assert page.locator(".search-tools").is_hidden() and page.locator(".search-result").count() == 0


# ============================================================ after edits

def test_an_edit_a_delete_and_a_rename_are_found_after_the_next_build(browser, tmp_path):
    files = {k: v for k, v in SITE_FILES.items() if k.startswith(("site.toml", "columns/study/"))}
    site = cold_build(tmp_path / "site", files)
    preview = Preview(site.output)
    try:
        with visit(browser, preview) as (page, watch):
            def titles(term: str) -> list[str]:
                go(page, watch, search_url(preview, term))
                return [t for t in settled(page) if t != "专题学习"]

            assert titles("廉政") == [INTEGRITY] and titles("漫记") == [READING] and titles("书香") == [BOOKS]
            source = site.root / "columns/study/2020-05-integrity.md"
            source.write_text(source.read_text("utf-8").replace("党风廉政", "师德师风"), "utf-8")
            (site.root / "columns/study/2019-06-reading.md").unlink()
            (site.root / "columns/study/2020-04-books.md").rename(site.root / "columns/study/2020-04-reading-month.md")
            rebuild(site)
            assert titles("师德") == ["五月专题学习：师德师风建设"] and titles("廉政") == []
            assert titles("漫记") == []
            assert titles("书香") == [BOOKS]
            assert page.locator(".search-result-title a").get_attribute("href") == "/party/study/reading-month/"
    finally:
        preview.close()


def test_an_edit_a_delete_and_a_rename_under_watch_are_found_once_indexed(browser, tmp_path):
    files = {k: v for k, v in SITE_FILES.items() if k.startswith(("site.toml", "columns/study/"))}
    site = SiteDir(tmp_path / "site").write(files)
    indexes: list[object] = []
    watcher = Watcher(site.root, site.output, on_build=lambda outcome: None, quiet=0.1, on_index=indexes.append)
    watcher.start()  # (builds and indexes the site first)
    preview = Preview(site.output)
    try:
        with visit(browser, preview) as (page, watch):
            def found_links(term: str) -> list[str]:
                go(page, watch, search_url(preview, term))
                settled(page)
                return [a.get_attribute("href") for a in page.locator(".search-result-title a").all()
                        if a.inner_text().strip() != "专题学习"]

            def until(term: str, links: list[str]) -> None:
                """Searches again after each index the watcher reports, until `term` finds `links`.
                A search that a new index's switch cut across (pagefind.js from one version, its
                files from the next: a 404) must still show results: the page searches once more
                with the index now live (search.js). Only such problems of Pagefind's files are
                let pass; any other failure, or the page saying search failed, stays."""
                deadline = time.monotonic() + 60
                while True:
                    seen, problems = len(indexes), len(watch.problems)
                    got = found_links(term)
                    if len(watch.problems) > problems:
                        cut = watch.problems[problems:]
                        assert all("pagefind" in problem.lower() for problem in cut), cut
                        assert status(page) != ZH["search_failed"], cut  # (the page searched again)
                        switch = time.monotonic() + 5  # (the watcher reports an index just after its switch)
                        while len(indexes) == seen and time.monotonic() < switch:
                            time.sleep(0.05)
                        if len(indexes) > seen:
                            del watch.problems[problems:]
                            continue
                    if got == links:
                        return
                    while len(indexes) == seen:
                        assert time.monotonic() < deadline, f"{term!r} finds {got}, not {links}, 60 s on: {indexes}"
                        time.sleep(0.05)

            until("廉政", ["/party/study/integrity/"])
            source = site.root / "columns/study/2020-05-integrity.md"
            source.write_text(source.read_text("utf-8").replace("党风廉政", "师德师风"), "utf-8")
            until("师德", ["/party/study/integrity/"])
            assert found_links("廉政") == []
            (site.root / "columns/study/2019-06-reading.md").unlink()
            (site.root / "columns/study/2020-04-books.md").rename(site.root / "columns/study/2020-04-reading-month.md")
            until("漫记", [])
            until("书香", ["/party/study/reading-month/"])
            assert not [i for i in indexes if not isinstance(i, IndexResult)], indexes  # no indexing failed
    finally:
        preview.close()
        watcher.stop()


def test_a_post_deleted_renamed_or_made_a_draft_is_not_found_from_the_build_that_removed_it(browser, tmp_path, monkeypatch):
    """As under `sitegen watch`: the build puts the pages live and the index follows later (its
    shard made again); a search in between, on an index in shards served by nginx, finds none of
    the posts that left, and counts none of them; once the index follows, the renamed post is
    found at its new address."""
    monkeypatch.setattr(search_shards, "SHARD_RECORDS", 2)  # (the study column's 5 records: 3 shards)
    binary = find_nginx()
    require(binary, "nginx (Debian package nginx)")
    files = {k: v for k, v in SITE_FILES.items() if k.startswith(("site.toml", "columns/study/", "columns/dynamics/_"))}
    site = SiteDir(tmp_path / "site").write(files)
    assert build(site.root, site.output, Options()).search is not None
    assert len(json.loads((site.output / "pagefind/shards.json").read_text("utf-8"))["shards"]) > 1
    (tmp_path / "nginx").mkdir()
    served = NginxServer(Demo(site.output, site.output), tmp_path / "nginx", binary)
    try:
        with visit(browser, served) as (page, watch):
            def titles(term: str) -> list[str]:
                go(page, watch, search_url(served, term))
                return [t for t in settled(page) if t not in ("专题学习", "党建动态")]

            assert titles("漫记") == [READING] and titles("书香") == [BOOKS] and titles("廉政") == [INTEGRITY]
            (site.root / "columns/study/2019-06-reading.md").unlink()
            (site.root / "columns/study/2020-04-books.md").rename(site.root / "columns/study/2020-04-reading-month.md")
            integrity = site.root / "columns/study/2020-05-integrity.md"
            integrity.write_text(integrity.read_text("utf-8").replace("tags:", "draft: true\ntags:"), "utf-8")
            result = build(site.root, site.output, Options(search_index=False))  # (a watcher's)
            assert result.index_wanted and result.search_source is not None
            for term in ("漫记", "书香", "廉政"):
                assert titles(term) == [] and status(page) == found(0, term), term
            assert isinstance(index_site(site.output, result.search_source), IndexResult)
            assert titles("书香") == [BOOKS]
            assert page.locator(".search-result-title a").get_attribute("href") == "/party/study/reading-month/"
            assert titles("漫记") == [] and titles("廉政") == []
    finally:
        served.close()
