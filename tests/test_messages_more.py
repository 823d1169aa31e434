"""Every message sitegen prints is in the site's language: site.toml's mistakes, the site's odd
files, the output folder, templates, the command line's own usage lines, the lock's waiting
line, the watcher's crash line and the preview server's failed request. Each case is a real
command run on a zh-CN site and on an en one, asserting the exact line: file, line, what is
wrong and what to type instead."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import NO_REPORT_WARNINGS, NO_SEARCH, SiteDir, column, post, run_cli

from sitegen.build import Options, build
from sitegen.errors import BuildFailed, SiteError
from sitegen.lock import OutputLock
from sitegen.messages import CATALOGUE
from sitegen.serve import BuildState, PreviewServer
from sitegen.watch import Outcome

SITEGEN = Path(__file__).resolve().parent.parent / "sitegen"


def toml(language: str, *lines: str, without: str = "") -> str:
    """site.toml with `lines` from line 4 on; a line for title or base_url takes that one's place."""
    base = ['title = "党建"', 'base_url = "http://intranet.test/"', f'language = "{language}"']
    extra = []
    for line in lines:
        key = re.split(r"[\s=＝]", line, maxsplit=1)[0]
        if key in ("title", "base_url"):
            base[0 if key == "title" else 1] = line
        else:
            extra.append(line)
    return "\n".join([line for line in base if not line.startswith(without or "-")] + extra
                     + [NO_SEARCH + NO_REPORT_WARNINGS])


def a_site(tmp_path: Path, language: str, *lines: str, **files: str) -> SiteDir:
    return SiteDir(tmp_path / "site").write({
        "site.toml": toml(language, *lines),
        "columns/news/_index.md": column("新闻", 1),
        "columns/news/2019-03-01-lesson.md": post("党课", "2019-03-01"),
        **{name.replace("__", "/"): text for name, text in files.items()},
    })


def run(*args: str, cwd: Path | None = None) -> list[str]:
    done = run_cli(*args, cwd=cwd)
    return (done.stderr + done.stdout).splitlines()


# ----------------------------------------------------------------------------- site.toml

