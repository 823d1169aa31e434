"""The published work report names nobody as falling short: posts per person go to the branch
secretary through `sitegen report` (terminal, CSV, an HTML file outside the site), and onto the
public pages only when site.toml says so. A school year without posts yet shows the last one."""

from __future__ import annotations

import pytest

from conftest import SITE_TOML, column, post, run_cli

TOML = SITE_TOML.replace('"en"', '"zh-CN"') + "search = false\n"
POSTS = {
    "columns/study/_index.md": column("专题学习", 1),
    "columns/study/2019-03-01-a.md": post("学习一", "2019-03-01", "author: 王老师\n"),
    "columns/study/2019-04-01-b.md": post("学习二", "2019-04-01", "author: 王老师\n"),
    "columns/study/2019-05-01-c.md": post("学习三", "2019-05-01", "author: 李老师\n"),
}


@pytest.fixture
def school(site):
    site.write({"site.toml": TOML + 'author_threshold = 2\n', **POSTS})
    return site


def test_the_public_report_names_nobody_by_default(school):
    school.build()
    for page in ("report/index.html", "report/2018/index.html"):
        text = school.html(page).get_text()
        assert "李老师" not in text and "王老师" not in text and "少于" not in text, page
        assert school.html(page).select("table.report-authors") == []


def test_a_branch_can_publish_the_figures_per_person(school):
    school.write({"site.toml": TOML + "author_threshold = 2\nreport_authors = true\n"})
    school.build()
    rows = [[c.get_text(strip=True) for c in tr.select("th, td")]
            for tr in school.html("report/2018/index.html").select("table.report-authors tbody tr")]
    assert rows == [["王老师", "2", ""], ["李老师", "1", "少于2篇"]]


def test_report_opens_on_the_latest_year_with_posts_when_this_year_has_none(school):
    school.build()  # "now" is 2020-01-01: the school year 2019–2020 has no post
    title = school.html("report/index.html").select_one("h1").get_text(strip=True)
    assert "2018–2019" in title, title
    # The years' list marks the year on the page, and says this year has nothing yet (no link:
    # /report/ is not this year's figures).
    for page in ("report/index.html", "report/2018/index.html"):
        entries = [(li.get_text(" ", strip=True), li.a["href"] if li.a else None, li.a and li.a.get("aria-current"))
                   for li in school.html(page).select("nav.report-years li")]
        assert entries == [("2019–2020学年 本学年，还没有文章", None, None),
                           ("2018–2019学年", "/report/2018/", "page")], (page, entries)


def test_the_secretary_gets_the_figures_per_person_as_an_html_file_outside_the_site(school, tmp_path):
    school.build()
    target = tmp_path / "报告.html"
    run = run_cli("report", "--source", str(school.root), "--year", "2018", "--html", str(target))
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"已保存 {target}"
    text = target.read_text("utf-8")
    assert "<td>李老师</td><td>1</td><td>少于2篇</td>" in text and "<td>王老师</td><td>2</td><td></td>" in text
    inside = school.output / "report.html"
    refused = run_cli("report", "--source", str(school.root), "--year", "2018", "--html", str(inside))
    assert refused.returncode == 1 and not inside.exists()
    assert refused.stderr.strip() == f"sitegen：{inside} 在发布的网站里，所有访问者都能打开；请把报告保存到别的地方"
