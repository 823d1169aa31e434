"""The generated site as a reader sees it: which pages exist, what they show, where their
links go, and what a build does (and does not do) to the output folder.

Everything goes through the real build and is read back from the written HTML.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import NO_SEARCH, NOW, SITE_TOML, column, post, served
from photo_samples import picture, version_url
from sitegen.build import Options, build
from sitegen.errors import BuildFailed

# ----------------------------------------------------------------------------- helpers

EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel", "data")


@dataclass
class CrawlReport:
    pages: int = 0
    internal: int = 0  # internal links/sources checked
    external: list[str] = field(default_factory=list)  # "page: url" of http(s) links
    problems: list[str] = field(default_factory=list)


def _ids(soup: BeautifulSoup) -> set[str]:
    return {str(tag["id"]) for tag in soup.find_all(id=True)} | {str(a["name"]) for a in soup.find_all("a", attrs={"name": True})}


def crawl(output: Path, base_path: str) -> CrawlReport:
    """Reads every generated HTML page and checks every href/src: a link inside the site must
    start with base_path and name a file that was written (folder URLs -> index.html), and a
    #fragment must name an id on the target page. http(s) links are collected, not followed."""
    report = CrawlReport()
    soups: dict[Path, BeautifulSoup] = {}

    def soup_of(path: Path) -> BeautifulSoup:
        if path not in soups:
            soups[path] = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        return soups[path]

    for page in (p for p in served(output) if p.suffix == ".html"):
        report.pages += 1
        where = page.relative_to(output).as_posix()
        for tag in soup_of(page).find_all(True):
            for attribute in ("href", "src"):
                value = tag.get(attribute)
                if value is None:
                    continue
                value = str(value)
                split = urlsplit(value)
                if value.startswith("#"):
                    fragment = unquote(split.fragment)
                    if fragment and fragment not in _ids(soup_of(page)):
                        report.problems.append(f"{where}: {value}: no element with id {fragment!r} on the page")
                    continue
                if split.scheme in EXTERNAL_SCHEMES:
                    if split.scheme in ("http", "https"):
                        report.external.append(f"{where}: <{tag.name} {attribute}> {value}")
                    continue
                if split.netloc and not split.scheme:  # //host/path: another site
                    report.external.append(f"{where}: <{tag.name} {attribute}> {value}")
                    continue
                if split.scheme:
                    report.problems.append(f"{where}: {value}: unexpected URL scheme")
                    continue
                report.internal += 1
                if not value.startswith(base_path):
                    report.problems.append(f"{where}: {value}: does not start with {base_path}")
                    continue
                if any(c in split.path for c in " \"<>\\") or re.search(r"[^\x21-\x7e]", split.path):
                    report.problems.append(f"{where}: {value}: not percent-encoded")
                rest = unquote(split.path)[len(base_path):]
                target = output / rest
                if rest == "" or rest.endswith("/"):
                    target = target / "index.html"
                if not target.is_file():
                    report.problems.append(f"{where}: {value}: resolves to nothing ({target.relative_to(output)})")
                    continue
                fragment = unquote(split.fragment)
                if fragment and target.suffix == ".html" and fragment not in _ids(soup_of(target)):
                    report.problems.append(f"{where}: {value}: no element with id {fragment!r} on {rest}")
    return report


def url_to_file(output: Path, base_path: str, url: str) -> Path:
    """The written file a site URL names."""
    assert url.startswith(base_path), url
    rest = unquote(urlsplit(url).path)[len(base_path):]
    target = output / rest
    return target / "index.html" if rest == "" or rest.endswith("/") else target


def problems_of(site, **options) -> list[str]:
    """Builds and expects failure; returns every error as 'path:line: message'."""
    with pytest.raises(BuildFailed) as failed:
        site.build(**options)
    return [p.format(site.root.resolve()) for p in failed.value.errors]


def snapshot(folder: Path, skip: Path | None = None, dir_mtimes: bool = True) -> dict[str, tuple[int, int, bytes]]:
    """path -> (mtime_ns, mode, bytes) for every file; folders as (mtime_ns or 0, mode, b'<dir>').
    sitegen's private build cache (.sitegen-cache/) is not part of the site and is left out."""
    found: dict[str, tuple[int, int, bytes]] = {}
    for path in served(folder, folders=True):  # (through the symlinks into the live version)
        if skip is not None and (path == skip or skip in path.parents):
            continue
        if ".sitegen-cache" in path.relative_to(folder).parts:
            continue
        st = path.stat()
        if path.is_dir():
            found[path.relative_to(folder).as_posix()] = (st.st_mtime_ns if dir_mtimes else 0, st.st_mode, b"<dir>")
        else:
            found[path.relative_to(folder).as_posix()] = (st.st_mtime_ns, st.st_mode, path.read_bytes())
    return found


def age_all(folder: Path) -> None:
    """Sets every file's mtime far in the past, so any rewrite shows without waiting."""
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))


def texts(soup: BeautifulSoup, selector: str) -> list[str]:
    return [el.get_text(" ", strip=True) for el in soup.select(selector)]


def main_links(soup: BeautifulSoup) -> list[str]:
    return [str(a["href"]) for a in soup.select("main a[href]")]