CONFIG_CASES = {
    "ime_quotes": (('title = “党建”',), {
        "zh-CN": 'site.toml:1: site.toml 这一行有中文输入法打出的 “ ”，site.toml 认不出来'
                 '（请切换到英文输入法输入引号和等号，改成：title = "党建"）',
        "en": 'site.toml:1: invalid TOML: this line has “ ”, typed with a Chinese input method, which site.toml '
              'cannot read (type the quotes and the = in English: title = "党建")'}),
    "ime_equals": (('feed_limit＝20',), {
        "zh-CN": 'site.toml:4: site.toml 这一行有中文输入法打出的 ＝，site.toml 认不出来'
                 '（请切换到英文输入法输入引号和等号，改成：feed_limit = 20）',
        "en": 'site.toml:4: invalid TOML: this line has ＝, typed with a Chinese input method, which site.toml '
              'cannot read (type the quotes and the = in English: feed_limit = 20)'}),
    "no_quotes": (('description = 学校党建',), {
        "zh-CN": 'site.toml:4: site.toml 这一行写得不对：等号后面的值认不出来，文字是不是忘了加英文双引号？'
                 '（每个设置单独写一行：名称 = 值；文字要用英文双引号括起来，例如 title = "党建专栏"）',
        "en": "site.toml:4: invalid TOML: the value after '=' is not one site.toml knows (each setting is one line, "
              'name = value; text goes in straight double quotes: title = "Party news")'}),
    "twice": (('feed_limit = 20', 'feed_limit = 30'), {
        "zh-CN": 'site.toml:5: site.toml 这一行写得不对：同一个设置写了两次，请删掉其中一行'
                 '（每个设置单独写一行：名称 = 值；文字要用英文双引号括起来，例如 title = "党建专栏"）',
        "en": "site.toml:5: invalid TOML: this setting is written twice (each setting is one line, "
              'name = value; text goes in straight double quotes: title = "Party news")'}),
    "wrong_type": (('posts_per_page = "十"',), {
        "zh-CN": "site.toml:4: “posts_per_page”要写整数，不能写 '十'（写一个不带引号、不带小数点的数字：posts_per_page = 10）",
        "en": "site.toml:4: 'posts_per_page' must be a whole number, not '十' (a whole number, without quotes: "
              "posts_per_page = 10)"}),
    "quoted_number": (('feed_limit = "30"',), {
        "zh-CN": "site.toml:4: “feed_limit”要写整数，不能写 '30'（写一个不带引号、不带小数点的数字：feed_limit = 30）",
        "en": "site.toml:4: 'feed_limit' must be a whole number, not '30' (a whole number, without quotes: feed_limit = 30)"}),
    "wrong_bool": (('unsafe_html = "否"',), {
        "zh-CN": "site.toml:4: “unsafe_html”只能写 true（是）或 false（否），不能写 '否'（用英文小写、不加引号：unsafe_html = false）",
        "en": "site.toml:4: 'unsafe_html' must be true or false, not '否' (true or false, in English and without quotes: "
              "unsafe_html = false)"}),
    "misspelt": (('post_per_page = 5',), {
        "zh-CN": "site.toml:4: 没有“post_per_page”这个设置（是不是“posts_per_page”？）",
        "en": "site.toml:4: unknown setting 'post_per_page' (did you mean 'posts_per_page'?)"}),
    "unknown": (('colour = "red"',), {
        "zh-CN": "site.toml:4: 没有“colour”这个设置（请删掉这一行，或者对照 README 里的设置表检查拼写）",
        "en": "site.toml:4: unknown setting 'colour' (remove this line, or check its spelling against the settings "
              "in the README)"}),
    "chinese_name": (('标题 = "党建"',), {
        "zh-CN": "site.toml:4: 设置名称要用英文写，“标题”不是设置名称（请写设置的英文名称，例如网站名称写 title；全部设置见 README）",
        "en": "site.toml:4: setting names are English words: '标题' is not one (use the setting's "
              "English name, such as title for the site's name; the README lists them all)"}),
    "timezone": (('timezone = "Beijing"',), {
        "zh-CN": "site.toml:4: 没有 'Beijing' 这个时区（中国的学校写 timezone = \"Asia/Shanghai\"）",
        "en": "site.toml:4: unknown timezone 'Beijing' (use a name such as \"Asia/Shanghai\")"}),
    "zero": (('posts_per_page = 0',), {
        "zh-CN": "site.toml:4: “posts_per_page”要大于 0，不能写 0（例如 posts_per_page = 10）",
        "en": "site.toml:4: 'posts_per_page' must be greater than 0 (for example posts_per_page = 10)"}),
    "base_url": (('base_url = "intranet.test"',), {
        "zh-CN": "site.toml:2: base_url 要写完整的网址（以 http:// 或 https:// 开头），不能写 'intranet.test'"
                 "（例如 base_url = \"http://intranet.example.edu.cn/party/\"）",
        "en": "site.toml:2: base_url must be an absolute http(s) URL, not 'intranet.test' "
              "(for example \"http://intranet.example.edu.cn/party/\")"}),
}


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_a_site_toml_mistake_is_said_at_its_line_with_the_line_to_type(tmp_path, case, language):
    lines, expected = CONFIG_CASES[case]
    site = a_site(tmp_path, language)
    site.write({"site.toml": toml(language, *lines)})
    shown = run("check", "--source", str(site.root))
    assert shown[0] == expected[language], shown


@pytest.mark.parametrize(("language", "expected"), [
    ("zh-CN", "site.toml: site.toml 里缺少“title”（网站名称）（加一行：title = \"党建专栏\"）"),
    ("en", "site.toml: 'title' is required in site.toml (add a line with the site's name: title = \"Party news\")"),
])
def test_a_missing_title_says_the_line_to_add(tmp_path, language, expected):
    site = a_site(tmp_path, language)
    site.write({"site.toml": toml(language, without="title")})
    assert run("build", "--source", str(site.root))[0] == expected


# ----------------------------------------------------------------------------- the site's files

def symlink_outside(site: SiteDir, tmp_path: Path) -> None:
    (tmp_path / "elsewhere.md").write_text(post("外面", "2019-03-02"), encoding="utf-8")
    (site.root / "columns/news/outside.md").symlink_to(tmp_path / "elsewhere.md")


