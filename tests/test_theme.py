"""The default theme and how a site changes it: overrides, fingerprinted CSS, nothing loaded
from outside the site, landmarks for keyboard and screen-reader users, print styles, template
mistakes reported with file and line, and the theme shipped inside the wheel."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, post, run_cli, served
from test_site_pages import crawl, party_site, problems_of

THEME_CSS = REPO / "templates" / "static" / "style.css"
CSS_NAME = re.compile(r"static/style\.[0-9a-f]{8,}\.css")


def html_pages(output: Path) -> list[Path]:
    return [p for p in served(output) if p.suffix == ".html"]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def css_files(output: Path) -> list[str]:
    return sorted(p.relative_to(output).as_posix() for p in (output / "static").glob("*.css"))


def simple_site(site):
    return site.write({
        "columns/news/2019-01-01-a.md": post("First post", "2019-01-01", "tags: [meeting]\n"),
        "columns/news/2019-02-01-b.md": post("Second post", "2019-02-01"),
    })


# ----------------------------------------------------------------------------- stylesheet


def test_the_css_is_copied_with_a_fingerprint_and_every_page_links_that_name(site):
    party_site(site).build()
    [css] = css_files(site.output)
    assert CSS_NAME.fullmatch(css), css
    assert (site.output / css).read_bytes() == THEME_CSS.read_bytes()
    assert not (site.output / "static/style.css").exists()
    for page in html_pages(site.output):
        links = [str(l["href"]) for l in soup(page).find_all("link", rel="stylesheet")]
        assert links == ["/party/" + css], page


def test_a_changed_stylesheet_gets_a_new_name_and_the_old_one_goes(site):
    simple_site(site).build()
    [old] = css_files(site.output)
    site.write({"templates/static/style.css": THEME_CSS.read_text("utf-8") + "\n.site-title { letter-spacing: 1px; }\n"})
    site.build()
    [new] = css_files(site.output)
    assert new != old and CSS_NAME.fullmatch(new)
    assert "letter-spacing: 1px" in (site.output / new).read_text("utf-8")
    assert soup(site.output / "index.html").find("link", rel="stylesheet")["href"] == "/" + new


def test_the_stylesheet_loads_nothing_from_outside_and_has_print_styles():
    css = THEME_CSS.read_text("utf-8")
    assert not re.search(r"@import", css)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", css, re.IGNORECASE)
    assert re.search(r"@media\s+print\b", css)
    print_block = css[re.search(r"@media\s+print\b", css).start():]
    assert re.search(r"\.site-nav\b[^{]*\{[^}]*display:\s*none", print_block)  # navigation is not printed


# ----------------------------------------------------------------------------- nothing from outside


def test_no_page_loads_anything_from_outside_the_site(site):
    party_site(site)
    site.write({"columns/news/2019-05-01-links.md": post(
        "Links", "2019-05-01", "", "Read [the party website](https://www.12371.cn/) and "
        "[the district](http://example.gov.cn/news).\n")})
    site.build()
    report = crawl(site.output, "/party/")
    assert report.problems == []
    # The only http(s) URLs are the two content links in the post's body.
    assert sorted(report.external) == [
        "news/links/index.html: <a href> http://example.gov.cn/news",
        "news/links/index.html: <a href> https://www.12371.cn/",
    ]
    for page in html_pages(site.output):
        for tag in soup(page).find_all(["link", "script", "img", "iframe", "source", "video", "audio"]):
            for attribute in ("href", "src"):
                assert not str(tag.get(attribute, "")).startswith(("http:", "https:", "//")), (page, tag)
        assert not soup(page).find_all(style=re.compile(r"url\(", re.I)), page


# ----------------------------------------------------------------------------- landmarks


def test_every_page_has_a_skip_link_main_landmark_navigation_and_viewport(site):
    party_site(site).build()
    pages = html_pages(site.output)
    assert len(pages) > 15
    for page in pages:
        doc = soup(page)
        body_links = doc.body.find_all("a", href=True)
        assert body_links[0]["href"] == "#main", page  # the first thing a keyboard reaches
        main = doc.find_all("main")
        assert len(main) == 1 and main[0].get("id") == "main", page
        site_nav = doc.select("nav.site-nav, header nav")
        assert site_nav and site_nav[0].get("aria-label"), page
        viewport = doc.find("meta", attrs={"name": "viewport"})
        assert viewport and "width=device-width" in viewport["content"], page
        assert doc.html.get("lang") == "en", page
        assert doc.find("meta", charset=True)["charset"].lower() == "utf-8"
        assert doc.title and doc.title.get_text(strip=True), page
        assert len(doc.find_all("h1")) == 1, page


def test_navigation_marks_the_current_column(site):
    party_site(site).build()
    nav = soup(site.output / "study/index.html").select_one("nav.site-nav")
    current = nav.select('[aria-current]')
    assert [a.get_text(strip=True) for a in current] == ["Study"]
    post_nav = soup(site.output / "study/bundle/index.html").select_one("nav.site-nav")
    assert [a.get_text(strip=True) for a in post_nav.select("[aria-current]")] == ["Study"]


def test_every_page_marks_its_own_column_in_the_header_and_lists_its_feeds_in_the_footer(site):
    # The header and the footer are built once for each kind of page and column (fragment()).
    party_site(site).build()
    footer_current = {"archive": ["Archive"], "tags": ["All tags"], "report": ["Work report"]}
    kinds = set()
    for page in html_pages(site.output):
        doc = soup(page)
        kind = doc.body["class"][0].removeprefix("kind-")
        kinds.add(kind)
        column = None
        if kind == "post":
            column = doc.select(".post-meta-full a")[-1].get_text(strip=True)
        elif kind in ("column", "page"):
            column = doc.select_one("h1.page-title").get_text(strip=True)
        current = [a.get_text(strip=True) for a in doc.select("nav.site-nav [aria-current]")]
        assert current == (["Home"] if kind == "home" else [column] if column else []), page
        assert (doc.select_one("h1.site-title a") is not None) == (kind == "home"), page
        feeds = [a.get_text(strip=True) for a in doc.select("footer a[type='application/atom+xml']")]
        # Said as what they are: "Test Site" twice in a footer would read as two links home.
        assert feeds[0] == "Follow the whole site (Atom feed)" and \
            feeds[1:] == ([f"Follow “{column}” (Atom feed)"] if column in ("News", "Study") else []), page
        titles = [link["title"] for link in doc.select("head link[rel=alternate]")]
        assert titles[0] == "Test Site" and titles[1:] == ([f"{column} - Test Site"] if column in ("News", "Study") else []), page
        assert [a.get_text(strip=True) for a in doc.select("footer [aria-current]")] == footer_current.get(kind, []), page
    assert {"home", "post", "column", "page", "tag", "tags", "archive"} <= kinds, kinds


def test_a_fragment_is_built_once_for_each_set_of_arguments():
    import jinja2

    from sitegen.render import _Fragments

    built: list[object] = []
    env = jinja2.Environment(autoescape=True)
    env.globals.update(fragment=_Fragments(), note=lambda value: built.append(value) or "*")
    template = env.from_string("{% for x in xs %}{% call fragment('f', x) %}[{{ note(x) }}]{% endcall %}{% endfor %}")
    one, other = object(), object()
    assert template.render(xs=["<a>", "<a>", 1, True, 1.0, None, [1], [1], one, other, one])== "[*]" * 11
    assert built == ["<a>", 1, True, 1.0, None, [1], one, other]  # a value by value, an object by identity


def test_templates_compiled_by_an_earlier_build_give_the_same_pages_and_a_changed_one_is_compiled_again(site, monkeypatch):
    import jinja2

    from sitegen.build import Options, read_site
    from sitegen.config import load_config
    from sitegen.pages import plan
    from sitegen.render import Renderer, Theme

    party_site(site)
    built, _ = read_site(site.root, load_config(site.root), Options(), datetime.now().astimezone())
    pages = plan(built)
    compiled: dict[str, bytes] = {}  # what a watcher's next build is given (never written to disk)

    def render_all(**options) -> list[bytes]:
        renderer = Renderer(built, Theme(site.root), **options)
        return [renderer.render(page, feeds=[]) for page in pages]

    expected = render_all()
    assert render_all(compiled=compiled) == expected
    assert len(compiled) >= 10
    compiles: list[str] = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda env, source, name=None, *rest, **kw:
                        compiles.append(name) or original(env, source, name, *rest, **kw))
    assert render_all(compiled=compiled) == expected and compiles == []
    site.write({"templates/post.html": OWN_POST})  # another post.html: compiled, not taken from before
    assert sum(b"(school layout)" in page for page in render_all(compiled=compiled)) == len(built.posts)
    assert compiles == ["post.html"]


# ----------------------------------------------------------------------------- a site's own templates


OWN_POST = """{% extends "base.html" %}
{% block content %}
<article class="my-post"><h1>{{ post.title }} (school layout)</h1>{{ post.body_html }}</article>
{% endblock %}
"""


def test_a_sites_own_post_template_overrides_only_that_template(site):
    simple_site(site)
    site.write({"templates/post.html": OWN_POST})
    site.build()
    page = soup(site.output / "news/a/index.html")
    assert page.find("h1").get_text(strip=True) == "First post (school layout)"
    assert page.select_one("article.my-post") is not None
    assert page.select_one("nav.site-nav") is not None  # base.html still comes from the default theme
    assert page.find("link", rel="stylesheet")["href"].startswith("/static/style.")
    index = soup(site.output / "news/index.html")
    assert "(school layout)" not in index.get_text()
    assert index.select(".post-card")  # the column list is the default theme's


def test_a_sites_own_base_template_changes_every_page(site):
    simple_site(site)
    base = (REPO / "templates" / "base.html").read_text("utf-8")
    site.write({"templates/base.html": base.replace('<footer class="site-footer">',
                                                    '<footer class="site-footer"><p class="school-footer">No. 1 School</p>')})
    site.build()
    for page in html_pages(site.output):
        assert soup(page).select_one(".school-footer") is not None, page


def test_a_site_without_templates_builds_with_the_default_theme_from_another_folder(site, tmp_path):
    simple_site(site)
    assert not (site.root / "templates").exists()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("build", "--source", str(site.root), cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    page = soup(site.output / "news/a/index.html")
    assert page.select_one("main#main") is not None and page.select_one("nav.site-nav") is not None
    assert len(css_files(site.output)) == 1
    assert crawl(site.output, "/").problems == []


# ----------------------------------------------------------------------------- template mistakes


def test_a_jinja_syntax_error_is_reported_with_the_template_file_and_line(site):
    simple_site(site)
    site.write({"templates/post.html": '{% extends "base.html" %}\n{% block content %}\n<h1>{{ post.title }</h1>\n{% endblock %}\n'})
    errors = problems_of(site)
    assert len(errors) == 1, errors  # one broken template, one message
    assert errors[0].startswith("templates/post.html:3: "), errors


def test_a_jinja_syntax_error_on_the_command_line(site):
    simple_site(site).build()
    before = {p: p.read_bytes() for p in served(site.output)}
    site.write({"templates/column.html": '{% extends "base.html" %}\n\n{% block content %}\n{% for p in posts %}\n{% endblock %}\n'})
    result = run_cli("build", cwd=site.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"^templates/column\.html:\d+: ", result.stderr, re.MULTILINE), result.stderr
    assert {p: p.read_bytes() for p in served(site.output)} == before


def test_an_error_in_the_header_of_a_sites_own_base_template_names_the_file_and_line(site):
    simple_site(site)
    base = (REPO / "templates" / "base.html").read_text("utf-8")
    line = base[: base.index('<p class="site-title">')].count("\n") + 1
    site.write({"templates/base.html": base.replace('<p class="site-title">', '<p class="site-title">{{ site.no_such_setting }}')})
    errors = problems_of(site)
    assert any(e.startswith(f"templates/base.html:{line}: ") and "no_such_setting" in e for e in errors), errors


def test_an_error_while_rendering_a_template_names_the_template_and_line(site):
    simple_site(site)
    site.write({"templates/post.html": '{% extends "base.html" %}\n{% block content %}\n\n<p>{{ post.no_such_field }}</p>\n{% endblock %}\n'})
    errors = problems_of(site)
    assert any(e.startswith("templates/post.html:4: ") and "no_such_field" in e for e in errors), errors


# A site's own list that shows each post's whole body: a list's digest covers the cards it shows,
# not the bodies, so such a list would go stale when only a body changed. It is refused instead.
OWN_LIST_WITH_BODIES = """{% extends "base.html" %}
{% block content %}
{% for post in posts %}
<article><h2>{{ post.title }}</h2>
{{ post.body_html }}
</article>
{% endfor %}
{% endblock %}
"""


def test_a_sites_own_list_template_that_shows_a_body_fails_naming_the_template_line_and_what_to_do(site):
    simple_site(site)
    site.write({"templates/column.html": OWN_LIST_WITH_BODIES})
    errors = problems_of(site)
    assert len(errors) == 1, errors  # one template line, said once for all the pages that use it
    assert errors[0].startswith("templates/column.html:5: template error: a list shows posts as cards; "
                                "'body_html' is only on the post's own page (post.html) (a card has only title, url, "), errors
    assert "show the rest in post.html, and summary_html where a list would show the body" in errors[0]


def test_a_list_reading_a_body_in_a_sites_own_macro_names_the_macros_file(site):
    simple_site(site)
    card = (REPO / "templates" / "_post_card.html").read_text("utf-8")
    line = card.index('<p class="read-more">')
    site.write({"templates/_post_card.html": card[:line] + "{{ post.toc_html }}\n  " + card[line:]})
    errors = problems_of(site)
    line_number = card[:line].count("\n") + 1
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"templates/_post_card.html:{line_number}: template error: a list shows posts as cards; "
                                "'toc_html' is only on the post's own page (post.html)"), errors


def test_a_post_page_shows_its_neighbours_as_cards_and_says_so_when_asked_for_more(site):
    simple_site(site)
    site.write({"templates/post.html": '{% extends "base.html" %}\n{% block content %}\n{{ post.body_html }}\n'
                                       "{% if next_post %}{{ next_post.body_html }}{% endif %}\n{% endblock %}\n"})
    errors = problems_of(site)
    assert len(errors) == 1, errors
    assert errors[0].startswith("templates/post.html:4: template error: a post's page shows its neighbours and "
                                "related posts as cards; 'body_html' is only on the post's own page (post.html)"), errors


def test_a_card_has_no_field_a_post_lacks_either(site):
    simple_site(site)
    site.write({"templates/tag.html": '{% extends "base.html" %}\n{% block content %}\n'
                                      "{% for post in posts %}{{ post.no_such_field }}{% endfor %}\n{% endblock %}\n"})
    errors = problems_of(site)
    assert len(errors) == 1, errors
    assert errors[0].startswith("templates/tag.html:3: template error: a list shows posts as cards; a card has no 'no_such_field'"), errors


# ----------------------------------------------------------------------------- the wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built once (about a second; no network)."""
    folder = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-cache-dir",
         "--disable-pip-version-check", "-q", "-w", str(folder), str(REPO)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    [built] = folder.glob("sitegen-*.whl")
    return built


