"""The demo site as visitors get it: a real Chromium on a desktop and on two phone sizes, through
sitegen's preview server and through nginx configured with deploy/nginx.conf, checked by tools
nobody on this project wrote (axe-core for accessibility, the Nu Html Checker for HTML).

The demo is built once into a temporary folder; each server is started once and one browser
serves every test. The pages visited are those a visitor reaches: the home page, every column,
a column's second page, the post with a picture and attachments, one of its tags, the archive
and a page that does not exist. On each: no request leaves the site (its host under /party/),
no request fails, the console stays free of errors, and the navigation works by clicking.

Screenshots of the home page, a column and a post, at desktop and phone sizes, are saved in
test-artifacts/screenshots/ (or $SITEGEN_ARTIFACTS/screenshots/); the run names the folder at
its end. Missing tools skip these tests, or fail them under SITEGEN_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import served
from browser_support import (
    AXE_JS,
    BASE_PATH,
    REPO,
    VNU_JAR,
    NginxServer,
    PreviewServer,
    Server,
    Watch,
    browser,  # noqa: F401 (a fixture)
    build_demo,
    demo_column_slugs,
    find_nginx,
    http_get,
    require,
)

PAGES = ["home", *(f"column-{slug}" for slug in demo_column_slugs()), "paginated", "post", "tag", "archive", "404"]
DESKTOP = {"width": 1280, "height": 800}
PHONES = {"390x844": {"width": 390, "height": 844}, "360x740": {"width": 360, "height": 740}}

# Links a visitor uses to get around: site title, main navigation, breadcrumbs, pagination,
# footer (archive, tags; the feeds are for feed readers), and the 404 page's way back.
NAVIGATION = (".site-title a, .site-nav a, .breadcrumbs a, .pagination a, .footer-links a:not([type]), "
              ".not-found a, .not-found-columns a")


# ---------- fixtures: one build, one server of each kind, one browser ----------

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("browser-demo"))


@pytest.fixture(scope="module")
def servers(demo, tmp_path_factory):
    """Starts a server the first time a test asks for it; stops them all at the end."""
    started: dict[str, Server] = {}

    def get(name: str) -> Server:
        if name not in started:
            root = tmp_path_factory.mktemp(name)
            if name == "nginx":
                binary = find_nginx()
                require(binary, "nginx (Debian package nginx)")
                started[name] = NginxServer(demo, root, binary)
            else:
                started[name] = PreviewServer(demo, root)
        return started[name]

    yield get
    for server in started.values():
        server.close()


@pytest.fixture(scope="module", params=["preview", "nginx"])
def server(request, servers) -> Server:
    return servers(request.param)


# One browser context per server and kind of visitor for the whole module (contexts are slow to
# make); each test opens its own page in it and watches that page.
CONTEXTS = {
    "desktop": dict(viewport=DESKTOP),
    **{f"phone-{name}": dict(viewport=size, screen=size, is_mobile=True, has_touch=True)
       for name, size in PHONES.items()},
    # bypass_csp: nginx's Content-Security-Policy would rightly refuse the injected axe-core.
    "axe": dict(viewport=DESKTOP, bypass_csp=True),
}


@pytest.fixture(scope="module")
def contexts(browser):
    made: dict[tuple[str, str], object] = {}

    def get(server: Server, kind: str):
        key = (server.origin, kind)
        if key not in made:
            made[key] = browser.new_context(**CONTEXTS[kind])
            made[key].set_default_timeout(15_000)
        return made[key]

    yield get
    for context in made.values():
        context.close()


@contextmanager
def visit(contexts, server: Server, kind: str):
    """A new page of the given kind of visitor, with a Watch on everything it does."""
    page = contexts(server, kind).new_page()
    watch = Watch(page, server.origin)
    try:
        yield page, watch
    finally:
        page.close()


def open_page(page, watch: Watch, server: Server, target) -> None:
    url = server.url(target.path)
    if target.status == 404:
        watch.expect_not_found(url)
    with watch.navigating(page):
        response = page.goto(url)
    assert response is not None and response.status == target.status, \
        f"{url} answered {response.status if response else 'nothing'}, expected {target.status}"


def click_and_land(page, watch: Watch, link, expected_url: str, tap: bool = False):
    """Clicks (or taps) a link like a visitor, once everything on the page has loaded, and
    returns the response of the page it leads to (loaded in turn)."""
    with watch.navigating(page), page.expect_navigation() as navigation:
        link.tap() if tap else link.click()
    response = navigation.value
    assert response is not None and response.status == 200, \
        f"clicking {expected_url} gave {response.status if response else 'no page'}"
    assert page.url == expected_url, f"clicking a link to {expected_url} led to {page.url}"
    return response


def heading(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def assert_page_is_whole(page) -> None:
    """What a visitor sees first: a title, one visible main heading, the site's styles, every picture."""
    assert page.title().strip(), "the page has no title"
    assert page.locator("h1").count() == 1, "a page has exactly one main heading"
    assert page.locator("h1").first.is_visible() and heading(page), "the main heading is not visible"
    styled = page.evaluate("""() => [...document.styleSheets].length > 0 &&
        [...document.styleSheets].every(s => s.cssRules.length > 0) &&
        getComputedStyle(document.body).marginTop === '0px'""")
    assert styled, "the site's stylesheet did not load or apply"
    broken = page.evaluate("""async () => {
        const broken = [];
        for (const img of document.images) {
            img.scrollIntoView();
            if (!img.complete) await new Promise(done => {
                img.addEventListener('load', done, {once: true});
                img.addEventListener('error', done, {once: true});
            });
            if (!img.naturalWidth) broken.push(img.currentSrc || img.src);
        }
        window.scrollTo(0, 0);
        return broken;
    }""")
    assert not broken, f"pictures that do not show: {broken}"