FILE_CASES = {
    "symlink_outside": (symlink_outside, (), {
        "zh-CN": "columns/news/outside.md: 这是一个链接（符号链接），指向网站文件夹以外的 {tmp}/elsewhere.md，不能使用"
                 "（请把文件本身复制到网站文件夹里，不要用链接）",
        "en": "columns/news/outside.md: symlink points outside the site (to {tmp}/elsewhere.md); refused "
              "(copy the file into the site instead of linking to it)"}),
    "loop": (lambda site, tmp: (site.root / "columns/news/loop.md").symlink_to("loop.md"), (), {
        "zh-CN": "columns/news/loop.md: 链接循环：这个链接绕了一圈又指回自己（请删掉这个链接，或者让它指向真正的文件或文件夹）",
        "en": "columns/news/loop.md: symlink loop: the link leads back to itself "
              "(remove the symlink, or point it at a real file or folder)"}),
    "fifo": (lambda site, tmp: os.mkfifo(site.root / "columns/news/pipe.md"), (), {
        "zh-CN": "columns/news/pipe.md: 警告：这是命名管道（FIFO），不是普通文件，已跳过（网站文件夹里只能放文件和文件夹：请把它移走）",
        "en": "columns/news/pipe.md: warning: this is a named pipe (FIFO), not a file; skipped "
              "(only files and folders are part of a site: remove it from the site's folders)"}),
    "too_big": (lambda site, tmp: site.write({"columns/news/big.md": post("长文", body="党" * 1000)}),
                ("max_file_size_mb = 0.001",), {
        "zh-CN": "columns/news/big.md: 文件太大：3.0 KB，超过了 1.0 KB 的上限"
                 "（请把文章拆成几篇，把大的图片、视频放进附件，或者在 site.toml 里调大 max_file_size_mb）",
        "en": "columns/news/big.md: the file is 3.0 KB, over the 1.0 KB limit "
              "(split it, move large media into attachments, or raise max_file_size_mb in site.toml)"}),
    "folder_as_post": (lambda site, tmp: (site.root / "static/logo.png").mkdir(parents=True), (), None),
    "template": (lambda site, tmp: site.write({"templates/post.html": "<h1>{{ post.title }}</h1>\n{% if %}\n"}), (), {
        "zh-CN": "templates/post.html:2: 模板写错了：这里缺少内容：应该写一个变量或值，却直接遇到了“%}}”"
                 "（请在这里写上要显示或要判断的内容，例如 {{{{ post.title }}}} 或 {{% if post.tags %}}）",
        "en": "templates/post.html:2: template error: Expected an expression, got 'end of statement block' "
              "(write what to show or to test there, as in {{{{ post.title }}}} or {{% if post.tags %}})"}),
}


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("case", sorted(c for c, (_, _, expected) in FILE_CASES.items() if expected))
def test_a_files_problem_names_the_file_in_the_sites_language(tmp_path, case, language):
    make, lines, expected = FILE_CASES[case]
    site = a_site(tmp_path, language, *lines)
    make(site, tmp_path)
    shown = run("build", "--source", str(site.root))
    assert expected[language].format(tmp=tmp_path) in shown, shown


# ----------------------------------------------------------------------------- the output folder

OUTPUT_CASES = {
    "a_file": (lambda out: out.write_text("x"), {
        "zh-CN": "{out}: 输出的位置是一个文件，不是文件夹（请用 --output 换一个文件夹）",
        "en": "{out}: the output path is a file, not a folder (choose another --output)"}),
    "not_ours": (lambda out: (out.mkdir(), (out / "mine.doc").write_text("x")), {
        "zh-CN": "{out}: 这个文件夹里已经有别的文件，也不是 sitegen 生成的，不能把网站生成到这里"
                 "（请用 --output 指定一个空的或新的文件夹，或者先把这个文件夹清空）",
        "en": "{out}: refusing to build into a folder that is not empty and was not made by sitegen "
              "(choose an empty or new folder with --output, or empty this one first)"}),
    "under_a_file": (lambda out: out.parent.write_text("x"), {
        "zh-CN": "{tmp}/file: 无法建立输出文件夹 {tmp}/file/site：这里是一个文件，不是文件夹（请用 --output 换一个文件夹）",
        "en": "{tmp}/file: the output folder {tmp}/file/site cannot be made: this is a file, not a folder "
              "(choose another --output)"}),
}


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("case", sorted(OUTPUT_CASES))
def test_an_output_folder_problem_is_said_in_the_sites_language(tmp_path, case, language):
    make, expected = OUTPUT_CASES[case]
    site = a_site(tmp_path, language)
    out = tmp_path / ("file/site" if case == "under_a_file" else "out")
    make(out)
    shown = run("build", "--source", str(site.root), "--output", str(out))
    assert shown[0] == expected[language].format(out=out, tmp=tmp_path), shown


# ----------------------------------------------------------------------------- the command line

