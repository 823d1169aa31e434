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
    # -- links written as paths (links.py, markup.py); {target} is the link as written
    "link.leaves": {
        "en": ("the link leaves the site: '{target}'", "link only to posts and files inside the site's folder"),
        "zh-CN": ("链接指向了网站以外：“{target}”", "只能链接到网站文件夹里的文章和文件")},
    "link.to_draft": {
        "en": ("links to a post that this build leaves out, because it is a draft: '{target}'",
               "publish that post first, or remove the link"),
        "zh-CN": ("链接的文章是草稿，还没有发布：“{target}”", "先发布那篇文章，或者删掉这个链接")},
    "link.to_future": {
        "en": ("links to a post that this build leaves out, because it is dated in the future ({date}): '{target}'",
               "publish that post first, or remove the link"),
        "zh-CN": ("链接的文章日期是 {date}，还没有发布：“{target}”", "等那篇文章发布后再链接，或者删掉这个链接")},
    "link.not_in_site": {
        "en": ("links to a file that is not part of the site: '{target}'",
               "link to posts and to files inside columns/ or static/"),
        "zh-CN": ("链接的文件不属于网站：“{target}”", "只能链接到 columns/ 或 static/ 里的文章和文件")},
    "link.missing": {
        "en": ("links to a file that does not exist: '{target}'", None),
        "zh-CN": ("链接的文件不存在：“{target}”", "检查文件名是否写对，文件是否放在文章旁边")},
    "link.missing_like": {
        "en": ("links to a file that does not exist: '{target}'", "did you mean '{like}'?"),
        "zh-CN": ("链接的文件不存在：“{target}”", "是不是“{like}”？")},
    "link.invalid": {
        "en": ("this is not a valid link: '{target}'", "check the address between the ( )"),
        "zh-CN": ("这不是有效的链接：“{target}”", "检查 ( ) 里的地址")},
    # -- posts, columns, tags (load.py, column_posts.py, tags.py)
    "cover.problem": {"en": ("cover: {inner}", None), "zh-CN": ("封面图（cover）：{inner}", None)},
    "site.no_columns": {
        "en": ("there is no columns/ folder", "create columns/<name>/_index.md for each column"),
        "zh-CN": ("没有 columns/ 文件夹", "为每个栏目建一个文件夹 columns/栏目名/，里面放 _index.md")},
    "column.no_index": {
        "en": ("this column folder has no _index.md", "create _index.md in it with '---', 'title: ...', 'order: ...', '---'"),
        "zh-CN": ("这个栏目文件夹里没有 _index.md", "在里面新建 _index.md，写上 ---、title: 栏目名、order: 1、---")},
    "column.page_with_posts": {
        "en": ("column '{column}' is a single page (layout: page) and cannot hold posts",
               "move the post to another column, or remove 'layout: page' from _index.md"),
        "zh-CN": ("栏目“{column}”只有一页（layout: page），不能放文章",
                  "把文章移到别的栏目，或者删掉 _index.md 里的“layout: page”")},
    "post.same_url": {
        "en": ("this post gets the same web address {url} as {other}", "give one of them a different 'slug:' or file name"),
        "zh-CN": ("这篇文章的网址 {url} 和 {other} 的一样", "给其中一篇换个文件名，或加一行不同的“slug:”")},
    "post.no_slug": {
        "en": ("the post's name gives no usable web address", "add a line 'slug: my-post' to the front matter"),
        "zh-CN": ("文件名无法变成网址", "在设置里加一行 slug: 英文网址，例如 slug: party-lesson")},
    "post.long_slug": {
        "en": ("the post's web address would be {length} characters long, over the limit of {limit}",
               "add a shorter 'slug: ...' line to the front matter"),
        "zh-CN": ("文章的网址会有 {length} 个字符，超过了 {limit} 个", "在设置里加一行短一些的“slug: ……”")},
    "post.slug_slash": {
        "en": ("a slug cannot contain '/' or '\\': {slug}", "use lowercase letters, digits and '-', such as 'party-lesson'"),
        "zh-CN": ("“slug:”里不能有“/”或“\\”：{slug}", "网址只用小写英文字母、数字和“-”，例如 slug: party-lesson")},
    "post.slug_dots": {
        "en": ("a slug cannot contain '..': {slug}", "use lowercase letters, digits and '-', such as 'party-lesson'"),
        "zh-CN": ("“slug:”里不能有“..”：{slug}", "网址只用小写英文字母、数字和“-”，例如 slug: party-lesson")},
    "tag.no_slug": {
        "en": ("the tag {name} gives no usable web address", "use words, digits or Chinese characters in tags"),
        "zh-CN": ("标签 {name} 无法变成网址", "标签请用汉字、字母或数字")},
    "tag.long": {
        "en": ("the tag {name}... is too long for a web address ({length} characters, over {limit})", "use a shorter tag"),
        "zh-CN": ("标签 {name}…… 太长，无法作为网址（{length} 个字符，超过 {limit} 个）", "请用短一些的标签")},
    # -- the work report's warnings (report.py)
    "report.empty_column": {
        "en": ("column '{column}' ({title}) has no posts; inspections of school websites count an empty column against the school",
               "publish a post in it, or remove the column"),
        "zh-CN": ("栏目“{title}”（{column}）还没有文章；学校网站检查会把空栏目算作问题", "在这个栏目发一篇文章，或者删掉这个栏目")},
    "report.stale_column": {
        "en": ("column '{column}' ({title}) has had no new post for {days} days (latest {latest}), more than "
               "stale_days = {stale_days}; inspections of school websites count such a column as empty",
               "publish a post in it, or change stale_days in site.toml (0 turns this check off)"),
        "zh-CN": ("栏目“{title}”（{column}）已经 {days} 天没有新文章了（最近一篇是 {latest}），超过了 {stale_days} 天；"
                  "学校网站检查会把这样的栏目算作空栏目",
                  "在这个栏目发一篇新文章，或者修改 site.toml 里的 stale_days（写 0 就不再检查）")},
    "report.study_column": {
        "en": ("study_column = '{value}' is not a column with posts, so the work report marks no months without a study post",
               "set study_column to the folder name of the Special Study column (columns: {columns}), or to \"\" if the site has none"),
        "zh-CN": ("study_column = '{value}' 不是一个有文章的栏目，所以工作报告不会标出缺少学习文章的月份",
                  "把 study_column 改成“专题学习”栏目的文件夹名（现有栏目：{columns}），没有这个栏目就写 \"\"")},
    # -- pictures no visitor would see (picture_checks.py)
    "pic.local": {
        "en": ("the picture is at a path on a computer, which the site cannot reach: '{target}'",
               "put the picture file beside the post (in the post's folder, with index.md) and write ![description](photo.jpg)"),
        "zh-CN": ("图片的地址是某台电脑上的路径，网站上看不到：“{target}”",
                  "把图片文件放到文章旁边（文章自己的文件夹里，和 index.md 放在一起），再写成 ![说明](照片.jpg)")},
    "pic.outside": {
        "en": ("the picture is on another website, which the intranet's visitors cannot load: '{target}'",
               "save the picture, put it beside the post and write ![description](photo.jpg)"),
        "zh-CN": ("图片来自外部网站，校园网里看不到：“{target}”",
                  "把图片保存下来，放到文章旁边，再写成 ![说明](照片.jpg)")},
    "pic.format": {
        "en": ("browsers cannot show a picture in the {ext} format: '{target}'",
               "save it as JPG or PNG and write that file's name instead"),
        "zh-CN": ("浏览器无法显示 {ext} 格式的图片：“{target}”", "把图片另存为 JPG 或 PNG 格式，再写新文件的名字")},
    # -- column folders (load.py)
    "site.loose_file": {
        "en": ("files directly in columns/ are ignored", "put posts inside a column's folder, such as columns/study/"),
        "zh-CN": ("直接放在 columns/ 里的文件不会发布", "把文章放进某个栏目的文件夹，例如 columns/study/")},
    "column.no_slug": {
        "en": ("the folder name gives no usable web address", "rename the folder with letters, digits or Chinese characters"),
        "zh-CN": ("文件夹名无法变成网址", "文件夹名请用字母、数字或汉字")},
    "column.long_slug": {
        "en": ("the folder name is too long for a web address ({length} characters, over {limit})",
               "give the folder a shorter name"),
        "zh-CN": ("文件夹名太长，无法作为网址（{length} 个字符，超过 {limit} 个）", "请给文件夹起个短一些的名字")},
    "column.reserved": {
        "en": ("the column name '{slug}' is used by the site itself", "rename the folder; these names are reserved: {reserved}"),
        "zh-CN": ("栏目名“{slug}”是网站自己要用的", "请给文件夹改名；这些名字不能用：{reserved}")},
    "column.same_url": {
        "en": ("this column has the same web address '{slug}' as {other}", "rename one of the folders"),
        "zh-CN": ("这个栏目的网址“{slug}”和 {other} 的一样", "给其中一个文件夹改名")},
    "post.changed": {
        "en": ("the file changed while the site was being built", "build again"),
        "zh-CN": ("生成网站的过程中这个文件被改动了", "再生成一次")},
}
