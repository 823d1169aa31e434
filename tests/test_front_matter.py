"""Front matter of posts: the keys a post may have, the dates it may give, the files Windows
editors save, and every mistake reported with its file and exact line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SITE_TOML, post
from photo_samples import small_png, version_url
from sitegen.errors import BuildFailed, SiteError
from sitegen.meta import decode_source, drop_controls, split_document

BAD = "columns/news/bad.md"


# ----------------------------------------------------------------------------- helpers


def errors_of(site, **options) -> list[SiteError]:
    """Builds expecting failure; checks nothing was written; returns the errors."""
    with pytest.raises(BuildFailed) as failed:
        site.build(**options)
    assert not site.output.exists(), "a failed build must write nothing"
    return failed.value.errors


def where(error: SiteError, site) -> str:
    """'columns/news/bad.md:4', as the command line shows it."""
    return error.location(site.root.resolve())


def one_error(site, content: str | bytes, name: str = BAD) -> SiteError:
    site.write({name: content, "columns/news/good.md": post("Good")})
    errors = errors_of(site)
    assert len(errors) == 1, [str(e) for e in errors]
    assert errors[0].path is not None and errors[0].path.resolve() == (site.root / name).resolve()
    return errors[0]


def published(site, relpath: str) -> tuple[str, str]:
    """(datetime attribute, visible text) of the post page's publication date."""
    time = site.html(relpath).select_one(".post-meta-full time")
    return time["datetime"], time.get_text(strip=True)


# ----------------------------------------------------------------------------- keys


def test_a_post_needs_only_a_title_and_a_date(site):
    site.write({"columns/news/a.md": "---\ntitle: 主题党日活动\ndate: 2019-03-05\n---\n\n正文。\n"})
    result = site.build()
    assert result.warnings == []
    page = site.html("news/a/index.html")
    assert page.select_one("h1.post-title").get_text() == "主题党日活动"
    assert page.select_one(".post-body").get_text(strip=True) == "正文。"


def test_every_optional_key_is_accepted_and_shows_on_the_page(site):
    site.write({
        "columns/news/2019-03-05-meeting/index.md": post("Meeting", "2019-03-05", (
            "author: 李明\n"
            "tags: [党课, Study]\n"
            "summary: A short summary.\n"
            "draft: false\n"
            "pinned: true\n"
            "slug: branch-meeting\n"
            "updated: 2019-03-06 10:00\n"
            "cover: poster.png\n"
        )),
        "columns/news/2019-03-05-meeting/poster.png": small_png(),
    })
    result = site.build()
    assert result.warnings == []
    page = site.html("news/branch-meeting/index.html")
    meta = [li.get_text(" ", strip=True) for li in page.select(".post-meta-full li")]
    assert "By 李明" in meta
    assert "Updated 6 March 2019" in meta
    assert [a.get_text() for a in page.select(".post-tags a")] == ["党课", "Study"]
    assert page.select_one("img.post-cover")["src"] == version_url("/news/branch-meeting/poster", small_png(), 40, ".jpg")
    assert page.select_one(".badge-pinned") is not None
    assert page.find("meta", attrs={"name": "description"})["content"] == "A short summary."


def test_html_in_a_title_is_shown_as_text_not_run(site):
    site.write({"columns/news/a.md": post('"<script>alert(1)</script> & Co"')})
    site.build()
    page = site.html("news/a/index.html")
    assert page.select_one("h1.post-title").get_text() == "<script>alert(1)</script> & Co"
    assert page.find("script") is None
    assert site.html("news/index.html").find("script") is None


def test_line_breaks_in_a_title_author_or_tag_are_spaces_and_summaries_keep_them_as_lf(site):
    # YAML escapes are the only way a CR reaches a value: the file's own line ends are LF by then.
    site.write({"columns/news/a.md": post(
        r'"主题\r党日\n活动\r\n安排"',
        extra=r'author: "李\r明"' "\n" r'tags: ["党\r课"]' "\n" r'summary: "第一行\r\n第二行\r第三行"' "\n",
    )})
    site.build()
    page = site.html("news/a/index.html")
    assert page.select_one("h1.post-title").get_text() == "主题 党日 活动 安排"
    assert page.title.get_text().startswith("主题 党日 活动 安排")
    assert "By 李 明" in [li.get_text(" ", strip=True) for li in page.select(".post-meta-full li")]
    assert [a.get_text() for a in page.select(".post-tags a")] == ["党 课"]
    card = site.html("news/index.html").select_one(".post-card-summary")
    assert card.get_text(strip=True) == "第一行第二行第三行" and len(card.find_all("br")) == 2  # lines stay lines
    # Read as bytes: read_text() would turn a CR into LF and hide it.
    for written in ("news/a/index.html", "news/index.html", "feed.xml", "news/feed.xml"):
        assert b"\r" not in (site.output / written).read_bytes(), written


