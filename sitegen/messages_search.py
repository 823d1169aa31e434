"""Messages of the search index (search.py, watch.py's indexing): each a warning, since the site
itself is fine without a new index (the last one stays)."""

from __future__ import annotations

_INSTALL_EN = "install it with: pip install 'pagefind[extended]'"
_INSTALL_ZH = "请安装搜索工具：在命令行输入 pip install 'pagefind[extended]'"

SEARCH: dict[str, dict[str, tuple[str, str | None]]] = {
    "search.not_updated": {
        "en": ("search index not updated: {reason}", None),
        "zh-CN": ("搜索索引没有更新：{reason}。网站本身没有问题，搜索仍用上一次的索引", None)},
    "search.no_live_version": {
        "en": ("search index not updated: the site has no live version", None),
        "zh-CN": ("搜索索引没有更新：网站还没有生成成功过。网站生成成功后会自动建立索引", None)},
    "search.pagefind_failed": {
        "en": ("search index not updated: Pagefind failed: {reason}", _INSTALL_EN),
        "zh-CN": ("搜索索引没有更新：搜索工具 Pagefind 出错（{reason}）。网站本身没有问题", _INSTALL_ZH)},
    "search.incomplete": {
        "en": ("search index not updated: Pagefind's index is incomplete or unreadable", _INSTALL_EN),
        "zh-CN": ("搜索索引没有更新：搜索工具 Pagefind 写出的索引不完整。网站本身没有问题，下次生成时会重新建立", _INSTALL_ZH)},
    "search.crashed": {
        "en": ("search index not updated: {reason}", None),
        "zh-CN": ("搜索索引没有更新：{reason}。下次保存时会重新建立", None)},
}
