"""The `sitegen` command line as an editor uses it: real subprocesses, real exit codes,
messages read from stdout/stderr, results read from the files it wrote."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from conftest import column, post, run_cli, served


def tree(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under folder -> (mtime_ns, bytes)."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in served(folder)}


def h1(path: Path) -> str:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser").find("h1").get_text(strip=True)


def two_columns(site):
    return site.write({
        "columns/study/_index.md": column("Study", 2),
        "columns/news/2019-01-01-a.md": post("A", "2019-01-01"),
        "columns/news/2019-02-01-b.md": post("B", "2019-02-01"),
        "columns/study/2019-03-01-c.md": post("C", "2019-03-01"),
    })


BAD_DATE = "---\ntitle: Bad date\ndate: 2019-02-30\n---\n\nText.\n"  # line 3
BAD_LINK = "---\ntitle: Bad link\ndate: 2019-01-01\n---\n\nIntro.\n\nSee [this](missing-post.md).\n"  # line 8
NO_TITLE = "---\ndate: 2019-01-01\nauthor: Wang\n---\n\nText.\n"  # line 1


def break_site(site):
    return site.write({
        "columns/news/bad.md": BAD_DATE,
        "columns/news/link.md": BAD_LINK,
        "columns/study/untitled.md": NO_TITLE,
    })


# ----------------------------------------------------------------------------- build


def test_build_prints_a_one_line_summary_and_exits_0(site, tmp_path):
    two_columns(site)
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    result = run_cli("build", "--source", str(site.root), cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert list(elsewhere.iterdir()) == []  # the default output is inside the source
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout
    summary = lines[0]
    assert re.search(r"\b\d+ pages\b", summary)
    assert "News 2" in summary and "Study 1" in summary  # posts per column
    assert re.search(r"\b0 warnings\b", summary)
    assert re.search(r"\d+(\.\d+)? ?s\b", summary)  # the time it took
    assert result.stderr == ""
    assert (site.output / "news/a/index.html").is_file()


def test_build_reports_warnings_in_the_summary_and_still_builds(site):
    site.write({"columns/news/2019-01-01-a.md": post("A", "2019-01-01", "colour: red\n")})
    result = run_cli("build", cwd=site.root)
    assert result.returncode == 0
    assert "columns/news/2019-01-01-a.md:4: warning:" in result.stderr
    assert "colour" in result.stderr
    assert re.search(r"\b1 warnings?\b", result.stdout)
    assert (site.output / "news/a/index.html").is_file()


def test_build_with_content_errors_prints_each_as_path_line_message_and_leaves_the_output(site):
    two_columns(site).build()
    before = tree(site.output)
    break_site(site)
    site.write({"columns/news/2019-01-01-a.md": post("A changed", "2019-01-01")})  # would be rewritten
    result = run_cli("build", cwd=site.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    for location in ("columns/news/bad.md:3: ", "columns/news/link.md:8: ", "columns/study/untitled.md:1: "):
        assert any(line.startswith(location) for line in lines), (location, result.stderr)
    assert "2019-02-30" in result.stderr and "missing-post.md" in result.stderr and "title" in result.stderr
    assert str(site.root) not in result.stderr  # paths are relative to the site
    assert tree(site.output) == before


def test_build_in_a_site_with_errors_and_no_output_yet_creates_nothing(site):
    break_site(site)
    result = run_cli("build", cwd=site.root)
    assert result.returncode == 1
    assert not site.output.exists()


def test_build_without_a_site_toml_says_so_without_a_traceback(tmp_path):
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "site.toml" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_build_refuses_a_non_empty_folder_it_did_not_create(site, tmp_path):
    two_columns(site)
    folder = tmp_path / "my-documents"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"precious")
    result = run_cli("build", "--output", str(folder), cwd=site.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "not empty" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["thesis.docx"]


def test_build_blocked_by_a_file_in_the_output_prints_a_message_not_a_traceback(site):
    site.write({"columns/news/2019-01-01-a.md": post("A", "2019-01-01", "tags: [x]\n")}).build()
    shutil.rmtree(site.output / "tags/x")
    (site.output / "tags/x").write_text("a person's file", "utf-8")
    result = run_cli("build", cwd=site.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "tags/x" in result.stderr


def test_build_drafts_future_and_output_options(site, tmp_path):
    site.write({
        "columns/news/2019-01-01-public.md": post("Public", "2019-01-01"),
        "columns/news/2019-02-01-draft.md": post("Draft", "2019-02-01", "draft: true\n"),
        "columns/news/2099-01-01-future.md": post("Future", "2099-01-01"),
    })

    def built(*flags, output=None):
        result = run_cli("build", *flags, *(["--output", str(output)] if output else []), cwd=site.root)
        assert result.returncode == 0, result.stderr
        folder = output or site.output
        return {name for name in ("public", "draft", "future") if (folder / "news" / name / "index.html").is_file()}

    assert built() == {"public"}
    assert built("--drafts", output=tmp_path / "with-drafts") == {"public", "draft"}
    assert built("--future", output=tmp_path / "public" / "with-future") == {"public", "future"}
    assert built("--drafts", "--future", output=tmp_path / "both") == {"public", "draft", "future"}
    assert h1(tmp_path / "both/news/future/index.html") == "Future"
    assert sorted(p.name for p in site.root.iterdir()) == ["columns", "output", "site.toml"]


# ----------------------------------------------------------------------------- check


def test_check_lists_every_problem_writes_nothing_and_exits_1(site):
    two_columns(site)
    break_site(site)
    site.write({"columns/news/2019-01-01-a.md": post("A", "2019-01-01", "colour: red\n")})  # and a warning
    before = tree(site.root)
    result = run_cli("check", cwd=site.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    output = result.stdout + result.stderr
    for location in ("columns/news/bad.md:3: ", "columns/news/link.md:8: ", "columns/study/untitled.md:1: ",
                     "columns/news/2019-01-01-a.md:4: warning:"):
        assert location in output, (location, output)
    assert not site.output.exists()
    assert tree(site.root) == before


def test_check_with_only_warnings_exits_0_and_writes_nothing(site):
    site.write({"columns/news/2019-01-01-a.md": post("A", "2019-01-01", "colour: red\n")})
    result = run_cli("check", cwd=site.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "columns/news/2019-01-01-a.md:4: warning:" in result.stdout + result.stderr
    assert not site.output.exists()


# ----------------------------------------------------------------------------- new


def test_new_creates_a_draft_post_with_title_and_date_that_builds(site):
    result = run_cli("new", "news", "Title 标题", cwd=site.root)
    assert result.returncode == 0, result.stderr
    printed = result.stdout.strip()
    match = re.fullmatch(r"columns/news/(\d{4}-\d{2}-\d{2})-title-biao-ti\.md", printed)
    assert match, printed
    made = date.fromisoformat(match.group(1))
    assert abs((made - datetime.now(ZoneInfo("Asia/Shanghai")).date()).days) <= 1
    path = site.root / printed
    text = path.read_text("utf-8")
    front = text.split("---")[1]
    assert re.search(r"^title: \"?Title 标题\"?$", front, re.MULTILINE)
    assert re.search(rf"^date: {match.group(1)}", front, re.MULTILINE)

    assert run_cli("build", cwd=site.root).returncode == 0
    assert not (site.output / "news/title-biao-ti").exists()  # created as a draft
    result = run_cli("build", "--drafts", cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert h1(site.output / "news/title-biao-ti/index.html") == "Title 标题"


def new_posts_keep_their_titles(site, tmp_path, titles):
    for title in titles:  # with --source, from another folder
        result = run_cli("new", "news", title, "--source", str(site.root), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert (site.root / result.stdout.strip()).is_file()
    assert not (tmp_path / "columns").exists()
    built = run_cli("build", "--drafts", cwd=site.root)
    assert built.returncode == 0, built.stderr
    assert sorted(h1(p) for p in site.output.glob("news/*/index.html")) == sorted(titles)


def test_new_keeps_titles_with_quotes_colons_and_hashes(site, tmp_path):
    new_posts_keep_their_titles(site, tmp_path, ['He said "hello"', "Colon: a title # not a comment"])


def test_new_keeps_titles_with_backslashes(site, tmp_path):
    new_posts_keep_their_titles(site, tmp_path, [r"Notes on C:\new\table"])


def test_new_twice_with_the_same_title_does_not_overwrite(site):
    first = run_cli("new", "news", "Same", cwd=site.root)
    path = site.root / first.stdout.strip()
    path.write_text(path.read_text("utf-8") + "\nMy words.\n", "utf-8")
    second = run_cli("new", "news", "Same", cwd=site.root)
    assert second.returncode == 1
    assert "already exists" in second.stderr
    assert "My words." in path.read_text("utf-8")


def test_new_with_an_unknown_column_exits_1_naming_the_columns(site):
    site.write({"columns/study/_index.md": column("Study", 2)})
    result = run_cli("new", "events", "Title", cwd=site.root)
    assert result.returncode == 1
    assert "events" in result.stderr
    assert "news" in result.stderr and "study" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site.root / "columns/events").exists()
    assert sorted(p.name for p in (site.root / "columns/news").iterdir()) == ["_index.md"]


def test_new_refuses_a_page_column(site):
    site.write({"columns/mailbox/_index.md": column("Mailbox", 2, "layout: page\n")})
    result = run_cli("new", "mailbox", "A letter", cwd=site.root)
    assert result.returncode == 1
    assert "mailbox" in result.stderr
    assert sorted(p.name for p in (site.root / "columns/mailbox").iterdir()) == ["_index.md"]


def test_new_refuses_an_empty_title(site):
    result = run_cli("new", "news", "  ", cwd=site.root)
    assert result.returncode != 0
    assert sorted(p.name for p in (site.root / "columns/news").iterdir()) == ["_index.md"]
