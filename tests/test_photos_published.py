"""Phone photos beyond their versions (issue 19's last gaps), through real builds whose published
files are read back with Pillow: static/ pictures keep their names, stripped; posts may name a
picture from the site's root; originals lose their metadata without losing a pixel; a bad
picture that no page shows is a warning; versions sit in the store as they are; `sitegen check`
makes no versions (it reads a JPEG to its end with djpeg: test_photos_jpeg.py)."""

from __future__ import annotations

import io
import sqlite3

import pytest
from PIL import Image

from conftest import NOW, NO_REPORT_WARNINGS, NO_SEARCH, SITE_TOML, column, post, run_cli
from photo_samples import MAKE, encoded, phone_jpeg, photo_image, small_png
from sitegen import jpeg_data
from sitegen.build import Options, check, read_site
from sitegen.config import load_config
from sitegen.errors import BuildFailed

BUNDLE = "columns/news/2019-03-05-trip"
TOML = SITE_TOML + NO_SEARCH + NO_REPORT_WARNINGS
ZH_TOML = TOML.replace('language = "en"', 'language = "zh-CN"')
PARTY = TOML.replace("http://intranet.test/", "http://intranet.test/party/")


def site_with(site, body: str, files: dict[str, bytes], toml: str = TOML):
    return site.write({"site.toml": toml, "columns/news/_index.md": column("News"),
                       f"{BUNDLE}/index.md": post("Trip", body=body), **files})


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def no_metadata(image: Image.Image) -> bool:
    return not image.getexif() and not any(k in image.info for k in ("exif", "xmp", "comment", "XML:com.adobe.xmp"))


def responsive(img) -> bool:
    """An <img> sitegen made from a photo: in a <picture> offering WebP versions, with its size."""
    picture = img.find_parent("picture")
    return picture is not None and " 480w" in picture.find("source")["srcset"] and img.get("width") is not None


def published_bytes(site, url: str, base: str = "/") -> bytes:
    return (site.output / url[len(base):]).read_bytes()


# ----------------------------------------------------------------------------- static/ and site-root paths


def test_a_static_picture_with_camera_data_keeps_its_name_stripped_and_one_without_is_as_it_was(site):
    banner, side, logo = phone_jpeg(1200, 900, seed=4), phone_jpeg(1200, 900, orientation=6, seed=5), small_png()
    camera = Image.Exif()
    camera[MAKE] = "Apple"
    badge = encoded(photo_image(300, 200), "PNG", exif=camera.tobytes())
    site_with(site, "Text.\n", {"static/banner.jpg": banner, "static/img/side.jpg": side, "static/logo.png": logo,
                                "static/badge.png": badge})
    site.build()
    stripped = opened((site.output / "badge.png").read_bytes())
    assert stripped.format == "PNG" and no_metadata(stripped) and stripped.tobytes() == opened(badge).tobytes()
    kept = opened((site.output / "banner.jpg").read_bytes())
    assert kept.format == "JPEG" and no_metadata(kept)
    assert kept.tobytes() == opened(banner).tobytes()  # upright already: not a pixel changed
    turned = opened((site.output / "img/side.jpg").read_bytes())
    # turned upright by moving its blocks (a part block of 4 rows left off: test_photos_jpeg.py)
    assert turned.size in ((896, 1200), (900, 1200)) and no_metadata(turned)
    assert turned.getpixel((895, 5))[0] > 150 > turned.getpixel((5, 1195))[0]  # red top-right
    assert (site.output / "logo.png").read_bytes() == logo  # nothing to remove: copied as it is
    assert any(name.startswith("banner.") and name.endswith(".480.webp") for name in site.files())


