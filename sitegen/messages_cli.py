"""Messages of the command line, the watcher and the preview server: summaries, `sitegen new`
and what it writes into a new post."""

from __future__ import annotations

CLI: dict[str, dict[str, tuple[str, str | None]]] = {
    # -- a build's summary line, piece by piece
    "sum.main": {"en": ("{pages} pages, {posts} posts ({per_column}), {warnings} warnings", None),
                 "zh-CN": ("{pages} 个页面，{posts} 篇文章（{per_column}），{warnings} 个警告", None)},
    "sum.column": {"en": ("{title} {count}", None), "zh-CN": ("{title} {count} 篇", None)},
    "sum.column_separator": {"en": (", ", None), "zh-CN": ("，", None)},
    "sum.notes": {"en": (", {notes} not published (drafts, dated in the future)", None),
                  "zh-CN": ("，{notes} 篇未发布（草稿或日期未到）", None)},
    "sum.files": {"en": (", {written} written, {unchanged} unchanged, {removed} removed", None),
                  "zh-CN": ("，写入 {written} 个文件，{unchanged} 个没有变化，删除 {removed} 个", None)},
    "sum.seconds": {"en": (", {seconds} s", None), "zh-CN": ("，用时 {seconds} 秒", None)},
    "sum.remark_separator": {"en": ("; ", None), "zh-CN": ("；", None)},
    "sum.search": {"en": ("; search index {size} MB in {seconds} s", None),
                   "zh-CN": ("；搜索索引 {size} MB，用时 {seconds} 秒", None)},
    # -- build, check, watch
    "cli.built": {"en": ("built {summary}", None), "zh-CN": ("已生成网站：{summary}", None)},
    "cli.build_failed": {"en": ("build failed: {errors} error(s); the output folder was left as it was", None),
                         "zh-CN": ("生成失败：有 {errors} 处错误；网站保持原样，没有任何改动", None)},
    "cli.counts": {"en": ("{errors} error(s), {warnings} warning(s)", None),
                   "zh-CN": ("{errors} 处错误，{warnings} 个警告", None)},
    "cli.watch_built": {"en": ("[{stamp}] built {summary}", None), "zh-CN": ("[{stamp}] 已生成网站：{summary}", None)},
    "cli.watch_failed": {"en": ("[{stamp}] build failed: the last good site stays in place", None),
                         "zh-CN": ("[{stamp}] 生成失败：网上仍是上一次生成成功的网站", None)},
    "cli.watch_index": {"en": ("[{stamp}] search index {size} MB in {seconds} s", None),
                        "zh-CN": ("[{stamp}] 搜索索引 {size} MB，用时 {seconds} 秒", None)},
    "cli.stopped": {"en": ("sitegen: stopped; the site online is whole: the last good one, or this build's if it "
                           "had gone live already", None),
                    "zh-CN": ("sitegen：已停止。网上的网站是完整的：要么是上一次生成成功的，要么是这一次已经发布的", None)},
    # -- the progress line (its label is the key after "progress.")
    "progress.posts parsed": {"en": ("posts parsed", None), "zh-CN": ("读取文章", None)},
    "progress.pages written": {"en": ("pages written", None), "zh-CN": ("生成页面", None)},
    "cli.watching": {"en": ("watching {source} for changes (Ctrl+C stops)", None),
                     "zh-CN": ("正在监视 {source} 的改动，有改动就重新生成（按 Ctrl+C 停止）", None)},
    "cli.serving": {"en": ("serving {output} at {url} (Ctrl+C stops)", None),
                    "zh-CN": ("预览网站：{url}（内容来自 {output}；按 Ctrl+C 停止）", None)},
    "cli.cannot_listen": {"en": ("sitegen: cannot listen on {host}:{port}: {reason} (is another server using that port? "
                                 "choose another with --port)", None),
                          "zh-CN": ("sitegen：无法使用 {host}:{port}：{reason}（可能有别的程序占用了这个端口；用 --port 换一个）", None)},
    # -- the box `sitegen serve` shows over a page when a build failed
    "serve.failed": {"en": ("sitegen: the build failed; the page shows the last good site.", None),
                     "zh-CN": ("sitegen：生成失败，下面列出了问题；页面显示的是上一次生成成功的网站。", None)},
    # -- sitegen report
    "report.html_in_output": {
        "en": ("sitegen: {path} is inside the published site, where every visitor could open it; "
               "write the report somewhere else", None),
        "zh-CN": ("sitegen：{path} 在发布的网站里，所有访问者都能打开；请把报告保存到别的地方", None)},
    "report.no_year": {"en": ("sitegen: no academic year {year} in this site (years: {years})", None),
                       "zh-CN": ("sitegen：网站里没有 {year} 学年（现有的学年：{years}；用 --year 选其中一个）", None)},
    "report.cannot_write": {"en": ("sitegen: cannot write {path}: {reason}", None),
                            "zh-CN": ("sitegen：无法保存 {path}：{reason}（请换一个位置或文件名）", None)},
    "report.wrote": {"en": ("wrote {path}", None), "zh-CN": ("已保存 {path}", None)},
    # -- sitegen new
    "new.no_column": {"en": ("sitegen: there is no column '{column}' (columns: {columns})", None),
                      "zh-CN": ("sitegen：没有“{column}”这个栏目（现有栏目：{columns}）", None)},
    "new.no_columns": {"en": ("none", None), "zh-CN": ("无", None)},
    "new.page_column": {"en": ("sitegen: column '{column}' is a single page (layout: page) and holds no posts; "
                               "edit {index} instead", None),
                        "zh-CN": ("sitegen：栏目“{column}”只有一页（layout: page），不能放文章；请直接修改 {index}", None)},
    "new.empty_title": {"en": ("sitegen: the title is empty; give the post a title in quotes", None),
                        "zh-CN": ("sitegen：标题是空的；请在栏目后面写上文章标题", None)},
    "new.exists": {"en": ("sitegen: {path} already exists", None),
                   "zh-CN": ("sitegen：{path} 已经存在", None)},
    "new.body": {"en": ("Write the post here. Remove the line 'draft: true' above to publish it.", None),
                 "zh-CN": ("在这里写正文。写好后删掉上面“draft: true”这一行，文章就会发布。", None)},
    "new.created": {"en": ("{path}", None), "zh-CN": ("{path}", None)},
}
