"""Post bodies as readers see them: Markdown features, heading anchors and the table of
contents, summaries on the column page, reading time, links written as source paths, and
the raw HTML a post may (not) carry."""

from __future__ import annotations

import re

import pytest

from conftest import SITE_TOML, column, post
from photo_samples import small_png, version_url
from sitegen.errors import BuildFailed, SiteError
from sitegen.summary import cut_summary, reading_minutes

PARTY_TOML = SITE_TOML.replace('base_url = "http://intranet.test/"', 'base_url = "http://intranet.test/party/"')

# Chinese text with no sentence ends at all, and English words with none.
HAN = "党的建设学习教育理论实践"  # 12 characters, cycled
HAN_PUNCTUATION = "。，！？；：、“”（）"
WORD = re.compile(r"[A-Za-z0-9]+")


def han_text(n: int) -> str:
    return (HAN * (n // len(HAN) + 1))[:n]


def english_words(n: int) -> str:
    return " ".join(f"word{i}" for i in range(n))


def body_of(site, relpath: str = "news/a/index.html"):
    return site.html(relpath).select_one(".post-body")


def card_summary(site, title: str = "A") -> str:
    """The summary on the post's card on the column's first page."""
    for card in site.html("news/index.html").select(".post-card"):
        if card.select_one(".post-card-title a").get_text(strip=True) == title:
            summary = card.select_one(".post-card-summary")
            return summary.get_text(" ", strip=True) if summary else ""
    raise AssertionError(f"no card for {title!r}")


def reading_time(site, relpath: str = "news/a/index.html") -> str:
    items = [li.get_text(strip=True) for li in site.html(relpath).select(".post-meta-full li")]
    [found] = [i for i in items if "min read" in i or "阅读约" in i]
    return found


def errors_of(site, **options) -> list[SiteError]:
    with pytest.raises(BuildFailed) as failed:
        site.build(**options)
    assert not site.output.exists(), "a failed build must write nothing"
    return failed.value.errors


# ----------------------------------------------------------------------------- Markdown features


def test_a_table_becomes_an_html_table_keeping_its_column_alignment(site):
    site.write({"columns/news/a.md": post("A", body="| 姓名 | 得分 |\n|:--|--:|\n| 李明 | 95 |\n| 王芳 | 88 |\n")})
    site.build()
    table = body_of(site).find("table")
    assert [th.get_text() for th in table.select("thead th")] == ["姓名", "得分"]
    assert [[td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")] == [["李明", "95"], ["王芳", "88"]]
    assert "right" in table.select("tbody td")[1]["style"]


def test_a_footnote_links_to_its_note_at_the_end_and_back(site):
    site.write({"columns/news/a.md": post("A", body="学习党章[^1]。\n\n[^1]: 2017年修订。\n")})
    site.build()
    body = body_of(site)
    ref = body.select_one("sup a.footnote-ref")
    note = body.select_one("div.footnote li")
    assert ref["href"] == f"#{note['id']}"
    assert "2017年修订。" in note.get_text()
    assert note.select_one("a.footnote-backref")["href"] == f"#{body.select_one('sup')['id']}"


def test_attribute_lists_set_ids_and_classes_and_backslash_escapes_show_as_written(site):
    site.write({"columns/news/a.md": post("A", body="## 学习 {#study}\n\nA note.\n{: .note }\n\nKeep \\*stars\\* and \\{braces\\}.\n")})
    site.build()
    body = body_of(site)
    assert body.select_one("h2")["id"] == "study"
    assert body.select_one("p.note").get_text() == "A note."
    assert "Keep *stars* and {braces}." in body.get_text()


def test_fenced_code_keeps_its_language_and_shows_markup_as_text(site):
    site.write({"columns/news/a.md": post("A", body="```python\nprint('<b>hi</b>')\n```\n")})
    site.build()
    code = body_of(site).select_one("pre code")
    assert "language-python" in code["class"]
    assert code.get_text() == "print('<b>hi</b>')\n"
    assert code.find("b") is None


def test_chinese_headings_get_anchors_that_read_as_the_heading(site):
    site.write({"columns/news/a.md": post("A", body="## 学习内容\n\n内容。\n\n## 心得体会\n\n体会。\n")})
    site.build()
    ids = [h["id"] for h in body_of(site).find_all("h2")]
    assert ids == ["学习内容", "心得体会"]
    toc = [a["href"] for a in site.html("news/a/index.html").select(".post-toc a")]
    assert toc == ["#学习内容", "#心得体会"]


def test_english_and_mixed_headings_get_word_anchors(site):
    site.write({"columns/news/a.md": post("A", body="## Study Plan\n\nx\n\n## 第2次 Meeting\n\ny\n")})
    site.build()
    ids = [h["id"] for h in body_of(site).find_all("h2")]
    assert ids[0] == "study-plan"
    assert "第2次" in ids[1] and "meeting" in ids[1]
    assert not any(re.fullmatch(r"_\d+", i) for i in ids)


def test_repeated_headings_still_get_distinct_anchors(site):
    site.write({"columns/news/a.md": post("A", body="## 学习内容\n\nx\n\n## 学习内容\n\ny\n")})
    site.build()
    ids = [h["id"] for h in body_of(site).find_all("h2")]
    assert len(set(ids)) == 2 and all("学习内容" in i for i in ids)


@pytest.mark.parametrize(
    ("body", "entries"),
    [
        ("No headings.\n", None),
        ("## 只有一个标题\n\n正文。\n", None),
        ("## 第一部分\n\n正文。\n\n## 第二部分\n\n正文。\n", ["第一部分", "第二部分"]),
        ("## 第一部分\n\n正文。\n\n### 小节\n\n正文。\n", ["第一部分", "小节"]),
    ],
    ids=["none", "one", "two", "nested"],
)
def test_the_table_of_contents_shows_only_with_two_or_more_headings(site, body, entries):
    site.write({"columns/news/a.md": post("A", body=body)})
    site.build()
    toc = site.html("news/a/index.html").select_one(".post-toc")
    if entries is None:
        assert toc is None
    else:
        assert [a.get_text() for a in toc.select("a")] == entries


# ----------------------------------------------------------------------------- summaries


def test_the_front_matter_summary_is_shown_on_the_column_page(site):
    site.write({"columns/news/a.md": post("A", extra="summary: 本次党课学习了党章。\n", body="Opening.\n\n<!--more-->\n\nRest.\n")})
    site.build()
    assert card_summary(site) == "本次党课学习了党章。"


def test_the_text_before_the_more_mark_is_the_summary_and_the_post_shows_everything(site):
    site.write({"columns/news/a.md": post("A", body="第一段，作为摘要。\n\n第二段也是摘要。\n\n<!--more-->\n\n正文其余部分。\n")})
    site.build()
    assert card_summary(site) == "第一段，作为摘要。 第二段也是摘要。"
    body = body_of(site)
    assert [p.get_text() for p in body.find_all("p")] == ["第一段，作为摘要。", "第二段也是摘要。", "正文其余部分。"]
    assert "more" not in str(body)


def test_a_summary_before_the_more_mark_keeps_links_and_emphasis_but_not_footnote_numbers(site):
    body = "See [the lesson](lesson.md), **important**[^1].\n\n<!--more-->\n\nRest.\n\n[^1]: A note.\n"
    site.write({"columns/news/lesson.md": post("Lesson"), "columns/news/a.md": post("A", body=body)})
    site.build()
    card = site.html("news/index.html").select(".post-card")
    [summary] = [c.select_one(".post-card-summary") for c in card if c.select_one(".post-card-title a").get_text() == "A"]
    assert summary.select_one("a")["href"] == "/news/lesson/"
    assert summary.select_one("strong").get_text() == "important"
    assert " ".join(summary.get_text().split()) == "See the lesson, important."


def test_a_short_post_is_its_own_summary(site):
    site.write({"columns/news/a.md": post("A", body="## 标题\n\n全文只有一句话。\n")})
    site.build()
    assert card_summary(site) == "全文只有一句话。"  # the heading is left out


def test_a_long_chinese_post_is_cut_at_a_sentence_end_within_about_120_characters(site):
    sentence = "支部全体党员认真学习了党章党规。"  # 15 characters and a full stop
    site.write({"columns/news/a.md": post("A", body=sentence * 20 + "\n")})
    site.build()
    summary = card_summary(site)
    assert summary.endswith("。")
    assert 60 <= len(re.findall(r"[\u4e00-\u9fff]", summary)) <= 120
    assert (sentence * 20).startswith(summary)


def test_chinese_without_sentence_ends_is_cut_at_120_characters_with_an_ellipsis(site):
    text = han_text(400)
    site.write({"columns/news/a.md": post("A", body=text + "\n")})
    site.build()
    summary = card_summary(site)
    assert summary == text[:120] + "…"


def test_a_long_english_post_is_cut_at_a_word_boundary_within_50_words(site):
    text = english_words(200)
    site.write({"columns/news/a.md": post("A", body=text + "\n")})
    site.build()
    summary = card_summary(site)
    assert summary.endswith("…")
    kept = summary.removesuffix("…")
    assert text.startswith(kept) and text[len(kept)] == " "  # never half a word
    assert 25 <= len(kept.split()) <= 50


def test_a_long_english_post_is_cut_at_a_sentence_end_when_there_is_one(site):
    sentences = " ".join(f"Sentence number {i} has six words." for i in range(30))
    site.write({"columns/news/a.md": post("A", body=sentences + "\n")})
    site.build()
    summary = card_summary(site)
    assert summary.endswith("words.")
    assert sentences.startswith(summary)
    assert 25 <= len(summary.split()) <= 50


def test_the_summary_leaves_out_footnote_numbers_code_and_raw_html(site):
    body = "```\ncode()\n```\n\n学习党章[^1]，提高认识。<span>内联</span>\n\n<div>块级HTML</div>\n\n[^1]: 注释。\n"
    site.write({"columns/news/a.md": post("A", body=body)})
    site.build()
    summary = card_summary(site)
    assert summary == "学习党章，提高认识。内联"


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("我们" * 30 + "。" + "学习" * 100, lambda s: s.endswith("。")),
        (" ".join(["alpha"] * 40) + ". " + " ".join(["beta"] * 40), lambda s: s.endswith("alpha.")),
        (han_text(50) + " " + english_words(80), lambda s: s.endswith("…")),
    ],
    ids=["chinese", "english", "mixed"],
)
def test_cut_summary_ends_at_a_sentence_end_or_with_an_ellipsis(text, ok):
    summary = cut_summary([("p", text)])
    assert ok(summary), summary
    assert text.startswith(summary.removesuffix("…"))


@pytest.mark.parametrize(
    ("words", "hans"),
    [(50, 0), (25, 60), (5, 108), (0, 120)],
)
def test_a_text_of_exactly_the_budget_is_kept_whole(words, hans):
    # 50 words: adding 2.4 fifty times gives 120.00000000000011, which must not count as over.
    text = " ".join(["word"] * words + [han_text(hans)] * bool(hans))
    assert cut_summary([("p", text)]) == text
    assert cut_summary([("p", text + " more")]).endswith("…")


def test_a_decimal_point_is_not_taken_for_the_end_of_a_sentence(site):
    text = " ".join(["alpha"] * 30) + " version 3.5 was released with " + " ".join(["beta"] * 40)
    site.write({"columns/news/a.md": post("A", body=text + "\n")})
    site.build()
    summary = card_summary(site)
    assert not summary.endswith("3.")


# ----------------------------------------------------------------------------- reading time


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        (han_text(900), "3 min read"),
        (english_words(600), "3 min read"),
        (han_text(900) + "\n\n" + english_words(600), "6 min read"),
        (han_text(901), "4 min read"),
        ("Short.", "1 min read"),
    ],
    ids=["900-chinese", "600-english", "both", "just-over", "short"],
)
def test_reading_time_counts_chinese_characters_and_english_words_separately(site, body, shown):
    site.write({"columns/news/a.md": post("A", body=body + "\n")})
    site.build()
    assert reading_time(site) == shown


