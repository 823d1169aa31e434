"""Messages about the theme's templates (render.py): the frame a template problem is said in, and
Jinja's own reasons, sentence by sentence (template_reasons.py recognises them). Each reason's
English is Jinja's text exactly; a reason Jinja words in a way not listed here keeps Jinja's text,
inside the frame. The template's file and line are the problem's location.

Texts here pass through str.format: a brace shown to the reader is written twice ({{% %}} is
shown as {% %}, {{{{ }}}} as {{ }})."""

from __future__ import annotations

Entry = dict[str, tuple[str, str | None]]

_PAIRS = {"en": "check that the brackets, each {{{{ }}}} and each {{% %}} on this line are in pairs",
          "zh-CN": "请检查这一行的括号、{{{{ }}}} 和 {{% %}} 是否都成对"}
_NAME = {"en": "check the name's spelling (upper and lower case count)", "zh-CN": "请检查名称的拼写（大小写也要一样）"}
_FILTER = {"en": "check the word after |, as in {{{{ post.date | date }}}}",
           "zh-CN": "请检查 | 后面的词是否拼对，例如 {{{{ post.date | date }}}}"}
_TEST = {"en": "check the word after 'is', as in {{% if post.cover is defined %}}",
         "zh-CN": "请检查 is 后面的词是否拼对，例如 is defined（判断有没有这一项）"}
_CLOSE = {"en": "close each {{% for %}}, {{% if %}} and {{% block %}} with {{% endfor %}}, {{% endif %}} and {{% endblock %}}",
          "zh-CN": "每个 {{% for %}}、{{% if %}}、{{% block %}} 都要用 {{% endfor %}}、{{% endif %}}、{{% endblock %}} 结束"}

FRAMES: dict[str, Entry] = {
    # {inner} is one or more sentences below (messages.render joins them)
    "tpl.syntax": {"en": ("template error: {inner}", None), "zh-CN": ("模板写错了：{inner}", None)},
    "tpl.runtime": {"en": ("template error while rendering {url}: {inner}", None),
                    "zh-CN": ("生成 {url} 时模板出错：{inner}", None)},
    "tpl.not_found": {
        "en": ("template not found: {name}", "add it to templates/ (looked in {folders})"),
        "zh-CN": ("找不到模板 {name}", "请把它放进 templates/ 文件夹（找过的地方：{folders}）")},
    "tpl.card": {
        "en": ("template error: {shown}; {inner}",
               "a card has only {fields}: show the rest in post.html, and summary_html where a list would show the body"),
        "zh-CN": ("模板写错了：{shown}；{inner}",
                  "卡片只有这些内容：{fields}；其余的请放在 post.html 里，列表要显示正文时用 summary_html")},
    "word.cards_post": {"en": ("a post's page shows its neighbours and related posts as cards", None),
                        "zh-CN": ("文章页把上一篇、下一篇和相关文章显示成卡片", None)},
    "word.cards_list": {"en": ("a list shows posts as cards", None), "zh-CN": ("列表页把文章显示成卡片", None)},
    "tpl.text": {
        "en": ("template error: t('{name}'): the theme has no text called '{name}'",
               "use a name sitegen/i18n.py has, such as 'search' or 'tags', or write the words into the template"),
        "zh-CN": ("模板要用的文字 t('{name}') 不存在：主题里没有叫“{name}”的文字",
                  "请改用 sitegen/i18n.py 里已有的名字，例如 'search' 或 'tags'，或者把文字直接写进模板")},
    "tpl.asset": {
        "en": ("template error: asset('{name}'): no such file in templates/static/",
               "put the file in templates/static/, or correct the name in asset(...)"),
        "zh-CN": ("模板要用的文件“{name}”不存在：templates/static/ 里没有它",
                  "请把这个文件放进 templates/static/ 文件夹，或者改正 asset(...) 里的文件名")},
    # -- a reason not recognised: Jinja's text as it is
    "jinja.other_syntax": {"en": ("{reason}", _PAIRS["en"]), "zh-CN": ("{reason}", _PAIRS["zh-CN"])},
    "jinja.other": {"en": ("{reason}", None), "zh-CN": ("{reason}", "请检查模板的这一行")},
    # -- our own reasons, for a card asked for what it does not have (render._Undefined)
    "tpl.card_only_post": {"en": ("'{name}' is only on the post's own page (post.html)", None),
                           "zh-CN": ("“{name}”只有文章自己的页面（post.html）上才有", None)},
    "tpl.card_no": {"en": ("a card has no '{name}'", None), "zh-CN": ("卡片上没有“{name}”", None)},
}

