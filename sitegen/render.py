"""The Jinja environment: the site's templates over the default theme, autoescaped, strict."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2

from .errors import SiteError
from .i18n import Translator
from .layout import TEMPLATES_DIR, default_theme
from .model import Site
from .pages import Page
from .urls import file_url, join_url

FINGERPRINTED = (".css", ".js")


@dataclass(frozen=True)
class ThemeFile:
    source: Path
    relpath: str  # under the output folder, fingerprinted for CSS and JS


class Theme:
    """Template folders (the site's first) and the static files they bring."""

    def __init__(self, root: Path) -> None:
        folders = [root / TEMPLATES_DIR, default_theme()]
        seen: list[Path] = []
        for folder in folders:
            if folder.is_dir() and folder.resolve() not in seen:
                seen.append(folder.resolve())
        self.folders = seen
        self.files: dict[str, ThemeFile] = {}
        for folder in reversed(self.folders):  # the site's files override the theme's
            static = folder / "static"
            if not static.is_dir():
                continue
            for path in sorted(p for p in static.rglob("*") if p.is_file() and not p.name.startswith(".")):
                name = path.relative_to(static).as_posix()
                relpath = f"static/{name}"
                if path.suffix in FINGERPRINTED:
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
                    relpath = f"static/{name[: -len(path.suffix)]}.{digest}{path.suffix}"
                self.files[name] = ThemeFile(path, relpath)

    def fingerprint(self) -> str:
        """Changes whenever any template or theme file changes (for caches)."""
        digest = hashlib.sha256()
        for folder in self.folders:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    digest.update(path.relative_to(folder).as_posix().encode())
                    digest.update(path.read_bytes())
        return digest.hexdigest()


class Renderer:
    def __init__(self, site: Site, theme: Theme) -> None:
        config = site.config
        self.theme = theme
        self.site = site
        translator = Translator(config.language)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(f) for f in theme.folders]),
            autoescape=jinja2.select_autoescape(["html", "htm", "xml"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["date"] = translator.date
        self.env.filters["isodate"] = _isodate
        self.env.globals.update(
            site=config,
            columns=site.columns,
            t=translator,
            asset=self.asset,
            home_url=config.base_path,
            archive_url=join_url(config.base_path, "archive"),
            tags_url=join_url(config.base_path, "tags"),
            search_url=join_url(config.base_path, "search") if config.search else None,
            feeds=[],
        )

    def asset(self, name: str) -> str:
        try:
            return file_url(self.site.config.base_path, self.theme.files[name].relpath)
        except KeyError:
            raise LookupError(f"asset({name!r}): no such file in templates/static/") from None

    def render(self, page: Page, **extra: Any) -> bytes:
        """One page -> bytes; template mistakes become SiteErrors naming the template and line."""
        try:
            template = self.env.get_template(page.template)
            html = template.render(page=page, current_column=page.current_column, **page.context, **extra)
        except jinja2.TemplateSyntaxError as exc:
            raise SiteError(Path(exc.filename) if exc.filename else None, exc.lineno, f"template error: {exc.message}") from None
        except jinja2.TemplateNotFound as exc:
            raise SiteError(None, None, f"template not found: {exc.name}",
                            f"add it to templates/ (looked in {', '.join(map(str, self.theme.folders))})") from None
        except Exception as exc:  # a runtime error inside a template: report where it happened
            path, line = _template_frame(exc)
            raise SiteError(path, line, f"template error while rendering {page.url}: {exc}") from None
        return html.encode("utf-8")


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
