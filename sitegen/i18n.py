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
        "feed_site": "Follow the whole site (Atom feed)",
        "feed_column": "Follow “{column}” (Atom feed)",
        "not_found_title": "Page not found",
        "not_found_text": "The page you asked for does not exist. It may have been moved or removed.",
        "back_home": "Back to the home page",
        "draft": "Draft",
        "scheduled": "Scheduled",
        "search": "Search",
        "search_label": "Search the site",
        "search_placeholder": "Search posts",
        "search_button": "Search",
        "search_needs_js": "Search needs JavaScript, which is turned off in this browser. You can still browse the columns, tags and the archive.",
        "search_column": "Column",
        "search_date": "Date",
        "search_order": "Order",
        "search_order_relevance": "Best match",
        "search_order_newest": "Newest first",
        "search_order_oldest": "Oldest first",
        "search_tag": "Tag",
        "search_meta": "{label}: {value}",
        "search_filters": "Filters",
        "search_found_one": "1 result for “{query}”",
        "search_found_other": "{count} results for “{query}”",
        "search_found_none": "Nothing found for “{query}”. Try fewer words, or another word.",
        "search_more": "Show more results",
        "search_hint": "Type what you are looking for into the search box at the top of the page.",
        "search_failed": "Search does not work at the moment. Please try again later, or browse the columns.",
        # --- work report ---
        "report": "Work report",
        "report_year": "{start}–{end} academic year",
        "report_year_single": "Year {year}",
        "report_title": "Work report: {year}",
        "report_years": "Reports by academic year",
        "report_current": "current",
        "report_year_empty": ", no posts yet",
        "report_as_of": "figures as of {date}",
        "report_span": "{start} to {end}",
        "report_by_month": "Posts per column per month",
        "report_chart_title": "Posts per column per month, {year}",
        "report_chart_desc": "{total} posts in all, at most {most} in one month. {gaps} Every figure is in the table below.",
        "report_chart_gaps": "Months without a post in {column}: {months}.",
        "report_month": "Month",
        "list_sep": ", ",
        "report_total": "Total",
        "report_gap": "gap",
        "report_gap_key": "gap: no post in {column} that month",
        "report_study_gap": "Study gap",
        "report_gaps": "Months without a study post",
        "report_gaps_lead": "Months that have ended with no post in {column}:",
        "report_no_gaps": "Every month that has ended has a post in {column}.",
        "report_no_study_column": "No Special Study column is set, so no gaps are counted.",
        "report_authors": "Posts per author",
        "report_authors_lead": "Posts by each author in this academic year; authors with fewer than {threshold} are marked.",
        "report_author": "Author",
        "report_posts": "Posts",
        "report_note": "Note",
        "report_below": "fewer than {threshold}",
        "report_unknown_author": "Unknown",
        "report_updates": "Column updates",
        "report_updates_lead": "Columns with no new post for more than {days} days are marked.",
        "report_column": "Column",
        "report_latest": "Latest post",
        "report_days_since": "Days since",
        "report_status": "Status",
        "report_stale": "no post for over {days} days",
        "report_fresh": "up to date",
        "report_empty_column": "no posts yet",
        # --- end work report ---
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
        "feed_site": "订阅全站更新（Atom）",
        "feed_column": "订阅“{column}”栏目（Atom）",
        "not_found_title": "页面未找到",
        "not_found_text": "您访问的页面不存在，可能已被移动或删除。",
        "back_home": "返回首页",
        "draft": "草稿",
        "scheduled": "定时发布",
        "search": "站内搜索",
        "search_label": "搜索本站",
        "search_placeholder": "搜索文章",
        "search_button": "搜索",
        "search_needs_js": "站内搜索需要启用 JavaScript，当前浏览器已将其关闭。您仍可通过栏目、标签和文章归档浏览。",
        "search_column": "栏目",
        "search_date": "日期",
        "search_order": "排序",
        "search_order_relevance": "最相关",
        "search_order_newest": "最新发布在前",
        "search_order_oldest": "最早发布在前",
        "search_tag": "标签",
        "search_meta": "{label}：{value}",
        "search_filters": "筛选",
        "search_found_one": "找到 1 条与“{query}”有关的结果",
        "search_found_other": "找到 {count} 条与“{query}”有关的结果",
        "search_found_none": "没有找到与“{query}”有关的内容。可以少输入几个字，或者换一个词。",
        "search_more": "显示更多结果",
        "search_hint": "请在页面顶部的搜索框里输入要查找的内容。",
        "search_failed": "搜索暂时无法使用，请稍后再试，或者按栏目浏览。",
        # --- work report ---
        "report": "工作报告",
        "report_year": "{start}–{end}学年",
        "report_year_single": "{year}年度",
        "report_title": "工作报告：{year}",
        "report_years": "各学年报告",
        "report_current": "本学年",
        "report_year_empty": "，还没有文章",
        "report_as_of": "统计截至{date}",
        "report_span": "{start}至{end}",
        "report_by_month": "各栏目每月发文",
        "report_chart_title": "{year}各栏目每月发文数",
        "report_chart_desc": "共{total}篇，单月最多{most}篇。{gaps}各项数字见下表。",
        "report_chart_gaps": "{column}栏目没有文章的月份：{months}。",
        "report_month": "月份",
        "list_sep": "、",
        "report_total": "合计",
        "report_gap": "缺",
        "report_gap_key": "缺：该月{column}栏目没有文章",
        "report_study_gap": "专题学习缺口",
        "report_gaps": "专题学习缺口",
        "report_gaps_lead": "已结束的月份中，{column}栏目没有文章的月份：",
        "report_no_gaps": "已结束的每个月，{column}栏目都有文章。",
        "report_no_study_column": "未设置专题学习栏目，不统计缺口。",
        "report_authors": "作者发文",
        "report_authors_lead": "该学年每位作者的文章数；少于 {threshold} 篇的作者已标出。",
        "report_author": "作者",
        "report_posts": "文章数",
        "report_note": "说明",
        "report_below": "少于{threshold}篇",
        "report_unknown_author": "未署名",
        "report_updates": "栏目更新情况",
        "report_updates_lead": "超过 {days} 天没有新文章的栏目已标出。",
        "report_column": "栏目",
        "report_latest": "最新文章",
        "report_days_since": "距今天数",
        "report_status": "状态",
        "report_stale": "超过{days}天未更新",
        "report_fresh": "正常",
        "report_empty_column": "暂无文章",
        # --- end work report ---
    },
}