# ---------- desktop: every page loads cleanly and its navigation works ----------

# Each navigation link: on screen once scrolled to, not covered by anything else.
REACHABLE = """(selector) => [...document.querySelectorAll(selector)].map(a => {
    a.scrollIntoView({block: 'center', inline: 'center'});
    const r = a.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {text: a.textContent.trim(), href: a.href, path: a.getAttribute('href'), left: r.left, right: r.right,
            width: r.width, height: r.height, reachable: r.width > 0 && !!hit && (hit === a || a.contains(hit))};
})"""

# The links of a page's own navigation, each of which is clicked.
OWN_NAVIGATION = ".breadcrumbs a, .pagination a, .not-found a"


@pytest.fixture(scope="module")
def answered() -> dict[str, set[str]]:
    """Link targets already seen to answer 200, per server."""
    return {}


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly_and_its_navigation_works_by_clicking(contexts, server, demo, answered, name):
    target = demo.targets[name]
    with visit(contexts, server, "desktop") as (page, watch):
        open_page(page, watch, server, target)
        assert_page_is_whole(page)
        if name == "post":
            assert page.locator(".post-body img").first.is_visible(), "the post's picture is not shown"
        # Every navigation link can be clicked where it is, and leads to a page (no redirect).
        links = page.evaluate(REACHABLE, NAVIGATION)
        assert len(links) >= 1 + len(demo_column_slugs()), f"too few navigation links: {links}"
        covered = [link["text"] for link in links if not link["reachable"]]
        assert not covered, f"navigation links that cannot be clicked: {covered}"
        seen = answered.setdefault(server.origin, set())
        for href in sorted({link["href"] for link in links} - seen):
            status = page.request.get(href, max_redirects=0).status
            assert status == 200, f"the navigation link {href} answers {status}"
            seen.add(href)
        # Click a column in the main navigation (another one on each page): it opens, marked current.
        columns = page.locator(".site-nav a")
        column = columns.nth(1 + PAGES.index(name) % (columns.count() - 1))
        title, href = column.inner_text().strip(), server.url(column.get_attribute("href"))
        click_and_land(page, watch, column, href)
        assert heading(page) == title
        assert page.locator(".site-nav a[aria-current=page]").inner_text().strip() == title
        # Click each link of the page's own navigation: breadcrumbs, pagination, "back home".
        open_page(page, watch, server, target)
        own = list(dict.fromkeys(page.locator(OWN_NAVIGATION).evaluate_all(
            "links => links.filter(a => !a.hasAttribute('aria-current')).map(a => a.getAttribute('href'))")))
        for index, path in enumerate(own):
            if index:
                open_page(page, watch, server, target)
            link = page.locator(", ".join(f"{part}[href='{path}']" for part in OWN_NAVIGATION.split(", "))).first
            click_and_land(page, watch, link, server.url(path))
            assert page.locator("h1").first.is_visible()
        watch.assert_clean(page)


