"""Where things are: the folders a site is built from, and sitegen's default theme. Kept free
of imports, so a build that finds nothing changed can look at them without loading the pipeline."""

from __future__ import annotations

from pathlib import Path

COLUMNS_DIR = "columns"
STATIC_DIR = "static"
TEMPLATES_DIR = "templates"
SOURCE_DIRS = (COLUMNS_DIR, STATIC_DIR, TEMPLATES_DIR)  # beside site.toml


def default_theme() -> Path:
    """The default theme: inside the package when installed from a wheel, else the
    repository's top-level templates/ (editable install or a checkout)."""
    packaged = Path(__file__).parent / "_theme"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / TEMPLATES_DIR
