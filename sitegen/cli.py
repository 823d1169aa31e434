"""The `sitegen` command: build, check, new, serve. User mistakes are printed, never a traceback."""

from __future__ import annotations

import argparse
import errno
import os
import sys
import threading
from datetime import datetime
from pathlib import Path

from . import __version__
from .build import Options, build, check, read_site
from .config import load_config
from .errors import BuildFailed, SiteError
from .progress import Progress
from .messages import say, site_language


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
    try:
        config = load_config(source)
    except SiteError as exc:
        _print_problems([exc], source)
        return 1
    now = datetime.now(config.tz)
    try:
        site, problems = read_site(source, config, Options(), now)  # exactly as a build reads it
    except BuildFailed as failed:
        _print_problems(failed.problems, source)
        errors = len(failed.errors)
        print(f"{errors} error(s), {len(failed.problems) - errors} warning(s)", file=sys.stderr)
        return 1
    _print_problems(problems, source)  # warnings; stale columns show in the report itself
    settings = ReportSettings.of(config)
    years = academic_years(site, settings.start_month, now)
    year = academic_year_of(now, settings.start_month, config.tz) if args.year is None else args.year
    if year not in years:
        print(f"sitegen: no academic year {year} in this site (years: {', '.join(map(str, sorted(years)))})",
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
            print(f"sitegen: cannot write {path}: {exc.strerror}", file=sys.stderr)
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
        print(f"sitegen: cannot write {path}: {exc.strerror}", file=sys.stderr)
        return 1
    print(say("report.wrote", language, path=path))
    return 0
# --- end work report ---


def _given_path(text: str) -> str:
    """A folder named on the command line, refused here if it is a symlink loop: pathlib's
    resolve() would raise RuntimeError on it, and argparse says what is wrong in one line."""
    try:
        os.stat(text)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise argparse.ArgumentTypeError(f"{text}: symlink loop (a symlink on this path leads back to itself)") from None
    return text


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="sitegen", description="Build the party-building column site.")
    top.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = top.add_subparsers(dest="command", required=True)

    def content_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--source", default=".", type=_given_path, help="the site's folder (default: the current folder)")
        p.add_argument("--drafts", action="store_true", help="include posts marked draft: true")
        p.add_argument("--future", action="store_true", help="include posts dated in the future")
        p.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="processes to use (default: one per CPU; 1 for none)")

    p = commands.add_parser("build", help="build the site into the output folder")
    content_options(p)
    p.add_argument("--output", type=_given_path, help="where to write the site (default: output/ inside the source)")
    p.set_defaults(func=cmd_build)

    p = commands.add_parser("check", help="check every file and list all problems; writes nothing")
    content_options(p)
    p.set_defaults(func=cmd_check)

    p = commands.add_parser("new", help="create a new post and print its path")
    p.add_argument("column", help="the column's folder name or title, such as study or 专题学习")
    p.add_argument("title", nargs="*", help="the post's title (quotes are not needed)")
    p.add_argument("--source", default=".", type=_given_path, help="the site's folder (default: the current folder)")
    p.set_defaults(func=cmd_new)

    p = commands.add_parser("serve", help="build, then serve the site for preview, rebuilding on changes")
    content_options(p)
    p.add_argument("--output", type=_given_path, help="where to write the site (default: output/ inside the source)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument("--poll", action="store_true", help="poll for changes (for network folders without file events)")
    p.set_defaults(func=cmd_serve)

    p = commands.add_parser("watch", help="build, then rebuild whenever a source file changes")
    content_options(p)
    p.add_argument("--output", type=_given_path, help="where to write the site (default: output/ inside the source)")
    p.add_argument("--poll", action="store_true", help="poll for changes (for network folders without file events)")
    p.set_defaults(func=cmd_watch)

    # --- work report ---
    p = commands.add_parser("report", help="print the work report of an academic year (posts per column, month, author)")
    p.add_argument("--source", default=".", type=_given_path, help="the site's folder (default: the current folder)")
    p.add_argument("--year", type=int, metavar="YEAR",
                   help="the academic year starting in YEAR, such as 2019 for 2019-2020 (default: the current one)")
    p.add_argument("--csv", metavar="FILE", help="write the figures as CSV to FILE ('-': to the terminal) for a spreadsheet")
    p.add_argument("--html", metavar="FILE",
                   help="write the report, posts per person included, as an HTML file outside the published site")
    p.set_defaults(func=cmd_report)
    # --- end work report ---
    return top


def main(argv: list[str] | None = None) -> int:
    from .lock import stop_on_sigterm

    args = parser().parse_args(argv)
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