def main_text(soup: BeautifulSoup) -> str:
    return soup.select_one("main").get_text(" ", strip=True)


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n" + b"0" * 2039 + b"\n%%EOF\n"  # 2 KB


def party_site(site, posts_per_page: int = 2):
    """A fuller site under base_path /party/: several columns, tags, pinned post, bundle with
    files, a page column with a mailto: link, links between posts."""
    site.write({
        "site.toml": SITE_TOML.replace("posts_per_page = 10", f"posts_per_page = {posts_per_page}")
        + 'base_path = "/party/"\n' + NO_SEARCH,
        "columns/study/_index.md": column("Study", 2, "description: Monthly study\n", "Study intro.\n"),
        "columns/mailbox/_index.md": column("Mailbox", 9, "layout: page\n",
                                           "Write to [the secretary](mailto:secretary@example.edu.cn).\n"),
        "columns/news/2019-01-10-one.md": post("One", "2019-01-10", "tags: [meeting, 党课]\n"),
        "columns/news/2019-02-10-two.md": post("Two", "2019-02-10", "tags: [meeting]\npinned: true\n",
                                               "See [one](2019-01-10-one.md) and [study](../study/2019-03-01-bundle/index.md#plan).\n"),
        "columns/news/2019-03-10-three.md": post("Three", "2019-03-10", "",
                                                 "See [the study column](../study/_index.md) and ![a map](images/map.png).\n"),
        "columns/news/images/map.png": PNG,
        "columns/news/2018-12-10-old.md": post("Old", "2018-12-10", "tags: [meeting]\n"),
        "columns/news/2019-04-10-four.md": post("Four", "2019-04-10", "",
                                                "## First\n\nText.\n\n## Second\n\nMore text[^1].\n\n[^1]: A note.\n"),
        "columns/study/2019-03-01-bundle/index.md": post(
            "Bundle", "2019-03-01", "cover: poster.png\ntags: [党课]\n",
            "![Poster](poster.png)\n\n## Plan\n\nGet [the outline](outline.pdf) and [notes](会议 纪要 #2 100%.pdf).\n"
            .replace("会议 纪要 #2 100%.pdf", "%E4%BC%9A%E8%AE%AE%20%E7%BA%AA%E8%A6%81%20%232%20100%25.pdf"),
        ),
        "columns/study/2019-03-01-bundle/poster.png": PNG,
        "columns/study/2019-03-01-bundle/outline.pdf": PDF,
        "columns/study/2019-03-01-bundle/会议 纪要 #2 100%.pdf": b"%PDF-1.4 odd name\n",
        "columns/study/2019-03-01-bundle/sheet.csv": "name,signed\nWang,yes\n",
    })
    return site


# ----------------------------------------------------------------------------- layout and links


def test_every_kind_of_page_is_written_where_the_layout_says(site):
    site.write({
        "site.toml": SITE_TOML.replace("posts_per_page = 10", "posts_per_page = 2"),
        **{f"columns/news/2019-0{n}-01-p{n}.md": post(f"P{n}", f"2019-0{n}-01", "tags: [Party Lesson]\n") for n in range(1, 6)},
        "columns/news/2018-05-01-older.md": post("Older", "2018-05-01"),
    })
    site.build()
    files = site.files()
    for expected in [
        "index.html", "404.html",
        "news/index.html", "news/page/2/index.html", "news/page/3/index.html",
        *(f"news/p{n}/index.html" for n in range(1, 6)), "news/older/index.html",
        "tags/index.html", "tags/party-lesson/index.html", "tags/party-lesson/page/2/index.html",
        "archive/index.html", "archive/2019/index.html", "archive/2018/index.html",
    ]:
        assert expected in files, f"{expected} missing; written: {sorted(files)}"
    assert "news/page/4/index.html" not in files
    assert "news/page/1/index.html" not in files  # page 1 is the column index itself


def test_crawler_flags_links_that_do_not_resolve_or_miss_the_base_path(tmp_path):
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a" / "index.html").write_text('<main id="main"><a href="#main">ok</a><a href="/party/">home</a></main>', "utf-8")
    (out / "index.html").write_text(
        '<a href="/party/a/">ok</a><a href="/party/a/#main">ok</a><a href="/party/missing/">bad</a>'
        '<a href="/a/">bad</a><a href="a/">bad</a><a href="#nowhere">bad</a><a href="/party/a/#nope">bad</a>'
        '<img src="/party/x%20y.png"><a href="https://example.org/">ext</a><a href="mailto:a@b.c">mail</a>', "utf-8")
    report = crawl(out, "/party/")
    assert report.pages == 2
    assert len(report.problems) == 6, report.problems
    assert report.external == ["index.html: <a href> https://example.org/"]


