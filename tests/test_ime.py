"""Front matter as a teacher types it with a Chinese input method: understood where the meaning
is certain, and otherwise an error at the line of the mistake, in the site's language."""

from __future__ import annotations

import pytest

from conftest import NO_REPORT_WARNINGS, NO_SEARCH, SITE_TOML, SiteDir, column
from sitegen.errors import BuildFailed

ZH_TOML = SITE_TOML.replace('language = "en"', 'language = "zh-CN"') + NO_SEARCH + NO_REPORT_WARNINGS


@pytest.fixture(params=["en", "zh-CN"])
def any_site(request, tmp_path) -> SiteDir:
    toml = ZH_TOML if request.param == "zh-CN" else SITE_TOML + NO_SEARCH
    return SiteDir(tmp_path / "site").write({"site.toml": toml, "columns/news/_index.md": column("新闻", 1)})


def built_post(site: SiteDir, front: str) -> tuple[str, list[str]]:
    """Builds a site with one post with this front matter; (its page's title, its tags)."""
    site.write({"columns/news/2019-03-05-p.md": f"---\n{front}---\n\n正文。\n"})
    site.build()
    page = site.html("news/p/index.html")
    return page.select_one("h1.post-title").get_text(), [a.get_text() for a in page.select(".post-tags a")]


@pytest.mark.parametrize(("title_line", "title"), [
    ("title：五月学习", "五月学习"),  # a full-width colon
    ("title:五月学习", "五月学习"),  # no space after the colon
    ("title:\u3000五月学习\u3000", "五月学习"),  # the input method's wide space
    ("title:\u00a0五月学习", "五月学习"),  # a no-break space pasted from Word
    ("\u3000title: 五月学习", "五月学习"),  # a wide space before the key
    ('title: "五月学习”', "五月学习"),  # the input method's closing quote
    ("title: “两学一做”学习教育", "“两学一做”学习教育"),  # Chinese quotes are part of the title
    ("title: [通知]五月学习", "[通知]五月学习"),
    ("title: @全体党员 学习", "@全体党员 学习"),
    ("title: #3 学习", "#3 学习"),
    ("title: 学习 #3", "学习 #3"),
    ("title: 主题: 学习", "主题: 学习"),
    ("title: yes", "yes"),
    ("title: 'it''s'", "it's"),
])
def test_a_title_typed_with_an_input_method_is_the_title_as_typed(any_site, title_line, title):
    assert built_post(any_site, f"{title_line}\ndate: 2019-03-05\n")[0] == title


@pytest.mark.parametrize("tags_line", [
    "tags: [党史，学习]", "tags: [党史、学习]", "tags: 【党史，学习】", "tags: 党史，学习", "tags：[党史, 学习]",
    "tags: [“党史”, “学习”]", "tags: 党史、学习",
])
def test_tags_typed_with_an_input_method_are_separate_tags(any_site, tags_line):
    assert built_post(any_site, f"title: 学习\ndate: 2019-03-05\n{tags_line}\n")[1] == ["党史", "学习"]


@pytest.mark.parametrize("date_line", ["date: 2019-03-05 15：30", "date：2019-03-05\u300015:30", "date:2019-03-05 15:30"])
def test_a_date_typed_with_an_input_method_is_read(any_site, date_line):
    any_site.write({"columns/news/2019-03-05-p.md": f"---\ntitle: 学习\n{date_line}\n---\n\n正文。\n"})
    any_site.build()
    assert any_site.html("news/p/index.html").select_one("time")["datetime"].startswith("2019-03-05T15:30")


MISTAKES = {
    "unclosed-list": ("title: 学习\ndate: 2019-03-05\ntags: [党史, 学习\n", 4,
                      "the list opened with '[' is never closed: [党史, 学习 (end it with ']' on the same line, like 'tags: [党史, 学习]')",
                      "“[”没有配对的“]”：[党史, 学习（在这一行末尾补上“]”，例如 tags: [党史, 学习]）"),
    "unclosed-quote": ('title: "五月学习\ndate: 2019-03-05\n', 2,
                       "the quote opened here is never closed: \"五月学习 (end the value with the same quote it starts "
                       "with, or leave the quotes out)",
                       "这里的引号没有结束：\"五月学习（引号要成对，或者干脆不加引号）"),
    "impossible-date": ("title: 学习\ndate: 2019-02-30 15：30\n", 3,
                        "'date': '2019-02-30 15：30' is not a real date or time (write it as 2019-03-05, "
                        "2019-03-05 08:30 or 2019-03-05T08:30:00+08:00)",
                        "“date”的“2019-02-30 15：30”不是真实存在的日期或时间（写成 2019-03-05、2019-03-05 08:30 或 2019年3月5日）"),
    "unknown-key": ("title: 学习\ndate: 2019-03-05\nflag：x\n", None, None, None),
}


@pytest.mark.parametrize("case", [k for k in MISTAKES if MISTAKES[k][1]])
@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_a_mistake_that_cannot_be_mended_is_explained_at_its_line_in_the_sites_language(tmp_path, case, language):
    front, line, english, chinese = MISTAKES[case]
    site = SiteDir(tmp_path / "site").write({
        "site.toml": ZH_TOML if language == "zh-CN" else SITE_TOML + NO_SEARCH,
        "columns/news/_index.md": column("新闻", 1),
        "columns/news/bad.md": f"---\n{front}---\n\n正文。\n",
    })
    with pytest.raises(BuildFailed) as failed:
        site.build()
    [error] = failed.value.errors
    expected = english if language == "en" else chinese
    assert error.format(site.root, language) == f"columns/news/bad.md:{line}: {expected}"


def test_an_unknown_key_with_a_full_width_colon_is_a_warning_with_a_suggestion(tmp_path):
    site = SiteDir(tmp_path / "site").write({
        "site.toml": ZH_TOML, "columns/news/_index.md": column("新闻", 1),
        "columns/news/p.md": "---\ntitle: 学习\ndate: 2019-03-05\nautor：王老师\n---\n\n正文。\n",
    })
    [problem] = site.build().warnings
    assert problem.format(site.root, "zh-CN") == "columns/news/p.md:4: 警告：不认识的设置“autor”，已忽略（是不是想写“author”？）"
    assert problem.format(site.root) == "columns/news/p.md:4: warning: unknown front matter key 'autor' is ignored (did you mean 'author'?)"
