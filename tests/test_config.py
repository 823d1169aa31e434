"""site.toml: what each setting does to the built site, and how every mistake in it is
reported (the key, the line, a "did you mean"), with nothing written to output/."""

from __future__ import annotations

import pytest

from conftest import SITE_TOML, post, run_cli
from sitegen.config import SiteConfig, load_config
from sitegen.errors import BuildFailed, SiteError

MINIMAL = 'title = "Party Branch"\nbase_url = "http://intranet.test/"\n'


# ----------------------------------------------------------------------------- helpers


def config_error(site, toml: str | bytes) -> SiteError:
    """Writes site.toml, builds, and returns the one error the build reports."""
    site.write({"site.toml": toml, "columns/news/a.md": post("A")})
    with pytest.raises(BuildFailed) as failed:
        site.build()
    errors = failed.value.errors
    assert len(errors) == 1, [str(e) for e in errors]
    error = errors[0]
    assert error.path is not None and error.path.resolve() == (site.root / "site.toml").resolve()
    assert not site.output.exists(), "a failed build must write nothing"
    return error


def with_setting(line: str) -> str:
    """SITE_TOML with `line` on line 7 (a setting SITE_TOML already has becomes a comment,
    so the line numbers of the rest stay put)."""
    assert SITE_TOML.count("\n") == 6
    key = line.split("=")[0].strip()
    kept = ["# moved below\n" if key and old.startswith(key + " ") else old for old in SITE_TOML.splitlines(keepends=True)]
    return "".join(kept) + line + "\n"


# ----------------------------------------------------------------------------- settings that work


def test_a_site_toml_with_only_title_and_base_url_builds_with_the_defaults(site):
    site.write({"site.toml": MINIMAL, "columns/news/2019-03-05-first.md": post("First")})
    site.build()
    page = site.html("news/first/index.html")
    assert page.html["lang"] == "zh-CN"  # default language
    assert page.title.get_text() == "First - Party Branch"
    # default timezone Asia/Shanghai, default base_path "/"
    assert page.select_one(".post-meta-full time")["datetime"] == "2019-03-05T00:00:00+08:00"
    assert page.select_one(".site-title a")["href"] == "/"


def test_defaults_of_every_optional_setting(tmp_path):
    (tmp_path / "site.toml").write_text(MINIMAL, encoding="utf-8")
    config = load_config(tmp_path)
    assert config == SiteConfig(title="Party Branch", base_url="http://intranet.test/")
    assert (config.description, config.base_path, config.language, config.timezone) == ("", "/", "zh-CN", "Asia/Shanghai")
    assert config.posts_per_page == 10
    assert config.unsafe_html is False


def test_title_and_description_appear_on_every_page(site):
    site.write({
        "site.toml": 'title = "红烛先锋"\ndescription = "学校党支部党建工作专栏"\nbase_url = "http://intranet.test/"\n',
        "columns/news/a.md": post("A"),
    })
    site.build()
    for relpath in ("index.html", "news/index.html", "news/a/index.html"):
        page = site.html(relpath)
        assert "红烛先锋" in page.title.get_text()
        assert page.select_one(".site-title").get_text(strip=True) == "红烛先锋"
        assert page.select_one(".site-description").get_text(strip=True) == "学校党支部党建工作专栏"
    assert site.html("index.html").find("meta", attrs={"name": "description"})["content"] == "学校党支部党建工作专栏"


@pytest.mark.parametrize("base_url", ["http://intranet.test/party/", "http://intranet.test/party"])
def test_base_path_defaults_to_the_path_of_base_url(site, base_url):
    site.write({
        "site.toml": f'title = "T"\nbase_url = "{base_url}"\nlanguage = "en"\n',
        "columns/news/2019-05-lesson.md": post("Lesson"),
    })
    site.build()
    # The files stay at the top of output/; the links carry the sub-path.
    home = site.html("index.html")
    hrefs = [a["href"] for a in home.select(".site-nav a")]
    assert hrefs == ["/party/", "/party/news/"]
    assert home.select_one(f'a[href="/party/news/lesson/"]') is not None
    assert site.html("news/lesson/index.html").select_one(".site-title a")["href"] == "/party/"


def test_an_explicit_base_path_wins_over_the_path_of_base_url(site):
    site.write({
        "site.toml": 'title = "T"\nbase_url = "http://intranet.test/"\nbase_path = "/party"\n',
        "columns/news/lesson.md": post("Lesson"),
    })
    site.build()
    assert [a["href"] for a in site.html("index.html").select(".site-nav a")] == ["/party/", "/party/news/"]