def test_reading_time_is_shown_in_chinese_on_a_chinese_site(site):
    site.write({"site.toml": SITE_TOML.replace('"en"', '"zh-CN"'), "columns/news/a.md": post("A", body=han_text(900) + "\n")})
    site.build()
    assert reading_time(site) == "阅读约 3 分钟"


def test_reading_minutes_counts_words_joined_by_apostrophes_and_hyphens_once():
    assert reading_minutes("it's state-of-the-art l’été " * 200) == 3  # 600 words
    assert reading_minutes("word- -word 'word' " * 200) == 3  # 600 words, punctuation aside


def test_reading_minutes_ignores_punctuation():
    assert reading_minutes(HAN_PUNCTUATION * 200) == 1
    assert reading_minutes(han_text(600) + HAN_PUNCTUATION * 100) == 2


# ----------------------------------------------------------------------------- links by source path


PHOTO = small_png()


def linked_site(site):
    site.write({
        "site.toml": PARTY_TOML,
        "columns/study/_index.md": column("Study", 2),
        "columns/study/2019-05-lesson.md": post("Study lesson"),
        "columns/news/lesson.md": post("News lesson", body="## Section\n\nText.\n"),
        "columns/news/党课.md": post("党课"),
        "columns/news/bundle/index.md": post("Bundle"),
        "columns/news/bundle/photo.png": PHOTO,
    })
    return site


