"""Messages of the command line's own parser (cli_args.py): each command's help, and argparse's
usage and error lines, which argparse takes through gettext (its `_`), in the site's language."""

from __future__ import annotations

_FOLDER = {"en": ("the site's folder (default: the current folder)", None),
           "zh-CN": ("网站所在的文件夹（不写就是当前文件夹）", None)}
_OUTPUT = {"en": ("where to write the site (default: output/ inside the source)", None),
           "zh-CN": ("把网站生成到哪个文件夹（不写就是网站文件夹里的 output/）", None)}
_POLL = {"en": ("poll for changes (for network folders without file events)", None),
         "zh-CN": ("定时查看有没有改动（网络文件夹收不到改动通知时用）", None)}

HELP: dict[str, dict[str, tuple[str, str | None]]] = {
    "args.description": {"en": ("Build the party-building column site.", None),
                         "zh-CN": ("生成党建专栏网站。", None)},
    "args.version": {"en": ("show program's version number and exit", None),
                     "zh-CN": ("显示 sitegen 的版本号", None)},
    "args.source": _FOLDER,
    "args.output": _OUTPUT,
    "args.drafts": {"en": ("include posts marked draft: true", None),
                    "zh-CN": ("草稿（写了 draft: true 的文章）也生成", None)},
    "args.future": {"en": ("include posts dated in the future", None),
                    "zh-CN": ("日期还没到的文章也生成", None)},
    "args.jobs": {"en": ("processes to use (default: one per CPU; 1 for none)", None),
                  "zh-CN": ("同时用几个进程（不写就按 CPU 个数；写 1 表示只用一个）", None)},
    "args.build": {"en": ("build the site into the output folder", None),
                   "zh-CN": ("生成网站，放进输出文件夹", None)},
    "args.check": {"en": ("check every file and list all problems; writes nothing", None),
                   "zh-CN": ("检查所有文件，列出全部问题；不生成任何文件", None)},
    "args.new": {"en": ("create a new post and print its path", None),
                 "zh-CN": ("新建一篇文章，并显示它的文件位置", None)},
    "args.column": {"en": ("the column's folder name or title, such as study or 专题学习", None),
                    "zh-CN": ("栏目的文件夹名或栏目名称，例如 study 或 专题学习", None)},
    "args.title": {"en": ("the post's title (quotes are not needed)", None),
                   "zh-CN": ("文章标题（不用加引号）", None)},
    "args.serve": {"en": ("build, then serve the site for preview, rebuilding on changes", None),
                   "zh-CN": ("生成网站并打开预览，文章有改动就重新生成", None)},
    "args.host": {"en": ("address to listen on (default: 127.0.0.1, this machine only)", None),
                  "zh-CN": ("预览网站的地址（不写就是 127.0.0.1，只有这台电脑能打开）", None)},
    "args.port": {"en": ("port to listen on (default: 8000)", None),
                  "zh-CN": ("预览网站的端口（不写就是 8000）", None)},
    "args.poll": _POLL,
    "args.watch": {"en": ("build, then rebuild whenever a source file changes", None),
                   "zh-CN": ("生成网站，之后文章有改动就自动重新生成", None)},
    "args.report": {"en": ("print the work report of an academic year (posts per column, month, author)", None),
                    "zh-CN": ("显示一个学年的工作报告（各栏目、各月、各作者的文章数）", None)},
    "args.year": {"en": ("the academic year starting in YEAR, such as 2019 for 2019-2020 (default: the current one)", None),
                  "zh-CN": ("从哪一年开始的学年，例如 2019 表示 2019—2020 学年（不写就是本学年）", None)},
    "args.csv": {"en": ("write the figures as CSV to FILE ('-': to the terminal) for a spreadsheet", None),
                 "zh-CN": ("把数字保存成 CSV 文件，可以用 Excel 打开（写 - 就直接显示出来）", None)},
    "args.html": {"en": ("write the report, posts per person included, as an HTML file outside the published site", None),
                  "zh-CN": ("把报告（含每个人的文章数）保存成网页文件，放在发布的网站以外", None)},
    "args.port_range": {"en": ("there is no port {port}: write a number from 1 to 65535, such as 8000", None),
                        "zh-CN": ("没有 {port} 这个端口：请写 1 到 65535 之间的数，例如 8000", None)},
    "args.loop": {"en": ("{path}: symlink loop (a symlink on this path leads back to itself)", None),
                  "zh-CN": ("{path}：链接循环（这个路径上的某个链接又指回了自己）", None)},
    # metavars: the words the usage line shows for what to type
    "args.COMMAND": {"en": ("{{build,check,new,serve,watch,report}}", None), "zh-CN": ("命令", None)},
    "args.FOLDER": {"en": ("FOLDER", None), "zh-CN": ("文件夹", None)},
    "args.COLUMN": {"en": ("column", None), "zh-CN": ("栏目", None)},
    "args.TITLE": {"en": ("title", None), "zh-CN": ("标题", None)},
    "args.FILE": {"en": ("FILE", None), "zh-CN": ("文件", None)},
    "args.YEAR": {"en": ("YEAR", None), "zh-CN": ("年份", None)},
    "args.HOST": {"en": ("HOST", None), "zh-CN": ("地址", None)},
    "args.PORT": {"en": ("PORT", None), "zh-CN": ("端口", None)},
}

# argparse's own texts (its msgids, as in Python 3.11-3.13's argparse.py), in Chinese.
ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "要写的内容",
    "options": "选项",
    "show this help message and exit": "显示这段说明",
    "%(prog)s: error: %(message)s\n": "%(prog)s：出错了：%(message)s\n（第一行是这个命令的写法；在命令后面加 -h 可以看到详细说明）\n",
    "the following arguments are required: %s": "缺少这些内容：%s",
    "unrecognized arguments: %s": "认不出这些内容：%s",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "%(value)r 不是整数（这里要写一个整数）",  # (every typed option is a number)
    "invalid choice: %(value)r (choose from %(choices)s)": "没有 %(value)r 这个命令（可以用：%(choices)s）",
    "expected one argument": "后面要写一个值",
    "expected at most one argument": "后面最多写一个值",
    "expected at least one argument": "后面至少要写一个值",
    "expected %s argument": "后面要写 %s 个值",
    "expected %s arguments": "后面要写 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能和 %s 一起用",
    "ignored explicit argument %r": "多余的值 %r",
    "one of the arguments %s is required": "%s 要写其中一个",
    "unexpected option string: %s": "认不出这个选项：%s",
    "can't open '%(filename)s': %(error)s": "打不开“%(filename)s”：%(error)s",
}

# As catalogue entries too, so that the catalogue's checks see them (English is argparse's own).
ARGS: dict[str, dict[str, tuple[str, str | None]]] = {
    **HELP,
    **{f"argparse.{msgid}": {"en": (msgid, None), "zh-CN": (zh, None)} for msgid, zh in ARGPARSE_ZH.items()},
}