SYNTAX: dict[str, Entry] = {
    # {got} and {expected}: a token as Jinja describes it (word.tok.* below), or a name as written
    "jinja.expected_expression": {
        "en": ("Expected an expression, got '{got}'",
               "write what to show or to test there, as in {{{{ post.title }}}} or {{% if post.tags %}}"),
        "zh-CN": ("这里缺少内容：应该写一个变量或值，却直接遇到了“{got}”",
                  "请在这里写上要显示或要判断的内容，例如 {{{{ post.title }}}} 或 {{% if post.tags %}}")},
    "jinja.unexpected": {"en": ("unexpected '{got}'", _PAIRS["en"]), "zh-CN": ("多出了一个“{got}”", _PAIRS["zh-CN"])},
    "jinja.unexpected_expected": {
        "en": ("unexpected '{got}', expected '{expected}'", "close each ( and [ before the }}}} or %}} that ends the line's tag"),
        "zh-CN": ("括号没有配对：这里应该先写“{expected}”，却遇到了“{got}”", "请让每个 ( 和 [ 都在 }}}} 或 %}} 之前用 ) 和 ] 结束")},
    "jinja.expected_token": {
        "en": ("expected token '{expected}', got '{got}'",
               "look for a missing sign (such as . , | or a bracket) or an extra word; {{{{ }}}} holds one thing, "
               "as in {{{{ post.title }}}}"),
        "zh-CN": ("这里应该是“{expected}”，却遇到了“{got}”",
                  "请检查这一行是不是少写了符号（如 . , | 或括号），或者多写了词；{{{{ }}}} 里只能写一项内容，例如 {{{{ post.title }}}}")},
    "jinja.eof_expected": {
        "en": ("unexpected end of template, expected '{expected}'.", "add what is missing"),
        "zh-CN": ("模板到这里就结束了，还缺少“{expected}”", "请把缺少的部分补上")},
    "jinja.unknown_tag": {
        "en": ("Encountered unknown tag '{tag}'.",
               "check the tag's spelling; each end tag (endfor, endif, endblock) closes the for, if or block before it"),
        "zh-CN": ("认不出标签“{tag}”。",
                  "请检查标签的拼写；结束标签（endfor、endif、endblock）要和前面的 for、if、block 一一对应")},
    "jinja.eof": {"en": ("Unexpected end of template.", _CLOSE["en"]),
                  "zh-CN": ("模板到这里就结束了，但还有标签没有结束。", _CLOSE["zh-CN"])},
    # what may follow: the tags Jinja looked for and the innermost open one (in Chinese that one says it all)
    "jinja.nesting": {
        "en": ("You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for {looking}. "
               "The innermost block that needs to be closed is '{block}'.", None),
        "zh-CN": ("可能是标签的先后次序套错了：最里面的 {{% {block} %}} 要先用 {{% end{block} %}} 结束。", None)},
    "jinja.looking": {
        "en": ("Jinja was looking for the following tags: {looking}. The innermost block that needs to be closed is '{block}'.",
               None),
        "zh-CN": ("最里面的 {{% {block} %}} 还没有用 {{% end{block} %}} 结束。", None)},
    "jinja.innermost": {"en": ("The innermost block that needs to be closed is '{block}'.", None),
                        "zh-CN": ("最里面的 {{% {block} %}} 还没有结束。", None)},
    "jinja.tag_name": {
        "en": ("tag name expected", "write a tag's name after {{%, as in {{% if post.tags %}}, or remove the empty {{% %}}"),
        "zh-CN": ("{{% 后面缺少标签名称", "请在 {{% 后面写上标签，例如 {{% if post.tags %}}；不需要的话就删掉这个空的 {{% %}}")},
    "jinja.comment_open": {"en": ("Missing end of comment tag", "end the comment with #}}"),
                           "zh-CN": ("注释 {{# 没有用 #}} 结束", "请在注释的末尾写上 #}}")},
    "jinja.raw_open": {"en": ("Missing end of raw directive", "end it with {{% endraw %}}"),
                       "zh-CN": ("{{% raw %}} 没有用 {{% endraw %}} 结束", "请在要原样显示的内容后面写上 {{% endraw %}}")},
    "jinja.char": {
        "en": ("unexpected char {quoted} at {pos}",
               "inside {{{{ }}}} and {{% %}} use English punctuation and spaces: , ( ) | \" instead of ，（）｜“”, "
               "and close each quote"),
        "zh-CN": ("认不出字符“{char}”：{{{{ }}}} 和 {{% %}} 里只能用英文的标点和空格",
                  "请把中文的 ，（）｜“” 和全角空格换成英文的 , ( ) | \" 和空格；引号要成对")},
    "jinja.identifier": {"en": ("Invalid character in identifier", "a name has only English letters, digits and _"),
                         "zh-CN": ("名称里有不能用的字符", "名称只能用英文字母、数字和 _")},
    "jinja.no_filter": {"en": ("No filter named '{name}'.", _FILTER["en"]),
                        "zh-CN": ("没有名叫“{name}”的过滤器（| 后面的词）", _FILTER["zh-CN"])},
    "jinja.no_test": {"en": ("No test named '{name}'.", _TEST["en"]),
                      "zh-CN": ("没有名叫“{name}”的判断（is 后面的词）", _TEST["zh-CN"])},
    "jinja.block_twice": {
        "en": ("block '{name}' defined twice", "each block's name is used once in a template: rename one of them"),
        "zh-CN": ("{{% block {name} %}} 写了两次", "同一个模板里每个 block 的名字只能用一次：请给其中一个改名")},
    "jinja.block_hyphen": {
        "en": ("Block names in Jinja have to be valid Python identifiers and may not contain hyphens, "
               "use an underscore instead.", None),
        "zh-CN": ("block 的名字里不能有“-”", "请把“-”换成“_”")},
    "jinja.name_or_number": {"en": ("expected name or number", "write a name after the dot, as in post.title"),
                             "zh-CN": ("“.”后面缺少名称", "请在点号后面写上名称，例如 post.title")},
    "jinja.subscript": {"en": ("expected subscript expression", "write what to take inside [ ], as in post.tags[0]"),
                        "zh-CN": ("[ ] 里缺少内容", "请在 [ ] 里写上要取的内容，例如 post.tags[0]")},
}

