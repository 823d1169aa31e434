"""Tags that come out alike in pinyin are different tags at different addresses; the same tag
in other letter case is one tag. Never a failed build."""

from __future__ import annotations

from pathlib import Path

from conftest import NOW, SiteDir, post, served
from sitegen.build import Options, build


def tag_pages(site: SiteDir) -> dict[str, list[str]]:
    """Each tag page's address -> the titles of the posts it lists."""
    found = {}
    for path in sorted((site.output / "tags").iterdir()):
        if (path / "index.html").is_file():
            page = site.html(f"tags/{path.name}/index.html")
            found[path.name] = [a.get_text(strip=True) for a in page.select(".post-card h2 a, .post-card h3 a")]
    return found


def test_tags_with_the_same_pinyin_get_their_own_addresses(site):
    site.write({
        "columns/news/2019-03-01-a.md": post("政治学习", "2019-03-01", "tags: [政治]\n"),
        "columns/news/2019-03-02-b.md": post("整治活动", "2019-03-02", "tags: [整治, Reading]\n"),
        "columns/news/2019-03-03-c.md": post("两个都有", "2019-03-03", "tags: [政治, 整治, reading]\n"),
    })
    site.build()
    pages = tag_pages(site)
    assert sorted(pages) == ["reading", "zheng-zhi", "zheng-zhi-2"]
    assert site.html("tags/zheng-zhi/index.html").select_one("h1").get_text().count("政治") == 1
    assert site.html("tags/zheng-zhi-2/index.html").select_one("h1").get_text().count("整治") == 1
    both = site.html("news/c/index.html")
    assert [(a.get_text(), a["href"]) for a in both.select(".post-tags a")] == [
        ("政治", "/tags/zheng-zhi/"), ("整治", "/tags/zheng-zhi-2/"), ("Reading", "/tags/reading/")]


def test_a_rebuild_after_an_older_post_takes_the_tag_gives_the_same_site_as_a_clean_build(site, tmp_path: Path):
    site.write({"columns/news/2019-03-02-b.md": post("整治活动", "2019-03-02", "tags: [整治]\n")})
    site.build()
    site.write({"columns/news/2019-03-01-a.md": post("政治学习", "2019-03-01", "tags: [政治]\n")})
    site.build()
    fresh = tmp_path / "clean"
    build(site.root, fresh, Options(now=NOW, cache=False))
    rebuilt = {p.relative_to(site.output).as_posix(): p.read_bytes() for p in served(site.output) if ".sitegen" not in str(p)}
    clean = {p.relative_to(fresh).as_posix(): p.read_bytes() for p in served(fresh) if ".sitegen" not in str(p)}
    assert rebuilt == clean
