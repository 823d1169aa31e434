"""Messages about a post's or column's file: its encoding, front matter, dates and tags.

Each entry: {"en": (message, hint), "zh-CN": (message, hint)}. The Chinese is for teachers:
what is wrong, and what to type instead, with the characters shown."""

from __future__ import annotations

_SAVE_UTF8_EN = "open it in your editor and save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"
_SAVE_UTF8_ZH = "用编辑器打开这个文件，另存为 UTF-8 编码（记事本：“另存为”，编码选“UTF-8”）"
_DATE_EN = "write it as 2019-03-05, 2019-03-05 08:30 or 2019-03-05T08:30:00+08:00"
_DATE_ZH = "写成 2019-03-05、2019-03-05 08:30 或 2019年3月5日"

FRONT: dict[str, dict[str, tuple[str, str | None]]] = {
    "enc.utf16": {
        "en": ("the file is encoded as UTF-16 (Notepad's \"Unicode\"), not UTF-8", _SAVE_UTF8_EN),
        "zh-CN": ("文件的编码是 UTF-16（记事本里叫“Unicode”），不是 UTF-8", _SAVE_UTF8_ZH)},
    "enc.binary": {
        "en": ("this is a binary file, not a Markdown text file",
               "only Markdown (.md) text files belong here; remove it or rename it"),
        "zh-CN": ("这不是 Markdown 文本文件", "这里只放 .md 文章文件；请删掉它或改名")},
    "enc.not_utf8": {
        "en": ("the file is not UTF-8 text", "open it in your editor and save it with the UTF-8 encoding"),
        "zh-CN": ("文件不是 UTF-8 编码的文本", _SAVE_UTF8_ZH)},
    "enc.gbk": {
        "en": ("the file is encoded as GBK/GB18030, not UTF-8", _SAVE_UTF8_EN),
        "zh-CN": ("文件的编码是 GBK（记事本里叫“ANSI”），不是 UTF-8", _SAVE_UTF8_ZH)},
    "file.empty": {
        "en": ("the file is empty", "add front matter with a title and a date, then the text"),
        "zh-CN": ("文件是空的", "在开头写上标题和日期（见下例），再写正文：---、title: 标题、date: 2019-03-05、---")},
    "fm.none": {
        "en": ("the file has no front matter",
               "start it with a line '---', then 'title: ...' and 'date: ...', then '---'"),
        "zh-CN": ("文件开头缺少设置部分",
                  "第一行写 ---，接着写 title: 标题 和 date: 2019-03-05 各一行，再写一行 ---，然后是正文")},
    "fm.unclosed": {
        "en": ("the front matter is never closed", "add a line with just '---' after the last 'key: value' line"),
        "zh-CN": ("设置部分没有结束", "在最后一行设置（如 date: ...）的下面加一行 ---")},
    "fm.not_mapping": {
        "en": ("the front matter must be 'key: value' lines",
               "for example 'title: 主题党日活动' on one line and 'date: 2019-03-05' on the next"),
        "zh-CN": ("设置部分每行要写成“名称: 内容”", "例如一行写 title: 主题党日活动，下一行写 date: 2019-03-05")},
    "fm.twice": {
        "en": ("'{key}' appears twice in the front matter (first on line {first})", "keep one of them"),
        "zh-CN": ("“{key}”在设置里写了两次（第一次在第 {first} 行）", "删掉其中一行")},
    "fm.yaml": {
        "en": ("invalid front matter: {problem}",
               "check the quotes and the ':' after each key; put quotes around a value that contains ': '"),
        "zh-CN": ("这一行设置看不懂：{text}",
                  "每行写成“名称: 内容”，用英文冒号“:”并在后面空一格；引号和括号要成对")},
    "fm.unclosed_list": {
        "en": ("the list opened with '[' is never closed: {text}",
               "end it with ']' on the same line, like 'tags: [党史, 学习]'"),
        "zh-CN": ("“[”没有配对的“]”：{text}", "在这一行末尾补上“]”，例如 tags: [党史, 学习]")},
    "fm.unclosed_quote": {
        "en": ("the quote opened here is never closed: {text}",
               "end the value with the same quote it starts with, or leave the quotes out"),
        "zh-CN": ("这里的引号没有结束：{text}", "引号要成对，或者干脆不加引号")},
    "fm.missing": {
        "en": ("'{key}' is missing from the front matter", "add a line '{key}: ...'"),
        "zh-CN": ("设置里缺少“{key}”", "加一行 {key}: ……")},
    "fm.missing_date": {
        "en": ("'{key}' is missing from the front matter", "add a line '{key}: 2019-03-05'"),
        "zh-CN": ("设置里缺少“{key}”（日期）", "加一行 {key}: 2019-03-05")},
    "fm.text_not_bool": {
        "en": ("'{key}' must be plain text, not true/false", "put the value in quotes, like '{key}: \"yes\"'"),
        "zh-CN": ("“{key}”要写文字，这里被当成了“是/否”", "把内容放进引号，例如 {key}: \"yes\"")},
    "fm.text_not_list": {
        "en": ("'{key}' must be plain text, not a list", "write it on one line, like '{key}: 主题党日活动'"),
        "zh-CN": ("“{key}”要写一行文字，不是列表", "写在同一行，例如 {key}: 主题党日活动")},
    "fm.text_not_group": {
        "en": ("'{key}' must be plain text, not a group of keys", "write it on one line, like '{key}: 主题党日活动'"),
        "zh-CN": ("“{key}”要写一行文字", "写在同一行，例如 {key}: 主题党日活动")},
    "fm.empty_value": {
        "en": ("'{key}' is empty", None),
        "zh-CN": ("“{key}”是空的", "在冒号后面写上内容")},
    "fm.flag": {
        "en": ("'{key}' must be true or false, not {value}", None),
        "zh-CN": ("“{key}”只能写 true 或 false，不能写 {value}", "写 true（是）或 false（否）")},
    "fm.tags": {
        "en": ("'{key}' must be a list of words", "write it as '{key}: [专题学习, 党课]' or one '- tag' per line"),
        "zh-CN": ("“{key}”要写成一组标签", "写成 {key}: [专题学习, 党课]，或每行一个“- 标签”")},
    "fm.unknown_key": {
        "en": ("unknown front matter key '{key}' is ignored", "known keys: {known}"),
        "zh-CN": ("不认识的设置“{key}”，已忽略", "可用的设置有：{known}")},
    "fm.unknown_key_like": {
        "en": ("unknown front matter key '{key}' is ignored", "did you mean '{like}'?"),
        "zh-CN": ("不认识的设置“{key}”，已忽略", "是不是想写“{like}”？")},
    "date.not_date": {
        "en": ("'{key}': '{text}' is not a date", _DATE_EN),
        "zh-CN": ("“{key}”的“{text}”不是日期", _DATE_ZH)},
    "date.not_real": {
        "en": ("'{key}': '{text}' is not a real date or time", _DATE_EN),
        "zh-CN": ("“{key}”的“{text}”不是真实存在的日期或时间", _DATE_ZH)},
    "date.year": {
        "en": ("'{key}': '{text}' has the year {year}, which looks mistyped", _DATE_EN),
        "zh-CN": ("“{key}”的“{text}”年份是 {year}，像是打错了", _DATE_ZH)},
    "col.order": {
        "en": ("'order' must be a whole number, not {value}", "for example 'order: 2'"),
        "zh-CN": ("“order”要写整数，不能写 {value}", "例如 order: 2")},
    "col.layout": {
        "en": ("'layout' must be 'list' or 'page', not {value}",
               "use 'layout: page' for a column that is a single page with no posts"),
        "zh-CN": ("“layout”只能写 list 或 page，不能写 {value}", "只有一页、没有文章的栏目写 layout: page")},
    # -- site.toml (only these two so far: the others are still English)
    "config.missing": {
        "en": ("no site.toml found in {root}", 'create it with at least: title = "My site" and base_url = "http://intranet.example/"'),
        "zh-CN": ("在 {root} 里没有找到 site.toml", '新建 site.toml，至少写两行：title = "网站名称" 和 base_url = "http://intranet.example/"')},
    "config.not_utf8": {
        "en": ("site.toml is not UTF-8", "save it as UTF-8"),
        "zh-CN": ("site.toml 不是 UTF-8 编码", _SAVE_UTF8_ZH)},
}
