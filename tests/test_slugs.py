"""Web addresses of posts and columns: from the front-matter slug or the file name, always
lowercase ASCII, Chinese as pinyin, never two posts at one address, never outside the site."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import column, post
from photo_samples import small_png, version_url
from sitegen.errors import BuildFailed, SiteError
from sitegen.urls import slugify, strip_date_prefix

SLUG = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*)?")  # lowercase ASCII words joined by single dashes


def errors_of(site) -> list[SiteError]:
    with pytest.raises(BuildFailed) as failed:
        site.build()
    assert not site.output.exists(), "a failed build must write nothing"
    return failed.value.errors


def post_pages(site) -> set[str]:
    """Output paths of the post pages of column news."""
    return {p for p in site.files() if p.startswith("news/") and p.endswith("/index.html")
            and p != "news/index.html" and not p.startswith("news/page/")}


# ----------------------------------------------------------------------------- strip_date_prefix


@pytest.mark.parametrize(
    ("name", "stripped"),
    [
        ("2019-05-party-lesson", "party-lesson"),
        ("2019-05-05-party-lesson", "party-lesson"),
        ("20190505-party-lesson", "party-lesson"),
        ("2019_05_05_party_lesson", "party_lesson"),
        ("2019-5-5 党课", "党课"),
        ("2019-05-05-2nd-meeting", "2nd-meeting"),
        ("party-lesson", "party-lesson"),
        ("party-2019-05-05", "party-2019-05-05"),
        ("2019-05-05", "2019-05-05"),  # a name that is only a date stays
        ("2019-05", "2019-05"),
        ("20190505", "20190505"),
        ("2019年5月党课", "2019年5月党课"),
    ],
)
def test_strip_date_prefix(name, stripped):
    assert strip_date_prefix(name) == stripped


@settings(max_examples=200, database=None, deadline=None)
@given(st.text())
def test_strip_date_prefix_only_removes_a_prefix_and_never_everything(name):
    stripped = strip_date_prefix(name)
    assert name.endswith(stripped)
    assert stripped or not name


# ----------------------------------------------------------------------------- slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Party Lesson", "party-lesson"),
        ("party-lesson", "party-lesson"),
        ("PARTY_lesson  2019", "party-lesson-2019"),
        ("党建动态", "dang-jian-dong-tai"),
        ("党课Lesson", "dang-ke-lesson"),
        ("2019 党课 Lesson 🎉！", "2019-dang-ke-lesson"),
        ("“不忘初心”主题教育（第2期）", "bu-wang-chu-xin-zhu-ti-jiao-yu-di-2-qi"),
        ("Café Olé", "cafe-ole"),
        ("ＡＢＣ１２３", "abc123"),  # full-width letters from a Chinese input method
        ("Hello, World!", "hello-world"),
        ("--a--b--", "a-b"),
        ("🎉", ""),
        ("！？。", ""),
        ("", ""),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


@settings(max_examples=300, database=None, deadline=None)
@given(st.text())
def test_slugify_always_gives_lowercase_ascii_words_joined_by_single_dashes(text):
    slug = slugify(text)
    assert SLUG.fullmatch(slug), slug
    assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug


@settings(max_examples=300, database=None, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_shortcut_for_ascii_text_gives_what_the_full_recipe_gives(text):
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    assert slugify(text) == re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def test_starting_sitegen_does_not_load_the_pinyin_dictionaries_or_the_web_client():
    """pypinyin's dictionaries take longer to load than the rest of sitegen together: they
    are loaded when the first Chinese text is turned into an address, not at start-up."""
    code = ("import sys, sitegen.cli, sitegen.build; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pypinyin', 'urllib', 'xml', 'http', 'email')"
            " and m not in ('urllib', 'urllib.parse', 'xml', 'xml.etree', 'xml.etree.ElementTree', 'xml.etree.ElementPath')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


# The 6,763 characters of GB2312: what Chinese titles and file names are written with.
COMMON_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5).filter(_in_gb2312)


@settings(max_examples=200, database=None, deadline=None)
@given(st.text(alphabet=COMMON_HAN | st.sampled_from(" -_.,!?：，。ab1")))
def test_slugify_of_chinese_text_gives_pinyin_and_is_stable(text):
    slug = slugify(text)
    assert SLUG.fullmatch(slug), slug
    assert slugify(slug) == slug  # a slug is its own slug
    if re.search(r"[\u4e00-\u9fff]", text):
        assert slug  # every common Chinese character has a pinyin spelling


# ----------------------------------------------------------------------------- through the build


@pytest.mark.parametrize(
    ("filename", "url_path"),
    [
        ("2019-05-party-lesson.md", "news/party-lesson/index.html"),
        ("2019-05-05-party-lesson.md", "news/party-lesson/index.html"),
        ("20190505-party-lesson.md", "news/party-lesson/index.html"),
        ("Party Lesson.md", "news/party-lesson/index.html"),
        ("党建动态.md", "news/dang-jian-dong-tai/index.html"),
        ("2019-05-05-党建动态.md", "news/dang-jian-dong-tai/index.html"),
        ("2019年5月 党课 Lesson 🎉！.md", "news/2019-nian-5-yue-dang-ke-lesson/index.html"),
        ("“两学一做”学习 (Part 2).markdown", "news/liang-xue-yi-zuo-xue-xi-part-2/index.html"),
        ("2019-05-05.md", "news/2019-05-05/index.html"),
    ],
)
def test_a_post_address_comes_from_its_file_name(site, filename, url_path):
    site.write({f"columns/news/{filename}": post("A post")})
    site.build()
    assert post_pages(site) == {url_path}
    link = "/" + url_path.removesuffix("index.html")
    assert site.html("news/index.html").select_one(".post-card-title a")["href"] == link


def test_a_bundle_post_takes_the_name_of_its_folder_without_the_date(site):
    site.write({
        "columns/news/2019-05-05-党员大会/index.md": post("A bundle"),
        "columns/news/2019-05-05-党员大会/photo.png": small_png(),
    })
    site.build()
    assert post_pages(site) == {"news/dang-yuan-da-hui/index.html"}
    assert site.exists(version_url("news/dang-yuan-da-hui/photo", small_png(), 40))


@pytest.mark.parametrize(
    ("slug", "url_path"),
    [
        ("branch-meeting", "news/branch-meeting/index.html"),
        ("Branch Meeting", "news/branch-meeting/index.html"),
        ("党课", "news/dang-ke/index.html"),
        ('"2019"', "news/2019/index.html"),
    ],
)
def test_the_front_matter_slug_wins_over_the_file_name_and_is_made_lowercase_ascii(site, slug, url_path):
    site.write({"columns/news/2019-05-05-something-else.md": post("A", extra=f"slug: {slug}\n")})
    site.build()
    assert post_pages(site) == {url_path}


def test_a_chinese_column_folder_gets_a_pinyin_address(site):
    site.write({"columns/党建动态/_index.md": column("党建动态", 2), "columns/党建动态/会议.md": post("会议")})
    site.build()
    assert site.exists("dang-jian-dong-tai/index.html")
    assert site.exists("dang-jian-dong-tai/hui-yi/index.html")
    assert "/dang-jian-dong-tai/" in [a["href"] for a in site.html("index.html").select(".site-nav a")]


@pytest.mark.parametrize("slug", ["a/b", "../../etc", "..", "a\\b", "/x"])
def test_a_slug_that_could_leave_its_folder_is_an_error_at_the_slug_line(site, slug):
    site.write({"columns/news/bad.md": f"---\ntitle: A\ndate: 2019-03-05\nauthor: me\nslug: '{slug}'\n---\nText.\n"})
    [error] = errors_of(site)
    assert error.path.name == "bad.md" and error.line == 5
    assert "slug" in error.message
    assert repr(slug) in error.message


def test_two_posts_with_the_same_address_are_an_error_naming_both_files(site):
    site.write({"columns/news/a.md": post("A", extra="slug: x\n"), "columns/news/x.md": post("X")})
    [error] = errors_of(site)
    text = error.format(site.root.resolve())
    assert "a.md" in text and "x.md" in text
    assert "/news/x/" in error.message
    assert "slug" in error.hint


def test_a_same_address_error_points_at_the_slug_line_of_the_post_that_set_it(site):
    site.write({"columns/news/a.md": post("A"), "columns/news/b.md": post("B", extra="author: me\nslug: a\n")})
    [error] = errors_of(site)
    assert (error.path.name, error.line) == ("b.md", 5)
    assert "a.md" in error.message


def test_file_names_differing_only_in_case_collide(site):
    site.write({"columns/news/Party.md": post("Upper"), "columns/news/party.md": post("Lower")})
    [error] = errors_of(site)
    text = error.format(site.root.resolve())
    assert "Party.md" in text and "party.md" in text


def test_a_dated_and_an_undated_file_with_the_same_name_collide(site):
    site.write({"columns/news/2019-05-05-lesson.md": post("A"), "columns/news/lesson.md": post("B")})
    [error] = errors_of(site)
    text = error.format(site.root.resolve())
    assert "2019-05-05-lesson.md" in text and "lesson.md:1" in text


def test_the_same_slug_in_two_columns_is_fine(site):
    site.write({
        "columns/study/_index.md": column("Study", 2),
        "columns/news/lesson.md": post("News lesson"),
        "columns/study/lesson.md": post("Study lesson"),
    })
    site.build()
    assert site.html("news/lesson/index.html").h1.get_text() != site.html("study/lesson/index.html").h1.get_text()


def test_many_errors_of_addresses_are_all_reported_together(site):
    site.write({
        "columns/news/a.md": post("A", extra="slug: x\n"),
        "columns/news/x.md": post("X"),
        "columns/news/🎉.md": post("Party"),
        "columns/news/bad.md": post("Bad", extra="slug: a/b\n"),
    })
    errors = errors_of(site)
    assert sorted(e.path.name for e in errors) == ["bad.md", "x.md", "🎉.md"]


@pytest.mark.parametrize("filename", ["🎉.md", "！！！.md", "2019-05-05-🎉.md"])
def test_a_file_name_that_gives_no_address_is_an_error_suggesting_a_slug(site, filename):
    site.write({f"columns/news/{filename}": post("Celebration")})
    [error] = errors_of(site)
    assert error.path.name == filename
    assert error.line == 1
    assert "slug:" in error.hint


def test_a_file_name_that_gives_no_address_builds_once_it_has_a_slug(site):
    site.write({"columns/news/🎉.md": post("Celebration", extra="slug: celebration\n")})
    site.build()
    assert post_pages(site) == {"news/celebration/index.html"}


def test_a_slug_that_gives_no_address_is_an_error_at_its_line(site):
    site.write({"columns/news/a.md": post("A", extra="author: me\nslug: 🎉\n")})
    [error] = errors_of(site)
    assert (error.path.name, error.line) == ("a.md", 5)


def test_posts_named_only_by_their_date_get_different_addresses(site):
    site.write({"columns/news/2019-05-05.md": post("May"), "columns/news/2019-06-05.md": post("June")})
    site.build()
    assert post_pages(site) == {"news/2019-05-05/index.html", "news/2019-06-05/index.html"}
