"""Hardening: every bad input gets a clear message with its file (and line), the build never
crashes with a traceback, never writes outside its output folder, and the site never runs a
script that a post smuggled in.

- bad inputs go through the real command line, one table, each against a good output that
  must stay byte-for-byte and mtime-for-mtime as it was;
- unsafe HTML: titles, authors, tags, summaries and bodies full of script, checked on every
  page, feed and the sitemap;
- awkward file names (spaces, quotes, '#', '%', Chinese, emoji) give working URLs;
- the preview server serves nothing outside the output folder, whatever the request path.

The property-based (generated input) side of this is tests/test_fuzz.py.
"""

from __future__ import annotations

import concurrent.futures
import gzip
import http.client
import inspect
import json
import os
import re
import shutil
import socket
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import NO_REPORT_WARNINGS, NO_SEARCH, SITE_TOML, SiteDir, column, post, run_cli, served
from photo_samples import picture, small_png, version_url
from sitegen.cli import parser
from sitegen.errors import BuildFailed
from sitegen.serve import make_server

# Pagefind indexing costs time on every build; only the unsafe-HTML tests need the search data.
SEARCH_PARTY_TOML = SITE_TOML.replace('base_url = "http://intranet.test/"',
                                      'base_url = "http://intranet.test/party/"\nbase_path = "/party/"')
PARTY_TOML = SEARCH_PARTY_TOML + NO_SEARCH
OLD_NS = 946_684_800 * 10**9  # 2000-01-01: any rewrite shows as a new mtime at once


@pytest.fixture
def site(site: SiteDir) -> SiteDir:
    """conftest's site, without the search index (see PARTY_TOML)."""
    return site.write({"site.toml": SITE_TOML + NO_SEARCH})


# ============================================================================ helpers


def snapshot(root: Path, skip: Path | None = None, dir_mtimes: bool = True) -> dict[str, tuple]:
    """relpath -> (kind, mode, mtime_ns, bytes or link target) for everything under root,
    folders and symlinks included, never following a symlink. Without dir_mtimes, folders
    are compared by what they hold (creating output/ changes its parent folder's mtime)."""
    found: dict[str, tuple] = {}
    for current, dirs, files in os.walk(root, followlinks=False):
        here = Path(current)
        if skip is not None and (here == skip or skip in here.parents):
            dirs[:] = []
            continue
        for name in dirs + files:
            path = here / name
            if skip is not None and path == skip:
                continue
            st = path.lstat()
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = ("link", st.st_mode, st.st_mtime_ns, os.readlink(path))
            elif path.is_dir():
                found[rel] = ("dir", st.st_mode, st.st_mtime_ns if dir_mtimes else 0, None)
            else:
                found[rel] = ("file", st.st_mode, st.st_mtime_ns, path.read_bytes())
    return found


def age(root: Path) -> None:
    """Every file and folder under root (and root) dated 2000-01-01."""
    for current, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            os.utime(Path(current) / name, ns=(OLD_NS, OLD_NS), follow_symlinks=False)
    os.utime(root, ns=(OLD_NS, OLD_NS))


def url_to_file(output: Path, base_path: str, url: str) -> Path:
    """The written file a site URL (absolute or root-relative) names, percent-decoded."""
    path = urlsplit(url).path
    assert path.startswith(base_path), url
    rest = unquote(path)[len(base_path):]
    target = output / rest
    return target / "index.html" if rest == "" or rest.endswith("/") else target


def assert_valid_url_path(url: str) -> None:
    """Only URL-safe characters, and every '%' starts a two-digit escape."""
    path = urlsplit(url).path
    assert re.fullmatch(r"(?:[A-Za-z0-9/._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*", path), url


def html_files(output: Path) -> list[Path]:
    """The pages visitors get (not sitegen's hidden cache and staging folders)."""
    return sorted(p for p in served(output) if p.suffix == ".html" and not any(part.startswith(".") for part in p.relative_to(output).parts))


# ---------------------------------------------------------------------------- what "safe" means

# Elements that run code, load other documents, change where links go, or restyle the page.
FORBIDDEN_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "form", "input",
    "button", "textarea", "select", "base", "svg", "math", "noscript", "template", "portal",
}
# The theme's own: charts on report pages, the search box (a plain GET form) and the search
# page's note for browsers without JavaScript. Content (inside .prose) may not bring them.
THEME_ELEMENTS = {"svg", "noscript", "form", "input", "button", "select"}
# The only script the site has: the search page's (it loads Pagefind's pagefind.js itself).
SEARCH_SCRIPTS = re.compile(r"/static/search\.[0-9a-f]+\.js")
# Where a page shows HTML that came from a post or a column's _index.md.
CONTENT_CLASSES = ["prose", "post-card-summary", "post-toc"]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                  "srcset", "ping", "cite", "longdesc", "manifest", "codebase"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


def url_problem(tag: str, attribute: str, value: str) -> str | None:
    """Why a URL in an attribute could run script or smuggle a document, else None. Browsers
    ignore whitespace and control characters inside the scheme, so they are dropped first."""
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
    match = re.match(r"([a-z][a-z0-9+.\-]*):", squeezed)
    if not match or match.group(1) in SAFE_SCHEMES:
        return None
    if match.group(1) == "data" and tag == "img" and attribute == "src" and squeezed.startswith("data:image/"):
        return None  # a picture; an <img> never runs script, even SVG
    return f"<{tag} {attribute}={value!r}>"


def unsafe_bits(soup: BeautifulSoup, theme_head: bool = True) -> list[str]:
    """Everything in a parsed page (theme_head) or fragment that could run a script or restyle
    the page. In a page, the theme's own SVG is allowed outside the written content (.prose)."""
    found: list[str] = []
    # Found once, not per element: a page can nest 25,000 elements (find_parent would be quadratic).
    content = {id(el) for box in soup.find_all(class_=CONTENT_CLASSES) for el in box.find_all(True)}
    for element in soup.find_all(True):
        name = element.name.lower()
        in_content = not theme_head or id(element) in content
        if name in FORBIDDEN_ELEMENTS and (in_content or name not in THEME_ELEMENTS):
            found.append(f"<{name}> element")
        if name == "meta" and element.get("http-equiv"):
            found.append(f"<meta http-equiv={element.get('http-equiv')!r}>")
        if name == "link" and not (theme_head and set(element.get("rel") or []) <= {"stylesheet", "alternate", "icon"}
                                   and str(element.get("href", "")).startswith("/")):
            found.append(f"<link {element.attrs}>")
        for attribute, value in element.attrs.items():
            attribute = attribute.lower()
            values = value if isinstance(value, list) else [value]
            if attribute.startswith("on"):
                found.append(f"<{name} {attribute}=...>")
            if attribute in URL_ATTRIBUTES:
                for single in values:
                    problem = url_problem(name, attribute, str(single))
                    if problem:
                        found.append(problem)
            if attribute == "style" and not re.fullmatch(r"text-align:\s*(left|right|center);?", " ".join(values).strip()):
                found.append(f"<{name} style={value!r}>")
    return found


