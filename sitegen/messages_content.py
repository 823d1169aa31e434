"""Messages: content."""

from __future__ import annotations

CONTENT: dict[str, dict[str, tuple[str, str | None]]] = {
    "post.draft": {
        "en": ("not published: it is a draft (draft: true)", "remove the line 'draft: true' to publish it"),
        "zh-CN": ("没有发布：这是草稿（draft: true）", "删掉“draft: true”这一行就会发布")},
    "post.future": {
        "en": ("not published yet: it is dated {date} and appears with the first build after that", None),
        "zh-CN": ("暂未发布：日期是 {date}，到了这个时间后的第一次生成时才出现", None)},
    "post.far_future": {
        "en": ("not published: it is dated {date}, more than a year ahead; is the year {year} mistyped?",
               "a post appears only once its date has come; correct the year in 'date:' to publish it now"),
        "zh-CN": ("没有发布：日期是 {date}，在一年以后；年份 {year} 是不是打错了？",
                  "文章要到这个日期才会出现；把“date:”里的年份改对，就会马上发布")},
    # -- limits on one post's Markdown (guard.py)
    "md.nesting": {
        "en": ("lists or quotes nested {depth} levels deep, more than {limit}",
               "so deep a post cannot be read; use fewer levels of indentation or '>'"),
        "zh-CN": ("列表或引用嵌套了 {depth} 层，超过了 {limit} 层", "这么深的层次无法显示；请减少缩进或“>”的层数")},
    "md.brackets": {
        "en": ("more than {limit} '[' in the paragraph starting here",
               "a '[' starts a link; split the paragraph, or write \\[ for a bracket that is just text"),
        "zh-CN": ("从这一行开始的段落里有超过 {limit} 个“[”",
                  "“[”用来写链接；请把段落分开，或者把当作文字的方括号写成 \\[")},
    "md.run": {
        "en": ("a run of {count} '{char}' characters, more than {limit}", "remove the extra characters"),
        "zh-CN": ("连续写了 {count} 个“{char}”，超过了 {limit} 个", "删掉多余的符号")},
    "md.recursion": {
        "en": ("the text is nested too deeply to be read",
               "look for lists, quotes or emphasis nested within each other many times"),
        "zh-CN": ("正文的层次嵌套太深，无法读取", "检查是否有多层套在一起的列表、引用或加粗")},
    "md.timeout": {
        "en": ("reading this post's Markdown took longer than {seconds} s and was stopped",
               "look for long runs of [ ] * _ ` or < in it"),
        "zh-CN": ("读取这篇文章的正文超过了 {seconds} 秒，已停止", "检查正文里是否有一长串 [ ] * _ ` 或 < 符号")},
}
