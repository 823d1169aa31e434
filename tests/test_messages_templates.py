"""A theme's template mistakes, a hand-written slug that would leave its folder, and the problems
of a post's links and cover, said in the site's language: each a real build of a zh-CN site and
of an en one, asserting the exact line. In English a template's reason is Jinja's own text; in
Chinese it is said in Chinese, and a reason not known keeps Jinja's words inside a Chinese frame."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NO_REPORT_WARNINGS, NO_SEARCH, SiteDir, column, post

from sitegen.build import Options, build
from sitegen.errors import BuildFailed


def a_site(tmp_path: Path, language: str, files: dict[str, str] | None = None) -> SiteDir:
    return SiteDir(tmp_path / "site").write({
        "site.toml": f'title = "党建"\nbase_url = "http://intranet.test/"\nlanguage = "{language}"\n'
                     + NO_SEARCH + NO_REPORT_WARNINGS,
        "columns/news/_index.md": column("新闻", 1),
        "columns/news/2019-03-01-lesson.md": post("党课", "2019-03-01", "tags: [党史]\n"),
        **(files or {}),
    })


def said(site: SiteDir, language: str) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build(site.root, site.output, Options(jobs=1))
    return [problem.format(site.root, language) for problem in failed.value.problems]


# ----------------------------------------------------------------------------- templates

# post.html's line 2 -> what the build says of it, in Chinese and in English
TEMPLATE_CASES = {
    'empty_print': ('{{ }}',
        '模板写错了：这里缺少内容：应该写一个变量或值，却直接遇到了“}}”（请在这里写上要显示或要判断的内容，例如 {{ post.title }} 或 {% if post.tags %}）',
        "template error: Expected an expression, got 'end of print statement' (write what to show or to test there, as in {{ post.title }} or {% if post.tags %})"),
    'empty_if': ('{% if %}{% endif %}',
        '模板写错了：这里缺少内容：应该写一个变量或值，却直接遇到了“%}”（请在这里写上要显示或要判断的内容，例如 {{ post.title }} 或 {% if post.tags %}）',
        "template error: Expected an expression, got 'end of statement block' (write what to show or to test there, as in {{ post.title }} or {% if post.tags %})"),
    'brace': ('{{ post.title }',
        '模板写错了：多出了一个“}”（请检查这一行的括号、{{ }} 和 {% %} 是否都成对）',
        "template error: unexpected '}' (check that the brackets, each {{ }} and each {% %} on this line are in pairs)"),
    'bracket': ('{{ post.tags[0 }}',
        '模板写错了：括号没有配对：这里应该先写“]”，却遇到了“}”（请让每个 ( 和 [ 都在 }} 或 %} 之前用 ) 和 ] 结束）',
        "template error: unexpected '}', expected ']' (close each ( and [ before the }} or %} that ends the line's tag)"),
    'two_words': ('{{ post.title post.date }}',
        '模板写错了：这里应该是“}}”，却遇到了“post”（请检查这一行是不是少写了符号（如 . , | 或括号），或者多写了词；{{ }} 里只能写一项内容，例如 {{ post.title }}）',
        "template error: expected token 'end of print statement', got 'post' (look for a missing sign (such as . , | or a bracket) or an extra word; {{ }} holds one thing, as in {{ post.title }})"),
    'stray_end': ('{% endfor %}',
        '模板写错了：认不出标签“endfor”。（请检查标签的拼写；结束标签（endfor、endif、endblock）要和前面的 for、if、block 一一对应）',
        "template error: Encountered unknown tag 'endfor'. (check the tag's spelling; each end tag (endfor, endif, endblock) closes the for, if or block before it)"),
    'wrong_end': ('{% for tag in post.tags %}{% endif %}',
        '模板写错了：认不出标签“endif”。最里面的 {% for %} 还没有用 {% endfor %} 结束。（请检查标签的拼写；结束标签（endfor、endif、endblock）要和前面的 for、if、block 一一对应）',
        "template error: Encountered unknown tag 'endif'. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'. (check the tag's spelling; each end tag (endfor, endif, endblock) closes the for, if or block before it)"),
    'crossed': ('{% if post.tags %}{% for tag in post.tags %}{% endif %}',
        '模板写错了：认不出标签“endif”。可能是标签的先后次序套错了：最里面的 {% for %} 要先用 {% endfor %} 结束。（请检查标签的拼写；结束标签（endfor、endif、endblock）要和前面的 for、if、block 一一对应）',
        "template error: Encountered unknown tag 'endif'. You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for 'endfor' or 'else'. The innermost block that needs to be closed is 'for'. (check the tag's spelling; each end tag (endfor, endif, endblock) closes the for, if or block before it)"),
    'unclosed_if': ('{% if post.tags %}',
        '模板写错了：模板到这里就结束了，但还有标签没有结束。最里面的 {% if %} 还没有用 {% endif %} 结束。（每个 {% for %}、{% if %}、{% block %} 都要用 {% endfor %}、{% endif %}、{% endblock %} 结束）',
        "template error: Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'. (close each {% for %}, {% if %} and {% block %} with {% endfor %}, {% endif %} and {% endblock %})"),
    'no_filter': ('{{ post.title | bold }}',
        '模板写错了：没有名叫“bold”的过滤器（| 后面的词）（请检查 | 后面的词是否拼对，例如 {{ post.date | date }}）',
        "template error: No filter named 'bold'. (check the word after |, as in {{ post.date | date }})"),
    'no_test': ('{% if post.tags is full %}{% endif %}',
        '生成 /news/lesson/ 时模板出错：没有名叫“full”的判断（is 后面的词）（请检查 is 后面的词是否拼对，例如 is defined（判断有没有这一项））',
        "template error while rendering /news/lesson/: No test named 'full' found. (check the word after 'is', as in {% if post.cover is defined %})"),
    'full_width_bar': ('{{ post.title｜upper }}',
        '模板写错了：认不出字符“｜”：{{ }} 和 {% %} 里只能用英文的标点和空格（请把中文的 ，（）｜“” 和全角空格换成英文的 , ( ) | " 和空格；引号要成对）',
        'template error: unexpected char \'｜\' at 39 (inside {{ }} and {% %} use English punctuation and spaces: , ( ) | " instead of ，（）｜“”, and close each quote)'),
    'full_width_comma': ('{{ post.date | date，}}',
        '模板写错了：认不出字符“，”：{{ }} 和 {% %} 里只能用英文的标点和空格（请把中文的 ，（）｜“” 和全角空格换成英文的 , ( ) | " 和空格；引号要成对）',
        'template error: unexpected char \'，\' at 45 (inside {{ }} and {% %} use English punctuation and spaces: , ( ) | " instead of ，（）｜“”, and close each quote)'),
    'undefined': ('{{ titel }}',
        '生成 /news/lesson/ 时模板出错：没有“titel”这个变量（请检查名称的拼写（大小写也要一样））',
        "template error while rendering /news/lesson/: 'titel' is undefined (check the name's spelling (upper and lower case count))"),
    'no_attribute': ('{{ post.titel }}',
        '生成 /news/lesson/ 时模板出错：文章（post）没有“titel”这一项（请检查名称的拼写（大小写也要一样））',
        "template error while rendering /news/lesson/: 'sitegen.model.Post object' has no attribute 'titel' (check the name's spelling (upper and lower case count))"),
    'no_element': ('{{ post.tags[9] }}',
        '生成 /news/lesson/ 时模板出错：列表（tuple）里没有第 9 项（请先判断它有没有这一项，例如 {% if post.tags %}）',
        'template error while rendering /news/lesson/: tuple object has no element 9 (check first that it is there, as in {% if post.tags %})'),
    'unclosed_comment': ('{# 说明',
        '模板写错了：注释 {# 没有用 #} 结束（请在注释的末尾写上 #}）',
        'template error: Missing end of comment tag (end the comment with #})'),
    'asset': ('<img src="{{ asset(\'logo.png\') }}">',
        '模板要用的文件“logo.png”不存在：templates/static/ 里没有它（请把这个文件放进 templates/static/ 文件夹，或者改正 asset(...) 里的文件名）',
        "template error: asset('logo.png'): no such file in templates/static/ (put the file in templates/static/, or correct the name in asset(...))"),
    'unknown_text': ('<p>{{ t("share") }}</p>',
        "模板要用的文字 t('share') 不存在：主题里没有叫“share”的文字（请改用 sitegen/i18n.py 里已有的名字，例如 'search' 或 'tags'，或者把文字直接写进模板）",
        "template error: t('share'): the theme has no text called 'share' (use a name sitegen/i18n.py has, such as 'search' or 'tags', or write the words into the template)"),
    'not_callable': ('{{ post.title() }}',
        '生成 /news/lesson/ 时模板出错：“str”类型的值不能调用（请删掉它后面的括号 ( )）',
        "template error while rendering /news/lesson/: 'str' object is not callable (remove the ( ) after it)"),
    'other': ('{% macro m(a=1, b) %}{% endmacro %}',
        '模板写错了：non-default argument follows default argument（请检查这一行的括号、{{ }} 和 {% %} 是否都成对）',
        'template error: non-default argument follows default argument (check that the brackets, each {{ }} and each {% %} on this line are in pairs)'),
    'other_runtime': ('{{ post.title / 0 }}',
        "生成 /news/lesson/ 时模板出错：unsupported operand type(s) for /: 'str' and 'int'（请检查模板的这一行）",
        "template error while rendering /news/lesson/: unsupported operand type(s) for /: 'str' and 'int'"),
}


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("case", sorted(TEMPLATE_CASES))
def test_a_template_mistake_is_said_at_its_line_in_the_sites_language(tmp_path, case, language):
    line, chinese, english = TEMPLATE_CASES[case]
    site = a_site(tmp_path, language, {"templates/post.html": "<h1>{{ post.title }}</h1>\n" + line + "\n"})
    assert said(site, language) == ["templates/post.html:2: " + (chinese if language == "zh-CN" else english)]


@pytest.mark.parametrize(("language", "expected"), [
    ("zh-CN", "templates/post.html:2: 找不到模板 _share.html（请把它放进 templates/ 文件夹（找过的地方：{site}/templates, {theme}））"),
    ("en", "templates/post.html:2: template not found: _share.html (add it to templates/ (looked in {site}/templates, {theme}))"),
])
def test_a_missing_template_is_said_at_the_line_that_includes_it(tmp_path, language, expected):
    site = a_site(tmp_path, language, {"templates/post.html": "<h1>{{ post.title }}</h1>\n{% include '_share.html' %}\n"})
    theme = (Path(__file__).resolve().parent.parent / "templates").resolve()
    assert said(site, language) == [expected.format(site=site.root.resolve(), theme=theme)]


def test_a_missing_asset_is_said_once_naming_the_template_its_line_and_the_file(tmp_path):
    """base.html is on every page: the file it asks for is missing once, not once a page."""
    base = (Path(__file__).resolve().parent.parent / "templates/base.html").read_text("utf-8")
    assert "{{ asset('style.css') }}" in base.splitlines()[12]
    for language, expected in (
            ("zh-CN", "templates/base.html:13: 模板要用的文件“styles.css”不存在：templates/static/ 里没有它"
                      "（请把这个文件放进 templates/static/ 文件夹，或者改正 asset(...) 里的文件名）"),
            ("en", "templates/base.html:13: template error: asset('styles.css'): no such file in templates/static/ "
                   "(put the file in templates/static/, or correct the name in asset(...))")):
        site = a_site(tmp_path / language, language, {"templates/base.html": base.replace("'style.css'", "'styles.css'")})
        assert said(site, language) == [expected]


# ----------------------------------------------------------------------------- a post's own mistakes

POST_CASES = {
    "slug_slash": ({"columns/news/bad.md": post("坏网址", "2019-03-02", "slug: 学习/党课\n")}, {
        "zh-CN": "columns/news/bad.md:4: “slug:”里不能有“/”或“\\”：'学习/党课'（网址只用小写英文字母、数字和“-”，例如 slug: party-lesson）",
        "en": "columns/news/bad.md:4: a slug cannot contain '/' or '\\': '学习/党课' "
              "(use lowercase letters, digits and '-', such as 'party-lesson')"}),
    "slug_dots": ({"columns/news/bad.md": post("坏网址", "2019-03-02", "slug: ..学习\n")}, {
        "zh-CN": "columns/news/bad.md:4: “slug:”里不能有“..”：'..学习'（网址只用小写英文字母、数字和“-”，例如 slug: party-lesson）",
        "en": "columns/news/bad.md:4: a slug cannot contain '..': '..学习' "
              "(use lowercase letters, digits and '-', such as 'party-lesson')"}),
    "cover_missing": ({"columns/news/c.md": post("封面", "2019-03-02", "cover: photo.jpg\n")}, {
        "zh-CN": "columns/news/c.md:4: 封面图（cover）：链接的文件不存在：“photo.jpg”（检查文件名是否写对，文件是否放在文章旁边）",
        "en": "columns/news/c.md:4: cover: links to a file that does not exist: 'photo.jpg'"}),
    "cover_not_a_picture": ({"columns/news/c.md": post("封面", "2019-03-02", "cover: photo.jpg\n"),
                             "columns/news/photo.jpg": "not a picture"}, {
        "zh-CN": "columns/news/c.md:4: 封面图（cover）：这个文件不是可以处理的图片（支持 JPEG、PNG、WebP、AVIF、HEIC、GIF）："
                 "“photo.jpg”（请用看图软件打开后另存为或导出为 JPEG）",
        "en": "columns/news/c.md:4: cover: this is not a picture sitegen can read (JPEG, PNG, WebP, AVIF, HEIC or GIF): "
              "'photo.jpg' (open it and save or export it again as JPEG)"}),
    "link_to_draft": ({"columns/news/d.md": post("草稿", "2019-03-02", "draft: true\n"),
                       "columns/news/e.md": post("链接", "2019-03-03", body="见[草稿](d.md)。\n")}, {
        "zh-CN": "columns/news/e.md:6: 链接的文章是草稿，还没有发布：“d.md”（先发布那篇文章，或者删掉这个链接）",
        "en": "columns/news/e.md:6: links to a post that this build leaves out, because it is a draft: 'd.md' "
              "(publish that post first, or remove the link)"}),
}


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("case", sorted(POST_CASES))
def test_a_posts_slug_cover_or_link_mistake_is_said_in_the_sites_language(tmp_path, case, language):
    """Every reason a link or a cover cannot be made is a catalogue entry (markup.LinkProblem has
    no other), so none is left in English on a Chinese site."""
    files, expected = POST_CASES[case]
    assert expected[language] in said(a_site(tmp_path, language, files), language)


CARD_TEMPLATE = '{% extends "base.html" %}\n{% block content %}\n{% for post in posts %}{{ post.FIELD }}{% endfor %}\n{% endblock %}\n'


@pytest.mark.parametrize(("field", "language", "expected"), [
    ("body_html", "zh-CN", "templates/tag.html:3: 模板写错了：列表页把文章显示成卡片；“body_html”只有文章自己的页面（post.html）上才有"),
    ("body_html", "en", "templates/tag.html:3: template error: a list shows posts as cards; "
                        "'body_html' is only on the post's own page (post.html)"),
    ("no_such_field", "zh-CN", "templates/tag.html:3: 模板写错了：列表页把文章显示成卡片；卡片上没有“no_such_field”"),
    ("no_such_field", "en", "templates/tag.html:3: template error: a list shows posts as cards; a card has no 'no_such_field'"),
])
def test_a_list_asking_a_card_for_more_than_it_has_is_said_in_the_sites_language(tmp_path, field, language, expected):
    site = a_site(tmp_path, language, {"templates/tag.html": CARD_TEMPLATE.replace("FIELD", field)})
    [line] = said(site, language)
    hint = {"zh-CN": "（卡片只有这些内容：", "en": " (a card has only title, url, "}[language]
    assert line.startswith(expected + hint), line