def embedded_html(feed_path: Path) -> list[str]:
    """The HTML a feed carries in its type="html" summaries and contents (what readers render)."""
    ns = {"a": "http://www.w3.org/2005/Atom"}
    tree = ET.parse(feed_path)
    return [el.text or "" for el in tree.iterfind(".//a:entry/*", ns)
            if el.tag.endswith(("summary", "content")) and el.get("type") == "html"]


# ============================================================================ (2) bad input, through the CLI

OUTSIDE_POST = post("Outside", "2019-03-01", body="Text from outside the site.\n")


@dataclass(frozen=True)
class Bad:
    id: str
    files: dict[str, str | bytes] = field(default_factory=dict)  # written into the site
    links: dict[str, str] = field(default_factory=dict)  # site path -> symlink target under tmp/outside
    where: str = ""  # how the first error line starts: 'columns/x.md:4: ' or 'columns/x.md: '
    says: tuple[str, ...] = ()  # on that same line
    errors: int = 1
    bug: str | None = None  # an xfail reason: a known bug this case shows


FM = "---\ntitle: A\ndate: 2019-03-05\n"  # the start of a post's front matter; its keys begin on line 4
LONG_ZH = "党建" * 40  # 80 Chinese characters: a 240-byte file name, a 400-character pinyin slug

BAD_INPUTS = [
    # -- front matter
    Bad("invalid-yaml", {"columns/news/bad.md": FM + "draft: true: false\n---\nText.\n"},
        where="columns/news/bad.md:4: ", says=("invalid front matter", "quotes")),
    Bad("front-matter-a-sentence", {"columns/news/bad.md": "---\njust a sentence\n---\nText.\n"},
        where="columns/news/bad.md:2: ", says=("key: value",)),
    Bad("front-matter-a-list", {"columns/news/bad.md": "---\n- title: A\n- date: 2019-03-05\n---\nText.\n"},
        where="columns/news/bad.md:2: ", says=("key: value",)),
    Bad("title-a-list", {"columns/news/bad.md": "---\ndate: 2019-03-05\nauthor: me\ntitle: [a, b]\n---\nText.\n"},
        where="columns/news/bad.md:4: ", says=("'title'", "plain text", "list")),
    Bad("impossible-date", {"columns/news/bad.md": "---\ntitle: A\nauthor: me\ndate: 2019-02-30\n---\nText.\n"},
        where="columns/news/bad.md:4: ", says=("2019-02-30", "not a real date", "2019-03-05")),
    # -- encodings and whole files
    Bad("gbk-title", {"columns/news/bad.md": "---\ntitle: 主题党日活动\ndate: 2019-03-05\n---\n\n正文。\n".encode("gbk")},
        where="columns/news/bad.md:2: ", says=("GBK", "save it as UTF-8")),
    Bad("gbk-body", {"columns/news/bad.md": (FM + "---\n\nEnglish first.\n\n党建工作。\n").encode("gbk")},
        where="columns/news/bad.md:8: ", says=("GBK", "save it as UTF-8")),
    Bad("gbk-column-index", {"columns/study/_index.md": column("专题学习", 2).encode("gbk")},
        where="columns/study/_index.md:2: ", says=("GBK", "save it as UTF-8")),
    Bad("empty-file", {"columns/news/bad.md": ""},
        where="columns/news/bad.md:1: ", says=("empty",)),
    Bad("binary-file-named-md", {"columns/news/bad.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"},
        where="columns/news/bad.md: ", says=("binary", "Markdown")),
    Bad("6-mb-file-default-limit", {"columns/news/bad.md": FM + "---\n\n" + ("党建工作，" * 20 + "\n") * 21000},
        where="columns/news/bad.md: ", says=("over the 5.0 MB limit", "max_file_size_mb")),
    # -- slugs
    Bad("slug-with-slash", {"columns/news/bad.md": FM + "slug: news/evil\n---\nText.\n"},
        where="columns/news/bad.md:4: ", says=("slug", "'/'", "news/evil")),
    Bad("slug-with-dotdot", {"columns/news/bad.md": FM + "slug: ../../etc\n---\nText.\n"},
        where="columns/news/bad.md:4: ", says=("slug", "..")),
    Bad("slug-just-dotdot", {"columns/news/bad.md": FM + "slug: '..'\n---\nText.\n"},
        where="columns/news/bad.md:4: ", says=("slug", "'..'")),
    Bad("slug-with-backslash", {"columns/news/bad.md": FM + "slug: '..\\..\\evil'\n---\nText.\n"},
        where="columns/news/bad.md:4: ", says=("slug", "\\")),
    # -- links that leave the site
    Bad("link-leaves-site", {"columns/news/bad.md": FM + "---\n\nIntro.\n\nSee [the file](../../../etc/passwd).\n"},
        where="columns/news/bad.md:8: ", says=("leaves the site", "../../../etc/passwd")),
    Bad("image-leaves-site", {"columns/news/bad.md": FM + "---\n\n![secret](../../../../etc/passwd)\n"},
        where="columns/news/bad.md:6: ", says=("leaves the site",)),
    Bad("encoded-link-leaves-site", {"columns/news/bad.md": FM + "---\n\n[x](..%2F..%2F..%2Fetc%2Fpasswd)\n"},
        where="columns/news/bad.md:6: ", says=("leaves the site",)),
    Bad("link-to-a-file-beside-the-site", {"columns/news/bad.md": FM + "---\n\n[x](../../../outside/secret.md)\n"},
        where="columns/news/bad.md:6: ", says=("leaves the site",)),
    Bad("cover-leaves-site", {"columns/news/bad.md": FM + "cover: ../../../etc/passwd\n---\nText.\n"},
        where="columns/news/bad.md:4: ", says=("cover", "leaves the site")),
    # -- symlinks out of the site
    Bad("symlinked-post-outside", links={"columns/news/linked.md": "secret.md"},
        where="columns/news/linked.md: ", says=("symlink", "outside the site", "refused")),
    Bad("symlinked-folder-outside", links={"columns/news/2019-03-01-linked-folder": "folder"},
        where="columns/news/2019-03-01-linked-folder: ", says=("symlink", "outside the site", "refused")),
    Bad("symlinked-column-outside", links={"columns/elsewhere": "column"},
        where="columns/elsewhere: ", says=("symlink", "outside the site", "refused")),
    Bad("symlinked-attachment-outside", links={"columns/news/2019-03-02-bundle/passwd.txt": "secret.txt"},
        where="columns/news/2019-03-02-bundle/passwd.txt: ", says=("symlink", "outside the site")),
    Bad("symlinked-static-file-outside", links={"static/passwd.txt": "secret.txt"},
        where="static/passwd.txt: ", says=("symlink", "outside the site")),
    Bad("symlink-to-root", links={"columns/news/root": "/"},
        where="columns/news/root: ", says=("symlink", "outside the site")),
    # -- names that collide on Windows and macOS, which ignore case
    Bad("file-names-differing-in-case", {"columns/news/Party-Day.md": post("Upper"), "columns/news/party-day.md": post("Lower")},
        where="columns/news/party-day.md:1: ", says=("same web address", "Party-Day.md")),
    Bad("slugs-differing-in-case", {"columns/news/a.md": FM + "slug: Foo\n---\nA.\n", "columns/news/b.md": FM + "slug: foo\n---\nB.\n"},
        where="columns/news/b.md:4: ", says=("same web address", "a.md")),
    Bad("attachments-differing-in-case", {"columns/news/2019-03-02-bundle/NOTES.PDF": b"%PDF-1.4 upper"},
        where="columns/news/2019-03-02-bundle/notes.pdf: ", says=("NOTES.PDF", "upper/lower case")),
    Bad("column-folders-differing-in-case", {"columns/News/_index.md": column("News again", 3)},
        where="columns/news: ", says=("same web address", "columns/News")),
    # -- names too long for the file system (255 bytes a name)
    Bad("long-chinese-file-name", {f"columns/news/{LONG_ZH}.md": post("Long")},
        where=f"columns/news/{LONG_ZH}.md:1: ", says=("long",)),
    Bad("long-slug", {"columns/news/bad.md": FM + f"slug: {'s' * 300}\n---\nText.\n"},
        where="columns/news/bad.md:4: ", says=("long",)),
    Bad("long-tag", {"columns/news/bad.md": FM + f"tags: [{'t' * 300}]\n---\nText.\n"},
        where="columns/news/bad.md:4: ", says=("long",)),
    Bad("long-link-target", {"columns/news/bad.md": FM + f"---\n\nSee [the notes]({'n' * 300}.pdf).\n"},
        where="columns/news/bad.md:6: ", says=("link",)),
    Bad("long-cover", {"columns/news/bad.md": FM + f"cover: {'c' * 300}.png\n---\nText.\n"},
        where="columns/news/bad.md:4: ", says=("cover",)),
    Bad("malformed-url-in-a-link", {"columns/news/bad.md": FM + "---\n\nSee [the server](http://[::1/).\n"},
        where="columns/news/bad.md:6: ", says=("link",)),
    Bad("malformed-url-in-an-autolink", {"columns/news/bad.md": FM + "---\n\nIntro.\n\n<http://[oops>\n"},
        where="columns/news/bad.md:8: ", says=("link",)),
]


