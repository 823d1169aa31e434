"""Messages about the site's own files (sources.py, assets.py): what cannot be read and why, in
words a teacher knows, with the system's reasons (errno) said in the site's language too."""

from __future__ import annotations

import errno
import os

_READ_HINT = {"en": "change its permissions so that sitegen can read it, or move it out of the site",
              "zh-CN": "请修改它的权限，让 sitegen 能读取它，或者把它移出网站文件夹"}
_REGULAR = {"en": "replace it with a regular file", "zh-CN": "请换成一个普通文件"}

# The system's reasons, by errno name; English is the system's own text (what exc.strerror says).
_OS_ZH = {
    "EACCES": "没有权限", "EPERM": "不允许这样操作", "ENOENT": "文件或文件夹不存在",
    "ENOTDIR": "路径中有一段不是文件夹", "EISDIR": "这是一个文件夹", "ENOSPC": "磁盘已满",
    "EDQUOT": "磁盘配额已用完", "EROFS": "磁盘是只读的，不能写入", "EIO": "读写磁盘时出错",
    "ENAMETOOLONG": "文件名太长", "ELOOP": "符号链接太多层（可能互相指向，成了循环）",
    "EBUSY": "文件正被别的程序占用", "EEXIST": "文件已经存在", "EMFILE": "同时打开的文件太多",
    "ENOTEMPTY": "文件夹不是空的", "EXDEV": "不能在两个磁盘之间移动", "ETXTBSY": "文件正被别的程序使用",
    "EADDRINUSE": "这个端口已经有别的程序在用", "EADDRNOTAVAIL": "这台电脑没有这个地址",
}
_OS = {f"word.os.{name}": {"en": (os.strerror(getattr(errno, name)), None), "zh-CN": (zh, None)}
       for name, zh in _OS_ZH.items() if hasattr(errno, name)}

FILES: dict[str, dict[str, tuple[str, str | None]]] = {
    **_OS,
    # -- what a path is when it is not a file or a folder (sources.special_kind)
    "word.fifo": {"en": ("a named pipe (FIFO)", None), "zh-CN": ("命名管道（FIFO）", None)},
    "word.socket": {"en": ("a socket", None), "zh-CN": ("套接字（socket）", None)},
    "word.device": {"en": ("a device", None), "zh-CN": ("设备文件", None)},
    "word.other": {"en": ("something other than a file", None), "zh-CN": ("特殊文件", None)},
    # -- walking and reading the site's folders
    "file.symlink_outside": {
        "en": ("symlink points outside the site (to {target}); refused",
               "copy the file into the site instead of linking to it"),
        "zh-CN": ("这是一个链接（符号链接），指向网站文件夹以外的 {target}，不能使用",
                  "请把文件本身复制到网站文件夹里，不要用链接")},
    "file.special": {
        "en": ("this is {kind}, not a file; skipped",
               "only files and folders are part of a site: remove it from the site's folders"),
        "zh-CN": ("这是{kind}，不是普通文件，已跳过", "网站文件夹里只能放文件和文件夹：请把它移走")},
    "file.loop_self": {
        "en": ("symlink loop: the link leads back to itself", "remove the symlink, or point it at a real file or folder"),
        "zh-CN": ("链接循环：这个链接绕了一圈又指回自己", "请删掉这个链接，或者让它指向真正的文件或文件夹")},
    "file.loop_folder": {
        "en": ("symlink loop: the link leads to {folder}, a folder that holds it",
               "remove the symlink, or point it at a real file or folder"),
        "zh-CN": ("链接循环：这个链接指向 {folder}，而它自己就在那个文件夹里面",
                  "请删掉这个链接，或者让它指向真正的文件或文件夹")},
    "file.unreadable_folder": {
        "en": ("cannot read the folder: {reason}", _READ_HINT["en"]),
        "zh-CN": ("无法读取这个文件夹：{reason}", _READ_HINT["zh-CN"])},
    "file.unreadable": {
        "en": ("cannot read the file: {reason}", _READ_HINT["en"]),
        "zh-CN": ("无法读取这个文件：{reason}", _READ_HINT["zh-CN"])},
    "file.unreadable_plain": {
        "en": ("cannot read the file: {reason}", None),
        "zh-CN": ("无法读取这个文件：{reason}", "请检查这个文件是否还在、能否用别的程序打开")},
    "file.special_read": {
        "en": ("cannot read the file: it is {kind}", _REGULAR["en"]),
        "zh-CN": ("无法读取：这是{kind}，不是普通文件", _REGULAR["zh-CN"])},
    "file.special_copy": {
        "en": ("cannot copy the file: it is {kind}", _REGULAR["en"]),
        "zh-CN": ("无法复制：这是{kind}，不是普通文件", _REGULAR["zh-CN"])},
    "file.is_folder": {
        "en": ("cannot read the file: it is a folder", "rename the folder"),
        "zh-CN": ("无法当作文件读取：这是一个文件夹", "请给这个文件夹改个名字")},
    "file.too_big": {
        "en": ("the file is {size}, over the {limit} limit",
               "split it, move large media into attachments, or raise max_file_size_mb in site.toml"),
        "zh-CN": ("文件太大：{size}，超过了 {limit} 的上限",
                  "请把文章拆成几篇，把大的图片、视频放进附件，或者在 site.toml 里调大 max_file_size_mb")},
}