def test_with_base_path_every_link_on_every_page_starts_with_it_and_resolves(site):
    party_site(site).build()
    report = crawl(site.output, "/party/")
    assert report.problems == []
    assert report.pages >= 15 and report.internal > 100
    # ... while the files themselves sit at the output root, not under output/party/.
    assert not (site.output / "party").exists()
    assert {"index.html", "404.html", "news/index.html", "study/bundle/index.html"} <= site.files()
    # The links written in Markdown as paths were turned into site URLs.
    two = site.html("news/two/index.html")
    assert "/party/news/one/" in main_links(two)
    assert "/party/study/bundle/#plan" in main_links(two)
    three = site.html("news/three/index.html")
    assert "/party/study/" in main_links(three)
    # A picture is published as its versions (photo_set.py), never as the file written.
    assert three.select_one(".post-body img")["src"] == version_url("/party/news/images/map", PNG, 1, ".jpg")
    assert not site.exists("news/images/map.png")


def test_a_site_absolute_link_in_markdown_is_made_to_work_under_the_base_path_or_reported(site):
    party_site(site)
    site.write({"columns/news/2019-05-01-abs.md": post("Abs", "2019-05-01", "", "Text.\n\nSee [all news](/news/).\n")})
    try:
        result = site.build()
    except BuildFailed as failed:  # reported as an error naming the file and line: fine
        assert any(p.format(site.root.resolve()).startswith("columns/news/2019-05-01-abs.md:8:") for p in failed.errors)
        return
    reported = [w for w in result.warnings if w.format(site.root.resolve()).startswith("columns/news/2019-05-01-abs.md:8:")]
    href = site.html("news/abs/index.html").find("a", string="all news")["href"]
    assert reported or (href.startswith("/party/") and url_to_file(site.output, "/party/", href).is_file()), href


def test_the_404_page_links_with_the_base_path_so_it_works_at_any_depth(site):
    party_site(site).build()
    page = site.html("404.html")
    assert page.find("h1").get_text(strip=True) == "Page not found"
    hrefs = [str(a["href"]) for a in page.find_all("a", href=True) if not a["href"].startswith("#")]
    assert hrefs and all(h.startswith("/party/") for h in hrefs)
    assert page.find("link", rel="stylesheet")["href"].startswith("/party/static/")
    assert "/party/" in main_links(page)


# ----------------------------------------------------------------------------- columns


def nav_titles(page: BeautifulSoup) -> list[str]:
    return [a.get_text(strip=True) for a in page.select("nav.site-nav a")]


def test_navigation_follows_the_columns_order_not_their_folder_names(site):
    site.write({
        "columns/news/_index.md": column("News", 3),
        "columns/aaa/_index.md": column("Last", 9),
        "columns/zzz/_index.md": column("First", 1),
        "columns/mmm/_index.md": column("Second", 2),
    })
    site.build()
    for page in ("index.html", "news/index.html", "404.html"):
        assert nav_titles(site.html(page)) == ["Home", "First", "Second", "News", "Last"]
    home_columns = texts(site.html("index.html"), ".column-card-title")
    assert home_columns == ["First", "Second", "News", "Last"]


def test_a_new_column_is_one_new_folder(site):
    site.write({"columns/news/2019-01-01-a.md": post("A news post", "2019-01-01")})
    site.build()
    assert "Volunteers" not in nav_titles(site.html("index.html"))
    site.write({
        "columns/volunteers/_index.md": column("Volunteers", 5, "description: Service work\n", "Who we are.\n"),
        "columns/volunteers/2019-02-01-library.md": post("At the library", "2019-02-01"),
    })
    site.build()
    home = site.html("index.html")
    assert nav_titles(home)[-1] == "Volunteers"
    assert "/volunteers/library/" in main_links(home)
    index = site.html("volunteers/index.html")
    assert index.find("h1").get_text(strip=True) == "Volunteers"
    assert "Who we are." in main_text(index)
    assert "/volunteers/library/" in main_links(index)
    assert site.html("volunteers/library/index.html").find("h1").get_text(strip=True) == "At the library"


def test_a_page_column_is_one_page_with_its_body_and_no_post_list(site):
    site.write({
        "columns/news/2019-01-01-a.md": post("A news post", "2019-01-01"),
        "columns/mailbox/_index.md": column(
            "Secretary mailbox", 2, "layout: page\ndescription: Write to the secretary\n",
            "## How to write\n\nSend a letter to [the secretary](mailto:secretary@example.edu.cn).\n"),
    })
    site.build()
    page = site.html("mailbox/index.html")
    assert page.find("h1").get_text(strip=True) == "Secretary mailbox"
    assert page.select_one('main a[href="mailto:secretary@example.edu.cn"]') is not None
    assert "How to write" in main_text(page)
    assert page.select("main article.post-card, main .post-list, main nav.pagination") == []
    assert "No posts yet." not in main_text(page)
    assert "Secretary mailbox" in nav_titles(site.html("index.html"))
    assert not any(f.startswith("mailbox/") and f != "mailbox/index.html" for f in site.files())


def test_a_post_inside_a_page_column_is_an_error(site):
    site.write({
        "columns/mailbox/_index.md": column("Mailbox", 2, "layout: page\n"),
        "columns/mailbox/2019-01-01-letter.md": post("A letter"),
    })
    errors = problems_of(site)
    assert any(e.startswith("columns/mailbox/2019-01-01-letter.md") and "layout: page" in e for e in errors), errors


def test_a_column_folder_without_index_md_is_an_error(site):
    site.write({"columns/events/2019-01-01-a.md": post("A")})
    errors = problems_of(site)
    assert any(e.startswith("columns/events") and "_index.md" in e for e in errors), errors