@pytest.mark.parametrize("closing", ["---", "---   ", "-----"])
def test_the_closing_line_may_have_trailing_spaces_or_more_dashes(site, closing):
    site.write({"columns/news/a.md": f"---\ntitle: A\ndate: 2019-03-05\n{closing}\nText.\n"})
    site.build()
    assert body_text(site) == "Text."


def body_text(site) -> str:
    return site.html("news/a/index.html").select_one(".post-body").get_text(strip=True)


def test_a_draft_is_left_out_unless_drafts_are_built(site):
    site.write({"columns/news/a.md": post("A", extra="draft: true\n"), "columns/news/b.md": post("B")})
    site.build()
    assert not site.exists("news/a/index.html")
    site.build(drafts=True)
    assert site.html("news/a/index.html").select_one(".badge-draft") is not None


def test_an_unknown_key_is_a_warning_with_its_line_and_the_build_succeeds(site):
    site.write({"columns/news/a.md": post("A", extra="autor: 李明\ntag: [党课]\ncolour: red\n")})
    result = site.build()
    assert site.exists("news/a/index.html")
    warnings = {w.line: w for w in result.warnings}
    assert sorted(warnings) == [4, 5, 6]
    assert all(not w.is_error and w.path.name == "a.md" for w in result.warnings)
    assert "'autor'" in warnings[4].message and "did you mean 'author'" in warnings[4].hint
    assert "'tag'" in warnings[5].message and "did you mean 'tags'" in warnings[5].hint
    assert "'colour'" in warnings[6].message and "title" in warnings[6].hint  # lists the known keys
    assert "warning" in warnings[4].format()


def test_a_warning_does_not_hide_or_get_hidden_by_errors(site):
    site.write({"columns/news/a.md": post("A", extra="autor: x\n"), BAD: post("B", "2019-02-30")})
    with pytest.raises(BuildFailed) as failed:
        site.build()
    assert [(p.path.name, p.line, p.severity) for p in failed.value.problems] == [("bad.md", 3, "error"), ("a.md", 4, "warning")]


# ----------------------------------------------------------------------------- Windows editors


def test_a_file_saved_with_a_bom_and_crlf_line_endings_builds_like_any_other(site):
    text = "\ufeff---\r\ntitle: 主题党日\r\ndate: 2019-03-05\r\ntags:\r\n  - 党课\r\n---\r\n\r\n第一段。\r\n\r\n第二段。\r\n"
    site.write({"columns/news/a.md": text.encode("utf-8")})
    result = site.build()
    assert result.warnings == []
    page = site.html("news/a/index.html")
    assert page.select_one("h1.post-title").get_text() == "主题党日"
    assert [p.get_text() for p in page.select(".post-body p")] == ["第一段。", "第二段。"]
    assert [a.get_text() for a in page.select(".post-tags a")] == ["党课"]
    assert b"\r" not in (site.output / "news/a/index.html").read_bytes()  # read_text() would hide a CR


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("bom", ["", "\ufeff"], ids=["no-bom", "bom"])
def test_line_numbers_stay_exact_with_a_bom_and_crlf(site, bom, newline):
    lines = ["---", "title: A", "author: 李明", "date: 2019-02-30", "---", "", "Text.", "", "[gone](missing.md)", ""]
    site.write({BAD: (bom + newline.join(lines)).encode("utf-8")})
    [error] = errors_of(site)
    assert where(error, site) == f"{BAD}:4"
    lines[3] = "date: 2019-03-05"
    site.write({BAD: (bom + newline.join(lines)).encode("utf-8")})
    [error] = errors_of(site)
    assert where(error, site) == f"{BAD}:9"
    assert "missing.md" in error.message


def test_control_characters_are_dropped_and_tabs_and_newlines_kept():
    every = "".join(map(chr, range(32)))
    assert drop_controls(every + "中文 text\x7f") == "\t\n\r中文 text\x7f"
    text = decode_source("---\r\ntitle: 主\x01题\r\n---\r\n\x0c正文\r第二行\n".encode(), Path("a.md"))
    assert text == "---\ntitle: 主题\n---\n正文\n第二行\n"