def test_pictures_written_from_the_sites_root_become_responsive_pictures(site):
    site_with(site, "![a](/banner.jpg)\n\n![b](/static/banner.jpg)\n\n<img src=\"/party/news/trip/a.jpg\" alt=\"c\">\n"
                    "\n![d](/party/banner.jpg)\n",
              {"static/banner.jpg": phone_jpeg(1200, 900, seed=4), f"{BUNDLE}/a.jpg": phone_jpeg(800, 600, seed=6)}, PARTY)
    site.build()
    first, second, third, fourth = site.html("news/trip/index.html").select(".post-body img")
    for img in (first, second, third, fourth):
        assert responsive(img), img
        assert opened(published_bytes(site, img["src"], "/party/")).format == "JPEG"
    assert first["src"] == second["src"] == fourth["src"] and third["src"].startswith("/party/news/trip/a.")
    assert (first["width"], third["width"]) == ("1200", "800")
    site.write({"static/banner.jpg": phone_jpeg(1200, 900, orientation=6, seed=7)})  # replaced: the kept body follows
    site.build()
    again = site.html("news/trip/index.html").select(".post-body img")[0]
    assert again["src"] != first["src"] and (again["width"], again["height"]) == ("900", "1200")
    assert opened(published_bytes(site, again["src"], "/party/")).size == (900, 1200)


def test_a_picture_put_in_static_after_a_post_named_it_from_the_root_becomes_responsive(site):
    site_with(site, "![a](/static/banner.jpg)\n", {})
    site.build()
    assert site.html("news/trip/index.html").select_one(".post-body img")["src"] == "/static/banner.jpg"  # left alone
    site.write({"static/banner.jpg": phone_jpeg(800, 600, seed=4)})
    site.build()  # the post's body is kept in the store: made again all the same
    img = site.html("news/trip/index.html").select_one(".post-body img")
    assert responsive(img) and opened(published_bytes(site, img["src"])).size == (800, 600)


# ----------------------------------------------------------------------------- originals


def test_an_upright_original_loses_its_metadata_and_not_a_pixel(site):
    photo = phone_jpeg(1200, 900, seed=2)
    site_with(site, "![a](a.jpg)\n", {f"{BUNDLE}/a.jpg": photo}, TOML + "photo_originals = true\n")
    site.build()
    link = site.html("news/trip/index.html").select_one(".post-body img").find_parent("a")["href"]
    data = published_bytes(site, link)
    original = opened(data)
    assert original.format == "JPEG" and no_metadata(original) and b"Apple" not in data and b"taken at home" not in data
    assert original.tobytes() == opened(photo).tobytes()  # the compressed data kept, not encoded again
    assert len(photo) - 400 < len(data) < len(photo)


# ----------------------------------------------------------------------------- bad pictures nobody shows


@pytest.mark.parametrize(("toml", "says", "static_says"), [
    (TOML, ("columns/news/2019-03-05-trip/notes.jpg: warning: this is not a picture sitegen can read "
            "(JPEG, PNG, WebP, AVIF, HEIC or GIF): 'notes.jpg'; no page shows it, so it is left out of the site"),
     "it is copied to the site as it is, and a page of the theme that shows it shows it broken or not at all"),
    (ZH_TOML, ("columns/news/2019-03-05-trip/notes.jpg: 警告：这个文件不是可以处理的图片（支持 JPEG、PNG、WebP、AVIF、HEIC、GIF）："
               "“notes.jpg”；没有页面显示它，所以没有发布"),
     "它按原样复制到了网站上，显示它的页面会显示不全或显示不出来"),
])
def test_a_bad_picture_that_no_page_shows_is_a_warning_naming_it(site, toml, says, static_says):
    site_with(site, "Text.\n", {f"{BUNDLE}/notes.jpg": "会议记录".encode(), "static/cut.png": small_png()[:40]}, toml)
    done = run_cli("build", cwd=site.root)
    assert done.returncode == 0, done.stderr
    assert any(line.startswith(says) for line in done.stderr.splitlines()), done.stderr
    # copied as it was (a theme may show it), with a warning that says what a browser makes of it
    assert any(line.startswith("static/cut.png: ") and static_says in line for line in done.stderr.splitlines())
    assert not site.exists("news/trip/notes.jpg")