@pytest.mark.parametrize("name", ["tags", "archive"])
def test_a_column_with_a_name_the_site_uses_itself_is_an_error(site, name):
    site.write({f"columns/{name}/_index.md": column(name.title(), 2)})
    errors = problems_of(site)
    assert any(e.startswith(f"columns/{name}") and "reserved" in e for e in errors), errors


# ----------------------------------------------------------------------------- posts, bundles, files


def test_a_bundle_copies_its_files_beside_the_post_and_lists_the_attachments(site):
    party_site(site).build()
    page = site.html("study/bundle/index.html")
    for name in ("outline.pdf", "sheet.csv", "会议 纪要 #2 100%.pdf"):
        assert site.exists(f"study/bundle/{name}"), name
    assert url_to_file(site.output, "/party/", version_url("/party/study/bundle/poster", PNG, 1)).is_file()
    assert (site.output / "study/bundle/outline.pdf").read_bytes() == PDF
    items = page.select(".post-attachments li")
    listed = {li.find("a").get_text(strip=True): li for li in items}
    assert set(listed) == {"outline.pdf", "sheet.csv", "会议 纪要 #2 100%.pdf"}  # the image is not an attachment
    assert "2.0 KB" in listed["outline.pdf"].get_text(" ", strip=True)
    assert "21 B" in listed["sheet.csv"].get_text(" ", strip=True)
    for name, li in listed.items():
        target = url_to_file(site.output, "/party/", str(li.find("a")["href"]))
        assert target == site.output / "study/bundle" / name
        assert target.read_bytes() == (site.root / "columns/study/2019-03-01-bundle" / name).read_bytes()


def test_a_bundle_with_office_files_lists_each_of_them(site):
    site.write({
        "columns/news/2019-05-01-files/index.md": post("Files", "2019-05-01"),
        "columns/news/2019-05-01-files/plan.docx": b"PK\x03\x04docx" + b"x" * 100,
        "columns/news/2019-05-01-files/budget.xlsx": b"PK\x03\x04xlsx" + b"x" * 3000,
        "columns/news/2019-05-01-files/list.csv": "a,b\n",
        "columns/news/2019-05-01-files/slides.pdf": PDF,
    })
    site.build()
    listed = texts(site.html("news/files/index.html"), ".post-attachments li a")
    assert sorted(listed) == ["budget.xlsx", "list.csv", "plan.docx", "slides.pdf"]
    for name in listed:
        assert site.exists(f"news/files/{name}")


def test_relative_images_and_the_cover_of_a_bundle_resolve(site):
    party_site(site)
    site.write({
        "columns/news/2019-05-01-covered/index.md": post("Covered", "2019-05-01", "cover: images/cover.png\n"),
        "columns/news/2019-05-01-covered/images/cover.png": PNG,
    })
    site.build()
    page = site.html("study/bundle/index.html")
    body_image = page.select_one(".post-body img")
    assert body_image["alt"] == "Poster"
    poster = version_url("/party/study/bundle/poster", PNG, 1, ".jpg")
    assert body_image["src"] == poster
    assert picture(url_to_file(site.output, "/party/", body_image["src"])).size == (1, 1)
    # The cover is also the body's first image here: the post page shows it once.
    assert len(page.select(f'main img[src="{poster}"]')) == 1
    card = site.html("study/index.html").select_one(".post-card img")
    assert card["src"] == poster
    # A cover the body does not show is shown on the post page and on lists.
    cover = version_url("/party/news/covered/images/cover", PNG, 1, ".jpg")
    covered = site.html("news/covered/index.html").select("main img")
    assert [img["src"] for img in covered] == [cover]
    webp = covered[0].find_parent("picture").source["srcset"].split()[0]
    assert picture(url_to_file(site.output, "/party/", webp)).format == "WEBP"
    assert cover in [img["src"] for img in site.html("news/index.html").select("main img")]


def test_a_missing_cover_is_an_error_with_the_line_of_the_cover_key(site):
    site.write({"columns/news/2019-05-01-nocover.md": "---\ntitle: No cover\ndate: 2019-05-01\ncover: missing.jpg\n---\n\nText.\n"})
    errors = problems_of(site)
    assert any(e.startswith("columns/news/2019-05-01-nocover.md:4:") and "missing.jpg" in e for e in errors), errors


@pytest.mark.parametrize("name", ["会议 纪要 #2 100%.pdf", "with space.pdf", "学习材料.docx", "a#b.csv", "50%.xlsx"])
def test_awkward_file_names_get_percent_encoded_urls_that_resolve(site, name):
    site.write({
        "columns/news/2019-05-01-odd/index.md": post("Odd", "2019-05-01"),
        f"columns/news/2019-05-01-odd/{name}": b"content of " + name.encode("utf-8"),
    })
    site.build()
    link = site.html("news/odd/index.html").select_one(".post-attachments li a")
    assert link.get_text(strip=True) == name
    href = str(link["href"])
    assert not re.search(r"[ #\u4e00-\u9fff]", href) and "%" in href, href
    assert re.fullmatch(r"[A-Za-z0-9/._~%-]+", href), href  # every '%' starts an escape
    assert url_to_file(site.output, "/", href).read_bytes() == b"content of " + name.encode("utf-8")


