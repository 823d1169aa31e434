"""Nothing disappears silently: build says which posts it leaves out (drafts, dated in the
future, and a year far ahead as a warning) and shows the same warnings as check. And
`sitegen new` takes a column's title as well as its folder, and a title without quotes."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import NO_REPORT_WARNINGS, NO_SEARCH, SITE_TOML, SiteDir, column, post, run_cli

SOON = datetime.now(ZoneInfo("Asia/Shanghai")).replace(second=0, microsecond=0) + timedelta(days=3)
FAR = SOON.replace(year=SOON.year + 36)


def make_site(tmp_path, language: str, report_warnings: str = NO_REPORT_WARNINGS) -> SiteDir:
    toml = SITE_TOML.replace('"en"', f'"{language}"') + NO_SEARCH + report_warnings
    return SiteDir(tmp_path / "site").write({
        "site.toml": toml,
        "columns/news/_index.md": column("新闻", 1),
        "columns/study/_index.md": column("专题学习", 2),
        "columns/mailbox/_index.md": column("书记信箱", 3, "layout: page\n"),
        "columns/news/published.md": post("学习", "2019-03-05"),
        "columns/news/draft.md": post("草稿", "2019-03-05", "draft: true\n"),
        "columns/news/soon.md": post("通知", f"{SOON:%Y-%m-%d %H:%M}"),
        "columns/news/far.md": post("年份", f"{FAR:%Y-%m-%d %H:%M}"),
    })


EXPECTED = {
    "en": [
        f"columns/news/far.md:3: warning: not published: it is dated {FAR:%Y-%m-%d %H:%M}, more than a year ahead; "
        f"is the year {FAR.year} mistyped? (a post appears only once its date has come; correct the year in 'date:' "
        "to publish it now)",
        "columns/news/draft.md:4: note: not published: it is a draft (draft: true) (remove the line 'draft: true' to publish it)",
        f"columns/news/soon.md:3: note: not published yet: it is dated {SOON:%Y-%m-%d %H:%M} and appears with the "
        "first build after that",
    ],
    "zh-CN": [
        f"columns/news/far.md:3: 警告：没有发布：日期是 {FAR:%Y-%m-%d %H:%M}，在一年以后；年份 {FAR.year} 是不是打错了？"
        "（文章要到这个日期才会出现；把“date:”里的年份改对，就会马上发布）",
        "columns/news/draft.md:4: 提示：没有发布：这是草稿（draft: true）（删掉“draft: true”这一行就会发布）",
        f"columns/news/soon.md:3: 提示：暂未发布：日期是 {SOON:%Y-%m-%d %H:%M}，到了这个时间后的第一次生成时才出现",
    ],
}


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_build_says_which_posts_it_leaves_out_and_when_they_appear(tmp_path, language):
    site = make_site(tmp_path, language)
    run = run_cli("build", "--source", str(site.root))
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines() == EXPECTED[language]
    if language == "en":
        assert run.stdout.startswith("built 18 pages, 1 posts (新闻 1, 专题学习 0), 1 warnings, 2 not published (drafts, "
                                     "dated in the future), "), run.stdout
    else:
        assert run.stdout.startswith("已生成网站：18 个页面，1 篇文章（新闻 1 篇，专题学习 0 篇），1 个警告，2 篇未发布（草稿或日期未到），"), run.stdout


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_build_shows_the_same_warnings_as_check(tmp_path, language):
    site = make_site(tmp_path, language, report_warnings="")  # the study column is stale, the far post a warning
    checked = run_cli("check", "--source", str(site.root))
    built = run_cli("build", "--source", str(site.root))
    warnings = [line for line in checked.stderr.splitlines()]
    assert len(warnings) == 3 and any("columns/study/_index.md" in w for w in warnings), warnings
    assert [line for line in built.stderr.splitlines() if ": note: " not in line and "提示：" not in line] == warnings


@pytest.mark.parametrize(("column_typed", "folder"), [("study", "study"), ("专题学习", "study"), ("新闻", "news")])
def test_new_takes_a_columns_folder_or_title_and_a_title_in_several_words(tmp_path, column_typed, folder):
    site = make_site(tmp_path, "zh-CN")
    run = run_cli("new", column_typed, "五月", "专题学习", "--source", str(site.root))
    assert run.returncode == 0, run.stderr
    path = site.root / run.stdout.strip()
    assert path.parent == site.root / "columns" / folder
    text = path.read_text("utf-8")
    assert 'title: "五月 专题学习"\n' in text
    assert text.endswith("在这里写正文。写好后删掉上面“draft: true”这一行，文章就会发布。\n")


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "sitegen: there is no column '学习' (columns: mailbox (书记信箱), news (新闻), study (专题学习))"),
    ("zh-CN", "sitegen：没有“学习”这个栏目（现有栏目：mailbox (书记信箱), news (新闻), study (专题学习)）"),
])
def test_new_names_the_columns_by_folder_and_title_when_none_matches(tmp_path, language, expected):
    run = run_cli("new", "学习", "标题", "--source", str(make_site(tmp_path, language).root))
    assert run.returncode == 1 and run.stderr.strip() == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "sitegen: column 'mailbox' is a single page (layout: page) and holds no posts; edit columns/mailbox/_index.md instead"),
    ("zh-CN", "sitegen：栏目“mailbox”只有一页（layout: page），不能放文章；请直接修改 columns/mailbox/_index.md"),
])
def test_new_refuses_a_single_page_column_named_by_its_title(tmp_path, language, expected):
    run = run_cli("new", "书记信箱", "标题", "--source", str(make_site(tmp_path, language).root))
    assert run.returncode == 1 and run.stderr.strip() == expected