@pytest.mark.parametrize(
    ("language", "published", "lang_attr"),
    [("en", "Published 5 March 2019", "en"), ("zh-CN", "发布于 2019年3月5日", "zh-CN")],
)
def test_language_sets_the_page_language_and_how_dates_are_written(site, language, published, lang_attr):
    site.write({
        "site.toml": f'title = "T"\nbase_url = "http://intranet.test/"\nlanguage = "{language}"\n',
        "columns/news/a.md": post("A", "2019-03-05"),
    })
    site.build()
    page = site.html("news/a/index.html")
    assert page.html["lang"] == lang_attr
    assert page.select_one(".post-meta-full time").get_text(strip=True) == published


def test_timezone_is_the_zone_naive_dates_are_read_in(site):
    site.write({
        "site.toml": 'title = "T"\nbase_url = "http://intranet.test/"\nlanguage = "en"\ntimezone = "Europe/London"\n',
        "columns/news/a.md": post("A", "2019-07-01 08:30"),
    })
    site.build()
    time = site.html("news/a/index.html").select_one(".post-meta-full time")
    assert time["datetime"] == "2019-07-01T08:30:00+01:00"  # British Summer Time


def test_posts_per_page_splits_a_column_into_pages(site):
    site.write({"site.toml": with_setting("posts_per_page = 2")})
    site.write({f"columns/news/p{n}.md": post(f"Post {n}", f"2019-03-0{n}") for n in range(1, 6)})
    site.build()
    shown = [len(site.html(p).select(".post-card")) for p in ("news/index.html", "news/page/2/index.html", "news/page/3/index.html")]
    assert shown == [2, 2, 1]
    assert not site.exists("news/page/4/index.html")


def test_a_utf8_bom_and_windows_line_endings_in_site_toml_are_fine(site):
    text = '\ufefftitle = "红烛先锋"\r\nbase_url = "http://intranet.test/"\r\nlanguage = "en"\r\n'
    site.write({"site.toml": text.encode("utf-8"), "columns/news/a.md": post("A")})
    site.build()
    assert site.html("index.html").select_one(".site-title").get_text(strip=True) == "红烛先锋"


def test_max_file_size_mb_may_be_a_whole_number(tmp_path):
    (tmp_path / "site.toml").write_text(MINIMAL + "max_file_size_mb = 2\n", encoding="utf-8")
    assert load_config(tmp_path).max_file_size == 2 * 1024 * 1024


# ----------------------------------------------------------------------------- mistakes


def test_a_misspelt_key_is_an_error_with_its_line_and_a_did_you_mean(site):
    error = config_error(site, with_setting("post_per_page = 3"))
    assert error.line == 7
    assert "post_per_page" in error.message
    assert "did you mean 'posts_per_page'" in str(error)


@pytest.mark.parametrize(("typo", "meant"), [("titel", "title"), ("timezon", "timezone"), ("baseurl", "base_url"), ("unsafe_htm", "unsafe_html")])
def test_did_you_mean_suggests_the_setting_that_was_meant(site, typo, meant):
    error = config_error(site, with_setting(f'{typo} = "x"'))
    assert error.line == 7
    assert f"did you mean '{meant}'" in (error.hint or "")


def test_an_unknown_key_nothing_like_a_setting_is_still_an_error_naming_it(site):
    error = config_error(site, with_setting("colour = 3"))
    assert (error.line, "'colour'" in error.message) == (7, True)
    assert "unknown" in error.message


def test_an_unknown_table_is_an_error_with_the_line_of_its_header(site):
    error = config_error(site, SITE_TOML + "[menu]\nhome = 1\n")
    assert "'menu'" in error.message
    assert error.line == 7


@pytest.mark.parametrize("setting", ['feed_limit = "ten"', "post_per_page = 3", "[menu]"])
def test_the_line_is_exact_for_a_setting_after_blank_lines_and_comments(site, setting):
    text = SITE_TOML + "\n\n# Paging\n\n" + setting + "\n"
    error = config_error(site, text)
    assert error.line == 11


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ('posts_per_page = "10"', "a whole number"),
        ("posts_per_page = 2.5", "a whole number"),
        ("posts_per_page = true", "a whole number"),
        ("home_posts_per_column = []", "a whole number"),
        ('feed_limit = "20"', "a whole number"),
        ("feed_full_content = 1", "true or false"),
        ('unsafe_html = "yes"', "true or false"),
        ("max_file_size_mb = true", "a number"),
        ("description = 3", "a string"),
        ("timezone = 8", "a string"),
    ],
)
def test_a_value_of_the_wrong_type_is_an_error_naming_the_key_the_type_and_the_line(site, setting, expected):
    error = config_error(site, with_setting(setting))
    key = setting.split(" = ")[0]
    assert error.line == 7
    assert f"'{key}'" in error.message
    assert expected in error.message