@pytest.mark.parametrize("blank", ["", " ", "\n\n", "\r\n\t", "\u3000\n", "\x01\n"])
def test_a_file_of_only_blanks_is_empty(blank):
    with pytest.raises(SiteError, match="the file is empty"):
        decode_source(blank.encode(), Path("a.md"))


def test_rules_in_the_body_do_not_move_the_end_of_the_front_matter():
    doc = split_document("---\ntitle: A\n---\n\nOne.\n\n---\n\nTwo.\n---\n", Path("a.md"))
    assert doc.meta == {"title": "A"} and doc.body_line == 4
    assert doc.body == "\nOne.\n\n---\n\nTwo.\n---\n"


def test_yaml_error_line_is_exact_in_a_crlf_file_with_a_bom(site):
    text = "\ufeff---\r\ntitle: A\r\ndate: 2019-03-05\r\ndraft: true: false\r\n---\r\n\r\nText.\r\n"
    error = one_error(site, text.encode("utf-8"))
    assert where(error, site) == f"{BAD}:4"


# ----------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("written", "datetime_attr", "shown"),
    [
        ("2019-03-05", "2019-03-05T00:00:00+08:00", "5 March 2019"),
        ("2019-03-05 08:30", "2019-03-05T08:30:00+08:00", "5 March 2019"),
        ("2019-03-05T08:30:00+08:00", "2019-03-05T08:30:00+08:00", "5 March 2019"),
        ("2019-3-5", "2019-03-05T00:00:00+08:00", "5 March 2019"),
        ("2019年3月5日", "2019-03-05T00:00:00+08:00", "5 March 2019"),
        ('"2019-03-05"', "2019-03-05T00:00:00+08:00", "5 March 2019"),
        # an explicit offset is kept as the moment it names, shown in the site's timezone
        ("2019-03-04T20:00:00Z", "2019-03-05T04:00:00+08:00", "5 March 2019"),
        ("2019-03-05T20:00:00-05:00", "2019-03-06T09:00:00+08:00", "6 March 2019"),
    ],
)
def test_date_forms_are_read_in_the_sites_timezone_and_shown_with_the_offset(site, written, datetime_attr, shown):
    site.write({"columns/news/a.md": post("A", written)})
    site.build()
    assert published(site, "news/a/index.html") == (datetime_attr, f"Published {shown}")
    card = site.html("news/index.html").select_one(".post-card time")
    assert (card["datetime"], card.get_text(strip=True)) == (datetime_attr, shown)


def test_dates_are_written_the_chinese_way_on_a_chinese_site(site):
    site.write({
        "site.toml": SITE_TOML.replace('language = "en"', 'language = "zh-CN"'),
        "columns/news/a.md": post("A", "2019-03-05 08:30"),
    })
    site.build()
    assert published(site, "news/a/index.html") == ("2019-03-05T08:30:00+08:00", "发布于 2019年3月5日")
    assert site.html("news/index.html").select_one(".post-card time").get_text(strip=True) == "2019年3月5日"


def test_a_naive_date_is_read_in_the_timezone_of_site_toml(site):
    site.write({
        "site.toml": SITE_TOML.replace("Asia/Shanghai", "America/New_York"),
        "columns/news/a.md": post("A", "2019-03-05 08:30"),
    })
    site.build()
    assert published(site, "news/a/index.html") == ("2019-03-05T08:30:00-05:00", "Published 5 March 2019")


@pytest.mark.parametrize("written", ["2019-02-30", "2019-13-01", "2019-03-05 25:00", "2019年2月30日",
                                     "2019-03-05T10:00:00+99:99"])  # (found by tests/test_fuzz.py)
def test_an_impossible_date_is_an_error_at_the_line_of_the_date(site, written):
    error = one_error(site, f"---\ntitle: A\nauthor: me\ndate: {written}\n---\nText.\n")
    assert where(error, site) == f"{BAD}:4"
    assert "not a real date" in error.message and written in error.message
    assert "2019-03-05" in error.hint  # shows a form that works


@pytest.mark.parametrize("written", ["yesterday", "05/03/2019", "20190305", "[2019, 3, 5]"])
def test_something_that_is_not_a_date_is_an_error_showing_the_accepted_forms(site, written):
    error = one_error(site, f"---\ntitle: A\ndate: {written}\n---\nText.\n")
    assert where(error, site) == f"{BAD}:3"
    assert "'date'" in error.message and "not a date" in error.message
    assert "2019-03-05 08:30" in error.hint