@pytest.mark.parametrize(
    ("target", "url"),
    [
        ("../study/2019-05-lesson.md", "/party/study/lesson/"),
        ("lesson.md", "/party/news/lesson/"),
        ("lesson.md#section", "/party/news/lesson/#section"),
        ("lesson.md#step\\_2", "/party/news/lesson/#step_2"),  # a backslash escape in the fragment
        ("./lesson.md", "/party/news/lesson/"),
        ("../news/lesson.md", "/party/news/lesson/"),
        ("../study/_index.md", "/party/study/"),
        ("../study/", "/party/study/"),
        ("../study", "/party/study/"),
        ("党课.md", "/party/news/dang-ke/"),
        ("%E5%85%9A%E8%AF%BE.md", "/party/news/dang-ke/"),
        ("bundle/index.md", "/party/news/bundle/"),
        ("bundle/", "/party/news/bundle/"),
        ("bundle/photo.png", version_url("/party/news/bundle/photo", PHOTO, 40)),  # its largest version
    ],
)
def test_a_link_to_a_source_file_becomes_the_url_of_what_it_names(site, target, url):
    linked_site(site).write({"columns/news/a.md": post("A", body=f"See [this]({target}).\n")})
    site.build()
    assert body_of(site).select_one("a")["href"] == url