def test_a_visitor_reaches_a_post_its_picture_attachments_tags_and_the_archive_by_clicking(contexts, server, demo):
    post_path = demo.targets["post"].path
    column_path = BASE_PATH + post_path[len(BASE_PATH):].split("/")[0] + "/"
    with visit(contexts, server, "desktop") as (page, watch):
        open_page(page, watch, server, demo.targets["home"])
        # The main navigation leads to the post's column, marked as the current one.
        nav_link = page.locator(f".site-nav a[href='{column_path}']")
        column_title = nav_link.inner_text().strip()
        click_and_land(page, watch, nav_link, server.url(column_path))
        assert heading(page) == column_title
        assert page.locator(f".site-nav a[href='{column_path}']").get_attribute("aria-current") == "page"
        # Page through the column ("next page") until the post is listed, then open it.
        pages_seen = 1
        while page.locator(f"main a[href='{post_path}']").count() == 0:
            nxt = page.locator(".pagination a[rel=next]")
            assert nxt.count() == 1, f"the post {post_path} is on no page of its column"
            click_and_land(page, watch, nxt, server.url(nxt.get_attribute("href")))
            pages_seen += 1
            assert page.locator(".pagination [aria-current=page]").inner_text().strip() == str(pages_seen)
        title_link = page.locator(f"main a[href='{post_path}']").first
        title = title_link.inner_text().strip()
        click_and_land(page, watch, title_link, server.url(post_path))
        assert heading(page) == title
        assert_page_is_whole(page)
        picture = page.locator(".post-body img").first
        assert picture.is_visible() and picture.get_attribute("alt"), "the post's picture is missing or has no text"
        # Every attachment downloads, byte for byte the file the editor put beside the post.
        attachments = page.locator(".attachment-list a")
        assert attachments.count() >= 1
        for index in range(attachments.count()):
            link = attachments.nth(index)
            href = link.get_attribute("href")
            with page.expect_download() as download:
                link.click()
            saved = Path(download.value.path())
            source = demo.output / href[len(BASE_PATH):]
            assert saved.read_bytes() == source.read_bytes(), f"the download of {href} differs from the file"
            assert download.value.suggested_filename == Path(href).name
        # Breadcrumbs lead back to the column.
        crumb = page.locator(f".breadcrumbs a[href='{column_path}']")
        click_and_land(page, watch, crumb, server.url(column_path))
        with watch.navigating(page):
            page.go_back()
        # A tag lists the post.
        tag = page.locator(".tag-list a").first
        tag_name = tag.inner_text().strip()
        click_and_land(page, watch, tag, server.url(tag.get_attribute("href")))
        assert tag_name in heading(page)
        listed = page.locator(f"main a[href='{post_path}']").count()
        while not listed and page.locator(".pagination a[rel=next]").count():
            nxt = page.locator(".pagination a[rel=next]")
            click_and_land(page, watch, nxt, server.url(nxt.get_attribute("href")))
            listed = page.locator(f"main a[href='{post_path}']").count()
        assert listed, f"the tag {tag_name} does not list the post"
        # The archive, from the footer, and its year page list the post too.
        archive = page.locator(".footer-links a[href$='/archive/']")
        click_and_land(page, watch, archive, server.url(archive.get_attribute("href")))
        assert page.locator(f"main a[href='{post_path}']").count() == 1
        year = page.locator(".archive-year").filter(has=page.locator(f"a[href='{post_path}']")).locator(".archive-year-title a")
        click_and_land(page, watch, year, server.url(year.get_attribute("href")))
        assert page.locator(f"main a[href='{post_path}']").count() == 1
        # The site title leads home.
        click_and_land(page, watch, page.locator(".site-title a"), server.url(BASE_PATH))
        watch.assert_clean(page)