def test_the_line_of_a_wrong_type_is_found_for_a_key_written_earlier_in_the_file(site):
    text = 'title = "T"\nbase_url = "http://intranet.test/"\nposts_per_page = "ten"\nlanguage = "en"\n'
    error = config_error(site, text)
    assert (error.line, "posts_per_page" in error.message) == (3, True)


def test_bad_toml_syntax_names_the_line(site):
    error = config_error(site, with_setting("language = en"))  # quotes missing
    assert error.line == 7
    assert "TOML" in error.message


def test_bad_toml_line_numbers_stay_exact_with_a_bom_and_windows_line_endings(site):
    text = "\ufeff" + with_setting('description = "unterminated').replace("\n", "\r\n")
    error = config_error(site, text.encode("utf-8"))
    assert error.line == 7


def test_a_missing_site_toml_is_a_clear_error(site):
    (site.root / "site.toml").unlink()
    with pytest.raises(BuildFailed) as failed:
        site.build()
    [error] = failed.value.errors
    assert "no site.toml" in error.message
    assert "title" in (error.hint or "") and "base_url" in (error.hint or "")
    assert not site.output.exists()


@pytest.mark.parametrize("missing", ["title", "base_url"])
def test_a_missing_required_setting_is_an_error_naming_it(site, missing):
    lines = [line for line in SITE_TOML.splitlines(keepends=True) if not line.startswith(missing)]
    error = config_error(site, "".join(lines))
    assert f"'{missing}' is required" in error.message


@pytest.mark.parametrize("base_url", ["/party/", "intranet.test/party/", "ftp://intranet.test/", "http://"])
def test_base_url_must_be_an_absolute_http_url(site, base_url):
    error = config_error(site, SITE_TOML.replace('"http://intranet.test/"', f'"{base_url}"'))
    assert error.line == 3
    assert "base_url" in error.message and "absolute" in error.message


@pytest.mark.parametrize("base_path", ["party/", "/party/../x/", "//party/", "\\\\party\\\\"])
def test_a_base_path_that_is_not_a_clean_path_is_an_error_with_its_line(site, base_path):
    error = config_error(site, with_setting(f'base_path = "{base_path}"'))
    assert error.line == 7 and "base_path" in error.message


def test_an_unsupported_language_is_an_error_listing_the_languages(site):
    error = config_error(site, SITE_TOML.replace('language = "en"', 'language = "zh_CN"'))
    assert error.line == 4
    assert "en" in error.message and "zh-CN" in error.message
    assert "did you mean 'zh-CN'" in (error.hint or "")


def test_an_unknown_timezone_is_an_error_with_its_line(site):
    error = config_error(site, SITE_TOML.replace('"Asia/Shanghai"', '"Asia/Beijing"'))
    assert error.line == 5
    assert "Asia/Beijing" in error.message


@pytest.mark.parametrize("key", ["posts_per_page", "home_posts_per_column", "feed_limit", "max_file_size_mb"])
def test_counts_and_limits_must_be_greater_than_zero(site, key):
    text = SITE_TOML.replace("posts_per_page = 10\n", "") + f"{key} = 0\n"
    error = config_error(site, text)
    assert error.line == 6
    assert key in error.message and "greater than 0" in error.message


def test_a_site_toml_that_is_not_utf8_says_so(site):
    error = config_error(site, 'title = "红烛先锋"\nbase_url = "http://intranet.test/"\n'.encode("gbk"))
    assert "UTF-8" in str(error)


def test_a_config_error_leaves_an_earlier_build_untouched(site):
    site.write({"columns/news/a.md": post("A")})
    site.build()
    before = {p: (site.output / p).read_bytes() for p in site.files()}
    site.write({"site.toml": with_setting("post_per_page = 3")})
    with pytest.raises(BuildFailed):
        site.build()
    assert {p: (site.output / p).read_bytes() for p in site.files()} == before


def test_the_command_line_prints_the_file_line_and_hint_of_a_config_mistake(site):
    site.write({"site.toml": with_setting("post_per_page = 3"), "columns/news/a.md": post("A")})
    result = run_cli("build", cwd=site.root)
    assert result.returncode == 1
    assert "site.toml:7: unknown setting 'post_per_page' (did you mean 'posts_per_page'?)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not site.output.exists()
