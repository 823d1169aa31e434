"""The branch's work report: posts per column per month of an academic year, months without a
Special Study post, posts per author, and columns with no recent post. This module works out
the figures, the warnings they raise in `sitegen check` and which years get a page; the chart
is drawn in report_chart.py and the terminal and CSV text written in report_tables.py. No I/O;
"now" is a parameter (local_now reads the clock only when given None), so a build, a test or the
command line decides what "the current year" is."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .config import CONFIG_NAME, SiteConfig
from .errors import SiteError
from .i18n import Translator
from .model import Column, Post, Site
from .urls import join_url

REPORT_SLUG = "report"


# ----------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class ReportSettings:
    start_month: int = 9
    study_column: str = "study"  # "" for none
    author_threshold: int = 1
    stale_days: int = 60  # 0: no column is ever stale

    @classmethod
    def of(cls, config: SiteConfig) -> "ReportSettings":
        return cls(config.academic_year_start_month, config.study_column, config.author_threshold, config.stale_days)


@dataclass(frozen=True)
class ReportMonth:
    year: int
    month: int
    ended: bool  # the month is over by "now"
    gap: bool  # over, and no post in the study column

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass(frozen=True)
class AuthorCount:
    name: str | None  # None: posts that name no author
    count: int
    below: bool  # fewer posts than the threshold (never set for None)


@dataclass(frozen=True)
class ColumnStatus:
    column: Column
    latest: datetime | None  # in the site's time zone; None if the column has no post
    days: int | None  # calendar days from the latest post to "now"
    stale: bool


@dataclass(frozen=True)
class YearReport:
    year: int  # the academic year starting in `start`'s month of this year
    start: datetime  # first instant of the year, in the site's time zone
    end: datetime  # first instant after it
    today: date  # the date of "now" in the site's time zone (a date, so a page's digest holds all day)
    settings: ReportSettings
    months: tuple[ReportMonth, ...]  # twelve, in order
    columns: tuple[Column, ...]  # columns with posts (not single pages), in navigation order
    counts: dict[str, tuple[int, ...]]  # column slug -> posts per month (read only)
    study_column: Column | None  # None when study_column names no post column
    authors: tuple[AuthorCount, ...]  # most posts first; the no-author row last
    updates: tuple[ColumnStatus, ...]  # each column's latest post; only in the current year
    is_current: bool  # the year that holds "now"

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()

    @property
    def month_totals(self) -> tuple[int, ...]:
        return tuple(sum(self.counts[c.slug][i] for c in self.columns) for i in range(len(self.months)))

    @property
    def column_totals(self) -> dict[str, int]:
        return {c.slug: sum(self.counts[c.slug]) for c in self.columns}

    @property
    def total(self) -> int:
        return sum(self.month_totals)

    @property
    def study_gaps(self) -> tuple[ReportMonth, ...]:
        return tuple(m for m in self.months if m.gap)

    @property
    def stale(self) -> tuple[ColumnStatus, ...]:
        return tuple(s for s in self.updates if s.stale)


def local_now(site: Site, now: datetime | None) -> datetime:
    """`now` in the site's time zone (the current time when None; a naive time is read as local)."""
    tz = site.config.tz
    if now is None:
        return datetime.now(tz)
    return now.replace(tzinfo=tz) if now.tzinfo is None else now.astimezone(tz)


def academic_year_of(moment: datetime, start_month: int, tz: ZoneInfo) -> int:
    """The academic year holding `moment`, named by the calendar year it starts in."""
    local = moment.astimezone(tz)
    return local.year if local.month >= start_month else local.year - 1


def academic_years(site: Site, start_month: int, now: datetime | None = None) -> list[int]:
    """Every academic year from the one of the oldest post to the newest post's (or to now's,
    if given and later), newest first: a year with no post in between is listed too."""
    tz = site.config.tz
    years = {academic_year_of(p.date, start_month, tz) for p in site.posts}
    if now is not None:
        years.add(academic_year_of(local_now(site, now), start_month, tz))
    return list(range(max(years), min(years) - 1, -1)) if years else []


def year_label(t: Translator, year: int, start_month: int) -> str:
    """'2019–2020学年' / '2019–2020 academic year'; a year starting in January is just '2019'."""
    if start_month == 1:
        return t("report_year_single", year=year)
    return t("report_year", start=year, end=year + 1)


def _post_columns(site: Site) -> tuple[Column, ...]:
    return tuple(c for c in site.columns if not c.is_page)


def study_column_of(site: Site, settings: ReportSettings) -> Column | None:
    """The column named by study_column (its folder name or web address), if it holds posts."""
    name = settings.study_column
    return next((c for c in _post_columns(site) if name and name in (c.slug, c.source.name)), None)


def column_updates(site: Site, now: datetime, stale_days: int) -> tuple[ColumnStatus, ...]:
    """Each post column's latest post, the calendar days since, and whether that is too long."""
    now = local_now(site, now)
    statuses = []
    for column in _post_columns(site):
        posts = site.posts_in(column)
        if not posts:
            statuses.append(ColumnStatus(column, None, None, stale_days > 0))
            continue
        latest = max(p.date for p in posts).astimezone(now.tzinfo)
        days = max(0, (now.date() - latest.date()).days)
        statuses.append(ColumnStatus(column, latest, days, stale_days > 0 and days > stale_days))
    return tuple(statuses)


