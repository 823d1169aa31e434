"""sitemap.xml and robots.txt: pure producers of bytes."""

from __future__ import annotations

from datetime import datetime, timezone

from .feeds import escape
from .model import Site
from .pages import Page, PostPage

SITEMAP_NAME = "sitemap.xml"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def render_sitemap(site: Site, pages: list[Page]) -> bytes:
    """Every public page with the date its newest shown post last changed."""
    newest = max((p.lastmod for p in site.posts), default=_EPOCH)
    origin = site.config.absolute("")  # what absolute(url) puts before every url
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in pages:
        if page.kind == "404":
            continue
        if isinstance(page, PostPage):
            lastmod = page.post.lastmod  # not its neighbours'
        elif len(page.posts) == len(site.posts):  # tags, archive, home, report: every post, the newest known
            lastmod = newest
        else:
            lastmod = max((p.lastmod for p in page.posts), default=newest)
        lines.append(f"  <url><loc>{escape(origin + page.url)}</loc>"
                     f"<lastmod>{lastmod.isoformat()}</lastmod></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_robots(site: Site) -> bytes:
    sitemap = site.config.absolute(site.config.base_path + SITEMAP_NAME)
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode("utf-8")
