"""Messages about site.toml (config.py): the setting, the line, and the line to type instead."""

from __future__ import annotations

_QUOTES_ZH = '文字要用英文双引号括起来，例如 title = "党建专栏"'

CONFIG: dict[str, dict[str, tuple[str, str | None]]] = {
    # -- the file cannot be read as TOML at all
    "config.toml": {
        "en": ("invalid TOML: {reason}",
               'each setting is one line, name = value; text goes in straight double quotes: title = "Party news"'),
        "zh-CN": ("site.toml 这一行写得不对：{reason}", "每个设置单独写一行：名称 = 值；" + _QUOTES_ZH)},
    "config.toml_ime": {
        "en": ("invalid TOML: this line has {chars}, typed with a Chinese input method, which site.toml cannot read",
               "type the quotes and the = in English: {fixed}"),
        "zh-CN": ("site.toml 这一行有中文输入法打出的 {chars}，site.toml 认不出来",
                  "请切换到英文输入法输入引号和等号，改成：{fixed}")},
    "word.toml.value": {"en": ("the value after '=' is not one site.toml knows", None),
                        "zh-CN": ("等号后面的值认不出来，文字是不是忘了加英文双引号？", None)},
    "word.toml.equals": {"en": ("expected '=' after the setting's name", None),
                         "zh-CN": ("设置名称后面缺少英文等号 =", None)},
    "word.toml.unterminated": {"en": ("a quote is not closed on its line", None),
                               "zh-CN": ("引号没有成对：少了后面的英文双引号", None)},
    "word.toml.twice": {"en": ("this setting is written twice", None),
                        "zh-CN": ("同一个设置写了两次，请删掉其中一行", None)},
    "word.toml.statement": {"en": ("this line is not 'name = value'", None),
                            "zh-CN": ("这一行不是“名称 = 值”的格式", None)},
    "word.toml.more": {"en": ("there is more after the value on this line", None),
                       "zh-CN": ("值后面还有多余的文字（一行只能写一个设置）", None)},
    "word.toml.key": {"en": ("the setting's name has a character names cannot have", None),
                      "zh-CN": ("设置名称里有不能用的字符（名称只用英文字母和下划线）", None)},
    # -- a setting sitegen does not know
    "config.chinese_key": {
        "en": ("setting names are English words: '{key}' is not one",
               "use the setting's English name, such as title for the site's name; the README lists them all"),
        "zh-CN": ("设置名称要用英文写，“{key}”不是设置名称", "请写设置的英文名称，例如网站名称写 title；全部设置见 README")},
    "config.unknown": {
        "en": ("unknown setting '{key}'", "remove this line, or check its spelling against the settings in the README"),
        "zh-CN": ("没有“{key}”这个设置", "请删掉这一行，或者对照 README 里的设置表检查拼写")},
    "config.unknown_close": {
        "en": ("unknown setting '{key}'", "did you mean '{close}'?"),
        "zh-CN": ("没有“{key}”这个设置", "是不是“{close}”？")},
    # -- a value of the wrong kind; {example} is the line to type
    "config.type_str": {
        "en": ("'{key}' must be a string, not {value}", "put it in straight double quotes: {example}"),
        "zh-CN": ("“{key}”要写文字，不能写 {value}", "文字要用英文双引号括起来：{example}")},
    "config.type_int": {
        "en": ("'{key}' must be a whole number, not {value}", "a whole number, without quotes: {example}"),
        "zh-CN": ("“{key}”要写整数，不能写 {value}", "写一个不带引号、不带小数点的数字：{example}")},
    "config.type_number": {
        "en": ("'{key}' must be a whole number or a number, not {value}", "a number, without quotes: {example}"),
        "zh-CN": ("“{key}”要写数字，不能写 {value}", "写一个不带引号的数字：{example}")},
    "config.type_bool": {
        "en": ("'{key}' must be true or false, not {value}", "true or false, in English and without quotes: {example}"),
        "zh-CN": ("“{key}”只能写 true（是）或 false（否），不能写 {value}", "用英文小写、不加引号：{example}")},
    "config.required_title": {
        "en": ("'title' is required in site.toml", 'add a line with the site\'s name: title = "Party news"'),
        "zh-CN": ("site.toml 里缺少“title”（网站名称）", '加一行：title = "党建专栏"')},
    "config.required_base_url": {
        "en": ("'base_url' is required in site.toml", 'add a line with the site\'s address: base_url = "http://intranet.example/"'),
        "zh-CN": ("site.toml 里缺少“base_url”（网站地址）", '加一行：base_url = "http://intranet.example/"')},
    # -- a value of the right kind that means nothing
    "config.base_url": {
        "en": ("base_url must be an absolute http(s) URL, not {value}", 'for example "http://intranet.example.edu.cn/party/"'),
        "zh-CN": ("base_url 要写完整的网址（以 http:// 或 https:// 开头），不能写 {value}",
                  '例如 base_url = "http://intranet.example.edu.cn/party/"')},
    "config.base_path": {
        "en": ("base_path must be a path starting with '/', not {value}", 'for example "/party/"'),
        "zh-CN": ("base_path 要写以 / 开头的路径，不能写 {value}", '例如 base_path = "/party/"')},
    "config.language": {
        "en": ("language must be one of {languages}, not {value}", 'language = "zh-CN" for Chinese, "en" for English'),
        "zh-CN": ("language 只能写 {languages} 之一，不能写 {value}", '中文网站写 language = "zh-CN"')},
    "config.language_close": {
        "en": ("language must be one of {languages}, not {value}", "did you mean '{close}'?"),
        "zh-CN": ("language 只能写 {languages} 之一，不能写 {value}", '是不是 language = "{close}"？')},
    "config.timezone": {
        "en": ("unknown timezone {value}", 'use a name such as "Asia/Shanghai"'),
        "zh-CN": ("没有 {value} 这个时区", '中国的学校写 timezone = "Asia/Shanghai"')},
    "config.positive": {
        "en": ("'{key}' must be greater than 0", "for example {key} = {default}"),
        "zh-CN": ("“{key}”要大于 0，不能写 {value}", "例如 {key} = {default}")},
    "config.month": {
        "en": ("'academic_year_start_month' must be a month from 1 to 12, not {value}",
               "9 for an academic year from September to August"),
        "zh-CN": ("“academic_year_start_month”要写 1 到 12 的月份，不能写 {value}",
                  "学年从九月开始就写 academic_year_start_month = 9")},
    "config.author_threshold": {
        "en": ("'author_threshold' must be 0 or more, not {value}", "0 marks no author"),
        "zh-CN": ("“author_threshold”不能小于 0，不能写 {value}", "写 0 表示不标出任何人")},
    "config.stale_days": {
        "en": ("'stale_days' must be 0 or more, not {value}", "0 turns the check off"),
        "zh-CN": ("“stale_days”不能小于 0，不能写 {value}", "写 0 表示不检查栏目多久没有更新")},
    "config.study_column": {
        "en": ("'study_column' must be a column's folder name, not {value}", 'for example "study"'),
        "zh-CN": ("“study_column”要写栏目的文件夹名，不能写 {value}", '例如 study_column = "study"')},
    "config.unsafe_html": {
        "en": ("unsafe_html = true: raw HTML in posts is not cleaned, so a script in a post runs in every visitor's browser",
               "remove the setting unless every editor is trusted with that"),
        "zh-CN": ("写了 unsafe_html = true：文章里的 HTML 代码不会被清理，文章里的脚本会在每位访问者的浏览器里运行",
                  "除非每位编辑都完全可信，否则请删掉这一行")},
    "config.photo_quality": {
        "en": ("'photo_quality' must be from 1 to 100, not {value}", "80 suits photos"),
        "zh-CN": ("“photo_quality”要写 1 到 100 的数，不能写 {value}", "照片一般写 photo_quality = 80")},
}
