"""Messages about making the site: the output folder (write.py, publish.py), its lock (lock.py),
and a build or a preview request that failed unexpectedly."""

from __future__ import annotations

_OTHER_OUTPUT = {"en": "choose another --output", "zh-CN": "请用 --output 换一个文件夹"}
_NOT_OURS = {"en": "move it out of the output folder; sitegen never overwrites files it did not write",
             "zh-CN": "请把它移出输出文件夹；不是 sitegen 写的文件，sitegen 从不覆盖"}
_SEND = {"en": "this is a fault in sitegen, not in your posts: send this line to whoever looks after the site",
         "zh-CN": "这是 sitegen 程序的问题，不是文章的问题：请把这一行发给负责网站的老师"}

OUTPUT: dict[str, dict[str, tuple[str, str | None]]] = {
    # -- the output folder
    "out.collision": {
        "en": ("writes {relpath}, which {other} writes too",
               "rename one of them (names that differ only in upper/lower case collide)"),
        "zh-CN": ("要生成 {relpath}，但 {other} 也要生成同一个文件",
                  "请给其中一个改名（只有大小写不同的名字也算同一个）")},
    "out.cannot_use": {
        "en": ("cannot use the output folder: {reason}", _OTHER_OUTPUT["en"]),
        "zh-CN": ("无法使用输出文件夹：{reason}", _OTHER_OUTPUT["zh-CN"])},
    "out.not_ours": {
        "en": ("refusing to build into a folder that is not empty and was not made by sitegen",
               "choose an empty or new folder with --output, or empty this one first"),
        "zh-CN": ("这个文件夹里已经有别的文件，也不是 sitegen 生成的，不能把网站生成到这里",
                  "请用 --output 指定一个空的或新的文件夹，或者先把这个文件夹清空")},
    "out.is_file": {
        "en": ("the output path is a file, not a folder", _OTHER_OUTPUT["en"]),
        "zh-CN": ("输出的位置是一个文件，不是文件夹", _OTHER_OUTPUT["zh-CN"])},
    "out.parent_file": {
        "en": ("the output folder {output} cannot be made: this is a file, not a folder", _OTHER_OUTPUT["en"]),
        "zh-CN": ("无法建立输出文件夹 {output}：这里是一个文件，不是文件夹", _OTHER_OUTPUT["zh-CN"])},
    "out.folder_for_file": {
        "en": ("a folder stands where the site needs a file", "move that folder out of the output folder"),
        "zh-CN": ("网站要在这里写一个文件，但这里有一个文件夹", "请把这个文件夹移出输出文件夹")},
    "out.foreign_file": {
        "en": ("a file sitegen did not write stands where the site needs one", _NOT_OURS["en"]),
        "zh-CN": ("这里有一个不是 sitegen 写的文件，占了网站要用的位置", _NOT_OURS["zh-CN"])},
    "out.foreign_top": {
        "en": ("{what} sitegen did not write stands where the site needs one", _NOT_OURS["en"]),
        "zh-CN": ("这里有一个不是 sitegen 写的{what}，占了网站要用的位置", _NOT_OURS["zh-CN"])},
    "word.a_folder": {"en": ("a folder", None), "zh-CN": ("文件夹", None)},
    "word.a_file": {"en": ("a file", None), "zh-CN": ("文件", None)},
    "word.a_symlink": {"en": ("a symlink", None), "zh-CN": ("链接（符号链接）", None)},
    "out.symlink_outside": {
        "en": ("a symlink in the output folder points outside it; refused", "replace it with a real folder"),
        "zh-CN": ("输出文件夹里有一个链接指向外面，不能使用", "请换成一个真正的文件夹")},
    "out.file_for_folder": {
        "en": ("a file stands where the site needs a folder", "move that file out of the output folder"),
        "zh-CN": ("网站要在这里建一个文件夹，但这里有一个文件", "请把这个文件移出输出文件夹")},
    "out.blockers": {
        "en": ("{count} files or folders are in the way of the site: {paths}; the first: {inner}",
               "move those out of the output folder"),
        "zh-CN": ("有 {count} 个文件或文件夹占了网站要用的位置：{paths}；第一个：{inner}", "请把它们移出输出文件夹")},
    "out.cannot_create": {
        "en": ("cannot create the output folder: {reason}", _OTHER_OUTPUT["en"]),
        "zh-CN": ("无法建立输出文件夹：{reason}", _OTHER_OUTPUT["zh-CN"])},
    "out.disk_full": {
        "en": ("the disk is full: the new site was not published (the site online is the last good one)",
               "make room on the disk holding the output folder, then build again"),
        "zh-CN": ("磁盘已满：新网站没有发布（线上仍是上一次成功生成的网站）", "请清理输出文件夹所在的磁盘，然后重新生成")},
    "out.cannot_write": {
        "en": ("cannot write the site: {reason}", None),
        "zh-CN": ("无法写入网站：{reason}", "请检查输出文件夹所在的磁盘和权限，然后重新生成")},
    # -- the output folder's lock
    "lock.waiting": {
        "en": ("sitegen: waiting: {holder} is writing {folder}; this {what} starts when it ends", None),
        "zh-CN": ("sitegen：请稍等：{holder} 正在写入 {folder}；它结束后，本次{what}就会开始", None)},
    "word.another_sitegen": {"en": ("another sitegen", None), "zh-CN": ("另一个 sitegen", None)},
    "word.build": {"en": ("build", None), "zh-CN": ("生成", None)},
    "word.watch": {"en": ("watch", None), "zh-CN": ("监视", None)},
    "word.search indexing": {"en": ("search indexing", None), "zh-CN": ("搜索索引", None)},
    # -- what went wrong unexpectedly
    "watch.crashed": {
        "en": ("build crashed: {reason}", _SEND["en"]),
        "zh-CN": ("生成时程序出错：{reason}", _SEND["zh-CN"])},
    "serve.request_failed": {
        "en": ("preview server: a request from {client} failed: {reason}", None),
        "zh-CN": ("预览服务器：来自 {client} 的一次访问出错：{reason}（页面刷新一下通常就好）", None)},
}