class UnknownText(LookupError):
    """A template asked t() for a text the theme does not have (render.py names the template)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"t({key!r}): no such text")
        self.key = key


class Translator:
    """Looks up UI strings for one language; an unknown key is a template bug, so it raises."""

    # Jinja asks every callable a template calls whether it wants the context passed in
    # (hasattr(obj.__call__, "jinja_pass_arg"), then the same of obj): saying no up front
    # spares two failed attribute lookups, and their exceptions, on every t() in a page.
    jinja_pass_arg = None

    def __init__(self, language: str) -> None:
        self.language = language
        self._strings = STRINGS[language]

    def __call__(self, key: str, **values: object) -> str:
        try:
            text = self._strings[key]
        except KeyError:
            raise UnknownText(key) from None
        return text.format(**values)

    __call__.jinja_pass_arg = None  # type: ignore[attr-defined]

    def post_count(self, count: int) -> str:
        key = "post_count_one" if count == 1 else "post_count_other"
        return self(key, count=count)

    def date(self, value: date | datetime) -> str:
        if self.language == "zh-CN":
            return f"{value.year}年{value.month}月{value.day}日"
        return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"

    def month_short(self, month: int) -> str:
        """'9月' / 'Sep': a month without its year (work report)."""
        if self.language == "zh-CN":
            return f"{month}月"
        return _EN_MONTHS[month - 1][:3]

    def month(self, year: int, month: int) -> str:
        if self.language == "zh-CN":
            return f"{year}年{month}月"
        return f"{_EN_MONTHS[month - 1]} {year}"