def test_a_keyboard_visitor_skips_to_the_content_and_reaches_every_column(contexts, server, demo):
    with visit(contexts, server, "desktop") as (page, watch):
        open_page(page, watch, server, demo.targets["post"])
        # The first Tab shows the "skip to content" link; Enter moves the focus into the content.
        page.keyboard.press("Tab")
        skip = page.locator(".skip-link")
        assert skip.evaluate("a => a === document.activeElement"), "the first Tab does not reach the skip link"
        box = skip.bounding_box()
        assert box is not None and box["y"] >= 0 and skip.is_visible(), "the focused skip link is not on screen"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)"), \
            "after the skip link, Tab goes on outside the content"
        # Tab through the header from the top: every column of the main navigation gets the focus.
        open_page(page, watch, server, demo.targets["home"])
        focused = []
        for _ in range(2 + len(demo_column_slugs()) + 2):
            page.keyboard.press("Tab")
            focused.append(page.evaluate("() => document.activeElement.getAttribute('href')"))
        for slug in demo_column_slugs():
            assert f"{BASE_PATH}{slug}/" in focused, f"Tab never reaches the column {slug}: {focused}"
        # Enter on a focused column link opens it.
        with watch.navigating(page), page.expect_navigation():
            page.focus(f".site-nav a[href='{BASE_PATH}{demo_column_slugs()[0]}/']")
            page.keyboard.press("Enter")
        assert page.url == server.url(f"{BASE_PATH}{demo_column_slugs()[0]}/")
        watch.assert_clean(page)


# ---------- phones ----------

LAYOUT = """(width) => {
    const root = document.documentElement;
    window.scrollTo(width * 3, 0);
    const scrolledX = window.scrollX;
    window.scrollTo(0, 0);
    const wide = [...document.querySelectorAll('body *')]
        .filter(e => { const r = e.getBoundingClientRect(); return r.width && r.right > width + 1; })
        .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') +
                             ' right=' + Math.round(e.getBoundingClientRect().right));
    return {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, scrolledX, wide};
}"""

SMALL_TEXT = """(minimum) => {
    const small = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent.trim();
        if (!text) continue;
        const el = node.parentElement;
        if (el.closest('sup, sub')) continue;  // footnote marks and formulas are smaller by nature
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        // Not shown: no box, hidden, or the 1-pixel "visually hidden" text for screen readers.
        if (box.width <= 1 || box.height <= 1 || style.visibility === 'hidden') continue;
        const size = parseFloat(style.fontSize);
        if (size < minimum) small.push(`${size}px ${el.tagName.toLowerCase()}.${el.className}: ${text.slice(0, 30)}`);
    }
    return [...new Set(small)];
}"""


@pytest.mark.parametrize("phone", PHONES)
@pytest.mark.parametrize("name", PAGES)
def test_on_a_phone_nothing_scrolls_sideways_text_is_16px_and_the_navigation_works(contexts, server, demo, name, phone):
    size = PHONES[phone]
    with visit(contexts, server, f"phone-{phone}") as (page, watch):
        target = demo.targets[name]
        open_page(page, watch, server, target)
        layout = page.evaluate(LAYOUT, size["width"])
        # Content wider than the screen makes a phone scroll sideways or zoom the page out.
        fits = layout["innerWidth"] == size["width"] and layout["scrollWidth"] <= size["width"] and not layout["scrolledX"]
        assert fits, f"the page is wider than the {phone} screen: {layout}"
        small = page.evaluate(SMALL_TEXT, 16)
        assert not small, f"text smaller than 16 px at {phone}:\n" + "\n".join(small)
        links = page.evaluate(REACHABLE, ".site-nav a")
        assert len(links) == 1 + len(demo_column_slugs())
        for link in links:
            assert link["reachable"], f"the navigation link {link['text']} is covered or off screen"
            assert 0 <= link["left"] and link["right"] <= size["width"], f"{link['text']} sticks out of the screen"
            assert link["height"] >= 44 and link["width"] >= 44, f"{link['text']} is too small to tap: {link}"
        # Tap a column in the menu (a different one on each page) and arrive there.
        choice = links[1 + PAGES.index(name) % (len(links) - 1)]
        click_and_land(page, watch, page.locator(".site-nav a").nth(links.index(choice)), choice["href"], tap=True)
        assert heading(page) == choice["text"]
        watch.assert_clean(page)