CLI_CASES = {
    "no_year": (("report", "--year", "1990"), {
        "zh-CN": "sitegen：网站里没有 1990 学年（现有的学年：2018, 2019, ",  # (and on to the current one)
        "en": "sitegen: no academic year 1990 in this site (years: 2018, 2019, "}),
    "no_column": (("new",), {
        "zh-CN": "sitegen new：出错了：缺少这些内容：栏目、标题",
        "en": "sitegen new: error: the following arguments are required: column, title"}),
    "not_a_number": (("build", "--jobs", "两"), {
        "zh-CN": "sitegen build：出错了：--jobs：'两' 不是整数（这里要写一个整数）",
        "en": "sitegen build: error: argument --jobs: invalid int value: '两'"}),
    "no_command": (("bulid",), {
        "zh-CN": "sitegen：出错了：命令：没有 'bulid' 这个命令（可以用：'build', 'check', 'new', 'serve', 'watch', 'report'）",
        "en": "sitegen: error: argument {build,check,new,serve,watch,report}: invalid choice: 'bulid' "
              "(choose from 'build', 'check', 'new', 'serve', 'watch', 'report')"}),
    "no_port": (("serve", "--port", "99999"), {
        "zh-CN": "sitegen serve：出错了：--port：没有 99999 这个端口：请写 1 到 65535 之间的数，例如 8000",
        "en": "sitegen serve: error: argument --port: there is no port 99999: write a number from 1 to 65535, such as 8000"}),
    "unknown_option": (("check", "--verbose"), {
        "zh-CN": "sitegen：出错了：认不出这些内容：--verbose",
        "en": "sitegen: error: unrecognized arguments: --verbose"}),
}


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_the_command_lines_own_mistakes_are_said_in_the_language_of_the_site_it_runs_in(tmp_path, case, language):
    args, expected = CLI_CASES[case]
    site = a_site(tmp_path, language)
    shown = run(*args, cwd=site.root)  # (no --source: the site in the current folder)
    assert any(line == expected[language] or (case == "no_year" and line.startswith(expected[language]))
               for line in shown), shown
    if language == "zh-CN" and case != "no_year":
        assert shown[0].startswith("用法：sitegen"), shown
        assert shown[-1] == "（第一行是这个命令的写法；在命令后面加 -h 可以看到详细说明）"


def test_the_help_of_a_command_is_in_the_sites_language(tmp_path):
    site = a_site(tmp_path, "zh-CN")
    shown = run("new", "-h", "--source", str(site.root))
    assert shown[0] == "用法：sitegen new [-h] [--source 文件夹] 栏目 [标题 ...]"
    assert "新建一篇文章，并显示它的文件位置" in shown
    assert any(line.split() == ["栏目", "栏目的文件夹名或栏目名称，例如", "study", "或", "专题学习"] for line in shown), shown
    assert any(line.split() == ["-h,", "--help", "显示这段说明"] for line in shown), shown
    assert "要写的内容：" in shown and "选项：" in shown
    english = run("new", "-h", "--source", str(a_site(tmp_path / "en", "en").root))
    assert english[0] == "usage: sitegen new [-h] [--source FOLDER] column [title ...]"
    assert any(line.split()[:2] == ["--source", "FOLDER"] and "the site's folder" in line for line in english), english


def test_without_a_site_the_command_line_follows_the_systems_language(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}

    def shown(lang: str) -> str:
        return subprocess.run([sys.executable, "-m", "sitegen", "bulid"], check=False, capture_output=True, text=True, timeout=120,
                              cwd=tmp_path, env={**env, "LANG": lang}).stderr
    assert "sitegen：出错了：命令：没有 'bulid' 这个命令" in shown("zh_CN.UTF-8")
    assert "sitegen: error: argument" in shown("C.UTF-8")


# ----------------------------------------------------------------------------- no English on a zh-CN site

