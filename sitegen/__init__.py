"""sitegen: Markdown columns in, a static intranet site out."""

__version__ = "0.1.0"
