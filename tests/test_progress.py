"""The progress bar shows on an interactive terminal for long builds, and nowhere else."""

from __future__ import annotations

import io

import pytest

from conftest import post, run_cli
from sitegen import progress as progress_module
from sitegen.build import Options, build
from sitegen.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def instant(monkeypatch):
    """A build counts as long from its first moment."""
    monkeypatch.setattr(progress_module, "SHOW_AFTER", 0.0)
    monkeypatch.setattr(progress_module, "REDRAW_EVERY", 0.0)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")


def test_a_long_build_on_a_terminal_shows_posts_parsed_and_pages_written(site, instant):
    site.write({f"columns/news/p{i}.md": post(f"Post {i}") for i in range(5)})
    terminal = Terminal()
    bar = Progress(terminal)
    build(site.root, site.output, Options(jobs=1, progress=bar.update))
    bar.finish()
    shown = terminal.getvalue()
    assert "posts parsed" in shown and "5/5" in shown
    assert "pages written" in shown
    assert shown.endswith("\r")  # the line is cleared for the summary


def test_no_bar_in_ci_or_when_output_is_not_a_terminal(instant, monkeypatch):
    assert not Progress(io.StringIO()).enabled
    monkeypatch.setenv("CI", "true")
    assert not Progress(Terminal()).enabled


def test_a_short_build_shows_no_bar_even_on_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    terminal = Terminal()
    bar = Progress(terminal)
    bar.update("posts parsed", 1, 2)
    assert terminal.getvalue() == ""


def test_a_piped_build_prints_only_its_summary(site):
    site.write({"columns/news/a.md": post("A")})
    result = run_cli("build", cwd=site.root)
    assert result.returncode == 0
    assert "\r" not in result.stdout + result.stderr
    assert result.stdout.startswith("built ")