def test_an_image_written_as_a_path_gets_its_url(site):
    linked_site(site).write({"columns/news/a.md": post("A", body="![合影](bundle/photo.png)\n")})
    site.build()
    img = body_of(site).select_one("img")
    assert img["src"] == version_url("/party/news/bundle/photo", PHOTO, 40, ".jpg")  # the fallback
    assert img.find_parent("picture").source["srcset"] == version_url("/party/news/bundle/photo", PHOTO, 40) + " 40w"


@pytest.mark.parametrize(
    "target",
    ["http://example.com/lesson.md", "https://www.12371.cn/", "mailto:dangban@school.test", "#section", "/party/news/", "tel:12345"],
)
def test_links_that_are_not_source_paths_are_left_alone(site, target):
    linked_site(site).write({"columns/news/a.md": post("A", body=f"See [this]({target}).\n")})
    site.build()
    assert body_of(site).select_one("a")["href"] == target


def test_a_link_in_a_column_intro_is_rewritten_too(site):
    linked_site(site).write({"columns/study/_index.md": column("Study", 2, body="Start with [the lesson](2019-05-lesson.md).\n")})
    site.build()
    assert site.html("study/index.html").select_one(".column-intro a")["href"] == "/party/study/lesson/"


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("missing.md", "does not exist"),
        ("../study/2019-06-lesson.md", "does not exist"),
        ("../../../etc/passwd", "leaves the site"),
        ("../../site.toml", "not part of the site"),
    ],
)
def test_a_broken_link_is_an_error_with_the_file_and_the_line_of_the_link(site, target, says):
    body = "First paragraph.\n\nSecond paragraph\nwith two lines.\n\n" + f"A [broken link]({target}) here.\n"
    linked_site(site).write({"columns/news/a.md": post("A", body=body)})
    [error] = errors_of(site)
    assert error.path.name == "a.md"
    assert error.line == 11  # 4 lines of front matter, a blank line, then the body
    assert says in error.message and target in error.message


def test_a_broken_link_in_a_column_intro_is_an_error_at_its_line_in_index_md(site):
    site.write({"columns/news/_index.md": column("News", 1, body="Intro.\n\nSee [x](gone.md).\n")})
    [error] = errors_of(site)
    assert error.location(site.root.resolve()) == "columns/news/_index.md:7"
    assert "gone.md" in error.message


def test_a_missing_image_is_an_error_at_its_line(site):
    linked_site(site).write({"columns/news/a.md": post("A", body="Text.\n\n![合影](bundle/photo.jpg)\n")})
    [error] = errors_of(site)
    assert (error.path.name, error.line) == ("a.md", 8)
    assert "photo.jpg" in error.message
    assert "did you mean 'photo.png'" in (error.hint or "")