# ---------- accessibility: axe-core ----------

AXE_RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
}"""


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_accessibility_problem(contexts, server, demo, name):
    require(AXE_JS.is_file(), "axe-core (npm: tests/tools)", "run `npm ci --prefix tests/tools`")
    with visit(contexts, server, "axe") as (page, watch):
        open_page(page, watch, server, demo.targets[name])
        page.add_script_tag(path=str(AXE_JS))
        violations = page.evaluate(AXE_RUN)
        serious = [v for v in violations if v["impact"] in ("critical", "serious")]
        assert not serious, json.dumps(serious, ensure_ascii=False, indent=1)
        watch.assert_clean(page)


# ---------- valid HTML, well-formed XML (no browser needed) ----------

def test_every_page_is_valid_html_for_the_nu_html_checker(demo):
    java = shutil.which("java")
    require(java, "Java (Debian package default-jre-headless)")
    require(VNU_JAR.is_file(), "the Nu Html Checker (npm: tests/tools)", "run `npm ci --prefix tests/tools`")
    pages = demo.html_files()
    assert len(pages) > 50
    # One JVM for every page; the checker writes its JSON report to stderr.
    result = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always",
                             *map(str, pages)], capture_output=True, text=True, timeout=600)
    report = json.loads(result.stderr)
    errors: dict[str, list[str]] = {}  # message -> where
    for m in report["messages"]:
        if m.get("type") in ("error", "non-document-error"):
            where = f"{m.get('url', '').split(demo.output.as_posix())[-1]}:{m.get('lastLine', '?')}"
            errors.setdefault(m.get("message", "?"), []).append(where)
    assert not errors, f"{sum(map(len, errors.values()))} HTML errors:\n" + "\n".join(
        f"{message}\n    in {len(where)} place(s): {', '.join(where[:5])}" for message, where in errors.items())


def test_feeds_and_the_sitemap_are_well_formed_xml(demo):
    files = [p for p in served(demo.output) if p.suffix == ".xml"]
    names = {f.relative_to(demo.output).as_posix() for f in files}
    assert {"feed.xml", "sitemap.xml"} <= names
    assert len([n for n in names if n.endswith("/feed.xml")]) == len(demo_column_slugs()) - 1  # not the mailbox page
    for file in files:
        try:
            root = ET.parse(file).getroot()
        except ET.ParseError as error:
            pytest.fail(f"{file.relative_to(demo.output)} is not well-formed XML: {error}")
        expected = "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset" if file.name == "sitemap.xml" \
            else "{http://www.w3.org/2005/Atom}feed"
        assert root.tag == expected, f"{file.relative_to(demo.output)}: root element {root.tag}"


# ---------- production server: nginx with deploy/nginx.conf ----------

def max_age(headers: dict[str, str]) -> int:
    match = re.search(r"max-age=(\d+)", headers.get("cache-control", ""))
    return int(match.group(1)) if match else 0


def test_nginx_serves_the_site_under_its_base_path_with_its_404_page_and_cache_lifetimes(servers, demo):
    nginx = servers("nginx")
    status, headers, body = http_get(nginx.url(BASE_PATH))
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert body == (demo.output / "index.html").read_bytes()
    # HTML is revalidated on every visit, so a new post shows at once; a 304 keeps that cheap.
    assert "no-cache" in headers["cache-control"] and max_age(headers) == 0
    assert http_get(nginx.url(BASE_PATH), {"If-None-Match": headers["etag"]})[0] == 304
    # Fingerprinted stylesheet: cached for a year.
    css = next((demo.output / "static").glob("style.*.css")).name
    status, headers, _ = http_get(nginx.url(f"{BASE_PATH}static/{css}"))
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert max_age(headers) >= 365 * 24 * 3600 and "immutable" in headers["cache-control"]
    # Pictures and attachments keep their names when replaced: a short lifetime.
    post = demo.targets["post"].path
    for name, kind in (("poster.png", "image/png"), ("study-outline.pdf", "application/pdf")):
        if (demo.output / post[len(BASE_PATH):] / name).is_file():
            status, headers, _ = http_get(nginx.url(post + name))
            assert status == 200 and headers["content-type"] == kind
            assert 0 < max_age(headers) <= 24 * 3600
    # Feeds and the sitemap: XML, revalidated like HTML.
    for path in ("feed.xml", "sitemap.xml"):
        status, headers, _ = http_get(nginx.url(BASE_PATH + path))
        assert status == 200 and "xml" in headers["content-type"] and "no-cache" in headers["cache-control"]
    # Not found: the site's own 404 page, with status 404, also for a missing stylesheet.
    not_found = (demo.output / "404.html").read_bytes()
    for path in ("no-such-page/", "study/no-such-post/", "static/style.0123456789.css", ".sitegen-manifest.json"):
        status, headers, body = http_get(nginx.url(BASE_PATH + path))
        assert status == 404 and body == not_found, f"{path}: {status}"
        assert "no-cache" in headers["cache-control"]
    # Addresses without the final slash are redirected, keeping the visitor's host and port.
    status, headers, _ = http_get(nginx.url("/party"))
    assert status == 301 and headers["location"] == "/party/"
    status, headers, _ = http_get(nginx.url(f"{BASE_PATH}study"))
    assert status == 301 and headers["location"] == f"{BASE_PATH}study/"
    # Compressed for browsers that ask; the browser is told to load nothing from elsewhere.
    status, headers, _ = http_get(nginx.url(BASE_PATH), {"Accept-Encoding": "gzip"})
    assert headers.get("content-encoding") == "gzip"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_the_deploy_config_tells_operators_what_to_edit():
    text = (REPO / "deploy" / "nginx.conf").read_text("utf-8")
    assert text.count("# EDIT") == 3
    assert "alias /srv/party-site/output/;" in text and "error_page 404 /party/404.html;" in text


# ---------- screenshots for a reviewer ----------

class ScreenshotSummary:
    """Names the screenshot folder at the end of the run (a plugin registered by the test)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: list[str] = []

    def pytest_terminal_summary(self, terminalreporter) -> None:  # noqa: ANN001 - pytest's hook
        if self.files:
            terminalreporter.write_sep("-", "screenshots of the demo site")
            terminalreporter.write_line(f"{len(self.files)} screenshots in {self.folder}: {', '.join(self.files)}")