def test_the_wheel_carries_the_default_theme(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "sitegen/_theme/base.html" in names
    assert "sitegen/_theme/static/style.css" in names
    theme = {p.relative_to(REPO / "templates").as_posix() for p in (REPO / "templates").rglob("*") if p.is_file()}
    assert {f"sitegen/_theme/{name}" for name in theme} <= names
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("sitegen/_theme/static/style.css") == THEME_CSS.read_bytes()
    assert not any(n.startswith(("tests/", "columns/", "output/")) for n in names)


def test_the_installed_package_builds_a_site_with_its_own_copy_of_the_theme(wheel, site, tmp_path):
    simple_site(site)
    installed = tmp_path / "installed"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(installed)
    env = {**os.environ, "PYTHONPATH": str(installed)}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = "import sitegen.render as r, sys; print(r.default_theme()); sys.argv[0] = 'sitegen'; from sitegen.cli import main; sys.exit(main())"
    result = subprocess.run([sys.executable, "-c", code, "build", "--source", str(site.root)],
                            cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == str(installed / "sitegen" / "_theme")
    [css] = css_files(site.output)
    assert (site.output / css).read_bytes() == THEME_CSS.read_bytes()
    assert soup(site.output / "news/a/index.html").find("h1").get_text(strip=True) == "First post"