def test_a_misspelt_link_suggests_the_file_that_was_meant(site):
    linked_site(site).write({"columns/news/a.md": post("A", body="[x](leson.md)\n")})
    [error] = errors_of(site)
    assert "did you mean 'lesson.md'" in (error.hint or "")


def test_a_link_to_a_draft_is_an_error_saying_it_is_a_draft_unless_drafts_are_built(site):
    linked_site(site).write({
        "columns/news/plan.md": post("Plan", extra="draft: true\n"),
        "columns/news/a.md": post("A", body="Text.\n\nSee [the plan](plan.md).\n"),
    })
    [error] = errors_of(site)
    assert (error.path.name, error.line) == ("a.md", 8)
    assert "draft" in error.message and "plan.md" in error.message
    site.build(drafts=True)
    assert body_of(site).select_one("a")["href"] == "/party/news/plan/"


def test_a_link_to_a_future_post_is_an_error_saying_so(site):
    linked_site(site).write({
        "columns/news/plan.md": post("Plan", "2099-01-01"),
        "columns/news/a.md": post("A", body="See [the plan](plan.md).\n"),
    })
    [error] = errors_of(site)
    assert "future" in error.message


def test_every_broken_link_of_every_post_is_reported(site):
    linked_site(site).write({
        "columns/news/a.md": post("A", body="[one](gone.md)\n\n![two](gone.png)\n"),
        "columns/news/b.md": post("B", body="[three](../../../etc/passwd)\n"),
    })
    errors = errors_of(site)
    assert sorted((e.path.name, e.line) for e in errors) == [("a.md", 6), ("a.md", 8), ("b.md", 6)]


def test_two_broken_links_to_the_same_target_are_reported_at_their_own_lines(site):
    linked_site(site).write({"columns/news/a.md": post("A", body="[one](gone.md)\n\nText.\n\n[two](gone.md)\n")})
    errors = errors_of(site)
    assert sorted(e.line for e in errors) == [6, 10]


# ----------------------------------------------------------------------------- raw HTML

RAW = """\
Before.

<script>alert("script")</script>

<style>body { display: none }</style>

<iframe src="http://evil.test/"></iframe>

<p onclick="alert('click')" class="note">Click me</p>

<a href="javascript:alert('js')">raw js link</a> and [md js link](javascript:alert('md'))

<img src="bundle/photo.png" onerror="alert('img')" alt="photo">

<details><summary>更多</summary>折叠的内容</details>

<table><tr><td>单元格</td></tr></table>

H<sup>2</sup>O and x<sub>1</sub>

After.
"""


def test_dangerous_raw_html_is_removed_and_harmless_html_is_kept(site):
    linked_site(site).write({"columns/news/a.md": post("A", body=RAW)})
    site.build()
    body = body_of(site)
    html = str(body)
    for gone in ("<script", "<style", "<iframe", "onclick", "onerror", "javascript:", "alert", "display: none"):
        assert gone not in html, gone
    assert body.select_one("p.note").get_text() == "Click me"
    assert [a.get_text() for a in body.find_all("a") if not a.get("href")] == ["raw js link", "md js link"]
    assert body.select_one("details summary").get_text() == "更多"
    assert body.select_one("table td").get_text() == "单元格"
    assert body.select_one("sup").get_text() == "2" and body.select_one("sub").get_text() == "1"
    assert body.select_one("img")["alt"] == "photo"
    assert "After." in body.get_text()


def test_unsafe_html_true_keeps_raw_html_as_written(site):
    linked_site(site).write({"site.toml": PARTY_TOML + "unsafe_html = true\n", "columns/news/a.md": post("A", body=RAW)})
    site.build()
    body = body_of(site)
    assert body.find("script").get_text() == 'alert("script")'
    assert body.find("iframe")["src"] == "http://evil.test/"
    assert body.find("style") is not None
    assert body.select_one("p.note")["onclick"] == "alert('click')"


def test_raw_html_is_removed_from_the_summary_on_the_column_page_too(site):
    body = 'Intro <span onclick="alert(1)">text</span>.\n\n<script>alert(2)</script>\n\n<!--more-->\n\nRest.\n'
    site.write({"columns/news/a.md": post("A", body=body)})
    site.build()
    card = site.html("news/index.html").select_one(".post-card-summary")
    assert "alert" not in str(card) and "onclick" not in str(card)
    assert card.get_text(" ", strip=True) == "Intro text ."