def test_an_attachment_with_a_name_of_250_bytes_is_copied(site):
    """The longest names a file system takes still build: sitegen's temporary files do not
    make them longer."""
    name = "a" * 246 + ".pdf"
    site.write({"columns/news/2019-03-02-bundle/index.md": post("Bundle"),
                f"columns/news/2019-03-02-bundle/{name}": b"%PDF-1.4 long"})
    site.build()
    assert (site.output / "news/bundle" / name).read_bytes() == b"%PDF-1.4 long"
    assert site.html("news/bundle/index.html").select_one(".post-attachments a")["href"] == f"/news/bundle/{name}"


def good_site(root: Path) -> SiteDir:
    """A small site that builds: a post, a bundle with an attachment, a static file."""
    return SiteDir(root).write({
        "site.toml": SITE_TOML + NO_SEARCH,
        "columns/news/_index.md": column("News", 1, "description: Branch news\n", "News of the branch.\n"),
        "columns/news/2019-03-01-first.md": post("First", "2019-03-01", "tags: [lesson]\n"),
        "columns/news/2019-03-02-bundle/index.md": post("Bundle", "2019-03-02", body="[Notes](notes.pdf)\n"),
        "columns/news/2019-03-02-bundle/notes.pdf": b"%PDF-1.4 notes",
        "static/logo.png": b"\x89PNG\r\n\x1a\nlogo",
    })


def make_outside(folder: Path) -> None:
    """Files beside the site that symlinks point at; each would build fine if it were inside."""
    (folder / "folder").mkdir(parents=True)
    (folder / "secret.md").write_text(OUTSIDE_POST, "utf-8")
    (folder / "secret.txt").write_text("SECRET-OUTSIDE-7f3a", "utf-8")
    (folder / "folder" / "index.md").write_text(OUTSIDE_POST, "utf-8")
    (folder / "folder" / "secret.txt").write_text("SECRET-OUTSIDE-7f3a", "utf-8")
    (folder / "column").mkdir()
    (folder / "column" / "_index.md").write_text(column("Elsewhere", 5), "utf-8")
    (folder / "column" / "post.md").write_text(OUTSIDE_POST, "utf-8")


@dataclass
class Run:
    root: Path
    returncode: int
    stdout: str
    stderr: str
    output_before: dict
    output_after: dict
    outside_before: dict
    outside_after: dict


@pytest.fixture(scope="module")
def bad_runs(tmp_path_factory) -> Callable[[str], Run]:
    """Every case of BAD_INPUTS run through `sitegen build`, several at a time (each a
    subprocess): a good build first, then the bad file added, then the CLI."""
    base = tmp_path_factory.mktemp("bad-inputs")
    template = base / "template"
    good_site(template / "site").build()
    prepared: dict[str, tuple[Path, dict, dict]] = {}
    for case in BAD_INPUTS:
        root = base / case.id
        shutil.copytree(template, root, symlinks=True)
        make_outside(root / "outside")
        site = SiteDir(root / "site")
        site.write(case.files)
        for name, target in case.links.items():
            link = site.root / name
            link.parent.mkdir(parents=True, exist_ok=True)
            resolved = Path(target) if target.startswith("/") else root / "outside" / target
            link.symlink_to(resolved, target_is_directory=resolved.is_dir())
        age(site.output)
        prepared[case.id] = (root, snapshot(site.output), snapshot(root, skip=site.output))

    def run(case_id: str) -> Run:
        root, output_before, outside_before = prepared[case_id]
        done = run_cli("build", cwd=root / "site")
        return Run(root, done.returncode, done.stdout, done.stderr, output_before, snapshot(root / "site" / "output"),
                   outside_before, snapshot(root, skip=root / "site" / "output"))

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {case_id: pool.submit(run, case_id) for case_id in prepared}
        results = {case_id: future.result() for case_id, future in futures.items()}
    return results.__getitem__


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(reason=f"BUG: {c.bug}", strict=True)] if c.bug else [])
             for c in BAD_INPUTS])
