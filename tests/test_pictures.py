"""Pictures no visitor would see are said at their line, in the site's language: a path on
someone's computer and a format browsers do not show are errors, a picture on another
website is a warning (the intranet's visitors cannot load it)."""

from __future__ import annotations

import pytest

from conftest import NO_REPORT_WARNINGS, NO_SEARCH, SITE_TOML, SiteDir, column, post
from sitegen.errors import BuildFailed

BODY = ("见下图。\n\n![照片](C:\\Users\\王老师\\Desktop\\1.jpg)\n\n"
        "![扫描件](SCAN_0001.TIF)\n\n"
        "```\n![示例](D:\\不检查.jpg)\n```\n\n"
        "<img src=\"file:///C:/1.png\" alt=\"x\">\n")
EXPECTED = {
    "en": [
        "columns/news/p/index.md:8: the picture is at a path on a computer, which the site cannot reach: "
        "'C:\\Users\\王老师\\Desktop\\1.jpg' (put the picture file beside the post (in the post's folder, with index.md) "
        "and write ![description](photo.jpg))",
        "columns/news/p/index.md:10: browsers cannot show a picture in the TIF format: 'SCAN_0001.TIF' "
        "(save it as JPG or PNG and write that file's name instead)",
        "columns/news/p/index.md:16: the picture is at a path on a computer, which the site cannot reach: 'file:///C:/1.png' "
        "(put the picture file beside the post (in the post's folder, with index.md) and write ![description](photo.jpg))",
    ],
    "zh-CN": [
        "columns/news/p/index.md:8: 图片的地址是某台电脑上的路径，网站上看不到：“C:\\Users\\王老师\\Desktop\\1.jpg”"
        "（把图片文件放到文章旁边（文章自己的文件夹里，和 index.md 放在一起），再写成 ![说明](照片.jpg)）",
        "columns/news/p/index.md:10: 浏览器无法显示 TIF 格式的图片：“SCAN_0001.TIF”（把图片另存为 JPG 或 PNG 格式，再写新文件的名字）",
        "columns/news/p/index.md:16: 图片的地址是某台电脑上的路径，网站上看不到：“file:///C:/1.png”"
        "（把图片文件放到文章旁边（文章自己的文件夹里，和 index.md 放在一起），再写成 ![说明](照片.jpg)）",
    ],
}


def picture_site(tmp_path, language: str, body: str) -> SiteDir:
    return SiteDir(tmp_path / "site").write({
        "site.toml": SITE_TOML.replace('"en"', f'"{language}"') + NO_SEARCH + NO_REPORT_WARNINGS,
        "columns/news/_index.md": column("新闻", 1),
        "columns/news/p/index.md": post("图片", body=body),
        "columns/news/p/SCAN_0001.TIF": b"II*\x00",  # beside the post, so only its format is wrong
    })


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_a_picture_on_a_computer_or_in_an_unshown_format_is_an_error_at_its_line(tmp_path, language):
    site = picture_site(tmp_path, language, BODY)
    with pytest.raises(BuildFailed) as failed:
        site.build()
    assert [p.format(site.root, language) for p in failed.value.problems] == EXPECTED[language]


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "columns/news/p/index.md:6: warning: the picture is on another website, which the intranet's visitors cannot load: "
           "'https://mmbiz.qpic.cn/a/640?wx_fmt=jpeg' (save the picture, put it beside the post and write ![description](photo.jpg))"),
    ("zh-CN", "columns/news/p/index.md:6: 警告：图片来自外部网站，校园网里看不到：“https://mmbiz.qpic.cn/a/640?wx_fmt=jpeg”"
              "（把图片保存下来，放到文章旁边，再写成 ![说明](照片.jpg)）"),
])
def test_a_picture_from_another_website_is_a_warning_and_the_site_builds(tmp_path, language, expected):
    site = picture_site(tmp_path, language, "![微信图片](https://mmbiz.qpic.cn/a/640?wx_fmt=jpeg)\n")
    result = site.build()
    assert [p.format(site.root, language) for p in result.warnings] == [expected]
    assert site.exists("news/p/index.html")
    assert [p.format(site.root, language) for p in site.build().warnings] == [expected]  # said again by a rebuild
