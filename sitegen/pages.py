"""plan(site) -> every page to write: one typed record per page, with its template and all it shows. No I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any, ClassVar, Sequence
from urllib.parse import unquote

from .i18n import Translator
from .model import Card, Column, Post, Site, Tag
from .related import Related, related_posts
from .report import ReportSettings, Timeline, YearLink, YearReport, local_now, year_label, year_links, year_report
from .report_chart import Chart, chart
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
    posts: tuple[Card, ...]
    count: int


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    label: str
    posts: tuple[Card, ...]

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


@dataclass(frozen=True, kw_only=True)
class Page:
    """What every page has. Each kind of page below adds what its template shows, and its
    template gets exactly that (template_variables): what a page's digest covers is what its
    template can read. Posts are shown as cards everywhere but on their own page."""

    url: str  # with base_path, ends in '/' (or names the file for 404.html)
    output: str  # path under the output folder
    template: str
    kind: str
    title: str | None
    breadcrumbs: tuple[Crumb, ...] = ()
    current_column: Column | None = None
    posts: tuple[Card, ...] = ()  # every post the page shows, so a changed post finds its pages
    # Common fields that this kind's template also gets by name (see template_variables).
    also_named: ClassVar[tuple[str, ...]] = ()

    def template_variables(self) -> dict[str, Any]:
        """The one source of a page's template context beside the site-wide globals (render.py):
        the page, its column, and the fields of its kind by name (`post`, `paginator`, ...)."""
        found = {"page": self, "current_column": self.current_column}
        for name in _named(type(self)):
            found[name] = getattr(self, name)
        return found


def _named(kind: type[Page]) -> tuple[str, ...]:
    common = {f.name for f in fields(Page)}
    return kind.also_named + tuple(f.name for f in fields(kind) if f.name not in common)


@dataclass(frozen=True, kw_only=True)
class PostPage(Page):
    """A post's own page: the one page that shows its body and contents."""

    template: str = "post.html"
    kind: str = "post"
    post: Post
    prev_post: Card | None  # the older post in the column
    next_post: Card | None  # the newer one
    related: tuple[Card, ...]


@dataclass(frozen=True, kw_only=True)
class ColumnPage(Page):
    """One page of a column's list of posts, pinned posts first."""

    template: str = "column.html"
    kind: str = "column"
    also_named: ClassVar[tuple[str, ...]] = ("posts",)
    column: Column
    paginator: Paginator


@dataclass(frozen=True, kw_only=True)
class SinglePage(Page):
    """A column that is one page of text and no posts (Column.is_page), such as the secretary mailbox."""

    template: str = "column_page.html"
    kind: str = "page"
    column: Column


@dataclass(frozen=True, kw_only=True)
class TagPage(Page):
    """One page of the posts with a tag."""

    template: str = "tag.html"
    kind: str = "tag"
    also_named: ClassVar[tuple[str, ...]] = ("posts",)
    tag: Tag
    paginator: Paginator


@dataclass(frozen=True, kw_only=True)
class TagsPage(Page):
    """Every tag with its count of posts."""

    template: str = "tags.html"
    kind: str = "tags"
    tags: tuple[TagCount, ...]  # most posts first


@dataclass(frozen=True, kw_only=True)
class ArchiveYearPage(Page):
    template: str = "archive_year.html"
    kind: str = "archive_year"
    year: Year


@dataclass(frozen=True, kw_only=True)
class ArchivePage(Page):
    template: str = "archive.html"
    kind: str = "archive"
    years: tuple[Year, ...]  # newest first


@dataclass(frozen=True, kw_only=True)
class ReportPage(Page):
    """The work report of one academic year: kind "report" for the current year, "report_year" for the others."""

    template: str = "report.html"
    report: YearReport
    chart: Chart
    year_links: tuple[YearLink, ...]
    year_label: str
    this_year: YearLink


@dataclass(frozen=True, kw_only=True)
class HomePage(Page):
    template: str = "home.html"
    kind: str = "home"
    pinned: tuple[Card, ...]
    sections: tuple[Section, ...]  # one for each column, in navigation order


@dataclass(frozen=True, kw_only=True)
class SearchPage(Page):
    template: str = "search.html"
    kind: str = "search"


@dataclass(frozen=True, kw_only=True)
class NotFoundPage(Page):
    template: str = "404.html"
    kind: str = "404"