def test_bad_input_is_a_clear_error_with_file_and_line_and_the_output_stays_as_it_was(bad_runs, case):
    run = bad_runs(case.id)
    assert "Traceback" not in run.stderr + run.stdout, run.stderr[-3000:]
    assert run.returncode == 1, run.stderr
    lines = run.stderr.splitlines()
    located = [line for line in lines if line.startswith(case.where)]
    assert located, f"no line starts with {case.where!r}:\n{run.stderr}"
    for phrase in case.says:
        assert any(phrase in line for line in located), f"{phrase!r} not in {located}"
    assert lines[-1] == f"build failed: {case.errors} error(s); the output folder was left as it was", run.stderr
    assert not any(str(run.root) in line.split(": ", 1)[0] for line in lines), "locations are relative to the site"
    assert run.output_after == run.output_before, "the output folder changed"
    assert run.outside_after == run.outside_before, "something beside the output folder changed"


def test_the_outside_files_would_build_if_they_were_inside(tmp_path):
    """So the symlink cases above fail because of the symlink, not because of what it points at."""
    make_outside(tmp_path / "outside")
    site = good_site(tmp_path / "site")
    shutil.copy(tmp_path / "outside" / "secret.md", site.root / "columns/news/linked.md")
    shutil.copytree(tmp_path / "outside" / "folder", site.root / "columns/news/2019-03-01-linked-folder")
    shutil.copytree(tmp_path / "outside" / "column", site.root / "columns/elsewhere")
    site.build()
    assert site.exists("news/linked/index.html") and site.exists("news/linked-folder/secret.txt")
    assert site.exists("elsewhere/post/index.html")


def test_a_symlink_that_stays_inside_the_site_is_followed(site):
    site.write({"static/shared/logo.png": small_png(),
                "columns/news/2019-03-02-bundle/index.md": post("Bundle", body="![logo](logo.png)\n")})
    (site.root / "columns/news/2019-03-02-bundle/logo.png").symlink_to("../../../static/shared/logo.png")
    (site.root / "columns/news/more").symlink_to(site.root / "static" / "shared", target_is_directory=True)
    site.build()
    version = version_url("/news/bundle/logo", small_png(), 40)
    assert picture(site.output / version.lstrip("/")).format == "WEBP"
    assert site.html("news/bundle/index.html").select_one(".post-body source")["srcset"] == f"{version} 40w"


def test_a_symlink_loop_under_columns_ends(site):
    site.write({"columns/news/a.md": post("A")})
    (site.root / "columns/news/loop").symlink_to(site.root / "columns", target_is_directory=True)
    try:
        site.build()
    except BuildFailed as failed:  # refusing the loop is as good as skipping it; hanging is not
        assert all(e.path is not None for e in failed.errors)
    else:
        assert site.exists("news/a/index.html")


def test_a_year_typed_wrong_is_an_error_or_at_least_gives_valid_dates(site):
    site.write({"site.toml": SITE_TOML + NO_SEARCH + "report = false\n", "columns/news/a.md": post("A", "1019-03-05")})
    try:
        site.build()
    except BuildFailed as failed:
        assert [(e.path.name, e.line) for e in failed.errors] == [("a.md", 3)]
        return
    stamps = re.findall(r'datetime="([^"]+)"', (site.output / "news/a/index.html").read_text("utf-8"))
    for xml in ("feed.xml", "sitemap.xml"):
        stamps += re.findall(r"<(?:published|updated|lastmod)>([^<]+)<", (site.output / xml).read_text("utf-8"))
    assert stamps
    for stamp in stamps:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})", stamp), stamp


# ============================================================================ (1) unsafe HTML

XSS_TITLE = "<script>alert(1)</script>"
XSS_AUTHOR = '"><img src=x onerror=alert(2)>'
XSS_TAG = "<svg onload=alert(3)>"
QUOTES_TAG = "it's \"quoted\" & <b>bold</b>"
XSS_SUMMARY = "\" onmouseover=\"alert(4)\" '<script>alert(5)</script>"
XSS_COLUMN = '<b>News</b> & "co" <script>alert(6)</script>'
XSS_DESCRIPTION = "<i onmouseover=alert(7)>d</i>"
PNG_DATA = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

XSS_BODY = f"""\
Hello <script>alert('body')</script> world. <SCRIPT SRC=//evil.test/x.js></SCRIPT>

## Heading with an attribute {{: onclick="alert('attr-list')" }}

[js](javascript:alert('md')) [JS](JaVaScRiPt:alert('case')) [ref][r] ![md img](javascript:alert('img'))

[r]: javascript:alert('ref')

<a href="jav&#x09;ascript:alert('tab')">tab</a> <a href=" javascript:alert('space')">space</a>
<a href="&#106;avascript:alert('entity')">entity</a> <a href="vbscript:msgbox('vb')">vb</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgnZGF0YScpPC9zY3JpcHQ+">data link</a>
<img src=x onerror="alert('onerror')"> <img src="data:text/html,<script>alert('data-img')</script>" alt="not an image">
<svg onload="alert('svg')"><circle r="1"/></svg>
<math><mi xlink:href="javascript:alert('math')">x</mi></math>
<iframe src="https://evil.test/"></iframe> <iframe srcdoc="<script>alert('srcdoc')</script>"></iframe>
<style>body {{ display: none }}</style>
<form action="https://evil.test/"><input name="pw" autofocus onfocus="alert('focus')"><button formaction="javascript:alert('fa')">go</button></form>
<object data="evil.swf"></object><embed src="evil.swf">
<meta http-equiv="refresh" content="0;url=javascript:alert('meta')">
<base href="https://evil.test/">
<link rel="stylesheet" href="https://evil.test/evil.css">
<noscript><p title="</noscript><img src=x onerror=alert('noscript')>"></p></noscript>
<div style="background:url(javascript:alert('css'))" onmouseover="alert('div')">hover</div>
<table><tr><td style="background:red" onclick="alert('td')">cell</td></tr></table>
<details ontoggle="alert('toggle')" open><summary>More</summary>Hidden text</details>
<a href="https://example.org/" onclick="alert('a')" target="_blank">https link</a>
"""

ALLOWED_BODY = f"""\
Intro paragraph.

| 项目 | 数量 |
|:-----|----:|
| 党员 | 42 |

<table class="raw"><thead><tr><th>Raw</th></tr></thead><tbody><tr><td>table</td></tr></tbody></table>

<details><summary>展开</summary>折叠的内容</details>

H<sup>2</sup>O and CO<sub>2</sub>, <mark>marked</mark>, <ruby>党<rt>dǎng</rt></ruby>.

<a href="https://example.org/page">an https link</a> and <a href="mailto:office@example.edu.cn">mail the office</a>.

<img src="{PNG_DATA}" alt="inline png">

![poster](poster.png)
"""


POSTER = small_png(seed=7)


