"""The Jinja environment: the site's templates over the default theme, autoescaped, strict."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from .cjk import squeeze
from .errors import SiteError
from .i18n import Translator, UnknownText
from .layout import TEMPLATES_DIR, default_theme
from .model import CARD_FIELDS, Card, Post, Site
from .pages import Page, PostPage
from .picture_html import BODY_SIZES
from .sources import readable_files
from .template_reasons import runtime_reason, syntax_reason
from .urls import file_url, join_url

FINGERPRINTED = (".css", ".js")


@dataclass(frozen=True)
class ThemeFile:
    source: Path
    relpath: str  # under the output folder, fingerprinted for CSS and JS


class Theme:
    """Template folders (the site's first) and the static files they bring, with the problems
    found in them (files that cannot be read, FIFOs skipped): the build reports them."""

    def __init__(self, root: Path) -> None:
        folders = [root / TEMPLATES_DIR, default_theme()]
        seen: list[Path] = []
        for folder in folders:
            if folder.is_dir() and folder.resolve() not in seen:
                seen.append(folder.resolve())
        self.folders = seen
        self.files: dict[str, ThemeFile] = {}
        self.problems: list[SiteError] = []
        self._found: dict[Path, list[Path]] = {}  # each folder's files, for fingerprint()
        for folder in self.folders:
            self._found[folder], problems = readable_files(folder)
            self.problems += problems
        for folder in reversed(self.folders):  # the site's files override the theme's
            static = folder / "static"
            if not static.is_dir():
                continue
            files, problems = readable_files(static) if static.is_symlink() else (self._found[folder], [])
            self.problems += problems
            for path in files:
                if path.name.startswith(".") or static not in path.parents:
                    continue
                name = path.relative_to(static).as_posix()
                relpath = f"static/{name}"
                if path.suffix in FINGERPRINTED:
                    digest = hashlib.sha256(_read(path)).hexdigest()[:10]
                    relpath = f"static/{name[: -len(path.suffix)]}.{digest}{path.suffix}"
                self.files[name] = ThemeFile(path, relpath)

    def fingerprint(self) -> str:
        """Changes whenever any template or theme file changes (for caches)."""
        digest = hashlib.sha256()
        for folder in self.folders:
            for path in self._found[folder]:
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(_read(path))
        return digest.hexdigest()


def _read(path: Path) -> bytes:
    """A theme file's bytes; one that cannot be read (any more) is already among the problems,
    or will be in the next build's."""
    try:
        return path.read_bytes()
    except OSError as exc:
        return f"unreadable: {exc}".encode()


class Renderer:
    def __init__(self, site: Site, theme: Theme, compiled: dict[str, bytes] | None = None) -> None:
        """compiled: templates compiled by an earlier build of this process (a watcher's), each
        checked against its source by Jinja. They are never written to disk: compiled templates
        are code, and the output folder, where a cache would live, is no place to run code from."""
        config = site.config
        self.theme = theme
        self.site = site
        translator = Translator(config.language)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(f) for f in theme.folders]),
            autoescape=jinja2.select_autoescape(["html", "htm", "xml"], default_for_string=True),
            undefined=_Undefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # A renderer lives for one build (or a watcher's body-only rebuilds, which a template
            # edit never takes): no need to stat every template on every page.
            auto_reload=False,
        )
        self.env.filters["date"] = translator.date
        self.env.filters["isodate"] = _isodate
        # striptags, without the space it leaves between two Chinese characters (cjk.py)
        self.env.filters["plain"] = lambda html: squeeze(Markup(html).striptags())
        self.env.globals.update(
            site=config,
            columns=site.columns,
            t=translator,
            asset=_Asset(self.asset),
            home_url=config.base_path,
            archive_url=join_url(config.base_path, "archive"),
            tags_url=join_url(config.base_path, "tags"),
            search_url=join_url(config.base_path, "search") if config.search else None,
            feeds=[],
            fragment=_Fragments(),
            # A photo by any of its versions' URLs (a card's cover_url): its sizes and srcset.
            # Its URLs name its content, so a page's digest of the URL covers all of it.
            photo={url: photo for photo in site.photos for url in (*photo.urls, photo.link)}.get,
            photo_sizes=BODY_SIZES,
        )
        self.compiled = {} if compiled is None else compiled
        self.env.bytecode_cache = _InMemory(self.compiled)

    def prepare(self, names: set[str]) -> None:
        """Compiles these templates now, before worker processes are forked, so that each worker
        inherits them instead of compiling its own (a template that fails is reported by render)."""
        for name in sorted(names):
            try:
                self.env.get_template(name)
            except Exception:  # noqa: BLE001 - render() says what is wrong, for the page that uses it
                pass

    def asset(self, name: str) -> str:
        try:
            return file_url(self.site.config.base_path, self.theme.files[name].relpath)
        except KeyError:
            raise MissingAsset(name) from None

    def render(self, page: Page, **extra: Any) -> bytes:
        """One page -> bytes; template mistakes become SiteErrors naming the template and line."""
        try:
            template = self.env.get_template(page.template)
            html = template.render(**page.template_variables(), **extra)
        except jinja2.TemplateSyntaxError as exc:  # (an unclosed comment or raw names its file as exc.name)
            where = exc.filename or exc.name
            raise SiteError.of(Path(where) if where else None, exc.lineno, "tpl.syntax",
                               **syntax_reason(exc.message or "")) from None
        except jinja2.TemplateNotFound as exc:  # the page's own template, or one it includes, extends or imports
            path, line = _template_frame(exc)
            raise SiteError.of(path, line, "tpl.not_found", name=exc.name,
                               folders=", ".join(map(str, self.theme.folders))) from None
        except SiteError:  # a problem with what the page shows (a post's body could not be made): it says where
            raise
        except (NotOnCard, MissingAsset, UnknownText) as exc:  # the same on every page that uses the template: said once (render_stale)
            path, line = _template_frame(exc)
            if isinstance(exc, MissingAsset):
                raise SiteError.of(path, line, "tpl.asset", name=exc.name) from None
            if isinstance(exc, UnknownText):
                raise SiteError.of(path, line, "tpl.text", name=exc.key) from None
            shown = "word.cards_post" if isinstance(page, PostPage) else "word.cards_list"
            raise SiteError.of(path, line, "tpl.card", shown=shown, fields=", ".join(CARD_FIELDS),
                               **runtime_reason(exc)) from None
        except Exception as exc:  # a runtime error inside a template: report where it happened
            path, line = _template_frame(exc)
            raise SiteError.of(path, line, "tpl.runtime", url=page.url, **runtime_reason(exc)) from None
        return html.encode("utf-8")