def test_body_links_to_awkward_names_resolve_to_the_copied_file(site):
    party_site(site).build()
    link = site.html("study/bundle/index.html").find("a", string="notes")
    target = url_to_file(site.output, "/party/", str(link["href"]))
    assert target.name == "会议 纪要 #2 100%.pdf" and target.is_file()


# ----------------------------------------------------------------------------- home


def test_home_shows_pinned_posts_first_then_the_latest_posts_of_each_column(site):
    site.write({
        "site.toml": SITE_TOML + "home_posts_per_column = 2\n",
        "columns/study/_index.md": column("Study", 2),
        "columns/news/2018-01-01-pinned-old.md": post("Pinned old", "2018-01-01", "pinned: true\n"),
        "columns/news/2019-01-01-n1.md": post("News 1", "2019-01-01"),
        "columns/news/2019-02-01-n2.md": post("News 2", "2019-02-01"),
        "columns/news/2019-03-01-n3.md": post("News 3", "2019-03-01"),
        "columns/study/2019-01-15-s1.md": post("Study 1", "2019-01-15"),
    })
    site.build()
    home = site.html("index.html")
    main = home.select_one("main")
    headings = [h.get_text(" ", strip=True) for h in main.find_all(["h2", "h3"])]
    assert headings[0] == "Pinned"
    titles = [a.get_text(strip=True) for a in main.find_all("a") if a.get_text(strip=True).startswith(("Pinned old", "News", "Study "))]
    assert titles.index("Pinned old") < titles.index("News 3")
    pinned = home.select_one("section.home-pinned")
    assert [a.get_text(strip=True) for a in pinned.select(".post-card-title a")] == ["Pinned old"]
    cards = {c.select_one(".column-card-title").get_text(strip=True): c for c in home.select(".column-card")}
    assert [a.get_text(strip=True) for a in cards["News"].select(".column-card-posts a")] == ["News 3", "News 2"]
    assert [a.get_text(strip=True) for a in cards["Study"].select(".column-card-posts a")] == ["Study 1"]
    assert "News 1" not in main.get_text()


# ----------------------------------------------------------------------------- column index and pagination


def five_posts(site, language="en"):
    toml = SITE_TOML.replace("posts_per_page = 10", "posts_per_page = 2")
    if language != "en":
        toml = toml.replace('language = "en"', f'language = "{language}"')
    site.write({
        "site.toml": toml,
        "columns/news/2018-01-01-pin.md": post("Pinned oldest", "2018-01-01", "pinned: true\n"),
        **{f"columns/news/2019-0{n}-01-p{n}.md": post(f"Post {n}", f"2019-0{n}-05") for n in range(1, 5)},
    })
    return site


def card_titles(page: BeautifulSoup) -> list[str]:
    return [a.get_text(strip=True) for a in page.select("main .post-card-title a")]


def test_the_column_index_puts_pinned_posts_first_then_newest_first_over_pages(site):
    five_posts(site).build()
    assert card_titles(site.html("news/index.html")) == ["Pinned oldest", "Post 4"]
    assert card_titles(site.html("news/page/2/index.html")) == ["Post 3", "Post 2"]
    assert card_titles(site.html("news/page/3/index.html")) == ["Post 1"]


def pagination(page: BeautifulSoup) -> dict[str, str]:
    nav = page.select_one("nav.pagination")
    return {a.get_text(" ", strip=True).strip("‹› "): str(a["href"]) for a in nav.find_all("a")}


def test_pagination_has_previous_next_page_numbers_and_says_which_page(site):
    five_posts(site).build()
    first, second, third = (site.html(p) for p in ("news/index.html", "news/page/2/index.html", "news/page/3/index.html"))
    assert "Page 2 of 3" in main_text(second)
    assert "Page 3 of 3" in main_text(third)
    links = pagination(second)
    assert links["Previous"] == "/news/" and links["Next"] == "/news/page/3/"
    assert links["1"] == "/news/" and links["2"] == "/news/page/2/" and links["3"] == "/news/page/3/"
    assert second.select_one('nav.pagination a[aria-current="page"]').get_text(strip=True) == "2"
    assert "Previous" not in pagination(first) and pagination(first)["Next"] == "/news/page/2/"
    assert "Next" not in pagination(third) and pagination(third)["Previous"] == "/news/page/2/"
    assert "Page 2 of 3" in second.title.get_text()


def test_a_column_with_one_page_of_posts_has_no_pagination(site):
    site.write({"columns/news/2019-01-01-a.md": post("A")})
    site.build()
    page = site.html("news/index.html")
    assert page.select("nav.pagination") == [] and "Page 1 of 1" not in main_text(page)
    assert "News of the branch." in main_text(page)  # the column's intro


# ----------------------------------------------------------------------------- post page


def column_posts(site):
    site.write({
        "columns/study/_index.md": column("Study", 2),
        "columns/news/2019-01-01-older.md": post("Older", "2019-01-01"),
        "columns/news/2019-03-05-middle.md": post(
            "Middle", "2019-03-05 09:30", "author: Wang Xiulan\ntags: [Party Lesson, 党课]\n",
            " ".join(["word"] * 450) + "\n"),
        "columns/news/2019-06-01-newer.md": post("Newer", "2019-06-01"),
        "columns/study/2019-04-01-elsewhere.md": post("In another column", "2019-04-01", "tags: [党课]\n"),
    })
    return site


