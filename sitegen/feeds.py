"""Atom feeds for the whole site and for each column: pure producers of bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape as _html_escape

from .model import Post, Site
from .urls import file_url

FEED_NAME = "feed.xml"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# Characters XML 1.0 does not allow anywhere, even escaped (controls, surrogates, U+FFFE and
# U+FFFF). A post can hold them (`&#xFFFE;` in its Markdown comes out of the HTML cleaner as the
# character itself); one of them would make the whole feed unreadable to every reader.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# The same as xml.sax.saxutils' escape and quoteattr (whose import pulls in urllib.request, and
# with it http.client, email and ssl, for nothing), without the characters XML cannot hold.
def escape(text: str) -> str:
    return _html_escape(_NOT_XML.sub("", text), quote=False)


def quoteattr(text: str) -> str:
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in text:
        if "'" in text:
            return '"%s"' % text.replace('"', "&quot;")
        return "'%s'" % text
    return '"%s"' % text


@dataclass(frozen=True)
class Feed:
    title: str
    url: str  # site URL of the feed file, with base_path
    relpath: str  # under the output folder
    page_url: str  # the HTML page the feed follows
    posts: tuple[Post, ...]


def feeds_for(site: Site) -> list[Feed]:
    """The site's feed first, then one per column that has posts."""
    config = site.config
    limit = config.feed_limit
    found = [Feed(config.title, file_url(config.base_path, FEED_NAME), FEED_NAME, config.base_path, site.posts[:limit])]
    for column in site.columns:
        posts = site.posts_in(column)
        if posts:
            relpath = f"{column.slug}/{FEED_NAME}"
            found.append(Feed(f"{column.title} - {config.title}", file_url(config.base_path, relpath),
                              relpath, column.url, posts[:limit]))
    return found


def absolute_links(html: str, site: Site) -> str:
    """Feed readers show content away from the site, so root-relative links get the host."""
    origin = site.config.absolute("/").rstrip("/")
    return re.sub(r'(\s(?:href|src))="/(?!/)', rf'\1="{origin}/', html)


def render_feed(feed: Feed, site: Site) -> bytes:
    config = site.config
    updated = max((p.lastmod for p in feed.posts), default=_EPOCH)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>',
        f"  <title>{escape(feed.title)}</title>",
    ]
    if config.description:
        lines.append(f"  <subtitle>{escape(config.description)}</subtitle>")
    lines += [
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(config.absolute(feed.url))}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(config.absolute(feed.page_url))}/>',
        f"  <id>{escape(config.absolute(feed.url))}</id>",
        f"  <updated>{updated.isoformat()}</updated>",
        f"  <author><name>{escape(config.title)}</name></author>",
        '  <generator>sitegen</generator>',
    ]
    for post in feed.posts:
        content = post.body_html if config.feed_full_content else post.summary_html
        lines += [
            "  <entry>",
            f"    <title>{escape(post.title)}</title>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(config.absolute(post.url))}/>',
            f"    <id>{escape(config.absolute(post.url))}</id>",
            f"    <published>{post.date.isoformat()}</published>",
            f"    <updated>{post.lastmod.isoformat()}</updated>",
        ]
        if post.author:
            lines.append(f"    <author><name>{escape(post.author)}</name></author>")
        lines.append(f"    <category term={quoteattr(post.column.slug)} label={quoteattr(post.column.title)}/>")
        for tag in post.tags:
            lines.append(f"    <category term={quoteattr(tag.slug)} label={quoteattr(tag.name)}/>")
        lines.append(f'    <summary type="html">{escape(absolute_links(str(post.summary_html), site))}</summary>')
        if config.feed_full_content:
            lines.append(f'    <content type="html">{escape(absolute_links(str(content), site))}</content>')
        lines.append("  </entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