@dataclass(frozen=True)
class Timeline:
    """Every post in date order with its local time and author, worked out once for all the
    years of a report (a large site has thousands of posts and many years)."""

    times: tuple[datetime, ...]  # in the site's time zone, oldest first
    authors: tuple[str | None, ...]
    posts: tuple[Post, ...]

    @classmethod
    def of(cls, site: Site) -> "Timeline":
        posts = sorted(site.posts, key=lambda p: p.date)
        return cls(tuple(p.date.astimezone(site.config.tz) for p in posts), tuple(map(_author, posts)), tuple(posts))


def year_report(site: Site, year: int, now: datetime, settings: ReportSettings,
                timeline: Timeline | None = None) -> YearReport:
    """The figures of the academic year starting in settings.start_month of `year`."""
    tz = site.config.tz
    now = local_now(site, now)
    firsts = [_month_start(year, settings.start_month + i, tz) for i in range(13)]
    start, end = firsts[0], firsts[12]
    columns = _post_columns(site)
    study = study_column_of(site, settings)
    timeline = timeline or Timeline.of(site)
    first, stop = bisect_left(timeline.times, start), bisect_left(timeline.times, end)

    counts = {c.slug: [0] * 12 for c in columns}
    by_author: dict[str | None, int] = {}
    # Authors with a post before this year ends: the members so far.
    known = {author for author in timeline.authors[:stop] if author is not None}
    for local, author, post in zip(timeline.times[first:stop], timeline.authors[first:stop], timeline.posts[first:stop]):
        if post.column.slug not in counts:
            continue
        index = (local.year - start.year) * 12 + local.month - start.month
        counts[post.column.slug][index] += 1
        by_author[author] = by_author.get(author, 0) + 1

    months = []
    for i in range(12):
        ended = firsts[i + 1] <= now
        gap = study is not None and ended and counts[study.slug][i] == 0
        months.append(ReportMonth(firsts[i].year, firsts[i].month, ended, gap))

    threshold = settings.author_threshold
    named = sorted(((by_author.get(name, 0), name) for name in known), key=lambda item: (-item[0], item[1]))
    authors = [AuthorCount(name, count, count < threshold) for count, name in named]
    if by_author.get(None):
        authors.append(AuthorCount(None, by_author[None], False))

    is_current = start <= now < end
    return YearReport(
        year=year, start=start, end=end, today=now.date(), settings=settings, months=tuple(months), columns=columns,
        counts={slug: tuple(values) for slug, values in counts.items()}, study_column=study,
        authors=tuple(authors), updates=column_updates(site, now, settings.stale_days) if is_current else (),
        is_current=is_current,
    )


def _month_start(year: int, month: int, tz: ZoneInfo) -> datetime:
    """First instant of a month; `month` may run past 12 into the following years."""
    return datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, 1, tzinfo=tz)


def _author(post: Post) -> str | None:
    return (post.author or "").strip() or None


# ----------------------------------------------------------------------------- check warnings


def stale_column_warnings(site: Site, now: datetime) -> list[SiteError]:
    """A warning for each post column with no post for more than stale_days (none when 0)."""
    stale_days = site.config.stale_days
    problems = []
    for status in column_updates(site, now, stale_days):
        if not status.stale:
            continue
        column = status.column
        path = column.source / "_index.md"
        if status.latest is None:
            problems.append(SiteError.of(path, None, "report.empty_column", "warning", column=column.slug, title=column.title))
        else:
            problems.append(SiteError.of(path, None, "report.stale_column", "warning", column=column.slug, title=column.title,
                                         days=status.days, latest=status.latest.date().isoformat(), stale_days=stale_days))
    return problems


def study_column_warnings(site: Site) -> list[SiteError]:
    """A warning when the work report is on and study_column names no column that holds posts."""
    config = site.config
    if not config.report or not config.study_column or study_column_of(site, ReportSettings.of(config)):
        return []
    names = ", ".join(c.slug for c in _post_columns(site)) or "none"
    return [SiteError.of(site.root / CONFIG_NAME, None, "report.study_column", "warning",
                         value=config.study_column, columns=names)]


def report_warnings(site: Site, now: datetime) -> list[SiteError]:
    """Every warning the work report adds to `sitegen check` and `sitegen build`."""
    return study_column_warnings(site) + stale_column_warnings(site, now)


# ----------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class YearLink:
    year: int
    label: str
    url: str
    is_current: bool  # the year holding "now" (its page is /report/)
    empty: bool = False  # the current year with no post yet: /report/ shows an earlier one, no link to it


def report_url(base_path: str, year: int | None = None) -> str:
    """/report/ for the current academic year, /report/2019/ for the year starting in 2019."""
    return join_url(base_path, REPORT_SLUG, str(year) if year is not None else "")


def year_links(site: Site, now: datetime, t: Translator) -> list[YearLink]:
    """Every year that gets a page, newest first."""
    start_month = site.config.academic_year_start_month
    current = academic_year_of(local_now(site, now), start_month, site.config.tz)
    return [YearLink(year, year_label(t, year, start_month),
                     report_url(site.config.base_path, None if year == current else year), year == current)
            for year in academic_years(site, start_month, now)]
