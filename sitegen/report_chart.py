"""The work report's chart on its web page: where every bar, label and mark of a year's posts per
column per month goes, as numbers the template turns into SVG. Pure computation."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import Translator
from .model import Column
from .report import ReportMonth, YearReport, year_label

# Bar colours, in column order (repeating after eight). Each has at least 3:1 contrast with the
# white chart panel (#fff) and the page (#f5f2ed); neighbouring hues differ in hue and lightness,
# and stacked segments are separated by a white line:
#   #b3121b 6.96 · #1f5fa8 6.44 · #8a6100 5.54 · #00727a 5.69 · #6a3d9a 7.64 · #5c5550 7.32
#   #c2185b 5.87 · #2e7d32 5.13  (against #fff; against #f5f2ed every one is above 4.5)
PALETTE = ("#b3121b", "#1f5fa8", "#8a6100", "#00727a", "#6a3d9a", "#5c5550", "#c2185b", "#2e7d32")
GAP_COLOR = "#a3111a"  # the hatching and the "gap" label: 7.92:1 on #fff


@dataclass(frozen=True)
class Segment:
    column: Column
    count: int
    x: float
    width: float
    color: str


@dataclass(frozen=True)
class ChartRow:
    month: ReportMonth
    label: str
    y: float  # top of the row
    segments: tuple[Segment, ...]
    total: int
    total_x: float
    total_width: float  # a white box behind the total keeps it readable over the gap hatching


@dataclass(frozen=True)
class Legend:
    column: Column
    color: str


@dataclass(frozen=True)
class Chart:
    """A horizontal stacked bar per month, in a viewBox about as wide as a phone's page, so the
    16-unit text stays about 15 px high on a 360 px screen."""

    width: int
    height: int
    row_height: int
    bar_height: int
    font_size: int
    label_x: int  # month labels end here
    gap_x: int  # the gap mark starts here
    bar_x: int  # bars start here
    bar_end: int  # the longest bar ends here; its total follows
    rows: tuple[ChartRow, ...]
    legend: tuple[Legend, ...]
    title: str
    description: str  # the figures in a sentence, for screen readers
    gap_color: str = GAP_COLOR


def chart(report: YearReport, t: Translator) -> Chart:
    """Where every bar, label and mark of the report's chart goes."""
    width, row_height, bar_height, font_size, top = 320, 30, 18, 16, 4
    label_x, gap_x, bar_x, bar_end = 44, 50, 88, 280  # room after bar_end for a total of up to four digits
    colors = {c.slug: PALETTE[i % len(PALETTE)] for i, c in enumerate(report.columns)}
    unit = (bar_end - bar_x) / max(max(report.month_totals, default=0), 1)
    rows = []
    for i, month in enumerate(report.months):
        x = float(bar_x)
        segments = []
        for column in report.columns:
            count = report.counts[column.slug][i]
            if count:
                segments.append(Segment(column, count, round(x, 2), round(count * unit, 2), colors[column.slug]))
                x += count * unit
        total = report.month_totals[i]
        rows.append(ChartRow(month, t.month_short(month.month), top + i * row_height, tuple(segments), total,
                             round(x + 5, 2), round(len(str(total)) * font_size * 0.62 + 4, 2)))
    gaps = ""
    if report.study_column is not None and report.study_gaps:
        months = t("list_sep").join(t.month_short(m.month) for m in report.study_gaps)
        gaps = t("report_chart_gaps", column=report.study_column.title, months=months)
    description = t("report_chart_desc", total=report.total, most=max(report.month_totals, default=0), gaps=gaps)
    return Chart(width, top * 2 + 12 * row_height, row_height, bar_height, font_size, label_x, gap_x, bar_x, bar_end,
                 tuple(rows), tuple(Legend(c, colors[c.slug]) for c in report.columns),
                 t("report_chart_title", year=year_label(t, report.year, report.settings.start_month)),
                 " ".join(description.split()) if t.language == "en" else description)