def test_a_chinese_sites_messages_have_no_english_sentence(tmp_path):
    """Every case above, on a zh-CN site, with the help of two more commands, an impossible port,
    and test_messages_templates.py's template, slug, link and cover mistakes: no run of three
    English words (a teacher reads English poorly)."""
    said: list[str] = []
    for number, case in enumerate(sorted(CONFIG_CASES)):
        site = a_site(tmp_path / f"c{number}", "zh-CN")
        site.write({"site.toml": toml("zh-CN", *CONFIG_CASES[case][0])})
        said += run("check", "--source", str(site.root))
    for number, (case, (make, lines, _)) in enumerate(sorted(FILE_CASES.items())):
        if case != "template":
            site = a_site(tmp_path / f"f{number}", "zh-CN", *lines)
            make(site, tmp_path)
            said += run("build", "--source", str(site.root))
    site = a_site(tmp_path / "cli", "zh-CN")
    for args, _ in CLI_CASES.values():
        said += run(*args, cwd=site.root)
    said += run("build", "-h", cwd=site.root) + run("report", "-h", cwd=site.root) + run("-h", cwd=site.root)
    for case, (make, _) in OUTPUT_CASES.items():
        out = tmp_path / "o" / case / "site"
        out.parent.parent.mkdir(parents=True, exist_ok=True)
        if case != "under_a_file":
            out.parent.mkdir()
        make(out)
        said += run("build", "--source", str(site.root), "--output", str(out))
    said += run("new", "-h", cwd=site.root) + run("serve", "-h", cwd=site.root) + run("serve", "--port", "99999", cwd=site.root)
    said += _template_and_post_mistakes(tmp_path / "t")
    english = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")
    found = [line for line in said if english.search(line.replace(str(tmp_path), ""))]
    assert not found, found
    assert len(said) > 100


def _template_and_post_mistakes(tmp_path: Path) -> list[str]:
    """test_messages_templates.py's cases on a zh-CN site, as the command line prints them, but
    for the two whose reason Jinja words in a way the catalogue does not know (kept as Jinja says it)."""
    from test_messages_templates import POST_CASES, TEMPLATE_CASES, said

    lines = []
    for number, (case, (line, _, _)) in enumerate(sorted(TEMPLATE_CASES.items())):
        if not case.startswith("other"):
            site = a_site(tmp_path / str(number), "zh-CN").write({"templates/post.html": f"<h1>{{{{ post.title }}}}</h1>\n{line}\n"})
            lines += said(site, "zh-CN")
    for number, (files, _) in enumerate(POST_CASES.values()):
        lines += said(a_site(tmp_path / f"p{number}", "zh-CN").write(files), "zh-CN")
    return lines


# ----------------------------------------------------------------------------- in the process

