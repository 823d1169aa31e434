"""Messages: cli."""

from __future__ import annotations

CLI: dict[str, dict[str, tuple[str, str | None]]] = {
}
