"""The work report as text for `sitegen report`: aligned tables for a terminal and CSV for a
spreadsheet, both from the same cells. Pure computation; the command writes the result."""

from __future__ import annotations

import unicodedata

from .i18n import Translator
from .report import YearReport, year_label


def _cells(report: YearReport, t: Translator) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The report's tables as (headers, rows) of text, shared by the terminal and the CSV."""
    study = report.study_column
    month_headers = [t("report_month"), *(c.title for c in report.columns), t("report_total")]
    if study is not None:
        month_headers.append(t("report_study_gap"))
    month_rows = []
    for i, month in enumerate(report.months):
        row = [month.key, *(str(report.counts[c.slug][i]) for c in report.columns), str(report.month_totals[i])]
        if study is not None:
            row.append(t("report_gap") if month.gap else "")
        month_rows.append(row)
    totals = [t("report_total"), *(str(report.column_totals[c.slug]) for c in report.columns), str(report.total)]
    month_rows.append(totals + ([""] if study is not None else []))

    threshold = report.settings.author_threshold
    author_rows = [[a.name or t("report_unknown_author"), str(a.count), t("report_below", threshold=threshold) if a.below else ""]
                   for a in report.authors]
    tables = {
        "months": (month_headers, month_rows),
        "authors": ([t("report_author"), t("report_posts"), t("report_note")], author_rows),
    }
    if report.is_current:
        stale_days = report.settings.stale_days
        update_rows = []
        for s in report.updates:
            status = t("report_stale", days=stale_days) if s.stale else t("report_fresh")
            if s.latest is None:
                status = t("report_empty_column")
            update_rows.append([s.column.title, s.latest.date().isoformat() if s.latest else "",
                                "" if s.days is None else str(s.days), status])
        tables["updates"] = ([t("report_column"), t("report_latest"), t("report_days_since"), t("report_status")],
                             update_rows)
    return tables


def _title(report: YearReport, t: Translator) -> str:
    label = year_label(t, report.year, report.settings.start_month)
    return f"{t('report_title', year=label)} · {t('report_as_of', date=report.today.isoformat())}"


def _gap_line(report: YearReport, t: Translator) -> str:
    if report.study_column is None:
        return t("report_no_study_column")
    if not report.study_gaps:
        return t("report_no_gaps", column=report.study_column.title)
    return t("report_chart_gaps", column=report.study_column.title, months=t("list_sep").join(m.key for m in report.study_gaps))


def text_report(report: YearReport, t: Translator) -> str:
    """The report as plain-text tables for a terminal (aligned for Chinese characters too)."""
    tables = _cells(report, t)
    parts = [_title(report, t), "", t("report_by_month"), _text_table(*tables["months"]), "",
             t("report_gaps"), _gap_line(report, t), "",
             t("report_authors"), _text_table(*tables["authors"]) if report.authors else t("no_posts")]
    if "updates" in tables:
        parts += ["", t("report_updates"), _text_table(*tables["updates"])]
    return "\n".join(parts) + "\n"


def csv_report(report: YearReport, t: Translator) -> str:
    """The report as CSV for a spreadsheet: one block per table, separated by an empty row."""
    import csv  # only the report command writes CSV; a build does not need the module
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    tables = _cells(report, t)
    writer.writerow([_title(report, t)])
    for name, title in (("months", "report_by_month"), ("authors", "report_authors"), ("updates", "report_updates")):
        if name not in tables:
            continue
        headers, rows = tables[name]
        writer.writerow([])
        writer.writerow([t(title)])
        writer.writerow(headers)
        writer.writerows(rows)
    writer.writerow([])
    writer.writerow([t("report_gaps")])
    writer.writerow([t("report_month")])
    writer.writerows([m.key] for m in report.study_gaps)
    return out.getvalue()


def html_report(report: YearReport, t: Translator, language: str) -> str:
    """The report as one HTML file for the branch secretary, posts per person included: written
    by `sitegen report --html` outside the published site."""
    from html import escape

    def table(name: str, title: str) -> str:
        headers, rows = _cells(report, t)[name]
        head = "".join(f"<th>{escape(h)}</th>" for h in headers)
        body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>\n" for row in rows)
        return f"<h2>{escape(t(title))}</h2>\n<table>\n<tr>{head}</tr>\n{body}</table>\n"

    title = escape(_title(report, t))
    parts = [f'<!DOCTYPE html>\n<html lang="{language}">\n<head><meta charset="utf-8"><title>{title}</title>\n'
             "<style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em}</style></head>\n"
             f"<body>\n<h1>{title}</h1>\n", table("months", "report_by_month"),
             f"<h2>{escape(t('report_gaps'))}</h2>\n<p>{escape(_gap_line(report, t))}</p>\n",
             table("authors", "report_authors")]
    if report.is_current:
        parts.append(table("updates", "report_updates"))
    return "".join(parts) + "</body>\n</html>\n"


def _width(text: str) -> int:
    """Columns a string takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _text_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    numeric = [i > 0 and all(r[i].isdigit() or not r[i] for r in rows) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        padded = []
        for i, cell in enumerate(cells):
            space = " " * (widths[i] - _width(cell))
            padded.append(space + cell if numeric[i] else cell + space)
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])