def test_a_post_page_shows_breadcrumbs_date_author_and_reading_time(site):
    column_posts(site).build()
    page = site.html("news/middle/index.html")
    crumbs = page.select("nav.breadcrumbs li")
    assert [c.get_text(strip=True) for c in crumbs] == ["Home", "News", "Middle"]
    assert [c.a["href"] if c.a else None for c in crumbs] == ["/", "/news/", None]
    assert page.find("h1").get_text(strip=True) == "Middle"
    header = page.select_one(".post-header").get_text(" ", strip=True)
    assert "5 March 2019" in header
    assert "Wang Xiulan" in header
    assert "3 min read" in header  # 450 words at 200 a minute
    assert page.select_one(".post-header time")["datetime"].startswith("2019-03-05T09:30")


def test_a_post_page_links_its_tags_to_tag_pages_that_list_it(site):
    column_posts(site).build()
    page = site.html("news/middle/index.html")
    tags = {a.get_text(strip=True): str(a["href"]) for a in page.select(".post-tags a")}
    assert tags == {"Party Lesson": "/tags/party-lesson/", "党课": "/tags/dang-ke/"}
    tag_page = site.html("tags/dang-ke/index.html")
    assert set(card_titles(tag_page)) == {"Middle", "In another column"}
    assert "党课" in tag_page.find("h1").get_text()
    index = site.html("tags/index.html")
    assert {"/tags/party-lesson/", "/tags/dang-ke/"} <= set(main_links(index))


def test_previous_and_next_post_stay_within_the_column_older_and_newer(site):
    column_posts(site).build()

    def neighbours(relpath):
        page = site.html(relpath)
        prev_link, next_link = page.select_one("nav.post-nav a[rel=prev]"), page.select_one("nav.post-nav a[rel=next]")
        return (prev_link and (prev_link.get_text(" ", strip=True), prev_link["href"]),
                next_link and (next_link.get_text(" ", strip=True), next_link["href"]))

    assert neighbours("news/middle/index.html") == (("Previous post Older", "/news/older/"), ("Next post Newer", "/news/newer/"))
    assert neighbours("news/older/index.html") == (None, ("Next post Middle", "/news/middle/"))
    assert neighbours("news/newer/index.html") == (("Previous post Middle", "/news/middle/"), None)
    assert site.html("study/elsewhere/index.html").select("nav.post-nav") == []


def test_a_tag_written_twice_in_different_case_counts_once(site):
    site.write({
        "columns/news/2019-01-01-a.md": post("A", "2019-01-01", "tags: [Reading, reading]\n"),
        "columns/news/2019-01-02-b.md": post("B", "2019-01-02", "tags: [reading]\n"),
    })
    site.build()
    assert texts(site.html("news/a/index.html"), ".post-tags a") == ["Reading"]
    assert card_titles(site.html("tags/reading/index.html")) == ["B", "A"]
    assert "2 posts" in main_text(site.html("tags/index.html"))


def test_a_post_page_has_no_attachment_section_without_attachments(site):
    column_posts(site).build()
    assert site.html("news/middle/index.html").select(".post-attachments") == []


# ----------------------------------------------------------------------------- drafts and future posts


def hidden_posts_site(site):
    site.write({
        "columns/news/2019-01-01-public.md": post("Public post", "2019-01-01", "tags: [shared]\n"),
        "columns/news/2019-06-01-draft/index.md": post(
            "Secret draft", "2019-06-01", "draft: true\npinned: true\ntags: [shared, draftonly]\n"),
        "columns/news/2019-06-01-draft/draft-file.pdf": PDF,
        "columns/news/2021-01-01-future.md": post("Future post", "2021-01-01", "tags: [shared, futureonly]\npinned: true\n"),
    })
    return site


def all_html(site) -> str:
    """Every page, feed, sitemap and text file that was written."""
    return "\n".join((site.output / f).read_text("utf-8") for f in sorted(site.files()) if f.endswith((".html", ".xml", ".txt")))


def test_drafts_and_future_posts_appear_nowhere(site):
    hidden_posts_site(site).build()
    files = site.files()
    assert "news/public/index.html" in files
    assert not any(name in f for f in files for name in ("draft", "future", "2021")), sorted(files)
    everything = all_html(site)
    for leak in ("Secret draft", "Future post", "/news/draft/", "/news/future/", "draftonly", "futureonly"):
        assert leak not in everything
    assert "Pinned" not in main_text(site.html("index.html"))
    assert card_titles(site.html("tags/shared/index.html")) == ["Public post"]
    assert "1 post" in site.html("tags/index.html").get_text()
    assert site.html("news/public/index.html").select("nav.post-nav") == []


