"""Feeds, sitemap, robots.txt, tags, archive, home cards and related posts on built sites."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import feedparser
import pytest

from conftest import column, post

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def blog(site):
    """Two columns, tags shared across them, a draft and a future post."""
    site.write({
        "site.toml": (site.root / "site.toml").read_text() + 'base_path = "/party/"\nfeed_limit = 3\n',
        "columns/study/_index.md": column("Study", 2, "description: Monthly study\n"),
        "columns/news/2019-01-10-kickoff.md": post("Kickoff", "2019-01-10", "tags: [meeting, 主题党日]\nauthor: Li Ming\n",
                                                   "First meeting of the year. See [the lesson](../study/lesson.md).\n"),
        "columns/news/2019-02-11-visit.md": post("Visit <b>&</b> talk", "2019-02-11", "tags: [visit]\nupdated: 2019-03-01\n"),
        "columns/news/2019-03-12-appraisal.md": post("Appraisal", "2019-03-12", "tags: [meeting]\n"),
        "columns/study/lesson.md": post("Party lesson", "2018-12-20 09:30", "tags: [主题党日, meeting]\n"),
        "columns/study/secret.md": post("Secret draft", "2019-01-01", "draft: true\ntags: [meeting]\n"),
        "columns/study/later.md": post("Future study", "2030-01-01", "tags: [meeting]\n"),
    })
    site.build()
    return site


def test_site_feed_parses_and_lists_the_latest_posts_with_absolute_urls(blog):
    feed = feedparser.parse((blog.output / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert [e.title for e in feed.entries] == ["Appraisal", "Visit <b>&</b> talk", "Kickoff"]  # feed_limit = 3
    assert feed.entries[2].link == "http://intranet.test/party/news/kickoff/"
    assert feed.entries[2].author == "Li Ming"
    assert feed.entries[1].updated.startswith("2019-03-01")
    # Links inside the content point at the site's host, not at a bare path.
    assert 'href="http://intranet.test/party/study/lesson/"' in feed.entries[2].content[0].value


def test_each_column_has_its_own_feed_advertised_in_its_pages(blog):
    feed = feedparser.parse((blog.output / "study/feed.xml").read_bytes())
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Party lesson"]
    head = blog.html("study/lesson/index.html").find("head")
    alternates = {link["href"] for link in head.find_all("link", rel="alternate")}
    assert alternates == {"/party/feed.xml", "/party/study/feed.xml"}
    home_alternates = [l["href"] for l in blog.html("index.html").find("head").find_all("link", rel="alternate")]
    assert home_alternates == ["/party/feed.xml"]


def test_feed_with_summaries_only_when_full_content_is_off(site):
    site.write({
        "site.toml": (site.root / "site.toml").read_text() + "feed_full_content = false\n",
        "columns/news/a.md": post("A", body="Intro part.\n\n<!--more-->\n\nSecret rest of the post.\n"),
    })
    site.build()
    feed = feedparser.parse((site.output / "feed.xml").read_bytes())
    assert not feed.bozo
    entry = feed.entries[0]
    assert "Intro part." in entry.summary
    assert "Secret rest" not in (site.output / "feed.xml").read_text()


def public_urls(site) -> set[str]:
    root = ET.parse(site.output / "sitemap.xml").getroot()
    return {loc.text for loc in root.iter(f"{SITEMAP}loc")}


@pytest.mark.parametrize("unsafe", [False, True])
def test_characters_xml_cannot_hold_never_make_a_feed_unreadable(site, unsafe):
    # The fuzz test's find: `&#xFFFE;` comes out of the HTML cleaner as the character itself,
    # which no XML may hold; every feed reader then refuses the whole feed.
    if unsafe:
        site.write({"site.toml": (site.root / "site.toml").read_text() + "unsafe_html = true\n"})
    site.write({"columns/news/odd.md": post("Odd", body="a &#xFFFE; b &#xFFFF; c &#x1; d \x0b e \x1b f\n\n<p>g \x08 h</p>\n"),
                "columns/news/plain.md": post("Plain", "2019-03-06", body="Plain words.\n")})
    site.build()
    for name in ("feed.xml", "news/feed.xml"):
        data = (site.output / name).read_bytes()
        ET.fromstring(data)  # well-formed
        feed = feedparser.parse(data)
        assert not feed.bozo, feed.get("bozo_exception")
        odd = next(e for e in feed.entries if e.title == "Odd")
        text = re.sub(r"<[^>]+>", " ", odd.content[0].value)
        assert [w for w in text.split() if w.isalpha()] == list("abcdefgh")  # the words all kept


def test_sitemap_lists_exactly_the_public_pages(blog):
    pages = {
        "http://intranet.test/party" + "/" + path.removesuffix("index.html")
        for path in blog.files() if path.endswith(".html") and path != "404.html"
    }
    assert public_urls(blog) == pages
    assert not any("secret" in url or "later" in url for url in pages)
    root = ET.parse(blog.output / "sitemap.xml").getroot()
    lastmods = {u.find(f"{SITEMAP}loc").text: u.find(f"{SITEMAP}lastmod").text for u in root.iter(f"{SITEMAP}url")}
    assert lastmods["http://intranet.test/party/news/visit/"].startswith("2019-03-01")
    assert all(lastmods.values())


def test_robots_txt_points_at_the_sitemap(blog):
    assert "Sitemap: http://intranet.test/party/sitemap.xml" in (blog.output / "robots.txt").read_text()


def test_drafts_and_future_posts_are_in_no_feed_tag_archive_or_sitemap(blog):
    everything = "".join((blog.output / f).read_text("utf-8") for f in blog.files()
                         if f.endswith((".html", ".xml")))
    assert "Secret draft" not in everything and "Future study" not in everything


def test_tag_pages_list_posts_across_columns_newest_first(blog):
    page = blog.html("tags/meeting/index.html")
    titles = [a.get_text(strip=True) for a in page.select("main h2 a, main h3 a")]
    assert titles == ["Appraisal", "Kickoff", "Party lesson"]


def test_chinese_tags_get_pinyin_slugs_and_the_index_counts_posts(blog):
    assert blog.exists("tags/zhu-ti-dang-ri/index.html")
    index = blog.html("tags/index.html")
    links = {a.get_text(" ", strip=True): a["href"] for a in index.select("main a")}
    meeting = next(text for text in links if text.startswith("meeting"))
    assert "3" in meeting and links[meeting] == "/party/tags/meeting/"
    assert any(text.startswith("主题党日") and "2" in text for text in links)


def test_tag_pages_are_paginated(site):
    site.write({"site.toml": (site.root / "site.toml").read_text().replace("posts_per_page = 10", "posts_per_page = 2")})
    site.write({f"columns/news/p{i}.md": post(f"Post {i}", f"2019-05-{i + 1:02d}", "tags: [many]\n") for i in range(5)})
    site.build()
    assert site.exists("tags/many/page/3/index.html")
    assert not site.exists("tags/many/page/4/index.html")


def test_tags_whose_slugs_collide_are_two_tags_at_two_addresses(site):
    # Once an error naming both files; now (issue 20) the later one gets the next address.
    site.write({
        "columns/news/a.md": post("A", "2019-03-01", extra="tags: [党建]\n"),
        "columns/news/b.md": post("B", "2019-03-02", extra="tags: [Dang Jian]\n"),
    })
    site.build()
    assert site.html("tags/dang-jian/index.html").select_one("h1").get_text().count("党建") == 1
    assert site.html("tags/dang-jian-2/index.html").select_one("h1").get_text().count("Dang Jian") == 1


def test_archive_groups_by_year_and_month_with_counts(blog):
    archive = blog.html("archive/index.html")
    text = archive.find("main").get_text(" ", strip=True)
    assert text.index("2019") < text.index("2018")
    assert "March 2019" in text and "December 2018" in text
    year = blog.html("archive/2019/index.html")
    titles = {a.get_text(strip=True) for a in year.select("main a")}
    assert {"Kickoff", "Visit <b>&</b> talk", "Appraisal"} <= titles
    assert "Party lesson" not in titles
    assert blog.exists("archive/2018/index.html")


def test_home_has_a_card_per_column_in_order_with_counts(blog):
    home = blog.html("index.html")
    text = home.find("main").get_text(" ", strip=True)
    assert text.index("News") < text.index("Study")
    assert "3 posts" in text and "1 post" in text


def test_related_posts_share_tags(blog):
    page = blog.html("news/kickoff/index.html")
    related = page.find(string=lambda s: s and s.strip() == "Related posts")
    assert related is not None
    section = related.find_parent(["section", "aside", "nav", "div"])
    titles = [a.get_text(strip=True) for a in section.find_all("a")]
    assert titles[0] == "Party lesson"  # shares two tags, the others one
    assert "Visit <b>&</b> talk" not in titles  # shares none
