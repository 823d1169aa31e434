"""Phone photos as a visitor on a phone gets them (issue 19): a post with eight 12-megapixel
phone photos, built with the real command line, served by nginx with deploy/nginx.conf, opened
in Chromium at 390 x 844. Tools as in tests/test_browser.py (browser_support.py): missing
ones skip these tests, or fail them under SITEGEN_REQUIRE_BROWSER=1."""

from __future__ import annotations

import subprocess
import sys

import pytest

from browser_support import BASE_PATH, Demo, NginxServer, Watch, browser, find_nginx, require  # noqa: F401
from photo_samples import phone_jpeg

PHONE = {"width": 390, "height": 844}
BUDGET = 1_500_000  # bytes a phone may fetch to show the post as it opens
SVG_SCRIPT = (b'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
              b'<script>window.ran = true; document.title = "ran";</script><rect width="20" height="20"/></svg>')


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("photo-site")
    source, output = root / "site", root / "output"
    bundle = source / "columns/style/2024-05-07-party-day"
    bundle.mkdir(parents=True)
    (source / "site.toml").write_text('title = "照片"\nbase_url = "http://intranet.test/party/"\nsearch = false\n',
                                      encoding="utf-8")
    (source / "columns/style/_index.md").write_text("---\ntitle: 党员风采\norder: 1\n---\n", encoding="utf-8")
    lines = []
    for i in range(8):  # the first held sideways: stored landscape, EXIF orientation 6
        (bundle / f"IMG_{i}.jpg").write_bytes(phone_jpeg(4032, 3024, orientation=6 if i == 0 else 1, seed=i))
        lines.append(f'![活动照片 {i}](IMG_{i}.jpg "第 {i + 1} 张")\n\n这是一段关于活动的文字说明，介绍照片中的场景。\n')
    (bundle / "logo.svg").write_bytes(SVG_SCRIPT)
    lines.append("[徽标](logo.svg)\n")
    (bundle / "index.md").write_text("---\ntitle: 主题党日\ndate: 2024-05-07\n---\n\n" + "\n".join(lines),
                                     encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(source), "--output", str(output)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return Demo(source, output)


@pytest.fixture(scope="module")
def nginx(photo_site, tmp_path_factory):
    binary = find_nginx()
    require(binary, "nginx (Debian package nginx)")
    server = NginxServer(photo_site, tmp_path_factory.mktemp("nginx"), binary)
    yield server
    server.close()


@pytest.fixture
def phone(browser):  # noqa: F811 (the fixture imported above)
    context = browser.new_context(viewport=PHONE, screen=PHONE, is_mobile=True, has_touch=True,
                                  device_scale_factor=3)
    context.set_default_timeout(20_000)
    yield context
    context.close()


def test_an_eight_photo_post_opens_on_a_phone_in_little_data_without_shifting_and_upright(phone, nginx):
    page = phone.new_page()
    watch = Watch(page, nginx.origin)
    transferred: list[int] = []
    page.on("requestfinished", lambda request: transferred.append(request.sizes()["responseBodySize"]))
    page.add_init_script("""
        window.shifts = 0;
        new PerformanceObserver(list => { for (const e of list.getEntries()) window.shifts += e.value; })
            .observe({type: 'layout-shift', buffered: true});
    """)
    page.goto(nginx.url(f"{BASE_PATH}style/party-day/"), wait_until="load")
    page.wait_for_load_state("networkidle")
    watch.settle(page)
    assert sum(transferred) < BUDGET, f"{sum(transferred)} bytes on load"
    # Scrolled through, every picture arrives in the place kept for it.
    height = page.evaluate("document.body.scrollHeight")
    for y in range(0, height, 600):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
    page.wait_for_function("[...document.querySelectorAll('.post-body img')].every(i => i.complete && i.naturalWidth)")
    assert page.evaluate("window.shifts") < 0.01
    assert watch.problems == []
    # The photo taken sideways shows upright: portrait, its red corner at the top right.
    corners = page.evaluate("""() => {
        const img = document.querySelector('.post-body img');
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
        const context = canvas.getContext('2d');
        context.drawImage(img, 0, 0);
        const at = (x, y) => Array.from(context.getImageData(x, y, 1, 1).data);
        return {w: img.naturalWidth, h: img.naturalHeight, box: img.getBoundingClientRect().height > img.getBoundingClientRect().width,
                topRight: at(img.naturalWidth - 5, 5), bottomLeft: at(5, img.naturalHeight - 5)};
    }""")
    assert corners["h"] > corners["w"] and corners["box"], corners
    assert corners["topRight"][0] > 150 > corners["bottomLeft"][0], corners
    page.close()


def test_a_script_in_an_svg_does_not_run_under_the_sites_content_security_policy(phone, nginx, photo_site):
    page = phone.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    link = page.goto(nginx.url(f"{BASE_PATH}style/party-day/")) and page.locator("a", has_text="徽标").get_attribute("href")
    assert link and link.endswith("logo.svg")
    page.goto(nginx.url(link))
    assert page.evaluate("window.ran === true") is False
    assert any("Content Security Policy" in text for text in console), console  # refused, not merely absent
    page.close()