def output_of(base_path: str, url: str) -> str:
    """'/party/study/page/2/' -> 'study/page/2/index.html' (percent-decoding left to the writer)."""
    rest = url[len(base_path):]
    rest = unquote(rest) if "%" in rest else rest
    return f"{rest}index.html" if rest.endswith("/") or not rest else rest


def paginate(items: Sequence[Card], per_page: int, first_url: str) -> list[tuple[Paginator, tuple[Card, ...]]]:
    total = max(1, math.ceil(len(items) / per_page))
    urls = tuple([first_url] + [f"{first_url}page/{n}/" for n in range(2, total + 1)])
    return [(Paginator(n + 1, total, urls), tuple(items[n * per_page : (n + 1) * per_page])) for n in range(total)]


def plan(site: Site, now: datetime | None = None, related: Related | None = None,
         lists: list[Page] | None = None) -> list[Page]:
    """Every HTML page of the site, posts first, so they are written before the pages linking to them.
    `now` (default: the current time) decides which academic year the work report calls current;
    `related` is related_posts(site), and `lists` list_pages(site, now), when the caller has them."""
    home = Crumb(Translator(site.config.language)("home"), site.config.base_path)
    pages: list[Page] = post_pages(site, related_posts(site) if related is None else related, home)
    return pages + (list_pages(site, now) if lists is None else lists)


def list_pages(site: Site, now: datetime | None = None) -> list[Page]:
    """Every page but the posts' own: the columns, tags, archive, work report, home, search and
    404. Made of the columns, the settings, the posts' cards in the site's order and (the work
    report) the day of `now`, and of nothing else."""
    config = site.config
    t = Translator(config.language)
    base = config.base_path
    home = Crumb(t("home"), base)
    cards = tuple(post.card for post in site.posts)  # one tuple for every page that shows all posts
    pages: list[Page] = column_pages(site, t, home)
    pages += tag_pages(site, t, home, cards)
    pages += archive_pages(site, t, home, cards)
    if config.report:
        pages += report_pages(site, local_now(site, now), t, home, cards)
    pinned = tuple(card for card in cards if card.pinned)
    sections = tuple(Section(c, tuple(p.card for p in site.posts_in(c)[: config.home_posts_per_column]),
                             len(site.posts_in(c))) for c in site.columns)
    pages.append(HomePage(url=base, output="index.html", title=None, posts=cards, pinned=pinned, sections=sections))
    if config.search:
        url = join_url(base, "search")
        pages.append(SearchPage(url=url, output=output_of(base, url), title=t("search"),
                                breadcrumbs=(home, Crumb(t("search"), None))))
    pages.append(NotFoundPage(url=base + "404.html", output="404.html", title=t("not_found_title")))
    return pages


def post_pages(site: Site, related: Related, home: Crumb) -> list[Page]:
    """Each post's own page, with the older and newer post of its column and its related posts."""
    base = site.config.base_path
    pages: list[Page] = []
    for column in site.columns:
        crumb = Crumb(column.title, column.url)
        cards = [post.card for post in site.posts_in(column)] + [None]  # (the oldest has no older one)
        for index, post in enumerate(site.posts_in(column)):
            card, older, newer = cards[index], cards[index + 1], cards[index - 1] if index else None
            pages.append(PostPage(
                url=post.url, output=output_of(base, post.url), title=post.title,
                breadcrumbs=(home, crumb, Crumb(post.title, None)), current_column=column,
                posts=(card, older, newer) if older and newer else tuple(c for c in (card, older, newer) if c),
                post=post, prev_post=older, next_post=newer, related=related[post.url],
            ))
    return pages


def column_pages(site: Site, t: Translator, home: Crumb) -> list[Page]:
    """Each column's list of posts, a page at a time, or its one page of text."""
    base = site.config.base_path
    pages: list[Page] = []
    for column in site.columns:
        crumbs = (home, Crumb(column.title, None))
        if column.is_page:
            pages.append(SinglePage(url=column.url, output=output_of(base, column.url), title=column.title,
                                    breadcrumbs=crumbs, current_column=column, column=column))
            continue
        posts = site.posts_in(column)
        ordered = [p.card for p in posts if p.pinned] + [p.card for p in posts if not p.pinned]
        for paginator, shown in paginate(ordered, site.config.posts_per_page, column.url):
            url = paginator.urls[paginator.number - 1]
            title = column.title if paginator.number == 1 else f"{column.title} - {t('page_x_of_y', number=paginator.number, total=paginator.total)}"
            pages.append(ColumnPage(url=url, output=output_of(base, url), title=title, breadcrumbs=crumbs,
                                    current_column=column, posts=shown, column=column, paginator=paginator))
    return pages


