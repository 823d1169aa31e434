"""Messages: content."""

from __future__ import annotations

CONTENT: dict[str, dict[str, tuple[str, str | None]]] = {
}
