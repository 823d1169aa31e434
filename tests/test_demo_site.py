"""The demo site in the repository (site.toml + columns/) is what the school sees first: it
must build cleanly, fill the four columns of the plan, and every link in it must work.

The demo is built into a temporary folder; nothing is written into the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO
from sitegen.build import BuildResult, build, check
from sitegen.config import load_config
from test_site_pages import crawl, url_to_file

PLAN_COLUMNS = [("dynamics", "党建动态"), ("study", "专题学习"), ("experience", "心得体会"), ("style", "党员风采")]
HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[BuildResult, Path]:
    output = tmp_path_factory.mktemp("demo") / "out"
    return build(REPO, output), output


@pytest.fixture(scope="module")
def base_path() -> str:
    return load_config(REPO).base_path


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def post_pages(output: Path, slug: str | None = None) -> list[Path]:
    """Every written post page (an article with a post body), optionally of one column."""
    found = []
    for page in sorted(output.glob(f"{slug or '*'}/*/index.html")):
        if page.parent.name != "page" and soup(page).select_one("article.post .post-body") is not None:
            found.append(page)
    return found


def test_the_demo_builds_with_no_errors_and_only_the_stale_column_warnings_check_gives(demo):
    result, output = demo
    # The demo's posts end in 2020, so today every column has gone without a post for long:
    # exactly the warning `sitegen check` gives a school about stale columns, and build shows it too.
    assert result.warnings and all("no new post" in p.message for p in result.warnings), [p.format(REPO) for p in result.warnings]
    problems = check(REPO)
    assert not [p for p in problems if p.is_error]
    assert {p.location(REPO) for p in problems} == {p.location(REPO) for p in result.warnings}
    assert (output / "index.html").is_file() and (output / "404.html").is_file()


def test_the_four_columns_of_the_plan_each_have_at_least_three_published_posts(demo, base_path):
    _, output = demo
    nav = [(str(a["href"]), a.get_text(strip=True)) for a in soup(output / "index.html").select("nav.site-nav a")]
    expected = [(f"{base_path}{slug}/", title) for slug, title in PLAN_COLUMNS]
    assert [item for item in nav if item in expected] == expected  # present, in the plan's order
    for slug, title in PLAN_COLUMNS:
        pages = post_pages(output, slug)
        assert len(pages) >= 3, (slug, len(pages))
        index = soup(output / slug / "index.html")
        assert index.find("h1").get_text(strip=True) == title
        for page in pages:
            crumbs = [li.get_text(strip=True) for li in soup(page).select("nav.breadcrumbs li")]
            assert crumbs[:2] == ["首页", title], page


def test_the_demo_has_a_secretary_mailbox_page_with_a_mailto_link(demo, base_path):
    result, output = demo
    page_columns = [c for c in result.site.columns if c.is_page]
    assert page_columns, "no column with layout: page"
    mailboxes = []
    for col in page_columns:
        page = soup(url_to_file(output, base_path, col.url))
        mailto = page.select('main a[href^="mailto:"]')
        if mailto and ("信箱" in col.title or "mailbox" in col.title.lower()):
            assert page.select("main .post-card, main nav.pagination") == []
            assert re.fullmatch(r"mailto:[^@\s]+@[^@\s]+\.[a-z]+", str(mailto[0]["href"]))
            mailboxes.append(col.title)
    assert mailboxes, [c.title for c in page_columns]


def test_the_demo_has_english_and_chinese_posts(demo):
    _, output = demo
    languages = set()
    for page in post_pages(output):
        text = soup(page).select_one(".post-body").get_text(" ", strip=True)
        han, words = len(HAN.findall(text)), len(LATIN_WORD.findall(text))
        languages.add("zh" if han > words else "en")
    assert languages == {"zh", "en"}


def test_the_demo_has_a_bundle_with_an_image_and_a_pdf_copied_and_linked(demo, base_path):
    _, output = demo
    found = []
    for page in post_pages(output):
        doc = soup(page)
        images = [url_to_file(output, base_path, str(img["src"])) for img in doc.select("main article img[src]")
                  if str(img["src"]).startswith(base_path)]
        pdfs = [url_to_file(output, base_path, str(a["href"])) for a in doc.select("main article a[href]")
                if str(a["href"]).lower().endswith(".pdf") and str(a["href"]).startswith(base_path)]
        beside = [f for f in images + pdfs if f.parent == page.parent]
        if any(f.suffix.lower() == ".pdf" for f in beside) and any(f in images for f in beside):
            for file in beside:
                assert file.is_file(), file
            assert any(f.read_bytes().startswith(b"%PDF") for f in beside if f.suffix.lower() == ".pdf")
            # A picture is published as small WebP versions and one JPEG for browsers without WebP
            # (photo_set.py); <img src> names the JPEG.
            assert any(f.read_bytes()[:3] == b"\xff\xd8\xff" for f in images)
            listed = [a.get_text(strip=True) for a in doc.select(".post-attachments a")]
            assert any(name.lower().endswith(".pdf") for name in listed), listed
            found.append(page)
    assert found, "no post bundle with an image and a PDF beside its page"


def test_every_link_in_the_demo_resolves(demo, base_path):
    _, output = demo
    assert base_path != "/"  # the demo runs under a base path, which makes this check meaningful
    report = crawl(output, base_path)
    assert report.problems == []
    assert report.pages > 30 and report.internal > 500
    assert not (output / base_path.strip("/")).exists()


def test_the_demo_speaks_the_language_of_its_settings(demo):
    result, output = demo
    lang = result.site.config.language
    for page in (output / "index.html", output / "404.html", *post_pages(output)[:3]):
        assert soup(page).html["lang"] == lang
