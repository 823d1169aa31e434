"""Messages in the site's language: what is wrong, at the line where it is, and what to type,
in Chinese on a zh-CN site and in English on an en one; the system's language without a site."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import NO_REPORT_WARNINGS, NO_SEARCH, SITE_TOML, SiteDir, column, post, run_cli
from sitegen.errors import SiteError
from sitegen.messages import CATALOGUE, system_language
from sitegen.serve import BuildState
from sitegen.watch import Outcome


def mistaken_site(tmp_path, language: str) -> SiteDir:
    return SiteDir(tmp_path / "site").write({
        "site.toml": SITE_TOML.replace('"en"', f'"{language}"') + NO_SEARCH + NO_REPORT_WARNINGS,
        "columns/news/_index.md": column("新闻", 1),
        "columns/news/2019-03-01-lesson.md": post("党课", "2019-03-01"),
        "columns/news/draft.md": post("草稿", "2019-03-02", "draft: true\n"),
        "columns/news/links.md": post("链接", "2019-03-03", body="见[党课](2019-03-01-lessen.md)。\n\n"
                                                                "另见[草稿](draft.md)。\n"),
        "columns/news/slug.md": post("网址", "2019-03-04", "slug: lesson\n"),
        "columns/news/tags.md": post("标签", "2019-03-05", "tags: [\"!!!\"]\n"),
    })


EXPECTED = {
    "en": [
        "columns/news/links.md:6: links to a file that does not exist: '2019-03-01-lessen.md' (did you mean '2019-03-01-lesson.md'?)",
        "columns/news/links.md:8: links to a post that this build leaves out, because it is a draft: 'draft.md' "
        "(publish that post first, or remove the link)",
        "columns/news/slug.md:4: this post gets the same web address /news/lesson/ as columns/news/2019-03-01-lesson.md "
        "(give one of them a different 'slug:' or file name)",
        "columns/news/tags.md:4: the tag '!!!' gives no usable web address (use words, digits or Chinese characters in tags)",
        "4 error(s), 0 warning(s)",
    ],
    "zh-CN": [
        "columns/news/links.md:6: 链接的文件不存在：“2019-03-01-lessen.md”（是不是“2019-03-01-lesson.md”？）",
        "columns/news/links.md:8: 链接的文章是草稿，还没有发布：“draft.md”（先发布那篇文章，或者删掉这个链接）",
        "columns/news/slug.md:4: 这篇文章的网址 /news/lesson/ 和 columns/news/2019-03-01-lesson.md 的一样"
        "（给其中一篇换个文件名，或加一行不同的“slug:”）",
        "columns/news/tags.md:4: 标签 '!!!' 无法变成网址（标签请用汉字、字母或数字）",
        "4 处错误，0 个警告",
    ],
}


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_check_says_each_mistake_at_its_line_in_the_sites_language(tmp_path, language):
    run = run_cli("check", "--source", str(mistaken_site(tmp_path, language).root))
    assert run.returncode == 1
    assert (run.stderr + run.stdout).splitlines() == EXPECTED[language]


@pytest.mark.parametrize(("language", "last"), [
    ("en", "build failed: 4 error(s); the output folder was left as it was"),
    ("zh-CN", "生成失败：有 4 处错误；网站保持原样，没有任何改动"),
])
def test_a_failed_build_says_so_in_the_sites_language(tmp_path, language, last):
    run = run_cli("build", "--source", str(mistaken_site(tmp_path, language).root))
    lines = run.stderr.splitlines()
    assert run.returncode == 1 and lines[-1] == last
    assert lines[:4] == EXPECTED[language][:4]


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh_CN.UTF-8", "site.toml: 在 {root} 里没有找到 site.toml（新建 site.toml，至少写两行：title = \"网站名称\" 和 "
                    "base_url = \"http://intranet.example/\"）"),
    ("C.UTF-8", "site.toml: no site.toml found in {root} (create it with at least: title = \"My site\" and "
                "base_url = \"http://intranet.example/\")"),
])
def test_without_a_site_the_message_follows_the_systems_language(tmp_path, lang, expected):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    run = subprocess.run([sys.executable, "-m", "sitegen", "check", "--source", str(tmp_path)], capture_output=True,
                         text=True, timeout=120, env={**env, "LANG": lang})
    assert run.stderr.strip() == expected.format(root=tmp_path)


def test_the_system_language_is_chinese_when_the_locale_says_so():
    assert system_language({"LANG": "zh_CN.UTF-8"}) == "zh-CN"
    assert system_language({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert system_language({"LANGUAGE": "zh_TW:en"}) == "zh-CN"


def test_the_serve_error_box_is_in_the_sites_language(tmp_path):
    site = mistaken_site(tmp_path, "zh-CN")
    state = BuildState()
    state.root = site.root
    problem = SiteError.of(site.root / "columns/news/a.md", 3, "fm.missing", key="title")
    shown = json.loads(state.as_json(Outcome(2, None, (problem,))))
    assert shown["heading"] == "sitegen：生成失败，下面列出了问题；页面显示的是上一次生成成功的网站。"
    assert shown["problems"] == ["columns/news/a.md:3: 设置里缺少“title”（加一行 title: ……）"]


def test_every_message_has_both_languages_and_a_chinese_hint_where_the_english_has_one():
    for key, entry in CATALOGUE.items():
        assert set(entry) == {"en", "zh-CN"}, key
        assert entry["en"][0] and entry["zh-CN"][0], key
        assert entry["zh-CN"][1] is not None or entry["en"][1] is None, key