def tag_pages(site: Site, t: Translator, home: Crumb, cards: tuple[Card, ...]) -> list[Page]:
    """Each tag's posts, a page at a time, and the index of all tags."""
    base = site.config.base_path
    tags_url = join_url(base, "tags")
    pages: list[Page] = []
    counts = []
    for slug, (tag, posts) in site.tags.items():
        counts.append(TagCount(tag.name, slug, tag.url, len(posts)))
        for paginator, shown in paginate([p.card for p in posts], site.config.posts_per_page, tag.url):
            url = paginator.urls[paginator.number - 1]
            pages.append(TagPage(url=url, output=output_of(base, url), title=t("tagged", tag=tag.name),
                                 breadcrumbs=(home, Crumb(t("all_tags"), tags_url), Crumb(tag.name, None)),
                                 posts=shown, tag=tag, paginator=paginator))
    pages.append(TagsPage(url=tags_url, output=output_of(base, tags_url), title=t("all_tags"),
                          breadcrumbs=(home, Crumb(t("all_tags"), None)), posts=cards,
                          tags=tuple(sorted(counts, key=lambda c: (-c.count, c.slug)))))
    return pages


def archive_pages(site: Site, t: Translator, home: Crumb, cards: tuple[Card, ...]) -> list[Page]:
    """A page for each year's posts by month, and the archive of all of them."""
    base = site.config.base_path
    archive_url = join_url(base, "archive")
    years = archive_years(site, t)
    pages: list[Page] = [
        ArchiveYearPage(url=year.url, output=output_of(base, year.url), title=t("archive_year", year=year.year),
                        breadcrumbs=(home, Crumb(t("archive"), archive_url), Crumb(str(year.year), None)),
                        posts=tuple(p for m in year.months for p in m.posts), year=year)
        for year in years
    ]
    pages.append(ArchivePage(url=archive_url, output=output_of(base, archive_url), title=t("archive"),
                             breadcrumbs=(home, Crumb(t("archive"), None)), posts=cards, years=years))
    return pages


def report_pages(site: Site, now: datetime, t: Translator, home: Crumb, cards: tuple[Card, ...]) -> list[Page]:
    """The work report: /report/ for the current academic year, /report/<year>/ for the others."""
    settings = ReportSettings.of(site.config)
    links = tuple(year_links(site, now, t))
    current = next(link for link in links if link.is_current)
    pages: list[Page] = []
    timeline = Timeline.of(site)
    reports = {link.year: year_report(site, link.year, now, settings, timeline) for link in links}
    # A school year just begun has no posts yet: /report/ shows the latest year that has some.
    shown = next((link.year for link in links if reports[link.year].total), current.year) \
        if not reports[current.year].total else current.year
    # The years' list then says the current year has nothing yet (no link to it: /report/ shows
    # the other year), so the year marked as shown is the one whose figures are on the page.
    links = tuple(replace(link, empty=link.is_current and shown != link.year) for link in links)
    for link in links:
        year = shown if link.is_current else link.year
        report = reports[year]
        if link.is_current and year != current.year:  # with today's column updates all the same
            report = replace(report, updates=reports[current.year].updates, is_current=True)
        label = year_label(t, year, settings.start_month)
        crumbs = ((home, Crumb(t("report"), None)) if link.is_current else
                  (home, Crumb(t("report"), current.url), Crumb(label, None)))
        pages.append(ReportPage(url=link.url, output=output_of(site.config.base_path, link.url),
                                kind="report" if link.is_current else "report_year",
                                title=t("report_title", year=label), breadcrumbs=crumbs, posts=cards,
                                report=report, chart=chart(report, t), year_links=links, year_label=label,
                                this_year=link))
    return pages


def archive_years(site: Site, t: Translator) -> tuple[Year, ...]:
    grouped: dict[int, dict[int, list[Card]]] = {}
    for post in site.posts:
        grouped.setdefault(post.date.year, {}).setdefault(post.date.month, []).append(post.card)
    return tuple(
        Year(year, join_url(site.config.base_path, "archive", str(year)), tuple(
            Month(year, month, t.month(year, month), tuple(cards))
            for month, cards in sorted(months.items(), reverse=True)
        ))
        for year, months in sorted(grouped.items(), reverse=True)
    )
