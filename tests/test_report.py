"""The work report (/report/ and `sitegen report`): posts per column per month of an academic
year, months without a Special Study post, posts per author, and columns with no recent post.

One temp site with known posts; "now" is conftest.NOW (2020-01-01 12:00 in Shanghai), so the
current academic year is 2019–2020. Figures are read back from the built HTML, the terminal
and the CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import NOW, SITE_TOML, column, post, run_cli
from sitegen.build import check
from sitegen.config import load_config
from sitegen.errors import BuildFailed
from sitegen.i18n import Translator
from sitegen.report import (ReportSettings, academic_year_of, academic_years, report_warnings,
                            stale_column_warnings, study_column_warnings, year_report)
from sitegen.report_tables import csv_report, text_report
from test_site_pages import crawl

SHANGHAI = ZoneInfo("Asia/Shanghai")
PARTY_TOML = SITE_TOML.replace('base_url = "http://intranet.test/"', 'base_url = "http://intranet.test/party/"')

# 2019–2020 (Sept 2019 – Aug 2020), by column and month:
#   news:       Sep 2 (one written in UTC, 2019-08-31 17:00Z = 2019-09-01 01:00 in Shanghai)
#   study:      Sep 1, Nov 1            -> Oct and Dec 2019 are gaps (Jan 2020 is not over yet)
#   experience: Oct 1 (no author), Dec 1
#   style:      none at all             -> an empty column
# 2018–2019: news Aug 2019 (2019-08-31 23:30, the last evening of the year), experience Mar 2019.
# Authors 2019–2020: Wang 3, Li 2, Zhao 0 (wrote only in 2018–2019), one post with no author.
POSTS = {
    "columns/news/2019-08-31-late.md": post("Late", "2019-08-31 23:30", "author: Li\n"),
    "columns/news/2019-09-01-early.md": post("Early", "2019-09-01 00:10", "author: Li\n"),
    "columns/news/utc.md": post("Written in UTC", "2019-08-31T17:00:00+00:00", "author: Wang\n"),
    "columns/study/_index.md": column("Study", 2),
    "columns/study/2019-09-10-a.md": post("Study A", "2019-09-10", "author: Wang\n"),
    "columns/study/2019-11-05-b.md": post("Study B", "2019-11-05", "author: Wang\n"),
    "columns/study/2019-10-01-draft.md": post("Draft study", "2019-10-01", "author: Wang\ndraft: true\n"),
    "columns/study/2100-03-01-future.md": post("Future study", "2100-03-01", "author: Wang\n"),
    "columns/experience/_index.md": column("Experience", 3),
    "columns/experience/2019-03-01-notes.md": post("Reading notes", "2019-03-01", "author: Zhao\n"),
    "columns/experience/2019-10-20-anon.md": post("Anonymous", "2019-10-20"),
    "columns/experience/2019-12-20-essay.md": post("Essay", "2019-12-20", "author: Li\n"),
    "columns/style/_index.md": column("Style", 4),
    "columns/mailbox/_index.md": column("Mailbox", 5, "layout: page\n", "Write to us.\n"),
}


@pytest.fixture
def branch(site):
    """The known site under /party/, built with NOW."""
    site.write({"site.toml": PARTY_TOML, **POSTS})
    return site


def built(site, toml_extra: str = "", toml: str | None = None):
    site.write({"site.toml": (toml or PARTY_TOML) + toml_extra})
    return site.build()


def table(soup, selector: str) -> list[list[str]]:
    """Rows of a table (header row first) as cell texts."""
    return [[" ".join(cell.get_text().split()) for cell in tr.find_all(["th", "td"])] for tr in soup.select(f"{selector} tr")]


def by_first_cell(rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in rows}


# ----------------------------------------------------------------------------- the figures


def test_a_post_belongs_to_the_academic_year_of_its_date_in_the_site_timezone():
    late = datetime(2019, 8, 31, 23, 30, tzinfo=SHANGHAI)
    assert academic_year_of(late, 9, SHANGHAI) == 2018
    assert academic_year_of(datetime(2019, 9, 1, tzinfo=SHANGHAI), 9, SHANGHAI) == 2019
    utc = datetime(2019, 8, 31, 17, 0, tzinfo=ZoneInfo("UTC"))  # 01:00 on 1 September in Shanghai
    assert academic_year_of(utc, 9, SHANGHAI) == 2019
    assert academic_year_of(utc, 9, ZoneInfo("UTC")) == 2018
    assert academic_year_of(datetime(2019, 1, 1, tzinfo=SHANGHAI), 1, SHANGHAI) == 2019


def test_year_report_counts_posts_per_column_per_month(branch):
    site = branch.build().site
    report = year_report(site, 2019, NOW, ReportSettings())
    assert [c.slug for c in report.columns] == ["news", "study", "experience", "style"]  # no single-page column
    assert [m.key for m in report.months] == ["2019-09", "2019-10", "2019-11", "2019-12", "2020-01", "2020-02",
                                              "2020-03", "2020-04", "2020-05", "2020-06", "2020-07", "2020-08"]
    assert report.counts["news"] == (2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert report.counts["study"] == (1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)  # no draft, no future post
    assert report.counts["experience"] == (0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0)
    assert report.counts["style"] == (0,) * 12
    assert report.month_totals[:4] == (3, 1, 1, 1) and report.total == 6
    assert report.is_current

    earlier = year_report(site, 2018, NOW, ReportSettings())
    assert earlier.counts["news"][-1] == 1 and earlier.counts["experience"][6] == 1  # Aug 2019, Mar 2019
    assert earlier.total == 2 and not earlier.is_current and earlier.updates == ()
    assert academic_years(site, 9, NOW) == [2019, 2018]


def test_study_gaps_are_the_months_that_have_ended_without_a_study_post(branch):
    site = branch.build().site
    report = year_report(site, 2019, NOW, ReportSettings())
    assert [m.key for m in report.study_gaps] == ["2019-10", "2019-12"]  # January is not over on 1 January
    assert all(m.gap for m in year_report(site, 2018, NOW, ReportSettings()).months)  # no study post that year
    assert year_report(site, 2019, NOW, ReportSettings(study_column="")).study_gaps == ()


def test_authors_are_sorted_with_the_ones_below_the_threshold_marked(branch):
    site = branch.build().site
    report = year_report(site, 2019, NOW, ReportSettings())
    assert [(a.name, a.count, a.below) for a in report.authors] == [
        ("Wang", 3, False), ("Li", 2, False), ("Zhao", 0, True), (None, 1, False)]
    stricter = year_report(site, 2019, NOW, ReportSettings(author_threshold=3))
    assert [(a.name, a.below) for a in stricter.authors] == [("Wang", False), ("Li", True), ("Zhao", True), (None, False)]
    # An author is listed from the year of their first post on: Wang first wrote in 2019–2020.
    earlier = year_report(site, 2018, NOW, ReportSettings())
    assert [(a.name, a.count) for a in earlier.authors] == [("Li", 1), ("Zhao", 1)]


def test_a_column_with_no_post_for_longer_than_stale_days_is_stale(branch):
    site = branch.build().site
    report = year_report(site, 2019, NOW, ReportSettings())
    updates = {s.column.slug: (s.latest.date().isoformat() if s.latest else None, s.days, s.stale) for s in report.updates}
    assert updates == {
        "news": ("2019-09-01", 122, True),
        "study": ("2019-11-05", 57, False),
        "experience": ("2019-12-20", 12, False),
        "style": (None, None, True),
    }
    assert [s.column.slug for s in year_report(site, 2019, NOW, ReportSettings(stale_days=130)).stale] == ["style"]
    assert year_report(site, 2019, NOW, ReportSettings(stale_days=0)).stale == ()


# ----------------------------------------------------------------------------- the page


def test_the_report_page_shows_the_current_academic_year_with_its_figures(branch):
    branch.build()
    page = branch.html("report/index.html")
    assert page.h1.get_text(strip=True) == "Work report: 2019–2020 academic year"
    rows = table(page, "table.report-months")
    assert rows[0] == ["Month", "News", "Study", "Experience", "Style", "Total"]
    months = by_first_cell(rows[1:])
    assert months["Sep 2019"] == ["2", "1", "0", "0", "3"]
    assert months["Oct 2019 gap"] == ["0", "0", "1", "0", "1"]  # a month without a study post
    assert months["Nov 2019"] == ["0", "1", "0", "0", "1"]
    assert months["Dec 2019 gap"] == ["0", "0", "1", "0", "1"]
    assert months["Jan 2020"] == ["0", "0", "0", "0", "0"]
    assert months["Total"] == ["2", "2", "2", "0", "6"]
    assert len(months) == 13
    caption = page.select_one("table.report-months caption").get_text(strip=True)
    assert caption == "Posts per column per month, 2019–2020 academic year"
    assert all(th.get("scope") == "col" for th in page.select("table.report-months thead th"))
    assert all(th.get("scope") == "row" for th in page.select("table.report-months tbody th"))


def test_an_earlier_year_has_its_own_page_and_the_years_link_to_each_other(branch):
    branch.build()
    earlier = branch.html("report/2018/index.html")
    assert earlier.h1.get_text(strip=True) == "Work report: 2018–2019 academic year"
    assert by_first_cell(table(earlier, "table.report-months")[1:])["Aug 2019 gap"] == ["1", "0", "0", "0", "1"]
    for soup, current in ((branch.html("report/index.html"), "/party/report/"), (earlier, "/party/report/2018/")):
        links = [(a["href"], a.get_text(" ", strip=True), a.get("aria-current")) for a in soup.select("nav.report-years a")]
        assert links == [
            ("/party/report/", "2019–2020 academic year current", "page" if current == "/party/report/" else None),
            ("/party/report/2018/", "2018–2019 academic year", "page" if current != "/party/report/" else None),
        ]
    assert [a["href"] for a in earlier.select("nav.breadcrumbs a")] == ["/party/", "/party/report/"]
    assert not branch.exists("report/2019/index.html")  # the current year lives at /report/ only


def test_every_link_of_the_report_pages_resolves_under_the_base_path(branch):
    branch.build()
    report = crawl(branch.output, "/party/")
    assert report.problems == []
    footer = [a["href"] for a in branch.html("index.html").select("footer a")]
    assert "/party/report/" in footer
    current = branch.html("report/index.html").select_one('footer a[href="/party/report/"]')
    assert current.get("aria-current") == "page" and current.get_text(strip=True) == "Work report"


def test_the_chart_is_inline_svg_with_a_title_a_description_a_legend_and_the_gaps_marked(branch):
    branch.build()
    page = branch.html("report/index.html")
    assert not page.find("script")
    svg = page.select_one("figure.report-figure svg.report-chart")
    assert svg["role"] == "img" and svg["viewbox"].startswith("0 0 ")
    title_id, desc_id = svg["aria-labelledby"].split()
    assert svg.find("title", id=title_id).get_text() == "Posts per column per month, 2019–2020 academic year"
    description = svg.find("desc", id=desc_id).get_text()
    assert "6 posts in all" in description and "Oct, Dec" in description
    labels = [t.get_text() for t in svg.select("g.report-row > text:not(.report-chart-gap)")]
    assert labels[::2] == ["Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug"]
    assert labels[1::2][:4] == ["3", "1", "1", "1"]  # the totals
    gap_rows = svg.select("g.report-row-gap")
    assert len(gap_rows) == 2
    assert [g.select_one("text.report-chart-gap").get_text() for g in gap_rows] == ["gap", "gap"]
    assert all(g.find("rect", fill="url(#report-gap-hatch)") for g in gap_rows)
    assert svg.find("pattern", id="report-gap-hatch")
    # September: a news segment twice as long as the study one, each with its own colour.
    september = svg.select("g.report-row")[0]
    segments = [(r.title.get_text(), float(r["width"]), r["fill"]) for r in september.find_all("rect") if r.title]
    assert [s[0] for s in segments] == ["News: 2", "Study: 1"]
    assert segments[0][1] == pytest.approx(2 * segments[1][1], abs=0.02) and segments[0][2] != segments[1][2]
    legend = [li.get_text(strip=True) for li in page.select(".report-legend li")]
    assert legend == ["News", "Study", "Experience", "Style", "gap: no post in Study that month"]


def test_the_gap_list_the_author_table_and_the_column_updates(branch):
    built(branch, "report_authors = true\n")  # published only when site.toml says so
    page = branch.html("report/index.html")
    assert [li.get_text(strip=True) for li in page.select(".report-gap-list li")] == ["October 2019", "December 2019"]
    assert table(page, "table.report-authors") == [
        ["Author", "Posts", "Note"],
        ["Wang", "3", ""], ["Li", "2", ""], ["Zhao", "0", "fewer than 1"], ["Unknown", "1", ""],
    ]
    assert "report-flagged" in page.select("table.report-authors tbody tr")[2]["class"]
    assert table(page, "table.report-updates") == [
        ["Column", "Latest post", "Days since", "Status"],
        ["News", "1 September 2019", "122", "no post for over 60 days"],
        ["Study", "5 November 2019", "57", "up to date"],
        ["Experience", "20 December 2019", "12", "up to date"],
        ["Style", "–", "–", "no posts yet"],
    ]
    flagged = [tr.th.get_text(strip=True) for tr in page.select("table.report-updates tr.report-flagged")]
    assert flagged == ["News", "Style"]
    # Column updates are about today: an earlier year's page does not show them.
    assert branch.html("report/2018/index.html").select_one("table.report-updates") is None


def test_labels_in_chinese(branch):
    built(branch, 'language = "zh-CN"\nreport_authors = true\n', PARTY_TOML.replace('language = "en"\n', ""))
    page = branch.html("report/index.html")
    assert page.h1.get_text(strip=True) == "工作报告：2019–2020学年"
    months = by_first_cell(table(page, "table.report-months"))
    assert months["月份"][-1] == "合计" and months["2019年10月 缺"] == ["0", "0", "1", "0", "1"]
    svg = page.select_one("svg.report-chart")
    assert svg.title.get_text() == "2019–2020学年各栏目每月发文数"
    assert [t.get_text() for t in svg.select("text.report-chart-gap")] == ["缺", "缺"]
    assert svg.select("g.report-row > text")[0].get_text() == "9月"
    authors = by_first_cell(table(page, "table.report-authors"))
    assert authors["未署名"] == ["1", ""] and authors["Zhao"] == ["0", "少于1篇"]
    assert by_first_cell(table(page, "table.report-updates"))["Style"] == ["–", "–", "暂无文章"]
    assert page.select_one('footer a[href="/party/report/"]').get_text() == "工作报告"
    assert branch.html("report/2018/index.html").h1.get_text(strip=True) == "工作报告：2018–2019学年"


def test_report_false_turns_the_pages_and_the_footer_link_off(branch):
    built(branch, "report = false\n")
    assert not (branch.output / "report").exists()
    assert not branch.html("index.html").select('a[href^="/party/report"]')
    assert crawl(branch.output, "/party/").problems == []


def test_the_settings_change_the_year_the_threshold_and_the_study_column(branch):
    built(branch, "academic_year_start_month = 1\nauthor_threshold = 3\nstale_days = 100\nstudy_column = \"experience\"\n"
                  "report_authors = true\n")
    page = branch.html("report/index.html")
    # NOW is 1 January 2020: 2020 has no post yet, so /report/ shows 2019 (with today's column updates)
    assert page.h1.get_text(strip=True) == "Work report: Year 2019"
    earlier = branch.html("report/2019/index.html")
    months = by_first_cell(table(earlier, "table.report-months")[1:])
    assert [m.split()[0] for m in list(months)[:12]] == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert [m for m in months if m.endswith("gap")] == ["Jan 2019 gap", "Feb 2019 gap", "Apr 2019 gap", "May 2019 gap",
                                                        "Jun 2019 gap", "Jul 2019 gap", "Aug 2019 gap", "Sep 2019 gap", "Nov 2019 gap"]
    assert [li.get_text(strip=True) for li in earlier.select(".report-gap-list li")] == [
        "January 2019", "February 2019", "April 2019", "May 2019", "June 2019", "July 2019", "August 2019",
        "September 2019", "November 2019"]
    assert by_first_cell(table(earlier, "table.report-authors"))["Li"] == ["3", ""]
    flagged = [tr.th.get_text(strip=True) for tr in page.select("table.report-updates tr.report-flagged")]
    assert flagged == ["News", "Style"]  # 122 days > 100
    assert crawl(branch.output, "/party/").problems == []


def test_without_the_study_column_no_gaps_are_counted_and_check_warns(branch):
    result = built(branch, 'study_column = "xuexi"\n')
    page = branch.html("report/index.html")
    assert "No Special Study column is set" in page.select_one("#report-gaps").parent.get_text()
    assert not page.select("svg .report-row-gap") and not page.select(".report-legend li:-soup-contains('gap')")
    [problem] = study_column_warnings(result.site)
    assert problem.severity == "warning" and problem.path.name == "site.toml"
    assert "study_column = 'xuexi' is not a column with posts" in problem.message
    assert "news, study, experience, style" in problem.hint


# ----------------------------------------------------------------------------- sitegen check


def test_stale_columns_are_warnings_naming_the_columns_index_file(branch):
    site = branch.build().site
    problems = stale_column_warnings(site, NOW)
    assert [(p.path.relative_to(branch.root).as_posix(), p.severity) for p in problems] == [
        ("columns/news/_index.md", "warning"), ("columns/style/_index.md", "warning")]
    news, style = (p.format(branch.root) for p in problems)
    assert news.startswith("columns/news/_index.md: warning: column 'news' (News) has had no new post for 122 days "
                           "(latest 2019-09-01), more than stale_days = 60")
    assert style.startswith("columns/style/_index.md: warning: column 'style' (Style) has no posts")
    assert [p.format() for p in report_warnings(site, NOW)] == [p.format() for p in problems]  # study exists


def test_stale_days_0_turns_the_warning_off(branch):
    assert stale_column_warnings(built(branch, "stale_days = 0\n").site, NOW) == []


def test_sitegen_check_warns_about_stale_columns(branch):
    from sitegen.build import Options

    messages = [p.format(branch.root) for p in check(branch.root, Options(now=NOW))]
    assert any(m.startswith("columns/news/_index.md: warning: column 'news' (News) has had no new post") for m in messages)


# ----------------------------------------------------------------------------- settings


@pytest.mark.parametrize("line, message", [
    ("academic_year_start_month = 13", "'academic_year_start_month' must be a month from 1 to 12, not 13"),
    ("academic_year_start_month = 0", "'academic_year_start_month' must be a month from 1 to 12, not 0"),
    ("stale_days = -1", "'stale_days' must be 0 or more, not -1"),
    ("author_threshold = -2", "'author_threshold' must be 0 or more, not -2"),
    ("author_threshold = 1.5", "'author_threshold' must be a whole number, not 1.5"),
    ('report = "no"', "'report' must be true or false, not 'no'"),
    ('study_column = "columns/study"', "'study_column' must be a column's folder name, not 'columns/study'"),
])
def test_a_wrong_report_setting_is_an_error_with_its_line(site, line, message):
    site.write({"site.toml": SITE_TOML + line + "\n"})
    with pytest.raises(BuildFailed) as failed:
        site.build()
    [error] = failed.value.errors
    assert (error.path.name, error.line, error.message) == ("site.toml", 7, message)


def test_the_report_settings_have_their_defaults(site):
    site.write({"site.toml": SITE_TOML})  # (the site fixture turns the report's warnings off)
    config = load_config(site.root)
    assert (config.report, config.academic_year_start_month, config.study_column, config.author_threshold,
            config.stale_days) == (True, 9, "study", 1, 60)
    assert ReportSettings.of(config) == ReportSettings()


# ----------------------------------------------------------------------------- sitegen report


def test_text_and_csv_renderers_show_the_same_figures(branch):
    report = year_report(branch.build().site, 2019, NOW, ReportSettings())
    t = Translator("en")
    text = text_report(report, t)
    assert text.splitlines()[0] == "Work report: 2019–2020 academic year · figures as of 2020-01-01"
    assert "Months without a post in Study: 2019-10, 2019-12." in text
    rows = list(csv.reader(io.StringIO(csv_report(report, t))))
    assert ["2019-10", "0", "0", "1", "0", "1", "gap"] in rows
    assert ["Zhao", "0", "fewer than 1"] in rows


def test_sitegen_report_prints_the_tables(branch):
    result = run_cli("report", "--source", str(branch.root), "--year", "2019")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Work report: 2019–2020 academic year · figures as of ")
    header = lines.index("Posts per column per month") + 1
    assert lines[header].split() == ["Month", "News", "Study", "Experience", "Style", "Total", "Study", "gap"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[header + 2: header + 15]}
    assert rows["2019-09"] == ["2", "1", "0", "0", "3"]
    assert rows["2019-10"] == ["0", "0", "1", "0", "1", "gap"]
    assert rows["Total"] == ["2", "2", "2", "0", "6"]
    assert "Months without a post in Study: 2019-10, 2019-12, 2020-01, 2020-02" in result.stdout  # it is later now
    authors = lines[lines.index("Posts per author") + 3:]
    assert [line.split()[:2] for line in authors[:4]] == [["Wang", "3"], ["Li", "2"], ["Zhao", "0"], ["Unknown", "1"]]
    assert authors[2].endswith("fewer than 1")
    assert "Column updates" not in result.stdout  # 2019 is not the current year any more


def test_sitegen_report_of_the_current_year_lists_the_stale_columns(branch):
    result = run_cli("report", "--source", str(branch.root))
    assert result.returncode == 0, result.stderr
    updates = result.stdout.split("Column updates\n")[1].splitlines()[2:]
    assert [line.split()[0] for line in updates] == ["News", "Study", "Experience", "Style"]
    assert updates[0].split()[1] == "2019-09-01" and updates[0].endswith("no post for over 60 days")
    assert updates[3].endswith("no posts yet")


def test_sitegen_report_csv_opens_as_a_spreadsheet(branch, tmp_path):
    target = tmp_path / "report.csv"
    result = run_cli("report", "--source", str(branch.root), "--year", "2019", "--csv", str(target))
    assert result.returncode == 0, result.stderr
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    start = rows.index(["Month", "News", "Study", "Experience", "Style", "Total", "Study gap"])
    months = {row[0]: row[1:] for row in rows[start + 1: start + 14]}
    assert months["2019-09"] == ["2", "1", "0", "0", "3", ""]
    assert months["2019-12"] == ["0", "0", "1", "0", "1", "gap"]
    assert months["Total"] == ["2", "2", "2", "0", "6", ""]
    authors = rows.index(["Author", "Posts", "Note"])
    assert rows[authors + 1: authors + 5] == [["Wang", "3", ""], ["Li", "2", ""], ["Zhao", "0", "fewer than 1"],
                                              ["Unknown", "1", ""]]
    gaps = rows.index(["Months without a study post"])
    assert rows[gaps + 2: gaps + 4] == [["2019-10"], ["2019-12"]]

    to_stdout = run_cli("report", "--source", str(branch.root), "--year", "2019", "--csv", "-")
    assert to_stdout.returncode == 0
    assert ["2019-10", "0", "0", "1", "0", "1", "gap"] in list(csv.reader(io.StringIO(to_stdout.stdout)))


def test_sitegen_report_prints_content_errors_like_check_and_exits_1(branch):
    branch.write({"columns/news/bad.md": "---\ntitle: Bad date\ndate: 2019-02-30\n---\n\nText.\n"})
    result = run_cli("report", "--source", str(branch.root))
    assert result.returncode == 1
    assert "columns/news/bad.md:3: 'date'" in result.stderr
    assert result.stdout == ""


def test_sitegen_report_says_when_it_cannot_write_the_csv(branch, tmp_path):
    result = run_cli("report", "--source", str(branch.root), "--csv", str(tmp_path / "missing" / "report.csv"))
    assert result.returncode == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_sitegen_report_refuses_a_year_the_site_does_not_cover(branch):
    result = run_cli("report", "--source", str(branch.root), "--year", "1990")
    assert result.returncode == 1
    assert "no academic year 1990" in result.stderr and "2018, 2019" in result.stderr
