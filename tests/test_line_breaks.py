"""Line breaks as a Chinese writer means them: typed lines stay lines, and no space ever
appears between two Chinese characters; English keeps its spaces. '#话题#' is text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from conftest import NO_SEARCH, SITE_TOML, SiteDir, column, post

NOTICE = "时间：5月8日下午3点\n地点：三楼会议室\n参加人员：全体党员\n"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(params=["en", "zh-CN"])
def notice_site(request, tmp_path) -> SiteDir:
    toml = SITE_TOML.replace('"en"', f'"{request.param}"') + NO_SEARCH
    site = SiteDir(tmp_path / "site").write({
        "site.toml": toml,
        "columns/news/_index.md": column("新闻", 1),
        "columns/news/2019-03-05-notice.md": post("通知", body=NOTICE),
        "columns/news/2019-03-04-wrapped.md": post("学习", "2019-03-04", body="全体党员在三楼会议室参加了\n五月专题学习。\n"),
        "columns/news/2019-03-03-english.md": post("English", "2019-03-03", body="The branch met\non Friday.\n"),
        "columns/news/2019-03-02-topic.md": post("话题", "2019-03-02", body="#党史学习教育#\n\n# 学习内容\n\n正文。\n"),
    })
    site.build()
    return site


def test_lines_typed_as_separate_lines_stay_separate_lines(notice_site):
    paragraph = notice_site.html("news/notice/index.html").select_one(".post-body p")
    assert [line.strip() for line in paragraph.get_text("\n").split("\n") if line.strip()] == [
        "时间：5月8日下午3点", "地点：三楼会议室", "参加人员：全体党员"]
    assert len(paragraph.find_all("br")) == 2


def test_english_lines_are_joined_with_a_space(notice_site):
    paragraph = notice_site.html("news/english/index.html").select_one(".post-body p")
    assert paragraph.find("br") is None
    assert " ".join(paragraph.get_text().split()) == "The branch met on Friday."


def test_no_space_between_chinese_characters_in_the_description_cards_and_feed(notice_site):
    page = notice_site.html("news/wrapped/index.html")
    assert page.find("meta", attrs={"name": "description"})["content"] == "全体党员在三楼会议室参加了五月专题学习。"
    notice = notice_site.html("news/notice/index.html").find("meta", attrs={"name": "description"})["content"]
    assert notice == "时间：5月8日下午3点地点：三楼会议室参加人员：全体党员"
    cards = notice_site.html("news/index.html").get_text()
    assert "全体党员在三楼会议室参加了五月专题学习。" in cards
    feed = ET.parse(notice_site.output / "news" / "feed.xml")
    summaries = [e.text for e in feed.iter(f"{ATOM}summary")]
    assert any("全体党员在三楼会议室参加了五月专题学习。" in (s or "") for s in summaries)


def test_a_wechat_topic_is_text_and_a_heading_needs_a_space(notice_site):
    body = notice_site.html("news/topic/index.html").select_one(".post-body")
    assert body.select_one("p").get_text() == "#党史学习教育#"
    assert [h.get_text() for h in body.select("h1, h2, h3")] == ["学习内容"]
