"""The one error type every user mistake becomes: it names the file, the line and the fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence


@dataclass(eq=False)
class SiteError(Exception):
    """A problem in the user's files. `line` is 1-based; None when no line applies.

    Not frozen: raising sets __traceback__ and friends on the instance.
    """

    path: Path | None
    line: int | None
    message: str
    hint: str | None = None
    severity: str = "error"  # or "warning"

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Exceptions pickle their args, which a dataclass leaves empty; workers send these back.
        return (SiteError, (self.path, self.line, self.message, self.hint, self.severity))

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

    def format(self, root: Path | None = None) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        text = f"{self.location(root)}: {prefix}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def __str__(self) -> str:
        return self.format()

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def problems_to_plain(problems: Sequence[SiteError]) -> list[list[Any]]:
    """Problems as plain values, for the store (JSON) and the no-change state."""
    return [[str(p.path) if p.path else None, p.line, p.message, p.hint, p.severity] for p in problems]


def problems_from_plain(rows: list[list[Any]]) -> tuple[SiteError, ...]:
    """problems_to_plain's rows as problems again (a row of another shape raises ValueError or TypeError)."""
    return tuple(SiteError(Path(path) if path else None, line, message, hint, severity)
                 for path, line, message, hint, severity in rows)


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