def xss_site(site: SiteDir, extra_toml: str = "") -> SiteDir:
    return site.write({
        "site.toml": SEARCH_PARTY_TOML + NO_REPORT_WARNINGS + extra_toml,  # (the CLI builds at today's date)
        "columns/news/_index.md": f"---\ntitle: '{XSS_COLUMN}'\norder: 1\ndescription: '{XSS_DESCRIPTION}'\n---\n"
                                  "Intro <script>alert('intro')</script> <a href=\"javascript:alert('intro')\">x</a>\n",
        "columns/news/2019-03-05-evil/index.md": (
            "---\n"
            f"title: '{XSS_TITLE}'\n"
            "date: 2019-03-05\n"
            f"author: '{XSS_AUTHOR}'\n"
            f"tags: ['{XSS_TAG}', '{QUOTES_TAG.replace(chr(39), chr(39) * 2)}']\n"
            f"summary: '{XSS_SUMMARY.replace(chr(39), chr(39) * 2)}'\n"
            "---\n\n" + XSS_BODY
        ),
        "columns/news/2019-03-05-evil/poster.png": POSTER,
        "columns/news/2019-03-05-evil/notes.pdf": b"%PDF-1.4",
        # Neighbours, so the title also shows in previous/next links and related posts.
        "columns/news/2019-03-04-before.md": post("Before", "2019-03-04", f"tags: ['{XSS_TAG}']\n"),
        "columns/news/2019-03-06-after.md": post("After", "2019-03-06", f"tags: ['{XSS_TAG}']\n"),
        "columns/news/2019-03-07-fine.md": post("Fine", "2019-03-07", body=ALLOWED_BODY.replace("![poster](poster.png)\n", "")),
        "columns/news/2019-03-08-allowed/index.md": post("Allowed", "2019-03-08", body=ALLOWED_BODY),
        "columns/news/2019-03-08-allowed/poster.png": POSTER,
    })


@pytest.fixture
def xss(site) -> SiteDir:
    xss_site(site).build()
    return site


def test_no_page_has_a_script_an_event_handler_or_a_script_url(xss):
    pages = html_files(xss.output)
    assert len(pages) >= 10
    for path in pages:
        raw = path.read_text("utf-8")
        soup = BeautifulSoup(raw, "html.parser")
        if path.relative_to(xss.output).as_posix() == "search/index.html":
            scripts = soup.find_all("script")
            assert len(scripts) == 1 and all(SEARCH_SCRIPTS.search(str(s.get("src", ""))) and not s.string
                                             for s in scripts), scripts
            for script in scripts:
                script.decompose()
        else:
            assert "<script" not in raw.lower(), path  # no other page has JavaScript
        assert unsafe_bits(soup) == [], path


def test_no_feed_carries_a_script_to_feed_readers(xss):
    feeds = [p for p in served(xss.output) if p.name == "feed.xml"]
    assert len(feeds) == 2
    for path in feeds:
        ET.parse(path)  # well-formed XML
        carried = embedded_html(path)
        assert carried, path
        for html in carried:
            assert unsafe_bits(BeautifulSoup(html, "html.parser"), theme_head=False) == [], (path, html[:500])


