"""The `sitegen` command's arguments, explained in the site's language: each command's help, and
argparse's own usage and error lines, which it says through gettext (argparse's `_`)."""

from __future__ import annotations

import argparse
import errno
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import __version__
from .messages import say, site_language, system_language
from .messages_args import ARGPARSE_ZH


def language_of(argv: Sequence[str]) -> str:
    """The language to explain the command line in before it is parsed: the site's named by
    --source (or the current folder's), else the system's."""
    source = "."
    for number, word in enumerate(argv):
        if word == "--source" and number + 1 < len(argv):
            source = argv[number + 1]
        elif word.startswith("--source="):
            source = word.split("=", 1)[1]
    try:
        return site_language(Path(source))
    except (OSError, ValueError):
        return system_language()


@contextmanager
def _speaking(language: str) -> Iterator[None]:
    """argparse's texts in `language` while it parses, explains or complains. argparse reads its
    module's `_` and `ngettext` when it says something, so they are swapped here and put back."""
    if language != "zh-CN":
        yield
        return
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = lambda msgid: ARGPARSE_ZH.get(msgid, msgid)  # type: ignore[attr-defined]
    argparse.ngettext = lambda one, many, n: ARGPARSE_ZH.get(one if n == 1 else many, one if n == 1 else many)
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _columns(text: str) -> int:
    """The columns `text` takes in a terminal: two for a Chinese character (or a full-width sign)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


_NO_LINE_START = "，。、；：？！）》”’"  # Chinese punctuation that closes: never the first of a line


class _WideFormatter(argparse.HelpFormatter):
    """argparse's help laid out by the columns a terminal shows. argparse counts characters, and
    a Chinese character takes two columns: a help text after a Chinese placeholder (--source 文件夹)
    started a column late for each of them, a usage line's second line began three columns early
    (用法：), and a Chinese help text ran past the terminal's edge."""

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:  # the help column: after the widest, in columns
            shown = [self._format_action_invocation(a) for a in (action, *self._iter_indented_subactions(action))]
            self._action_max_length = max(self._action_max_length, max(map(_columns, shown)) + self._current_indent)

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        header = self._format_action_invocation(action)
        lead = " " * self._current_indent + header
        help_position = min(self._action_max_length + 2, self._max_help_position)
        if _columns(header) == len(header) or not action.help or not text.startswith(lead + " "):
            return text  # (argparse put the help on the next line already, or there is none)
        first, newline, rest = text.partition("\n")
        said = first[len(lead):].lstrip(" ")
        if self._current_indent + _columns(header) + 2 <= help_position:
            first = lead + " " * (help_position - self._current_indent - _columns(header)) + said
        else:  # too wide for the help column after all: the help starts on the next line
            first = lead + "\n" + " " * help_position + said
        return first + newline + rest

    def _split_lines(self, text: str, width: int) -> list[str]:
        if text.isascii():
            return super()._split_lines(text, width)
        lines, line = [], ""
        for piece in re.findall(r"[!-~]+ ?| |.", " ".join(text.split())):  # an English word is not broken
            if line and _columns(line + piece.rstrip()) > width and piece[0] not in _NO_LINE_START:
                lines.append(line.rstrip())
                line = piece.lstrip()
            else:
                line += piece
        return [*lines, line.rstrip()] if line.strip() else lines

    def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None) -> str:
        text = super()._format_usage(usage, actions, groups, prefix)
        if _columns(text) > len(text):  # wrapped again as if the terminal were narrower by what Chinese adds
            width, self._width = self._width, self._width - (_columns(text) - len(text))
            try:
                text = super()._format_usage(usage, actions, groups, prefix)
            finally:
                self._width = width
        said = argparse._("usage: ") if prefix is None else prefix  # type: ignore[attr-defined]
        wider = " " * (_columns(said) - len(said))  # the usage's second line lines up under its first
        return re.sub(r"\n(?=[ ]+\S)", "\n" + wider, text) if wider else text


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks the site's language (its subcommands' parsers too)."""

    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        self.language = language
        kwargs.setdefault("formatter_class", _WideFormatter)
        with _speaking(language):  # (the section titles and -h's help are made here)
            super().__init__(*args, **kwargs)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        with _speaking(self.language):
            return super().parse_known_args(args, namespace)

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        with _speaking(self.language):  # (its own complaint, about what was left over, is said here)
            return super().parse_args(args, namespace)

    def error(self, message: str) -> Any:
        missing = ARGPARSE_ZH["the following arguments are required: %s"].split("%s")[0]
        if self.language == "zh-CN" and message.startswith(missing):  # argparse lists them with ", "
            message = missing + message[len(missing):].replace(", ", "、")
        with _speaking(self.language):
            return super().error(message)

    def format_usage(self) -> str:
        with _speaking(self.language):
            return super().format_usage()

    def format_help(self) -> str:
        with _speaking(self.language):
            text = super().format_help()
        if self.language == "zh-CN":  # argparse puts an English colon after each section's title
            titles = "|".join(re.escape(ARGPARSE_ZH[title]) for title in ("positional arguments", "options"))
            text = re.sub(rf"^({titles}):$", r"\1：", text, flags=re.MULTILINE)
        return text


def _path_checker(language: str) -> Callable[[str], str]:
    def given_path(text: str) -> str:
        """A folder named on the command line, refused here if it is a symlink loop: pathlib's
        resolve() would raise RuntimeError on it, and argparse says what is wrong in one line."""
        try:
            os.stat(text)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise argparse.ArgumentTypeError(say("args.loop", language, path=text)) from None
        return text

    return given_path


def _port_checker(language: str) -> Callable[[str], int]:
    def port(text: str) -> int:
        """A port a server can listen on (a word that is no number: argparse says so)."""
        number = int(text)
        if not 0 <= number <= 65535:  # (0: any free port, for tests)
            raise argparse.ArgumentTypeError(say("args.port_range", language, port=text))
        return number

    return port


def parser(language: str = "en") -> argparse.ArgumentParser:
    from . import cli

    def words(key: str) -> str:
        return say(key, language)

    top = Parser(prog="sitegen", description=words("args.description"), language=language)
    top.add_argument("--version", action="version", version=f"sitegen {__version__}", help=words("args.version"))
    commands = top.add_subparsers(dest="command", required=True, metavar=words("args.COMMAND"))
    folder = _path_checker(language)

    def command(name: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        made = commands.add_parser(name, help=words(f"args.{name}"), description=words(f"args.{name}"), language=language)
        made.set_defaults(func=run)
        return made

    def source_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--source", default=".", type=folder, metavar=words("args.FOLDER"), help=words("args.source"))

    def content_options(p: argparse.ArgumentParser, output: bool = True) -> None:
        source_option(p)
        p.add_argument("--drafts", action="store_true", help=words("args.drafts"))
        p.add_argument("--future", action="store_true", help=words("args.future"))
        p.add_argument("--jobs", type=int, default=None, metavar="N", help=words("args.jobs"))
        if output:
            p.add_argument("--output", type=folder, metavar=words("args.FOLDER"), help=words("args.output"))

    content_options(command("build", cli.cmd_build))
    content_options(command("check", cli.cmd_check), output=False)
    p = command("new", cli.cmd_new)
    p.add_argument("column", metavar=words("args.COLUMN"), help=words("args.column"))
    p.add_argument("title", nargs="*", metavar=words("args.TITLE"), help=words("args.title"))
    source_option(p)
    p = command("serve", cli.cmd_serve)
    content_options(p)
    p.add_argument("--host", default="127.0.0.1", metavar=words("args.HOST"), help=words("args.host"))
    p.add_argument("--port", type=_port_checker(language), default=8000, metavar=words("args.PORT"), help=words("args.port"))
    p.add_argument("--poll", action="store_true", help=words("args.poll"))
    p = command("watch", cli.cmd_watch)
    content_options(p)
    p.add_argument("--poll", action="store_true", help=words("args.poll"))
    p = command("report", cli.cmd_report)
    source_option(p)
    p.add_argument("--year", type=int, metavar=words("args.YEAR"), help=words("args.year"))
    p.add_argument("--csv", metavar=words("args.FILE"), help=words("args.csv"))
    p.add_argument("--html", metavar=words("args.FILE"), help=words("args.html"))
    return top