RUNTIME: dict[str, Entry] = {
    "jinja.undefined": {"en": ("'{name}' is undefined", _NAME["en"]),
                        "zh-CN": ("没有“{name}”这个变量", _NAME["zh-CN"])},
    # {obj}: what Jinja calls the value (word.obj.* below), as 'dict object' or 'sitegen.model.Post object'
    "jinja.no_attribute": {"en": ("'{obj}' has no attribute '{name}'", _NAME["en"]),
                           "zh-CN": ("{obj}没有“{name}”这一项", _NAME["zh-CN"])},
    "jinja.no_element": {"en": ("{obj} has no element {index}", "check first that it is there, as in {{% if post.tags %}}"),
                         "zh-CN": ("{obj}里没有第 {index} 项", "请先判断它有没有这一项，例如 {{% if post.tags %}}")},
    "jinja.not_callable": {"en": ("'{type}' object is not callable", "remove the ( ) after it"),
                           "zh-CN": ("“{type}”类型的值不能调用", "请删掉它后面的括号 ( )")},
    "jinja.no_filter_found": {"en": ("No filter named '{name}' found.", _FILTER["en"]),
                              "zh-CN": ("没有名叫“{name}”的过滤器（| 后面的词）", _FILTER["zh-CN"])},
    "jinja.no_test_found": {"en": ("No test named '{name}' found.", _TEST["en"]),
                            "zh-CN": ("没有名叫“{name}”的判断（is 后面的词）", _TEST["zh-CN"])},
}


def _words(prefix: str, zh: dict[str, str]) -> dict[str, Entry]:
    """Jinja's English words for a thing, kept as they are in English, said in Chinese."""
    return {f"{prefix}{english}": {"en": (english, None), "zh-CN": (chinese, None)} for english, chinese in zh.items()}


WORDS: dict[str, Entry] = {
    **_words("word.tok.", {
        "end of print statement": "}}", "begin of print statement": "{{", "end of statement block": "%}",
        "begin of statement block": "{%", "end of comment": "#}", "begin of comment": "{#",
        "end of template": "模板结尾", "template data / text": "普通文字"}),  # (not 'name': a variable may be called so)
    **_words("word.obj.", {
        "dict object": "字典（dict）", "list object": "列表（list）", "tuple object": "列表（tuple）",
        "str object": "文字（str）", "int object": "整数（int）", "float object": "小数（float）", "None": "空值（None）",
        "sitegen.model.Post object": "文章（post）", "sitegen.model.Column object": "栏目（column）",
        "sitegen.config.SiteConfig object": "网站设置（site）"}),
}

TEMPLATES: dict[str, Entry] = {**FRAMES, **SYNTAX, **RUNTIME, **WORDS}