def test_a_bad_updated_date_is_an_error_at_its_line(site):
    error = one_error(site, post("A", extra="author: x\nupdated: 2019-02-30\n"))
    assert where(error, site) == f"{BAD}:5"
    assert "'updated'" in error.message


# ----------------------------------------------------------------------------- mistakes


@pytest.mark.parametrize(
    ("content", "line", "says"),
    [
        pytest.param("---\ntitle: A\ndate: 2019-03-05\ndraft: true: false\n---\nText.\n", 4, ["invalid front matter"], id="invalid-yaml"),
        pytest.param("---\ntitle: A\ndate: 2019-03-05\ntags:\n  - a\n - b\n---\nText.\n", 6, ["invalid front matter"], id="bad-indentation"),
        pytest.param("---\n- title: A\n- date: 2019-03-05\n---\nText.\n", 2, ["key: value"], id="front-matter-is-a-list"),
        pytest.param("---\ndate: 2019-03-05\nauthor: me\ntitle: [a, b]\n---\nText.\n", 4, ["'title'", "plain text", "list"], id="title-is-a-list"),
        pytest.param("---\ndate: 2019-03-05\ntitle:\n  - a\n  - b\n---\nText.\n", 3, ["'title'", "plain text"], id="title-is-a-block-list"),
        pytest.param("---\ndate: 2019-03-05\nauthor: me\n---\nText.\n", 1, ["'title' is missing"], id="missing-title"),
        pytest.param("---\ndate: 2019-03-05\ntitle:\n---\nText.\n", 3, ["'title' is missing"], id="title-with-no-value"),
        pytest.param("---\ntitle: A\nauthor: me\n---\nText.\n", 1, ["'date' is missing"], id="missing-date"),
        pytest.param("---\ntitle: A\ndate: 2019-02-30\n---\nText.\n", 3, ["'date'", "2019-02-30"], id="impossible-date"),
        pytest.param("---\ntitle: A\ndate: 2019-03-05\n\nText.\n", 1, ["never closed"], id="unclosed-front-matter"),
        pytest.param("# A\n\nText with no front matter.\n", 1, ["no front matter"], id="no-front-matter"),
        pytest.param("", 1, ["empty"], id="empty-file"),
        pytest.param("\n  \n\n", 1, ["empty"], id="blank-file"),
        pytest.param('---\ntitle: A\ndate: 2019-03-05\ndraft: "yes please"\n---\nText.\n', 4, ["'draft'", "true or false", "yes please"], id="draft-not-a-bool"),
        pytest.param("---\ntitle: A\ndate: 2019-03-05\npinned: 1\n---\nText.\n", 4, ["'pinned'", "true or false"], id="pinned-not-a-bool"),
        pytest.param("---\ntitle: A\ndate: 2019-03-05\ntags:\n  党课: 1\n---\nText.\n", 4, ["'tags'", "list"], id="tags-a-mapping"),
        pytest.param("---\ntitle: A\ndate: 2019-03-05\nauthor: [a, b]\n---\nText.\n", 4, ["'author'", "plain text"], id="author-a-list"),
    ],
)
def test_a_mistake_is_an_error_with_the_file_and_exact_line(site, content, line, says):
    error = one_error(site, content)
    assert where(error, site) == f"{BAD}:{line}"
    for words in says:
        assert words in error.message


def test_a_gbk_file_says_gbk_and_to_save_as_utf8_at_the_first_gbk_line(site):
    content = "---\ntitle: A\ndate: 2019-03-05\n---\n\nEnglish first.\n党建工作。\n".encode("gbk")
    error = one_error(site, content)
    assert where(error, site) == f"{BAD}:7"
    text = error.format()
    assert "GBK" in text and "UTF-8" in text
    assert "save it as UTF-8" in error.hint


def test_a_gbk_title_is_reported_at_the_title_line(site):
    error = one_error(site, "---\ntitle: 主题党日活动\ndate: 2019-03-05\n---\n".encode("gbk"))
    assert where(error, site) == f"{BAD}:2"
    assert "GBK" in error.message


