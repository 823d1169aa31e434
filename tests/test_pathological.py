"""No post can stall or crash the site: a corpus of inputs on which Python-Markdown is very
slow or recursive builds in seconds, each bad post an error naming it, the others fine."""

from __future__ import annotations

import threading

import pytest

from conftest import NO_REPORT_WARNINGS, NO_SEARCH, SITE_TOML, SiteDir, column, post
from sitegen.errors import BuildFailed
from sitegen.guard import Deadline, MarkdownTimeout

# name -> (body, the line of the error in the file, its English text); None: the post builds.
CORPUS = {
    "deep-list": ("".join("  " * i + "- x\n" for i in range(300)), 206,
                  "lists or quotes nested 101 levels deep, more than 100 (so deep a post cannot be read; use fewer "
                  "levels of indentation or '>')"),
    "deep-quote": (">" * 1000 + " x\n", 6, "lists or quotes nested 1000 levels deep, more than 100 (so deep a post "
                                         "cannot be read; use fewer levels of indentation or '>')"),
    "brackets": ("[" * 20000 + "]" * 20000 + "\n", 6, "more than 1000 '[' in the paragraph starting here (a '[' starts "
                                                     "a link; split the paragraph, or write \\[ for a bracket that is just text)"),
    "open-links": ("[a](" * 10000 + "\n", 6, "more than 1000 '[' in the paragraph starting here (a '[' starts a link; "
                                           "split the paragraph, or write \\[ for a bracket that is just text)"),
    "emphasis-run": ("*" * 20000 + "a" + "*" * 20000 + "\n", 6,
                     "a run of 20000 '*' characters, more than 1000 (remove the extra characters)"),
    "backticks": ("Text.\n\n" + "`" * 20000 + "a\n", 8, "a run of 20000 '`' characters, more than 1000 (remove the extra characters)"),
    "nested-emphasis": ("*_" * 60 + "x" + "_*" * 60 + "\n", None, None),
    "unclosed-comment": ("<!--" + "x\n" * 20000, None, None),
    "many-comments": ("<!-- -->" * 10000 + "\n", None, None),
    "html-nesting": ("<div>" * 5000 + "\n", None, None),
    "alternating-emphasis": ("*a " * 10000 + "\n", None, None),
    "brackets-in-code": ("```\n" + "[" * 5000 + "\n```\n", None, None),
}


def corpus_site(tmp_path, language: str) -> SiteDir:
    files = {f"columns/news/{name}.md": post(name, body=body) for name, (body, _, _) in CORPUS.items()}
    return SiteDir(tmp_path / "site").write({
        "site.toml": SITE_TOML.replace('"en"', f'"{language}"') + NO_SEARCH + NO_REPORT_WARNINGS,
        "columns/news/_index.md": column("News", 1),
        "columns/news/good.md": post("Good", body="全体党员参加了学习。\n"),
        **files,
    })


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_pathological_post_is_an_error_at_its_line_and_the_others_are_not(tmp_path, jobs):
    site = corpus_site(tmp_path, "en")
    with pytest.raises(BuildFailed) as failed:
        site.build(jobs=jobs)
    found = sorted(p.format(site.root) for p in failed.value.problems)
    expected = sorted(f"columns/news/{name}.md:{line}: {text}" for name, (_, line, text) in CORPUS.items() if line)
    assert found == expected


def test_without_the_bad_posts_the_rest_builds(tmp_path):
    site = corpus_site(tmp_path, "en")
    for name, (_, line, _) in CORPUS.items():
        if line:
            (site.root / f"columns/news/{name}.md").unlink()
    result = site.build()
    assert result.pages and site.exists("news/unclosed-comment/index.html") and site.exists("news/good/index.html")


def test_the_messages_are_in_chinese_on_a_chinese_site(tmp_path):
    site = corpus_site(tmp_path, "zh-CN")
    with pytest.raises(BuildFailed) as failed:
        site.build()
    said = {p.path.name: p.format(site.root, "zh-CN") for p in failed.value.problems}
    assert said["deep-quote.md"] == "columns/news/deep-quote.md:6: 列表或引用嵌套了 1000 层，超过了 100 层（这么深的层次无法显示；请减少缩进或“>”的层数）"
    assert said["emphasis-run.md"] == "columns/news/emphasis-run.md:6: 连续写了 20000 个“*”，超过了 1000 个（删掉多余的符号）"


def test_a_deadline_stops_work_in_another_thread_and_then_leaves_it_alone():
    deadline = Deadline(0.2)
    outcome: list[str] = []

    def work() -> None:
        try:
            with deadline.limit():
                while True:  # like a Python-Markdown loop that would never end
                    pass
        except MarkdownTimeout:
            outcome.append("stopped")
        with deadline.limit():  # the next piece of work, well within the limit
            outcome.append(str(sum(range(1000))))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive() and outcome == ["stopped", "499500"]
