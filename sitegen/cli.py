"""The `sitegen` command: build, check, new, serve. User mistakes are printed, never a traceback."""

from __future__ import annotations

import argparse
import sys
import threading
from datetime import datetime
from pathlib import Path

from .build import Options, build, check, read_site
from .config import load_config
from .errors import BuildFailed, SiteError
from .progress import Progress
from .cli_args import language_of, parser
from .messages import os_reason, say, site_language


def _print_problems(problems: list[SiteError], root: Path, language: str = "en") -> None:
    for problem in problems:
        print(problem.format(root, language), file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    source = Path(args.source).resolve()
    language = site_language(source)
    output = Path(args.output).resolve() if args.output else None
    progress = Progress(language=language)
    try:
        result = build(source, output, Options(drafts=args.drafts, future=args.future, jobs=args.jobs,
                                               progress=progress.update))
    except BuildFailed as failed:
        progress.finish()
        _print_problems(failed.problems, source, language)
        print(say("cli.build_failed", language, errors=len(failed.errors)), file=sys.stderr)
        return 1
    progress.finish()
    _print_problems(result.warnings + result.notes, source, language)
    print(say("cli.built", language, summary=result.summary(language)))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    source = Path(args.source).resolve()
    language = site_language(source)
    problems = check(source, Options(drafts=args.drafts, future=args.future, jobs=args.jobs))
    _print_problems(problems, source, language)
    errors = sum(p.is_error for p in problems)
    print(say("cli.counts", language, errors=errors, warnings=len(problems) - errors))
    return 1 if errors else 0


def cmd_new(args: argparse.Namespace) -> int:
    from .new import new_post

    return new_post(Path(args.source).resolve(), args.column, args.title)


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(Path(args.source).resolve(), Path(args.output).resolve() if args.output else None,
                 args.host, args.port, Options(drafts=args.drafts, future=args.future, jobs=args.jobs), poll=args.poll)


def cmd_watch(args: argparse.Namespace) -> int:
    from .watch import watch

    return watch(Path(args.source).resolve(), Path(args.output).resolve() if args.output else None,
                 Options(drafts=args.drafts, future=args.future, jobs=args.jobs), poll=args.poll)


# --- work report ---
def cmd_report(args: argparse.Namespace) -> int:
    """Prints the work report of an academic year as tables, or writes it as CSV."""
    from .i18n import Translator
    from .report import ReportSettings, academic_year_of, academic_years, year_report
    from .report_tables import csv_report, html_report, text_report

    source = Path(args.source).resolve()
    language = site_language(source)
    try:
        config = load_config(source)
    except SiteError as exc:
        _print_problems([exc], source, language)
        return 1
    now = datetime.now(config.tz)
    try:
        site, problems = read_site(source, config, Options(), now)  # exactly as a build reads it
    except BuildFailed as failed:
        _print_problems(failed.problems, source, language)
        errors = len(failed.errors)
        print(say("cli.counts", language, errors=errors, warnings=len(failed.problems) - errors), file=sys.stderr)
        return 1
    _print_problems(problems, source, language)  # warnings; stale columns show in the report itself
    settings = ReportSettings.of(config)
    years = academic_years(site, settings.start_month, now)
    year = academic_year_of(now, settings.start_month, config.tz) if args.year is None else args.year
    if year not in years:
        print(say("report.no_year", language, year=year, years=", ".join(map(str, sorted(years))) or "-"),
              file=sys.stderr)
        return 1
    report = year_report(site, year, now, settings)
    t = Translator(config.language)
    if args.html is not None:
        return _write_html(Path(args.html).resolve(), source, html_report(report, t, config.language), config.language)
    if args.csv is None:
        sys.stdout.write(text_report(report, t))
    elif args.csv == "-":
        sys.stdout.write(csv_report(report, t))
    else:
        path = Path(args.csv)
        try:
            path.write_text(csv_report(report, t), encoding="utf-8-sig", newline="")  # the BOM: Excel reads it as UTF-8
        except OSError as exc:
            print(say("report.cannot_write", language, path=path, reason=os_reason(exc)), file=sys.stderr)
            return 1
        print(say("report.wrote", config.language, path=path))
    return 0


def _write_html(path: Path, source: Path, html: str, language: str) -> int:
    """The secretary's report, never into the published site, where every visitor could open it."""
    output = (source / "output").resolve()
    if path == output or output in path.parents:
        print(say("report.html_in_output", language, path=path), file=sys.stderr)
        return 1
    try:
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        print(say("report.cannot_write", language, path=path, reason=os_reason(exc)), file=sys.stderr)
        return 1
    print(say("report.wrote", language, path=path))
    return 0
# --- end work report ---


def main(argv: list[str] | None = None) -> int:
    from .lock import stop_on_sigterm

    argv = sys.argv[1:] if argv is None else argv
    args = parser(language_of(argv)).parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        stop_on_sigterm()  # systemctl stop or restart ends a build or a watcher as Ctrl+C does
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        if args.command == "build":  # a version goes live whole or not at all (sitegen/publish.py)
            print(say("cli.stopped", site_language(Path(args.source).resolve())), file=sys.stderr)
        return 130


def run() -> None:
    """The `sitegen` command."""
    sys.exit(main())


if __name__ == "__main__":
    run()