class MissingAsset(LookupError):
    """A template asked asset() for a file templates/static/ does not have."""

    def __init__(self, name: str) -> None:
        super().__init__(f"asset({name!r}): no such file in templates/static/")
        self.name = name


class NotOnCard(jinja2.UndefinedError):
    """A template asked a post's card for what only the post's own page has."""


# What a template may ask of a post on its own page (fields, body_html, ...).
_POST_NAMES = frozenset(f.name for f in fields(Post)) | {name for name in vars(Post) if not name.startswith("_")}


class _Undefined(jinja2.StrictUndefined):
    """Jinja's strict undefined, saying plainly what went wrong when a template asked a card for
    more than it has: a page's digest covers the cards it shows and nothing else of those posts,
    so a page showing more would go stale when only that changed (see model.Card)."""

    __slots__ = ()

    def __init__(self, hint: str | None = None, obj: Any = jinja2.utils.missing, name: str | None = None,
                 exc: type[jinja2.TemplateRuntimeError] = jinja2.UndefinedError) -> None:
        super().__init__(hint, obj, name, NotOnCard if isinstance(obj, Card) else exc)

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint or not isinstance(self._undefined_obj, Card):
            return super()._undefined_message
        if self._undefined_name in _POST_NAMES:
            return f"{self._undefined_name!r} is only on the post's own page (post.html)"
        return f"a card has no {self._undefined_name!r}"


class _InMemory(jinja2.BytecodeCache):
    """Compiled templates by Jinja's key for each template; Jinja checks the source's checksum."""

    def __init__(self, kept: dict[str, bytes]) -> None:
        self.kept = kept

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        found = self.kept.get(bucket.key)
        if found is not None:
            bucket.bytecode_from_string(found)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


class _Fragments:
    """fragment() for templates: {% call fragment(a, b, ...) %}...{% endcall %} renders the
    body once for each set of arguments and gives the same HTML for the rest of the build.
    The arguments must name everything the body shows (a string or number by its value, any
    other object by its identity), so that a part of the page shared by many pages, such as the
    navigation of a column or the card of a post, is built once."""

    jinja_pass_arg = None

    def __init__(self) -> None:
        self._made: dict[tuple[Any, ...], tuple[Any, tuple[Any, ...]]] = {}

    def __call__(self, *key: Any, caller: Callable[[], Any]) -> Any:
        index = tuple(map(_identity, key))
        made = self._made.get(index)
        if made is None:
            # The arguments are kept with the HTML: no object named by identity can be freed
            # and its id given to another while the entry stands.
            made = self._made[index] = (caller(), key)
        return made[0]

    __call__.jinja_pass_arg = None  # type: ignore[attr-defined]


_BY_VALUE = frozenset((str, int, float, bool, type(None)))


def _identity(value: Any) -> tuple[Any, ...]:
    kind = type(value)
    if kind in _BY_VALUE:
        return (kind, value)
    if kind is tuple or kind is list:
        return (kind, *map(_identity, value))
    return (kind, id(value))


class _Asset:
    """asset() for templates: remembers each URL (every page asks for the same few), and tells
    Jinja it wants no context (see Translator.jinja_pass_arg)."""

    jinja_pass_arg = None

    def __init__(self, find: Callable[[str], str]) -> None:
        self._find = find
        self._urls: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = self._find(name)
        return url

    __call__.jinja_pass_arg = None  # type: ignore[attr-defined]


def _isodate(value: date | datetime) -> str:
    return value.isoformat()


def _template_frame(exc: BaseException) -> tuple[Path | None, int | None]:
    """Jinja rewrites tracebacks so template frames carry the template's file and line."""
    found: tuple[Path | None, int | None] = (None, None)
    tb = exc.__traceback__ or sys.exc_info()[2]
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (Path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found