def test_drafts_are_published_with_drafts_true(site):
    hidden_posts_site(site).build(drafts=True)
    files = site.files()
    assert {"news/draft/index.html", "news/draft/draft-file.pdf", "tags/draftonly/index.html"} <= files
    assert "news/future/index.html" not in files
    assert "Secret draft" in main_text(site.html("index.html"))
    assert "Secret draft" in card_titles(site.html("news/index.html"))
    assert "Future post" not in all_html(site)


def test_future_posts_are_published_with_future_true(site):
    hidden_posts_site(site).build(future=True)
    files = site.files()
    assert {"news/future/index.html", "tags/futureonly/index.html", "archive/2021/index.html"} <= files
    assert "news/draft/index.html" not in files
    assert "Future post" in card_titles(site.html("news/index.html"))
    assert "Secret draft" not in all_html(site)


def test_a_post_dated_after_now_is_left_out_by_the_clock_not_the_day(site):
    site.write({
        "columns/news/2020-01-01-morning.md": post("Morning", "2020-01-01 08:00"),
        "columns/news/2020-01-01-evening.md": post("Evening", "2020-01-01 18:00"),
    })
    site.build(now=NOW)  # 2020-01-01 12:00 in Asia/Shanghai
    assert site.exists("news/morning/index.html")
    assert not site.exists("news/evening/index.html")


# ----------------------------------------------------------------------------- language


def test_an_english_site_speaks_english(site):
    five_posts(site).build()
    second = site.html("news/page/2/index.html")
    assert second.html["lang"] == "en"
    assert "Page 2 of 3" in main_text(second)
    assert {"Previous", "Next"} <= set(pagination(second))
    assert "Read more" in main_text(second)
    assert "5 March 2019" in main_text(second)
    crumbs = texts(site.html("news/p3/index.html"), "nav.breadcrumbs li")
    assert crumbs[0] == "Home"
    assert "March 2019" in main_text(site.html("archive/index.html"))


def test_a_chinese_site_speaks_chinese(site):
    five_posts(site, "zh-CN").build()
    second = site.html("news/page/2/index.html")
    assert second.html["lang"] == "zh-CN"
    text = main_text(second)
    assert "第 2 页，共 3 页" in text
    assert "阅读全文" in text
    assert "2019年3月5日" in text
    assert {"上一页", "下一页"} <= set(pagination(second))
    for english in ("Read more", "Previous", "Next", "Page 2", "March"):
        assert english not in second.get_text()
    post_page = site.html("news/p3/index.html")
    assert texts(post_page, "nav.breadcrumbs li")[0] == "首页"
    assert "2019年3月5日" in post_page.select_one(".post-header").get_text()
    assert post_page.select_one("a.skip-link").get_text(strip=True) == "跳到正文"
    archive = main_text(site.html("archive/index.html"))
    assert "2019年3月" in archive and "文章归档" in archive


# ----------------------------------------------------------------------------- what a build does to the output folder


@pytest.mark.parametrize("mistake", [
    {"columns/news/2019-05-01-bad.md": "---\ntitle: Bad\ndate: 2019-02-30\n---\n\nText.\n"},
    {"templates/post.html": "{% extends 'base.html' %}\n{% block content %}{% if %}{% endblock %}\n"},
    {"columns/news/2019-05-01-link.md": post("Link", "2019-05-01", "", "[x](nowhere.md)\n")},
])
def test_a_failed_build_leaves_the_output_exactly_as_it_was(site, mistake):
    party_site(site).build()
    (site.output / "mine.txt").write_text("a person's file", "utf-8")
    age_all(site.output)
    before = snapshot(site.output)
    # A change that would rewrite pages and remove one, together with the mistake.
    site.write({"columns/news/2019-01-10-one.md": post("One, changed", "2019-01-10")})
    (site.root / "columns/news/2019-03-10-three.md").unlink()
    site.write(mistake)
    with pytest.raises(BuildFailed):
        site.build()
    assert snapshot(site.output) == before


def test_a_second_identical_build_rewrites_nothing(site):
    party_site(site).build()
    age_all(site.output)
    before = {k: v for k, v in snapshot(site.output).items() if not k.startswith(".sitegen")}
    result = site.build()
    assert result.stats.written == 0
    assert result.stats.removed == 0
    assert result.stats.unchanged == len(before) - sum(v[2] == b"<dir>" for v in before.values())
    after = {k: v for k, v in snapshot(site.output).items() if not k.startswith(".sitegen")}
    assert after == before


def test_a_second_identical_build_does_not_touch_even_the_manifest(site):
    party_site(site).build()
    age_all(site.output)
    before = snapshot(site.output)
    site.build()
    assert snapshot(site.output) == before


def test_a_changed_post_rewrites_its_page_and_leaves_unrelated_pages_alone(site):
    party_site(site).build()
    age_all(site.output)
    before = snapshot(site.output)
    site.write({"columns/news/2019-03-10-three.md": post("Three", "2019-03-10", "", "Corrected text.\n")})
    result = site.build()
    after = snapshot(site.output)
    changed = {k for k, v in after.items() if v[2] != b"<dir>" and v[0] != before[k][0] and not k.startswith(".sitegen")}
    assert "news/three/index.html" in changed
    # Pages that do not show the post's text stay as they were (home and neighbours show its title only).
    untouched = {"index.html", "404.html", "news/index.html", "news/four/index.html", "news/two/index.html",
                 "study/index.html", "study/bundle/index.html", "study/bundle/outline.pdf", "tags/index.html",
                 "archive/index.html", "archive/2019/index.html", "mailbox/index.html"}
    assert not changed & untouched
    assert result.stats.written == len(changed)
    assert "Corrected text." in main_text(site.html("news/three/index.html"))