def test_a_bad_picture_that_a_page_shows_is_that_pages_error_and_no_warning(site):
    site_with(site, "![x](notes.jpg)\n", {f"{BUNDLE}/notes.jpg": "会议记录".encode()})
    with pytest.raises(BuildFailed) as failed:
        site.build()
    assert [p.format(site.root.resolve()).split(":")[:2] for p in failed.value.problems] == [[f"{BUNDLE}/index.md", "6"]]


# ----------------------------------------------------------------------------- the store, check, --no-cache


def test_versions_are_kept_in_the_store_as_their_own_bytes(site):
    site_with(site, "![a](a.jpg)\n", {f"{BUNDLE}/a.jpg": phone_jpeg(1600, 1200)})
    site.build()
    img = site.html("news/trip/index.html").select_one(".post-body img")
    with sqlite3.connect(site.output / ".sitegen-cache/cache.sqlite") as db:
        stored = [bytes(value) for (value,) in db.execute("SELECT value FROM entries WHERE key LIKE 'photo-bytes%'")]
    largest = published_bytes(site, img.find_parent("a")["href"])
    assert any(value.endswith(largest) and len(value) <= len(largest) + 1 for value in stored)
    published = sum(len(published_bytes(site, "/" + name)) for name in site.files() if name.startswith("news/trip/a."))
    assert sum(map(len, stored)) < published * 1.01


def test_a_first_build_makes_each_photo_once(site, monkeypatch):
    from sitegen import photo_set

    made = []
    real = photo_set.make
    monkeypatch.setattr(photo_set, "make", lambda *args, **kwargs: made.append(1) or real(*args, **kwargs))
    site_with(site, "![a](a.jpg)\n\n![b](b.jpg)\n", {f"{BUNDLE}/a.jpg": phone_jpeg(seed=1), f"{BUNDLE}/b.jpg": phone_jpeg(seed=2)})
    site.build(jobs=1)
    assert len(made) == 2  # its versions are published from this build's work, not made again
    assert all(opened(published_bytes(site, img["src"])).format == "JPEG"
               for img in site.html("news/trip/index.html").select(".post-body img"))


@pytest.mark.skipif(jpeg_data.DJPEG is None, reason="djpeg (libjpeg-turbo-progs) is not installed")
def test_check_makes_no_versions_and_takes_a_motion_photo_for_a_photo(site, monkeypatch):
    motion = phone_jpeg(800, 600, seed=3) + b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40  # a video after the photo
    site_with(site, "![a](a.jpg)\n\n![b](b.jpg)\n\n![c](c.jpg)\n", {
        f"{BUNDLE}/a.jpg": phone_jpeg(1600, 1200), f"{BUNDLE}/b.jpg": phone_jpeg(800, 600)[:5000], f"{BUNDLE}/c.jpg": motion})

    def no_decoding(*args, **kwargs):  # (djpeg reads a JPEG through; without it Pillow does, at 1/8 size)
        raise AssertionError("a picture was decoded")

    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", no_decoding)
    [problem] = check(site.root, Options(jobs=1))
    assert problem.format(site.root.resolve()).startswith(f"{BUNDLE}/index.md:8: the picture is cut off")
    site.write({f"{BUNDLE}/index.md": post("Trip", body="![a](a.jpg)\n")})
    read, _ = read_site(site.root.resolve(), load_config(site.root), Options(jobs=1), NOW)  # the work report's way in
    [photo] = [p for p in read.photos if p.source.name == "a.jpg"]
    assert (photo.width, photo.height) == (1600, 1200) and photo.located


def test_a_build_without_the_store_publishes_the_same_pictures(site, tmp_path):
    site_with(site, "![a](a.jpg)\n", {f"{BUNDLE}/a.jpg": phone_jpeg(2400, 1800, orientation=6)})
    site.build()
    stored = {n: (site.output / n).read_bytes() for n in site.files() if n.startswith("news/trip/a.")}
    site.output = tmp_path / "plain"
    site.build(cache=False)
    img = site.html("news/trip/index.html").select_one(".post-body img")
    assert {n: (site.output / n).read_bytes() for n in site.files() if n.startswith("news/trip/a.")} == stored
    assert opened(published_bytes(site, img["src"])).size == (960, 1280) and img["height"] == "2133"