def search_fragments(output: Path) -> list[dict]:
    """Pagefind's per-page records (gzip, a 'pagefind_dcd' signature, then JSON)."""
    found = []
    for path in sorted((output / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        found.append(json.loads(data[len(b"pagefind_dcd"):]))
    return found


def test_the_search_data_holds_titles_as_text_and_nothing_the_cleaning_removed(xss):
    fragments = {f["url"]: f for f in search_fragments(xss.output)}
    if not fragments:
        pytest.skip("no search index: Pagefind is not installed here")
    post_record = next(f for url, f in fragments.items() if url.endswith("/news/evil/"))
    assert post_record["meta"]["title"] == XSS_TITLE  # text; the search UI must show it as text
    for url, record in fragments.items():
        assert "alert('" not in record["content"], url  # every script in the body was removed, not indexed
        for key in ("image", "url"):
            value = record["meta"].get(key) or record.get(key)
            assert value is None or url_problem("img", "src", value) is None, (url, value)
    # Pagefind makes excerpts (shown as HTML) from that text: it must escape it first.
    script = (xss.output / "pagefind" / "pagefind.js").read_text("utf-8")
    assert 'replace(/</g,"&lt;")' in script.replace(" ", "")


def test_the_sitemap_has_only_the_sites_urls(xss):
    tree = ET.parse(xss.output / "sitemap.xml")
    locs = [el.text for el in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith("http://intranet.test/party/") for loc in locs)
    for loc in locs:
        assert_valid_url_path(loc)


def test_a_title_with_html_is_text_on_its_page_in_lists_feeds_and_the_title_element(xss):
    page = xss.html("news/evil/index.html")
    assert page.title.get_text().startswith(XSS_TITLE + " - ")
    assert page.select_one("h1.post-title").get_text() == XSS_TITLE
    assert XSS_TITLE in [li.get_text(strip=True) for li in page.select(".breadcrumbs li")]
    assert f"By {XSS_AUTHOR}" in [li.get_text(" ", strip=True) for li in page.select(".post-meta-full li")]
    assert [a.get_text() for a in page.select(".post-tags a")] == [XSS_TAG, QUOTES_TAG]
    assert page.find("meta", attrs={"name": "description"})["content"] == XSS_SUMMARY
    # Everywhere the post is listed: its column, home, the archive, tag pages, its neighbours.
    listed = ["news/index.html", "index.html", "archive/index.html", "archive/2019/index.html",
              "news/before/index.html", "news/after/index.html"]
    listed += [p.relative_to(xss.output).as_posix() for p in (xss.output / "tags").glob("*/index.html")
               if "svg" in p.parent.name]
    for relpath in listed:
        soup = xss.html(relpath)
        assert XSS_TITLE in soup.select_one("main").get_text(), relpath
        assert soup.find("script") is None, relpath
    column_page = xss.html("news/index.html")
    assert column_page.select_one("h1").get_text() == XSS_COLUMN
    assert XSS_DESCRIPTION in column_page.select_one("main").get_text()
    assert XSS_COLUMN in [a.get_text() for a in column_page.select(".site-nav a")]
    tags_text = xss.html("tags/index.html").select_one("main").get_text()
    assert XSS_TAG in tags_text and QUOTES_TAG in tags_text


def test_a_title_with_html_is_text_in_the_feeds(xss):
    for relpath in ("feed.xml", "news/feed.xml"):
        raw = (xss.output / relpath).read_bytes()
        parsed = feedparser.parse(raw)
        assert not parsed.bozo, parsed.get("bozo_exception")
        entry = next(e for e in parsed.entries if e.link.endswith("/news/evil/"))
        assert entry.title == XSS_TITLE
        assert entry.title_detail.type == "text/plain"
        assert entry.author == XSS_AUTHOR
        assert {t.label for t in entry.tags} >= {XSS_TAG, QUOTES_TAG}
        ns = {"a": "http://www.w3.org/2005/Atom"}
        tree = ET.fromstring(raw)
        titles = [el.text for el in tree.iterfind("a:entry/a:title", ns)]
        assert XSS_TITLE in titles
        assert all(el.get("type") in (None, "text") for el in tree.iterfind("a:entry/a:title", ns))
        assert tree.find("a:title", ns).text.startswith(("Test Site", XSS_COLUMN))
        assert not list(tree.iter("script")) and not list(tree.iter("{http://www.w3.org/1999/xhtml}script"))


def test_harmless_html_stays(xss):
    body = xss.html("news/allowed/index.html").select_one(".post-body")
    assert [td.get_text() for td in body.select("table:not(.raw) td")] == ["党员", "42"]
    assert body.select_one("table.raw td").get_text() == "table"
    assert body.select_one("details summary").get_text() == "展开"
    assert "折叠的内容" in body.select_one("details").get_text()
    assert body.select_one("sup").get_text() == "2" and body.select_one("sub").get_text() == "2"
    assert body.select_one("mark").get_text() == "marked" and body.select_one("ruby rt").get_text() == "dǎng"
    hrefs = {a.get_text(): a["href"] for a in body.select("a[href]")}
    assert hrefs["an https link"] == "https://example.org/page"
    assert hrefs["mail the office"] == "mailto:office@example.edu.cn"
    images = {img["alt"]: img["src"] for img in body.select("img")}
    assert images["inline png"] == PNG_DATA
    assert images["poster"] == version_url("/party/news/allowed/poster", POSTER, 40, ".jpg")
    cells = [td.get("style") for td in body.select("table:not(.raw) td")]
    assert cells == ["text-align: left;", "text-align: right;"]  # Markdown's own alignment stays


def test_what_is_taken_out_leaves_the_text_around_it(xss):
    body = xss.html("news/evil/index.html").select_one(".post-body")
    text = body.get_text(" ", strip=True)
    for kept in ("Hello", "world.", "Heading with an attribute", "hover", "cell", "Hidden text", "https link"):
        assert kept in text
    assert "alert" not in str(body) and "display: none" not in str(body)
    assert body.find("a", string="https link")["href"] == "https://example.org/"
    assert body.select_one("details").get("open") is not None
    intro = xss.html("news/index.html").select_one(".column-intro")
    assert "alert" not in str(intro) and "Intro" in intro.get_text()


def test_unsafe_html_true_keeps_scripts_and_the_build_warns(site):
    xss_site(site, "unsafe_html = true\n")
    result = site.build()
    warnings = [w for w in result.warnings if "unsafe_html" in w.message]
    assert len(warnings) == 1 and warnings[0].path.name == "site.toml"
    body = site.html("news/evil/index.html").select_one(".post-body")
    assert "alert('body')" in body.find("script").get_text()
    assert body.find("iframe") is not None
    # Templates still escape titles: the setting is about post bodies only.
    assert site.html("news/evil/index.html").select_one("h1.post-title").get_text() == XSS_TITLE
    assert "<script>alert(1)</script>" not in (site.output / "news/evil/index.html").read_text("utf-8").split("<main", 1)[0]

    done = run_cli("build", cwd=site.root)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    warned = [line for line in done.stderr.splitlines() if "unsafe_html" in line]
    assert warned and warned[0].startswith("site.toml: warning: "), done.stderr
    assert "1 warnings" in done.stdout or "1 warning" in done.stdout, done.stdout


def test_unsafe_html_false_explicitly_is_the_default_and_does_not_warn(site):
    xss_site(site, "unsafe_html = false\n")
    result = site.build()
    assert not [w for w in result.warnings if "unsafe_html" in w.message]
    assert site.html("news/evil/index.html").find("script") is None


def readme_security_rows() -> tuple[str, dict[str, str]]:
    """The README's Security section and its table as {first cell: second cell}."""
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    match = re.search(r"^## Security\n(.*?)(?=^## )", text, re.MULTILINE | re.DOTALL)
    assert match, "README.md has no '## Security' section"
    section = match.group(1)
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in section.splitlines() if line.startswith("|") and not re.fullmatch(r"[|\s:-]+", line)]
    assert len(rows) > 2, "the Security section has no table"
    return section, {row[0]: row[1] for row in rows[1:]}


def test_the_readme_security_table_says_what_the_sanitiser_really_does():
    from sitegen.sanitise import ALLOWED_TAGS, sanitise

    section, rows = readme_security_rows()
    assert "unsafe_html = true" in section  # how to opt out
    by_effect: dict[str, list[str]] = {}
    for cell, effect in rows.items():
        by_effect.setdefault(effect.split(" (")[0], []).extend(re.findall(r"`<(\w+)>`", cell))
    kept, removed = by_effect.get("kept", []), by_effect.get("removed with their content", [])
    assert {"details", "sup"} <= set(kept) and {"script", "style", "iframe", "form"} <= set(removed), rows
    for tag in kept:
        assert tag in ALLOWED_TAGS and f"<{tag}>" in sanitise(f"<{tag}>kept</{tag}>"), tag
    for tag in removed:
        cleaned = sanitise(f"<p>before</p><{tag} src=x>SECRET</{tag}><p>after</p>")
        assert f"<{tag}" not in cleaned and "after" in cleaned, (tag, cleaned)
        if tag != "embed":  # a void element: what follows it is not its content
            assert "SECRET" not in cleaned, (tag, cleaned)
    assert any("onclick=" in cell for cell in rows)
    cleaned = sanitise('<p onclick="x()" onmouseover="y()" style="color:red">t</p>')
    assert cleaned == "<p>t</p>"
    assert any("javascript:" in cell for cell in rows)
    assert sanitise('<a href="javascript:x()">j</a><a href="data:text/html,x">d</a>') == "<a>j</a><a>d</a>"
    assert f'src="{PNG_DATA}"' in sanitise(f'<img src="{PNG_DATA}">')
    refused = " ".join(cell for cell, effect in rows.items() if "error" in effect or "refused" in effect)
    for what in ("../../../etc/passwd", "symlink", "slug"):
        assert what in refused, (what, rows)


# ============================================================================ (3) awkward file names

AWKWARD = ["with space", "it's", 'say "hi"', "a#1", "100%", "50%25", "a?b&c=d", "党日活动", "🎉 庆祝", "x+y;z", "[draft] (v2)"]


@pytest.mark.parametrize("name", AWKWARD)
def test_attachments_with_awkward_names_get_urls_that_reach_them(site, name):
    target = quote(f"{name}.pdf")  # how a link to the file is written: percent-encoded
    # Written as is between <...>, too, when the name holds nothing a URL reads as syntax.
    bracketed = not re.search(r"[?#]|%[0-9A-Fa-f]{2}", name)
    also = f" and [in brackets](<{name}.pdf>)" if bracketed else ""
    site.write({
        "site.toml": PARTY_TOML,
        "columns/news/2019-05-01-odd/index.md": post("Odd", "2019-05-01", body=(
            f"[the notes]({target}){also}\n\n![the photo]({quote(name + '.png')})\n")),
        f"columns/news/2019-05-01-odd/{name}.pdf": b"%PDF " + name.encode("utf-8"),
        f"columns/news/2019-05-01-odd/{name}.png": small_png(seed=len(name)),
        f"static/{name}.txt": "static " + name,
    })
    try:
        site.build()
    except BuildFailed as failed:
        raise AssertionError([e.format(site.root.resolve()) for e in failed.errors]) from None
    page = site.html("news/odd/index.html")
    listed = page.select_one(".post-attachments li a")
    assert listed.get_text(strip=True) == f"{name}.pdf"
    href = str(listed["href"])
    assert_valid_url_path(href)
    assert url_to_file(site.output, "/party/", href).read_bytes() == b"%PDF " + name.encode("utf-8")
    body = page.select_one(".post-body")
    assert body.find("a", string="the notes")["href"] == href
    if bracketed:
        assert body.find("a", string="in brackets")["href"] == href
    src = str(body.find("img")["src"])
    assert_valid_url_path(src)
    assert picture(url_to_file(site.output, "/party/", src)).size == (40, 30)  # its one version
    assert (site.output / f"{name}.txt").read_text("utf-8") == "static " + name


def test_posts_with_awkward_file_names_get_working_urls(site):
    titles = {}
    for i, name in enumerate(AWKWARD):
        titles[name] = f"Post {i}"
        site.write({f"columns/news/2019-05-{i + 1:02d} {name}.md": post(f"Post {i}", f"2019-05-{i + 1:02d}")})
    site.write({"columns/news/2019-06-01-bundle #2 会议/index.md": post("Bundle post", "2019-06-01")})
    titles["bundle"] = "Bundle post"
    site.write({"site.toml": PARTY_TOML.replace("posts_per_page = 10", "posts_per_page = 50")})
    site.build()
    cards = site.html("news/index.html").select(".post-card-title a")
    assert sorted(a.get_text() for a in cards) == sorted(titles.values())
    for a in cards:
        href = str(a["href"])
        assert_valid_url_path(href)
        page = url_to_file(site.output, "/party/", href)
        assert page.is_file(), href
        assert BeautifulSoup(page.read_text("utf-8"), "html.parser").select_one("h1.post-title").get_text() == a.get_text()
    feed = feedparser.parse((site.output / "news/feed.xml").read_bytes())
    for entry in feed.entries:
        assert url_to_file(site.output, "/party/", entry.link).is_file(), entry.link


def test_a_name_starting_with_a_hash_is_part_of_the_site(site):
    site.write({
        "columns/news/#1 通知.md": post("Notice", "2019-05-02", "slug: notice\n"),
        "columns/news/2019-05-01-odd/index.md": post("Odd", "2019-05-01"),
        "columns/news/2019-05-01-odd/#2 会议纪要.pdf": b"%PDF",
    })
    site.build()
    assert site.exists("news/notice/index.html")
    assert [a.get_text(strip=True) for a in site.html("news/odd/index.html").select(".post-attachments li a")] == [
        "#2 会议纪要.pdf"]


def test_editor_droppings_are_still_ignored(site):
    site.write({
        "columns/news/a.md": post("A"),
        "columns/news/#a.md#": "garbage",
        "columns/news/a.md~": "garbage",
        "columns/news/.a.md.swp": b"\x00garbage",
        "columns/news/~$notes.docx": b"\x00lock",
        "columns/news/Thumbs.db": b"\x00",
    })
    site.build()
    assert {p for p in site.files() if p.startswith("news/")} == {"news/index.html", "news/feed.xml", "news/a/index.html"}


# ============================================================================ nothing written outside output/


def test_odd_content_names_build_inside_the_output_folder_and_nothing_outside_changes(tmp_path):
    long = "长" * 20 + "x" * 140  # 200 characters, 200 + 40 bytes
    site = SiteDir(tmp_path / "site").write({
        "site.toml": SITE_TOML + NO_SEARCH,
        "columns/news/_index.md": column("News", 1),
        "columns/-rf/_index.md": column("Dash", 2),
        "columns/-rf/-rf.md": post("Dash post", "2019-03-02"),
        "columns/news/.hidden/index.md": post("Hidden", "2019-03-01"),
        "columns/news/.../index.md": post("Dots", "2019-03-01"),
        "columns/news/2019-03-01-bundle/index.md": post("Bundle", "2019-03-01"),
        "columns/news/2019-03-01-bundle/...": b"three dots",
        "columns/news/2019-03-01-bundle/..pdf": b"two dots",
        "columns/news/2019-03-01-bundle/-rf": b"dash",
        "columns/news/2019-03-01-bundle/a..b.pdf": b"dots inside",
        "columns/news/2019-03-01-bundle/...txt": b"three dots, ignored as hidden",
        "columns/news/2019-03-01-bundle/.hidden.pdf": b"hidden",
        f"columns/news/2019-03-01-bundle/{'n' * 200}.pdf": b"long name",
        f"columns/news/2019-03-01-bundle/sub/{'d' * 200}/deep.pdf": b"deep",
        f"columns/news/{'x' * 200}.md": post("Long name", "2019-03-03"),
        f"columns/news/{long}.md": post("Long mixed name", "2019-03-04", "slug: long-mixed\n"),
        "columns/news/tilde.md": post("Tilde slug", "2019-03-06", "slug: '~root'\n"),
    })
    outside = tmp_path / "beside.txt"
    outside.write_text("beside", "utf-8")
    before = snapshot(tmp_path, skip=site.output, dir_mtimes=False)
    site.build()
    (site.root / "columns/-rf/-rf.md").unlink()
    site.build()  # a second build takes the removal path too
    del before["site/columns/-rf/-rf.md"]
    assert snapshot(tmp_path, skip=site.output, dir_mtimes=False) == before
    root = site.output.resolve()
    for path in site.output.rglob("*"):
        assert path.resolve() == root or root in path.resolve().parents, path
    files = site.files()
    assert {"rf/index.html", f"news/{'x' * 200}/index.html", "news/long-mixed/index.html",
            "news/root/index.html"} <= files
    bundle = {p.split("/", 2)[2] for p in files if p.startswith("news/bundle/")}
    assert {"-rf", "a..b.pdf", f"{'n' * 200}.pdf", f"sub/{'d' * 200}/deep.pdf"} <= bundle
    assert not {"...", "..pdf", "...txt", ".hidden.pdf"} & bundle  # names starting with '.' are hidden files
    assert not any("hidden" in p or "/.../" in p for p in files)


def test_a_slug_of_only_punctuation_is_an_error_not_a_path(site):
    site.write({"columns/news/a.md": FM + "slug: '...'\n---\nText.\n", "columns/news/b.md": FM + "slug: '.'\n---\nText.\n"})
    with pytest.raises(BuildFailed) as failed:
        site.build()
    assert sorted((e.path.name, e.line) for e in failed.value.errors) == [("a.md", 4), ("b.md", 4)]
    assert not site.output.exists()


def test_a_symlinked_folder_inside_output_never_lets_a_build_delete_outside(site, tmp_path):
    site.write({"columns/news/a.md": post("A"), "columns/news/b.md": post("B", "2019-03-06")})
    site.build()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text("precious", "utf-8")
    shutil.rmtree(site.output / "news/b")
    (site.output / "news/b").symlink_to(elsewhere, target_is_directory=True)
    (site.root / "columns/news/b.md").unlink()  # its page is now stale and gets removed
    try:
        site.build()
    except BuildFailed:
        pass  # refusing is fine
    assert (elsewhere / "index.html").is_file(), "a file outside output/ was deleted"
    assert (elsewhere / "index.html").read_text("utf-8") == "precious"


def test_a_symlinked_folder_inside_output_never_lets_a_build_create_anything_outside(site, tmp_path):
    site.write({"columns/news/2019-03-05-a/index.md": post("A"), "columns/news/2019-03-05-a/photo.png": b"png"})
    site.build()
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(site.output / "news/a", elsewhere)
    shutil.rmtree(site.output / "news/a")
    (site.output / "news/a").symlink_to(elsewhere, target_is_directory=True)
    age(elsewhere)
    before = snapshot(elsewhere)
    site.write({"columns/news/2019-03-05-a/images/new.png": b"new png"})  # a new folder in the post's folder
    with pytest.raises(BuildFailed) as failed:
        site.build()
    assert "symlink" in failed.value.errors[0].message
    assert snapshot(elsewhere) == before


def test_a_symlinked_folder_inside_output_fails_the_build_before_anything_is_written(site, tmp_path):
    site.write({"columns/news/a.md": post("A", extra="tags: [x]\n")})
    site.build()
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(site.output / "tags", elsewhere)
    if (site.output / "tags").is_symlink():  # a name at the top: sitegen's symlink into the live version
        (site.output / "tags").unlink()
    else:
        shutil.rmtree(site.output / "tags")
    (site.output / "tags").symlink_to(elsewhere, target_is_directory=True)
    age(site.output)
    before = snapshot(site.output)
    site.write({"columns/news/a.md": post("A", extra="tags: [x]\n", body="Changed text.\n")})
    with pytest.raises(BuildFailed) as failed:
        site.build()
    assert "symlink" in failed.value.errors[0].message
    assert snapshot(site.output) == before


# ============================================================================ (4) the preview server

CANARY = "CANARY-5b1e0c3f-outside-output"


@pytest.fixture
def preview(site, tmp_path):
    """The test site (base_path /party/) built and served on a free loopback port; canary
    files with a unique string wherever a traversal could land."""
    site.write({"site.toml": PARTY_TOML + f"# {CANARY}\n",  # a comment: on no page, only in the file
                "columns/news/a.md": post("A", body="Alpha text.\n"), "canary.txt": CANARY})
    site.build()
    (tmp_path / "canary.txt").write_text(CANARY, "utf-8")
    (tmp_path / "site.toml").write_text(CANARY, "utf-8")
    server = make_server(site.output, "/party/", "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def raw_request(port: int, target: bytes) -> tuple[int, bytes]:
    """Sends the request line byte for byte (no client-side checks or normalising)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, body


ESCAPES = [
    "/party/../site.toml", "/party/../canary.txt", "/party/../../canary.txt",
    "/party/%2e%2e/site.toml", "/party/%2e%2e/canary.txt", "/party/%2E%2E/%2E%2E/canary.txt",
    "/party/%2e%2e%2fsite.toml", "/party/%2e%2e%2f%2e%2e%2fcanary.txt",
    "/party/..%5csite.toml", "/party/%5c..%5csite.toml", "/party/..%5c..%5ccanary.txt", "/party/..\\canary.txt",
    "/party/static/../../site.toml", "/party/static/%2e%2e/%2e%2e/canary.txt",
    "//etc/passwd", "/party//etc/passwd", "/party/%2fetc%2fpasswd", "/party/%2F%2E%2E%2Fcanary.txt",
    "/party/%252e%252e/canary.txt", "/party/..;/canary.txt", "/party/.../canary.txt",
    "/party/%00", "/party/canary.txt%00.html", "/party/%2e%2e%00/canary.txt",
    "/party/%c0%ae%c0%ae/canary.txt",  # overlong UTF-8 '..'
    "/party/%e2%80%a4%e2%80%a4/canary.txt",  # one-dot leaders
    f"/party/{'%2e%2e/' * 30}etc/passwd",
    "http://127.0.0.1/party/../canary.txt", "/party/C:%5cWindows%5cwin.ini", "/party/~/canary.txt",
]


@pytest.mark.parametrize("path", ESCAPES)
def test_the_preview_server_never_serves_a_file_outside_the_output_folder(preview, path):
    site, port = preview
    status, body = raw_request(port, path.encode("ascii"))
    assert status in (400, 403, 404), (path, status)
    assert CANARY.encode() not in body
    assert b"root:" not in body
    if status == 404:
        assert body == (site.output / "404.html").read_bytes()


@pytest.mark.parametrize("target", [b"/party/\x00", b"/party/..\x00/canary.txt", b"/party/\xff\xfe/../canary.txt",
                                    b"/party/" + "党".encode() + b"/../../canary.txt"])
def test_raw_bytes_in_a_request_path_serve_nothing_and_the_server_stays_up(preview, target):
    site, port = preview
    status, body = raw_request(port, target)
    assert CANARY.encode() not in body
    assert status != 200 or body == (site.output / "index.html").read_bytes()
    assert raw_request(port, b"/party/")[0] == 200  # still serving


def test_the_preview_server_answers_404_with_the_sites_404_page(preview):
    site, port = preview
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        for path in ("/party/missing/", "/party/news/missing.html", "/other/", "/party/news/a/index.htm"):
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            assert response.status == 404, path
            assert body == (site.output / "404.html").read_bytes(), path
            assert response.getheader("Content-Type") == "text/html; charset=utf-8"
        conn.request("GET", "/party/news/a/")
        response = conn.getresponse()
        assert response.status == 200 and "Alpha text." in response.read().decode("utf-8")
    finally:
        conn.close()


def test_the_preview_server_listens_on_loopback_by_default(tmp_path):
    assert parser().parse_args(["serve"]).host == "127.0.0.1"
    assert inspect.signature(make_server).parameters["host"].default == "127.0.0.1"
    server = make_server(tmp_path, "/", port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()