def test_a_removed_post_disappears_on_the_next_build(site):
    party_site(site).build()
    assert site.exists("news/three/index.html")
    (site.root / "columns/news/2019-03-10-three.md").unlink()
    result = site.build()
    assert result.stats.removed >= 1
    assert not (site.output / "news/three").exists()
    assert "/party/news/three/" not in all_html(site)
    assert crawl(site.output, "/party/").problems == []


def test_a_removed_bundle_takes_its_files_with_it(site):
    party_site(site).build()
    shutil.rmtree(site.root / "columns/study/2019-03-01-bundle")
    site.write({"columns/news/2019-02-10-two.md": post("Two", "2019-02-10")})  # it linked to the bundle
    site.build()
    assert not (site.output / "study/bundle").exists()


def test_a_file_a_person_put_into_the_output_survives_builds(site):
    party_site(site).build()
    (site.output / "humans.txt").write_text("Made by the branch office\n", "utf-8")
    (site.output / "news" / "notice.txt").write_text("kept", "utf-8")
    site.build()
    (site.root / "columns/news/2019-03-10-three.md").unlink()
    site.build()
    assert (site.output / "humans.txt").read_text("utf-8") == "Made by the branch office\n"
    assert (site.output / "news" / "notice.txt").read_text("utf-8") == "kept"


def test_a_file_in_the_way_of_a_page_fails_the_build_before_anything_is_written(site):
    site.write({"columns/news/2019-01-01-a.md": post("A", "2019-01-01", "tags: [x]\n")}).build()
    shutil.rmtree(site.output / "tags/x")
    (site.output / "tags/x").write_text("a person's file", "utf-8")
    before = snapshot(site.output)
    site.write({"columns/news/2019-01-01-a.md": post("A changed", "2019-01-01", "tags: [x]\n")})
    errors = problems_of(site)
    assert any("tags/x" in e for e in errors), errors
    assert snapshot(site.output) == before


def test_a_folder_in_the_way_of_a_page_fails_the_build_before_anything_is_written(site):
    site.write({"columns/news/2019-01-01-a.md": post("A", "2019-01-01")}).build()
    (site.output / "news/a/index.html").unlink()
    (site.output / "news/a/index.html").mkdir()
    (site.output / "news/a/index.html/mine.txt").write_text("a person's file", "utf-8")
    before = snapshot(site.output)
    site.write({"columns/news/2019-01-02-b.md": post("B", "2019-01-02")})  # would write new pages
    errors = problems_of(site)
    assert any("news/a/index.html" in e for e in errors), errors
    assert snapshot(site.output) == before


def test_building_into_a_non_empty_folder_sitegen_did_not_create_is_refused(site, tmp_path):
    party_site(site)
    foreign = tmp_path / "documents"
    (foreign / "sub").mkdir(parents=True)
    (foreign / "report.docx").write_bytes(b"important")
    (foreign / "sub" / "index.html").write_text("<p>someone else's</p>", "utf-8")
    before = snapshot(foreign)
    with pytest.raises(BuildFailed) as failed:
        build(site.root, foreign, Options(now=NOW))
    assert "not empty" in str(failed.value.errors[0])
    assert snapshot(foreign) == before


def test_building_into_an_empty_or_new_folder_works(site, tmp_path):
    party_site(site)
    (tmp_path / "empty").mkdir()
    for target in (tmp_path / "empty", tmp_path / "new" / "deeper"):
        build(site.root, target, Options(now=NOW))
        assert (target / "index.html").is_file()


def test_a_build_writes_nothing_outside_the_output_folder(site, tmp_path):
    party_site(site)
    before = snapshot(tmp_path, skip=site.output, dir_mtimes=False)
    site.build()
    site.write({"columns/news/2019-03-10-three.md": post("Three", "2019-03-10", "", "Changed.\n")})
    before = {**before, **{k: v for k, v in snapshot(tmp_path, skip=site.output, dir_mtimes=False).items() if k.endswith("three.md")}}
    site.build()
    assert snapshot(tmp_path, skip=site.output, dir_mtimes=False) == before
    assert site.exists("index.html")


def test_a_file_a_person_put_where_a_new_page_goes_is_never_overwritten(site):
    site.write({"columns/news/a.md": post("A")})
    site.build()
    mine = site.output / "robots.txt"
    mine.unlink()  # as if the person's own robots.txt had been there before sitegen made one
    manifest = json.loads((site.output / ".sitegen-manifest.json").read_text())
    del manifest["files"]["robots.txt"]
    (site.output / ".sitegen-manifest.json").write_text(json.dumps(manifest))
    mine.write_text("User-agent: *\nDisallow: /private/\n")
    with pytest.raises(BuildFailed) as failed:
        site.build()
    assert "did not write" in failed.value.errors[0].message
    assert mine.read_text() == "User-agent: *\nDisallow: /private/\n"
