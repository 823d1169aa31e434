"""Every UI string the default theme shows, in each supported language."""

from __future__ import annotations

from datetime import date, datetime

LANGUAGES = ("en", "zh-CN")

_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "skip_to_content": "Skip to content",
        "home": "Home",
        "main_nav": "Main navigation",
        "breadcrumb": "Breadcrumb",
        "read_more": "Read more",
        "read_more_about": "Read more: {title}",
        "previous": "Previous",
        "next": "Next",
        "first": "First",
        "last": "Last",
        "page_x_of_y": "Page {number} of {total}",
        "pagination": "Pagination",
        "previous_post": "Previous post",
        "next_post": "Next post",
        "post_navigation": "More in this column",
        "by_author": "By {author}",
        "published_on": "Published {date}",
        "updated_on": "Updated {date}",
        "reading_time": "{minutes} min read",
        "tags": "Tags",
        "all_tags": "All tags",
        "tagged": "Posts tagged “{tag}”",
        "attachments": "Attachments",
        "pinned": "Pinned",
        "no_posts": "No posts yet.",
        "contents": "Contents",
        "columns": "Columns",
        "latest_posts": "Latest posts",
        "more_in_column": "More in {column}",
        "post_count_one": "1 post",
        "post_count_other": "{count} posts",
        "archive": "Archive",
        "archive_year": "Posts from {year}",
        "related_posts": "Related posts",
        "feed": "Atom feed",
        "not_found_title": "Page not found",
        "not_found_text": "The page you asked for does not exist. It may have been moved or removed.",
        "back_home": "Back to the home page",
        "draft": "Draft",
    },
    "zh-CN": {
        "skip_to_content": "跳到正文",
        "home": "首页",
        "main_nav": "主导航",
        "breadcrumb": "当前位置",
        "read_more": "阅读全文",
        "read_more_about": "阅读全文：{title}",
        "previous": "上一页",
        "next": "下一页",
        "first": "首页",
        "last": "末页",
        "page_x_of_y": "第 {number} 页，共 {total} 页",
        "pagination": "分页",
        "previous_post": "上一篇",
        "next_post": "下一篇",
        "post_navigation": "本栏目其他文章",
        "by_author": "作者：{author}",
        "published_on": "发布于 {date}",
        "updated_on": "更新于 {date}",
        "reading_time": "阅读约 {minutes} 分钟",
        "tags": "标签",
        "all_tags": "全部标签",
        "tagged": "标签“{tag}”下的文章",
        "attachments": "附件",
        "pinned": "置顶",
        "no_posts": "暂无文章。",
        "contents": "目录",
        "columns": "栏目",
        "latest_posts": "最新文章",
        "more_in_column": "更多{column}",
        "post_count_one": "1 篇文章",
        "post_count_other": "{count} 篇文章",
        "archive": "文章归档",
        "archive_year": "{year}年的文章",
        "related_posts": "相关文章",
        "feed": "Atom 订阅",
        "not_found_title": "页面未找到",
        "not_found_text": "您访问的页面不存在，可能已被移动或删除。",
        "back_home": "返回首页",
        "draft": "草稿",
    },
}


class Translator:
    """Looks up UI strings for one language; an unknown key is a template bug, so it raises."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._strings = STRINGS[language]

    def __call__(self, key: str, **values: object) -> str:
        return self._strings[key].format(**values)

    def post_count(self, count: int) -> str:
        key = "post_count_one" if count == 1 else "post_count_other"
        return self(key, count=count)

    def date(self, value: date | datetime) -> str:
        if self.language == "zh-CN":
            return f"{value.year}年{value.month}月{value.day}日"
        return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"

    def month(self, year: int, month: int) -> str:
        if self.language == "zh-CN":
            return f"{year}年{month}月"
        return f"{_EN_MONTHS[month - 1]} {year}"