def test_the_waiting_line_is_in_the_sites_language(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    said: list[str] = []
    with OutputLock(out, "build", language="en"):
        second = threading.Thread(target=lambda: OutputLock(out, "build", said.append, language="zh-CN").__enter__().release())
        second.start()
        for _ in range(600):  # until the second one says it waits (no time is asserted)
            if said:
                break
            time.sleep(0.05)
    second.join(timeout=60)
    assert len(said) == 1 and re.fullmatch(rf"sitegen：请稍等：sitegen(?: \w+)? \(pid \d+\) 正在写入 {out}；"
                                           r"它结束后，本次生成就会开始|sitegen：请稍等：另一个 sitegen 正在写入 "
                                           rf"{out}；它结束后，本次生成就会开始", said[0]), said


def test_a_crashed_build_says_so_in_the_sites_language(tmp_path):
    crashed = SiteError.of(None, None, "watch.crashed", reason=repr(ValueError("x")))
    assert crashed.format(tmp_path, "zh-CN") == ("sitegen: 生成时程序出错：ValueError('x')"
                                                 "（这是 sitegen 程序的问题，不是文章的问题：请把这一行发给负责网站的老师）")
    assert str(crashed) == ("sitegen: build crashed: ValueError('x') (this is a fault in sitegen, not in your posts: "
                            "send this line to whoever looks after the site)")


@pytest.mark.parametrize(("language", "expected"), [
    ("zh-CN", "预览服务器：来自 10.0.0.7 的一次访问出错：OSError(5, 'Input/output error')（页面刷新一下通常就好）\n"),
    ("en", "preview server: a request from 10.0.0.7 failed: OSError(5, 'Input/output error')\n"),
])
def test_a_failed_preview_request_is_one_line_in_the_sites_language(capsys, language, expected):
    server = PreviewServer.__new__(PreviewServer)  # (only its error line is asked for: no socket)
    server.language = language
    try:
        raise OSError(5, "Input/output error")
    except OSError:
        server.handle_error(None, ("10.0.0.7", 5000))
    assert capsys.readouterr().err == expected


# ----------------------------------------------------------------------------- the catalogue

def test_every_message_key_in_the_code_has_a_chinese_entry():
    """Keys given to SiteError.of and say, and catalogue words passed as values, found in the
    source: each is in the catalogue with a zh-CN text (a typo would print a KeyError)."""
    used: set[str] = set()
    for path in SITEGEN.glob("*.py"):
        if path.name.startswith("messages"):
            continue
        text = path.read_text("utf-8")
        used |= set(re.findall(r'(?:SiteError\.of\([^"]*?|say\(|words\()"([a-z_]+\.[\w. ]+)"', text))
        used |= set(re.findall(r'"(word\.[\w. ]+)"', text))
    assert len(used) > 80, sorted(used)
    missing = sorted(key for key in used if "zh-CN" not in CATALOGUE.get(key, {}))
    assert not missing, missing


def test_the_serve_error_box_shows_a_site_toml_and_a_template_mistake_in_chinese(tmp_path):
    site = a_site(tmp_path, "zh-CN").write({"templates/post.html": "<h1>{{ post.title }}</h1>\n{% if %}\n"})
    state = BuildState()
    state.root = site.root
    shown = []
    for toml_line in ("feed_limit = 0", "feed_limit = 5"):
        site.write({"site.toml": toml("zh-CN", toml_line)})
        with pytest.raises(BuildFailed) as failed:
            build(site.root, site.output, Options())
        shown.append(json.loads(state.as_json(Outcome(1, None, tuple(failed.value.problems))))["problems"])
    assert shown == [["site.toml:4: “feed_limit”要大于 0，不能写 0（例如 feed_limit = 20）"],
                     [("templates/post.html:2: 模板写错了：这里缺少内容：应该写一个变量或值，却直接遇到了“%}”"
                       "（请在这里写上要显示或要判断的内容，例如 {{ post.title }} 或 {% if post.tags %}）")]]


def test_the_systems_reasons_are_said_in_chinese_and_unchanged_in_english(tmp_path):
    from sitegen.messages import os_reason
    from sitegen.sources import read_file

    missing = read_file(tmp_path / "gone.md", 1000)
    assert isinstance(missing, SiteError)
    assert missing.format(tmp_path, "zh-CN") == "gone.md: 无法读取这个文件：文件或文件夹不存在（请检查这个文件是否还在、能否用别的程序打开）"
    assert missing.format(tmp_path) == "gone.md: cannot read the file: No such file or directory"
    assert os_reason(os.strerror(13)) == "word.os.EACCES"
    assert os_reason(OSError(errno.EADDRINUSE, "Address already in use")) == "word.os.EADDRINUSE"
    assert os_reason(OSError(9999, "Something new")) == "Something new"  # (not in the catalogue: as the system says it)


def test_files_in_the_way_of_the_site_are_listed_with_what_the_first_one_is(tmp_path):
    site = a_site(tmp_path, "zh-CN")
    build(site.root, site.output, Options())
    manifest = json.loads((site.output / ".sitegen-manifest.json").read_text())
    del manifest["files"]["robots.txt"]  # as if a person had put robots.txt there before sitegen made one
    (site.output / ".sitegen-manifest.json").write_text(json.dumps(manifest))
    (site.output / "robots.txt").unlink()
    (site.output / "robots.txt").write_text("User-agent: *\n")
    shown = run("build", "--source", str(site.root))
    assert re.fullmatch(r"output: 有 2 个文件或文件夹占了网站要用的位置：\.sitegen-versions/\d+/robots\.txt, robots\.txt；"
                        r"第一个：这里有一个不是 sitegen 写的文件，占了网站要用的位置（请把它们移出输出文件夹）", shown[0]), shown


def test_what_root_cannot_provoke_is_said_in_chinese_too(tmp_path):
    """Permissions (the tests run as root, who reads everything) and something at the top of the
    output folder that sitegen did not make, asked of the functions that say them."""
    from sitegen.publish import top_blockers
    from sitegen.sources import unreadable_folder

    denied = unreadable_folder(tmp_path / "columns/news", "Permission denied")
    assert denied.format(tmp_path, "zh-CN") == ("columns/news: 无法读取这个文件夹：没有权限"
                                                "（请修改它的权限，让 sitegen 能读取它，或者把它移出网站文件夹）")
    assert denied.format(tmp_path) == ("columns/news: cannot read the folder: Permission denied "
                                       "(change its permissions so that sitegen can read it, or move it out of the site)")
    (tmp_path / "news").mkdir()
    [blocker] = top_blockers(tmp_path, {"news"})
    assert blocker.format(tmp_path, "zh-CN") == ("news: 这里有一个不是 sitegen 写的文件夹，占了网站要用的位置"
                                                 "（请把它移出输出文件夹；不是 sitegen 写的文件，sitegen 从不覆盖）")
    assert blocker.format(tmp_path) == ("news: a folder sitegen did not write stands where the site needs one "
                                        "(move it out of the output folder; sitegen never overwrites files it did not write)")
