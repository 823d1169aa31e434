"""plan(site) -> every page to write, with the template and the posts it shows. No I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Sequence

from .i18n import Translator
from .model import Column, Post, Site
from .related import Related, related_posts
from .report import ReportSettings, Timeline, local_now, year_label, year_links, year_report
from .report_chart import chart
from .urls import join_url



@dataclass(frozen=True)
class Crumb:
    title: str
    url: str | None


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    current: bool


@dataclass(frozen=True)
class Paginator:
    number: int
    total: int
    urls: tuple[str, ...]

    @property
    def prev_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.total else None

    @property
    def first_url(self) -> str:
        return self.urls[0]

    @property
    def last_url(self) -> str:
        return self.urls[-1]

    @property
    def pages(self) -> list[PageLink]:
        return [PageLink(i + 1, url, i + 1 == self.number) for i, url in enumerate(self.urls)]


@dataclass(frozen=True)
class Section:
    column: Column
    posts: tuple[Post, ...]
    count: int


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    label: str
    posts: tuple[Post, ...]

    @property
    def count(self) -> int:
        return len(self.posts)


@dataclass(frozen=True)
class Year:
    year: int
    url: str
    months: tuple[Month, ...]

    @property
    def count(self) -> int:
        return sum(m.count for m in self.months)


@dataclass(frozen=True)
class TagCount:
    name: str
    slug: str
    url: str
    count: int


@dataclass(frozen=True)
class Page:
    url: str  # with base_path, ends in '/' (or names the file for 404.html)
    output: str  # path under the output folder
    template: str
    kind: str
    title: str | None
    breadcrumbs: tuple[Crumb, ...] = ()
    current_column: Column | None = None
    posts: tuple[Post, ...] = ()  # the posts this page shows, so a changed post finds its pages
    context: dict[str, Any] = field(default_factory=dict)


def output_of(base_path: str, url: str) -> str:
    """'/party/study/page/2/' -> 'study/page/2/index.html' (percent-decoding left to the writer)."""
    from urllib.parse import unquote

    rest = unquote(url[len(base_path):])
    return f"{rest}index.html" if rest.endswith("/") or not rest else rest


def paginate(items: Sequence[Post], per_page: int, first_url: str) -> list[tuple[Paginator, tuple[Post, ...]]]:
    total = max(1, math.ceil(len(items) / per_page))
    urls = tuple([first_url] + [f"{first_url}page/{n}/" for n in range(2, total + 1)])
    return [(Paginator(n + 1, total, urls), tuple(items[n * per_page : (n + 1) * per_page])) for n in range(total)]


def plan(site: Site, now: datetime | None = None, related: Related | None = None) -> list[Page]:
    """Every HTML page of the site, posts first, so they are written before the pages linking to them.
    `now` (default: the current time) decides which academic year the work report calls current;
    `related` is related_posts(site), when the caller has it."""
    config = site.config
    t = Translator(config.language)
    base = config.base_path
    home = Crumb(t("home"), base)
    pages: list[Page] = []
    related = related_posts(site) if related is None else related

    for column in site.columns:
        posts = site.posts_in(column)
        for index, post in enumerate(posts):
            older = posts[index + 1] if index + 1 < len(posts) else None
            newer = posts[index - 1] if index > 0 else None
            pages.append(Page(
                post.url, output_of(base, post.url), "post.html", "post", post.title,
                (home, Crumb(column.title, column.url), Crumb(post.title, None)), column,
                tuple(p for p in (post, older, newer) if p),
                {"post": post, "prev_post": older, "next_post": newer, "related": related[post.url]},
            ))

    for column in site.columns:
        crumbs = (home, Crumb(column.title, None))
        if column.is_page:
            pages.append(Page(column.url, output_of(base, column.url), "column_page.html", "page", column.title,
                              crumbs, column, context={"column": column}))
            continue
        posts = site.posts_in(column)
        ordered = [p for p in posts if p.pinned] + [p for p in posts if not p.pinned]
        for paginator, shown in paginate(ordered, config.posts_per_page, column.url):
            url = paginator.urls[paginator.number - 1]
            title = column.title if paginator.number == 1 else f"{column.title} - {t('page_x_of_y', number=paginator.number, total=paginator.total)}"
            pages.append(Page(url, output_of(base, url), "column.html", "column", title, crumbs, column, shown,
                              {"column": column, "posts": shown, "paginator": paginator}))

    tags_url = join_url(base, "tags")
    tag_counts = []
    for slug, (tag, posts) in site.tags.items():
        tag_counts.append(TagCount(tag.name, slug, tag.url, len(posts)))
        for paginator, shown in paginate(posts, config.posts_per_page, tag.url):
            url = paginator.urls[paginator.number - 1]
            pages.append(Page(url, output_of(base, url), "tag.html", "tag", t("tagged", tag=tag.name),
                              (home, Crumb(t("all_tags"), tags_url), Crumb(tag.name, None)), None, shown,
                              {"tag": tag, "posts": shown, "paginator": paginator}))
    pages.append(Page(tags_url, output_of(base, tags_url), "tags.html", "tags", t("all_tags"),
                      (home, Crumb(t("all_tags"), None)), None, site.posts,
                      {"tags": sorted(tag_counts, key=lambda c: (-c.count, c.slug))}))

    archive_url = join_url(base, "archive")
    years = archive_years(site, t)
    for year in years:
        pages.append(Page(year.url, output_of(base, year.url), "archive_year.html", "archive_year",
                          t("archive_year", year=year.year),
                          (home, Crumb(t("archive"), archive_url), Crumb(str(year.year), None)), None,
                          tuple(p for m in year.months for p in m.posts), {"year": year}))
    pages.append(Page(archive_url, output_of(base, archive_url), "archive.html", "archive", t("archive"),
                      (home, Crumb(t("archive"), None)), None, site.posts, {"years": years}))

    if config.report:
        pages += report_pages(site, local_now(site, now), t, home)

    pinned = tuple(p for p in site.posts if p.pinned)
    sections = [Section(c, site.posts_in(c)[: config.home_posts_per_column], len(site.posts_in(c))) for c in site.columns]
    pages.append(Page(base, "index.html", "home.html", "home", None, (), None, site.posts,
                      {"pinned": pinned, "sections": sections}))
    if config.search:
        search_url = join_url(base, "search")
        pages.append(Page(search_url, output_of(base, search_url), "search.html", "search", t("search"),
                          (home, Crumb(t("search"), None))))
    pages.append(Page(base + "404.html", "404.html", "404.html", "404", t("not_found_title")))
    return pages


def report_pages(site: Site, now: datetime, t: Translator, home: Crumb) -> list[Page]:
    """The work report: /report/ for the current academic year, /report/<year>/ for the others."""
    settings = ReportSettings.of(site.config)
    links = year_links(site, now, t)
    current = next(link for link in links if link.is_current)
    pages = []
    timeline = Timeline.of(site)
    for link in links:
        report = year_report(site, link.year, now, settings, timeline)
        label = year_label(t, link.year, settings.start_month)
        crumbs = ((home, Crumb(t("report"), None)) if link.is_current else
                  (home, Crumb(t("report"), current.url), Crumb(label, None)))
        pages.append(Page(link.url, output_of(site.config.base_path, link.url), "report.html",
                          "report" if link.is_current else "report_year", t("report_title", year=label), crumbs,
                          None, site.posts, {"report": report, "chart": chart(report, t), "year_links": links,
                                             "year_label": label, "this_year": link}))
    return pages


def archive_years(site: Site, t: Translator) -> list[Year]:
    grouped: dict[int, dict[int, list[Post]]] = {}
    for post in site.posts:
        grouped.setdefault(post.date.year, {}).setdefault(post.date.month, []).append(post)
    return [
        Year(year, join_url(site.config.base_path, "archive", str(year)), tuple(
            Month(year, month, t.month(year, month), tuple(posts))
            for month, posts in sorted(months.items(), reverse=True)
        ))
        for year, months in sorted(grouped.items(), reverse=True)
    ]
