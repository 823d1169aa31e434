"""The one error type every user mistake becomes: it names the file, the line and the fix.

A problem made from the message catalogue (messages.py) keeps its key and values, so the edge
that prints it (the command line, the watcher's log, serve's error page) says it in the site's
language; `message` and `hint` are its English text, which tests and logs may read as before."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .messages import render


@dataclass(eq=False)
class SiteError(Exception):
    """A problem in the user's files. `line` is 1-based; None when no line applies.

    Not frozen: raising sets __traceback__ and friends on the instance.
    """

    path: Path | None
    line: int | None
    message: str
    hint: str | None = None
    severity: str = "error"  # or "warning", or "note": something worth knowing, not wrong (a draft left out)
    key: str | None = None  # the catalogue entry this was made from (messages.py)
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, path: Path | None, line: int | None, message_key: str, severity: str = "error", /,
           **values: Any) -> "SiteError":
        """A problem from the catalogue: its English text now, any language at the edge."""
        plain = tuple((name, str(value)) for name, value in values.items())
        message, hint = render(message_key, "en", dict(plain))
        return cls(path, line, message, hint, severity, message_key, plain)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Exceptions pickle their args, which a dataclass leaves empty; workers send these back.
        return (SiteError, (self.path, self.line, self.message, self.hint, self.severity, self.key, self.values))

    def location(self, root: Path | None = None) -> str:
        if self.path is None:
            return "sitegen"
        path = self.path
        if root is not None:
            try:
                path = path.relative_to(root)
            except ValueError:
                pass
        return f"{path}:{self.line}" if self.line else str(path)

    def texts(self, language: str = "en") -> tuple[str, str | None]:
        """(message, hint) in `language`; English for a problem not made from the catalogue."""
        if self.key is None or language == "en":
            return self.message, self.hint
        return render(self.key, language, dict(self.values))

    def format(self, root: Path | None = None, language: str = "en") -> str:
        message, hint = self.texts(language)
        if language == "zh-CN":
            prefix = {"warning": "警告：", "note": "提示："}.get(self.severity, "")
            return f"{self.location(root)}: {prefix}{message}" + (f"（{hint}）" if hint else "")
        prefix = {"warning": "warning: ", "note": "note: "}.get(self.severity, "")
        return f"{self.location(root)}: {prefix}{message}" + (f" ({hint})" if hint else "")

    def __str__(self) -> str:
        return self.format()

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def is_note(self) -> bool:
        return self.severity == "note"


def problems_to_plain(problems: Sequence[SiteError]) -> list[list[Any]]:
    """Problems as plain values, for the store (JSON) and the no-change state."""
    return [[str(p.path) if p.path else None, p.line, p.message, p.hint, p.severity, p.key, [list(v) for v in p.values]]
            for p in problems]


def problems_from_plain(rows: list[list[Any]]) -> tuple[SiteError, ...]:
    """problems_to_plain's rows as problems again (a row of another shape raises ValueError or TypeError)."""
    return tuple(SiteError(Path(path) if path else None, line, message, hint, severity, key,
                           tuple((str(name), str(value)) for name, value in values))
                 for path, line, message, hint, severity, key, values in rows)


def warning(path: Path | None, line: int | None, message: str, hint: str | None = None) -> SiteError:
    return SiteError(path, line, message, hint, severity="warning")


class BuildFailed(Exception):
    """Raised when a build found errors; carries every one of them, warnings included."""

    def __init__(self, problems: list[SiteError]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        super().__init__(f"{len(errors)} error(s)")

    @property
    def errors(self) -> list[SiteError]:
        return [p for p in self.problems if p.is_error]