def test_a_file_in_another_encoding_says_it_is_not_utf8(site):
    content = "---\ntitle: A\ndate: 2019-03-05\n---\n\nCaf\u00e9 ol\u00e9 !\n".encode("latin-1")
    error = one_error(site, content)
    assert where(error, site) == f"{BAD}:6"
    assert "not UTF-8" in error.message and "UTF-8" in error.hint


def test_a_utf16_file_from_notepad_says_to_save_it_as_utf8(site):
    error = one_error(site, post("A").encode("utf-16"))
    assert "UTF-8" in error.format()
    assert "binary" not in error.message


def test_a_binary_file_named_md_is_an_error_not_a_crash(site):
    error = one_error(site, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    assert error.path.name == "bad.md"
    assert error.line is None  # a whole-file problem: no line applies
    assert "binary" in error.message


def test_an_unclosed_quote_is_reported_at_the_line_where_the_quote_opens(site):
    error = one_error(site, '---\ntitle: "Unclosed\ndate: 2019-03-05\nauthor: me\n---\nText.\n')
    assert where(error, site) == f"{BAD}:2"


# ----------------------------------------------------------------------------- size limit


def small_limit(site) -> None:
    site.write({"site.toml": SITE_TOML + "max_file_size_mb = 0.001\n"})  # 1048 bytes


def test_a_file_over_the_size_limit_is_an_error_naming_the_setting(site):
    small_limit(site)
    error = one_error(site, post("Big", body="x" * 2000))
    assert error.path.name == "bad.md"
    assert error.line is None  # a whole-file problem
    assert "over the" in error.message and "limit" in error.message
    assert "max_file_size_mb" in error.hint


def test_a_file_under_the_size_limit_builds(site):
    small_limit(site)
    site.write({"columns/news/a.md": post("Small", body="x" * 500)})
    site.build()
    assert site.exists("news/a/index.html")


def test_the_size_message_gives_a_size_that_is_over_the_limit(site):
    small_limit(site)
    error = one_error(site, post("Big", body="x" * 2000))
    size, limit = (float(n) * UNITS[unit] for n, unit in re.findall(r"(\d+(?:\.\d+)?) ?(B|KB|MB)\b", error.message))
    assert size > limit, error.message


UNITS = {"B": 1, "KB": 1024, "MB": 1024 * 1024}


# ----------------------------------------------------------------------------- all at once


def test_every_bad_file_is_reported_in_one_build_and_good_files_do_not_hide_them(site):
    small_limit(site)
    site.write({
        "columns/news/01-good.md": post("Good one"),
        "columns/news/bad-yaml.md": "---\ntitle: A\ndraft: true: false\ndate: 2019-03-05\n---\n",
        "columns/news/bad-date.md": post("B", "2019-02-30"),
        "columns/news/bad-gbk.md": post("党建").encode("gbk"),
        "columns/news/bad-empty.md": "",
        "columns/news/bad-binary.md": b"\x00\x01\x02",
        "columns/news/bad-big.md": post("Big", body="x" * 2000),
        "columns/news/bad-draft.md": post("D", extra='draft: "yes please"\n'),
        "columns/news/bad-tags.md": post("T", extra="tags:\n  a: 1\n"),
        "columns/news/bad-nofm.md": "just text\n",
        "columns/news/zz-good.md": post("Good two"),
    })
    errors = errors_of(site)
    found = {e.path.name: e.line for e in errors}
    assert found == {
        "bad-yaml.md": 3,
        "bad-date.md": 3,
        "bad-gbk.md": 2,
        "bad-empty.md": 1,
        "bad-binary.md": None,
        "bad-big.md": None,
        "bad-draft.md": 4,
        "bad-tags.md": 4,
        "bad-nofm.md": 1,
    }
    assert len(errors) == len(found)


def test_several_mistakes_in_one_file_are_all_reported(site):
    site.write({BAD: '---\ntitle: [a]\ndate: 2019-02-30\ndraft: "no"\ntags: {a: 1}\n---\n'})
    errors = errors_of(site)
    assert sorted(e.line for e in errors) == [2, 3, 4, 5]


def test_a_failed_build_leaves_the_previous_output_exactly_as_it_was(site):
    site.write({"columns/news/a.md": post("A")})
    site.build()
    before = {p: (site.output / p).read_bytes() for p in site.files()}
    site.write({BAD: post("B", "2019-02-30"), "columns/news/c.md": post("C")})
    with pytest.raises(BuildFailed):
        site.build()
    assert {p: (site.output / p).read_bytes() for p in site.files()} == before
