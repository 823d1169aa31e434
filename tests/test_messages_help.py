"""The command line's help on a Chinese site, as a terminal shows it: a Chinese character takes
two columns, so every help text starts in one column whatever the placeholders before it
(--source 文件夹), a usage line's second line starts under its first, and no line runs past
the terminal's edge."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import NO_REPORT_WARNINGS, NO_SEARCH, SiteDir

WIDTH = 80


def columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def help_of(root: Path, *args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-m", "sitegen", *args, "--help"], cwd=root, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "COLUMNS": str(WIDTH)}, check=True)
    return done.stdout.splitlines()


def help_columns(lines: list[str]) -> list[int]:
    """The column each help text starts in: after an option or a placeholder and two spaces, or
    on a line of its own, a help text wrapped onto it."""
    found = []
    for line in lines:
        entry = re.fullmatch(r"( +)(-\S+(?:,? \S+)*|[^\s-]\S*)( {2,})(\S.*)", line)
        if entry:
            found.append(columns(line[:entry.start(4)]))
        elif re.fullmatch(r" {6,}\S.*", line) and not line.lstrip().startswith("["):
            found.append(len(line) - len(line.lstrip()))
    return found


@pytest.mark.parametrize("command", ["", "new", "build", "serve", "watch", "check", "report"])
def test_help_texts_start_in_one_column_on_a_chinese_site(tmp_path, command):
    site = SiteDir(tmp_path / "site").write({"site.toml": 'title = "党建"\nbase_url = "http://intranet.test/"\n'
                                                          'language = "zh-CN"\n' + NO_SEARCH + NO_REPORT_WARNINGS})
    lines = help_of(site.root, *([command] if command else []))
    assert lines[0].startswith(f"用法：sitegen {command}".rstrip()), lines
    starts = help_columns(lines)
    assert len(starts) >= 4 and len(set(starts)) == 1, "\n".join(lines)
    assert all(columns(line) <= WIDTH - 2 for line in lines), "\n".join(lines)
    usage = lines[:lines.index("")]
    first = usage[0].index("[") + columns("用法：") - len("用法：")  # the column of the first option after the command
    assert all(len(line) - len(line.lstrip()) == first for line in usage[1:]), "\n".join(usage)


def test_the_help_of_new_shows_chinese_placeholders_aligned(tmp_path):
    site = SiteDir(tmp_path / "site").write({"site.toml": 'title = "党建"\nbase_url = "http://intranet.test/"\n'
                                                          'language = "zh-CN"\n'})
    lines = help_of(site.root, "new")
    assert lines[lines.index("要写的内容："):] == [
        "要写的内容：",
        "  栏目             栏目的文件夹名或栏目名称，例如 study 或 专题学习",
        "  标题             文章标题（不用加引号）",
        "",
        "选项：",
        "  -h, --help       显示这段说明",
        "  --source 文件夹  网站所在的文件夹（不写就是当前文件夹）",
    ]
