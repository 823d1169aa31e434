from conftest import post


def test_a_post_becomes_a_page_under_its_column(site):
    site.write({"columns/news/2019-03-05-first-meeting.md": post("First meeting")})
    site.build()
    page = site.html("news/first-meeting/index.html")
    assert page.find("h1").get_text(strip=True) == "First meeting"