@pytest.fixture(scope="module")
def screenshots(request) -> ScreenshotSummary:
    base = Path(os.environ["SITEGEN_ARTIFACTS"]) if os.environ.get("SITEGEN_ARTIFACTS") else REPO / "test-artifacts"
    folder = (base / "screenshots").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    summary = ScreenshotSummary(folder)
    manager = request.config.pluginmanager
    name = "sitegen-browser-screenshots"
    if manager.get_plugin(name) is not None:
        manager.unregister(name=name)
    manager.register(summary, name)
    return summary


def test_screenshots_of_home_column_and_post_at_desktop_and_phone_sizes(browser, servers, demo, screenshots,
                                                                         record_property):
    # As served in production; without nginx (a machine without root), as the preview serves it.
    server = servers("nginx" if find_nginx() else "preview")
    column = "column-study" if "column-study" in demo.targets else f"column-{demo_column_slugs()[0]}"
    shots = {"home": demo.targets["home"], "column": demo.targets[column], "post": demo.targets["post"]}
    sizes = {"desktop": dict(viewport=DESKTOP), "phone": dict(viewport=PHONES["390x844"], is_mobile=True,
                                                              has_touch=True, device_scale_factor=2)}
    for size, options in sizes.items():
        context = browser.new_context(**options)
        page = context.new_page()
        watch = Watch(page, server.origin)
        try:
            for what, target in shots.items():
                open_page(page, watch, server, target)
                assert_page_is_whole(page)
                file = screenshots.folder / f"{what}-{size}.png"
                page.screenshot(path=str(file), full_page=True)
                assert file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
                screenshots.files.append(file.name)
            watch.assert_clean(page)
        finally:
            context.close()
    record_property("screenshots", str(screenshots.folder))
