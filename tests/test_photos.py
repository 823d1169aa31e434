"""Phone photos as visitors need them (issue 19): real bundles of photo-like pictures are built,
and what is published is read back with Pillow: small, upright, without location or camera,
as responsive <img> tags; bad pictures are clear errors; a rebuild does no picture work."""

from __future__ import annotations

import io
import os
import re

import pytest
from PIL import Image

from conftest import NO_SEARCH, SITE_TOML, column, post, run_cli
from photo_samples import GPS, MAKE, encoded, phone_jpeg, photo_image, picture, small_png
from sitegen.errors import BuildFailed

BUNDLE = "columns/news/2019-03-05-trip"
ZH_TOML = SITE_TOML.replace('language = "en"', 'language = "zh-CN"')


def trip(site, body: str, files: dict[str, bytes], toml: str = SITE_TOML, extra: str = ""):
    return site.write({"site.toml": toml + NO_SEARCH, "columns/news/_index.md": column("News"),
                       f"{BUNDLE}/index.md": post("Trip", extra=extra, body=body),
                       **{f"{BUNDLE}/{name}": data for name, data in files.items()}})


def images(site, relpath: str = "news/trip/index.html"):
    return site.html(relpath).select(".post-body img")


def source(img):
    """The WebP versions offered for an <img> (its <picture>'s <source>)."""
    return img.find_parent("picture").find("source")


def published(site, url: str) -> Image.Image:
    return picture(site.output / url.lstrip("/"))


def published_pictures(site) -> list[str]:
    return sorted(f for f in site.files() if not f.startswith(".") and re.search(r"\.(webp|jpe?g|png|gif|heic)$", f))


def no_metadata(image: Image.Image) -> bool:
    return not image.getexif() and not any(k in image.info for k in ("exif", "xmp", "comment", "XML:com.adobe.xmp"))


# ----------------------------------------------------------------------------- small, upright, private


def test_a_rotated_phone_photo_with_a_location_is_published_small_upright_and_without_metadata(site):
    # Stored 2400 x 1800 (red top-left), EXIF orientation 6: seen upright it is 1800 x 2400, red top-right.
    trip(site, "![合影](a.jpg)\n", {"a.jpg": phone_jpeg(2400, 1800, orientation=6)})
    result = site.build()
    img = images(site)[0]
    widths = [int(part.split()[1][:-1]) for part in source(img)["srcset"].split(", ")]
    assert widths == [480, 960, 1600]
    assert (img["width"], img["height"]) == ("1600", "2133")
    assert published(site, img["src"]).format == "JPEG"  # the fallback for browsers without WebP
    for url in [img["src"], *(part.split()[0] for part in source(img)["srcset"].split(", "))]:
        version = published(site, url)
        assert version.format in ("WEBP", "JPEG")
        assert no_metadata(version), version.info
        width, height = version.size
        assert height > width  # upright: a portrait photo
        assert version.getpixel((width - 5, 5))[0] > 150 > version.getpixel((5, height - 5))[0]  # red top-right
    assert not site.exists("news/trip/a.jpg")  # the original, with its GPS, is not published
    assert sorted(name.rsplit(".", 2)[-2:] for name in published_pictures(site)) == [
        ["1600", "webp"], ["480", "webp"], ["960", "jpg"], ["960", "webp"]]
    assert "1 photo(s) had a location (GPS) in them" in result.summary()


def test_a_chinese_site_says_in_chinese_how_many_locations_were_removed(site):
    trip(site, "![a](a.jpg) ![b](b.jpg) ![c](c.jpg)\n",
         {"a.jpg": phone_jpeg(seed=1), "b.jpg": phone_jpeg(seed=2), "c.jpg": phone_jpeg(seed=3, gps=False)}, ZH_TOML)
    assert "秒；2 张照片带有拍摄地点（GPS），发布的图片中已全部去除" in site.build().summary("zh-CN")  # (a Chinese semicolon before it)
    done = run_cli("build", cwd=site.root)  # said again by a build that finds nothing changed
    assert "2 张照片带有拍摄地点" in done.stdout + done.stderr


def test_a_small_picture_is_never_enlarged_and_heic_and_transparent_png_are_published(site):
    heic_exif = Image.Exif()
    heic_exif[MAKE] = "Apple"
    heic_exif[GPS] = {1: "N", 2: (31.0, 13.0, 48.0)}
    transparent = photo_image(300, 200).convert("RGBA")
    transparent.putalpha(Image.linear_gradient("L").resize((300, 200)))
    trip(site, "![heic](i.heic)\n\n![png](t.png)\n", {
        "i.heic": encoded(photo_image(1200, 900), "HEIF", quality=80, exif=heic_exif.tobytes()),
        "t.png": encoded(transparent, "PNG")})
    result = site.build()
    heic, png = images(site)
    assert [p.split()[1] for p in source(heic)["srcset"].split(", ")] == ["480w", "960w", "1200w"]
    assert no_metadata(published(site, heic["src"]))
    assert no_metadata(published(site, source(heic)["srcset"].split()[0]))
    assert source(png)["srcset"].endswith(" 300w") and (png["width"], png["height"]) == ("300", "200")
    assert published(site, png["src"]).format == "PNG"  # a fallback keeps its transparency
    alpha = published(site, source(png)["srcset"].split()[0])
    assert alpha.mode == "RGBA" and alpha.getpixel((150, 1))[3] < 20 < alpha.getpixel((150, 198))[3]  # transparent at the top
    assert "1 photo(s) had a location" in result.summary()


# ----------------------------------------------------------------------------- responsive markup


def test_pictures_get_srcset_sizes_dimensions_lazy_loading_a_link_and_a_caption(site):
    trip(site, '![合影](a.jpg "支部全体党员合影")\n\nText ![b](b.jpg) and <img src="c.jpg" alt="raw">.\n',
         {"a.jpg": phone_jpeg(seed=1), "b.jpg": phone_jpeg(seed=2), "c.jpg": phone_jpeg(seed=3)})
    site.build()
    page = site.html("news/trip/index.html")
    first, second, raw = images(site)
    assert first.get("loading") is None and first["decoding"] == "async"  # the first picture loads at once
    assert second["loading"] == raw["loading"] == "lazy"
    for img in (first, second, raw):
        assert source(img)["sizes"] and source(img)["type"] == "image/webp" and img["width"] and img["height"]
        link = img.find_parent("a")
        assert link["href"] == source(img)["srcset"].split(", ")[-1].split()[0]  # its largest version
    assert raw["alt"] == "raw"
    figure = page.select_one(".post-body figure")
    assert figure.select_one("img")["src"] == first["src"]
    assert figure.select_one("figcaption").get_text() == "支部全体党员合影"


def test_a_cover_in_a_list_is_its_small_version_with_its_size(site):
    trip(site, "Text.\n", {"a.jpg": phone_jpeg(1600, 1200)}, extra="cover: a.jpg\n")
    site.build()
    card = site.html("news/index.html").select_one(".post-card img")
    assert published(site, source(card)["srcset"]).size == (480, 360)
    assert (card["width"], card["height"]) == ("480", "360")
    cover = site.html("news/trip/index.html").select_one("img.post-cover")
    assert source(cover)["srcset"].endswith("1600w") and cover["width"] == "1600"


def test_a_site_may_offer_the_originals_stripped_and_upright(site):
    trip(site, "![a](a.jpg)\n", {"a.jpg": phone_jpeg(1200, 900, orientation=6)},
         SITE_TOML + "photo_originals = true\n")
    site.build()
    link = images(site)[0].find_parent("a")["href"]
    original = published(site, link)
    # turned by moving its compressed blocks (test_photos_jpeg.py): 900 is not whole 16-pixel
    # blocks, and the part block that would start the turned picture is left off
    assert original.format == "JPEG" and original.size in ((896, 1200), (900, 1200)) and no_metadata(original)


# ----------------------------------------------------------------------------- bad pictures


def bad_pictures() -> dict[str, bytes]:
    whole = phone_jpeg(800, 600)
    return {
        "cut.jpg": whole[: len(whole) // 2],  # copying stopped halfway
        "notes.jpg": "会议记录，不是图片".encode(),
        "empty.png": b"",
        "bomb.png": encoded(Image.new("1", (20000, 20000)), "PNG"),  # 400 MP in a 50 KB file
    }


@pytest.mark.parametrize(("name", "says", "zh"), [
    ("cut.jpg", "the picture is cut off", "图片不完整"),
    ("notes.jpg", "this is not a picture sitegen can read", "这个文件不是可以处理的图片"),
    ("empty.png", "the picture is an empty file", "图片是一个空文件"),
    ("bomb.png", "the picture is too large to make smaller (400 megapixels", "图片太大，无法缩小（400 百万像素"),
])
def test_a_bad_picture_is_an_error_naming_the_post_its_line_and_the_picture(site, name, says, zh):
    trip(site, f"Intro.\n\n![x]({name})\n", {name: bad_pictures()[name]})
    with pytest.raises(BuildFailed) as failed:
        site.build()
    [error] = failed.value.errors
    assert error.format(site.root.resolve()).startswith(f"{BUNDLE}/index.md:8: {says}")
    assert f"'{name}'" in error.message and error.hint
    site.write({"site.toml": ZH_TOML + NO_SEARCH})
    done = run_cli("build", cwd=site.root)  # the command line: one line each, no traceback
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert f"{BUNDLE}/index.md:8: {zh}" in done.stderr, done.stderr


def test_a_bad_cover_or_raw_img_is_reported_at_its_own_line(site):
    trip(site, 'Text.\n\n<img src="cut.jpg" alt="raw">\n', bad_pictures(), extra="cover: empty.png\n")
    with pytest.raises(BuildFailed) as failed:
        site.build()
    found = sorted(e.format(site.root.resolve()) for e in failed.value.errors)
    assert found[0].startswith(f"{BUNDLE}/index.md:4: cover: the picture is an empty file: 'empty.png'")
    assert found[1].startswith(f"{BUNDLE}/index.md:9: the picture is cut off") and len(found) == 2


def test_when_a_picture_is_bad_the_last_good_site_stays_online(site):
    trip(site, "![a](a.jpg)\n", {"a.jpg": phone_jpeg()})
    site.build()
    before = {name: (site.output / name).read_bytes() for name in site.files() if not name.startswith(".")}
    site.write({f"{BUNDLE}/a.jpg": bad_pictures()["cut.jpg"]})
    with pytest.raises(BuildFailed):
        site.build()
    assert {name: (site.output / name).read_bytes() for name in site.files() if not name.startswith(".")} == before


def test_odd_but_good_pictures_are_converted_and_an_animated_gif_stays_animated(site):
    transparent = Image.new("P", (64, 48), 0)
    transparent.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
    transparent.paste(1, (32, 0, 64, 48))
    frames = [photo_image(60, 40, seed) for seed in range(3)]
    animated = io.BytesIO()
    frames[0].save(animated, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    trip(site, "![cmyk](cmyk.jpg) ![deep](deep.png) ![pal](pal.png) ![gif](moving.gif) ![svg](logo.svg)\n", {
        "cmyk.jpg": encoded(photo_image(640, 480).convert("CMYK"), "JPEG"),
        "deep.png": encoded(Image.linear_gradient("L").resize((100, 80)).convert("I").point(lambda v: v * 257)
                            .convert("I;16"), "PNG"),  # 16 bits: white is 65535
        "pal.png": encoded(transparent, "PNG", transparency=0),
        "moving.gif": animated.getvalue(),
        "logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'})
    site.build()
    cmyk, deep, pal, gif, svg = images(site)
    assert published(site, cmyk["src"]).mode == "RGB"
    assert published(site, deep["src"]).convert("RGB").getpixel((50, 79))[0] > 200  # 16-bit white stays white
    colours = published(site, pal["src"]).convert("RGBA")
    assert colours.getpixel((5, 5))[3] == 0 and colours.getpixel((50, 5))[:3] == (200, 0, 0)
    moving = published(site, gif["src"])
    assert moving.format == "GIF" and moving.n_frames == 3 and "srcset" not in gif.attrs
    assert (site.output / svg["src"].lstrip("/")).read_bytes().startswith(b"<svg")  # published as it is


def test_a_bad_picture_nobody_shows_is_not_published(site):
    trip(site, "Text.\n", {"notes.jpg": bad_pictures()["notes.jpg"]})
    site.build()
    assert published_pictures(site) == []


# ----------------------------------------------------------------------------- no work twice


def test_a_text_edit_or_rebuild_does_no_picture_work_and_keeps_every_picture(site, monkeypatch):
    trip(site, "![a](a.jpg) ![b](b.png)\n", {"a.jpg": phone_jpeg(seed=1), "b.png": small_png()})
    site.build(jobs=1)
    pictures = published_pictures(site)
    kept = {name: (os.stat(site.output / name).st_mtime_ns, (site.output / name).read_bytes()) for name in pictures}

    def no_work(*args, **kwargs):
        raise AssertionError("a picture was made again")

    monkeypatch.setattr("sitegen.photo_set.make", no_work)
    site.write({f"{BUNDLE}/index.md": post("Trip", body="![a](a.jpg) ![b](b.png)\n\nEdited.\n")})
    site.build(jobs=1)
    assert "Edited." in site.html("news/trip/index.html").get_text()
    site.write({"site.toml": SITE_TOML.replace('title = "Test Site"', 'title = "Renamed"') + NO_SEARCH})
    site.build(jobs=1)
    assert {name: (os.stat(site.output / name).st_mtime_ns, (site.output / name).read_bytes())
            for name in published_pictures(site)} == kept


def test_a_replaced_photo_gets_new_versions_and_the_old_ones_go(site):
    trip(site, "![a](a.jpg)\n", {"a.jpg": phone_jpeg(seed=1)})
    site.build()
    old = published_pictures(site)
    site.write({f"{BUNDLE}/a.jpg": phone_jpeg(seed=2, orientation=6)})
    site.build()
    new = published_pictures(site)
    assert new and not set(new) & set(old)
    assert published(site, images(site)[0]["src"]).size == (900, 1200)  # now upright portrait


def test_an_incremental_build_with_photos_equals_a_clean_one(site, tmp_path):
    from conftest import SiteDir
    trip(site, "![a](a.jpg)\n", {"a.jpg": phone_jpeg(seed=1), "b.jpg": phone_jpeg(seed=2)})
    site.build()
    site.write({f"{BUNDLE}/index.md": post("Trip", body="![b](b.jpg)\n"), f"{BUNDLE}/a.jpg": phone_jpeg(seed=3)})
    site.build()
    clean = SiteDir(site.root)
    clean.output = tmp_path / "clean"
    clean.build()
    mine = {n: (site.output / n).read_bytes() for n in site.files() if not n.startswith(".")}
    theirs = {n: (clean.output / n).read_bytes() for n in clean.files() if not n.startswith(".")}
    assert mine == theirs


def test_a_picture_in_a_cut_summary_is_lazy_in_lists_so_a_hidden_one_is_never_fetched(site):
    trip(site, "![合影](a.jpg)\n\n<!--more-->\n\nRest.\n", {"a.jpg": phone_jpeg()})
    site.build()
    img = site.html("news/index.html").select_one(".post-card-summary img")
    assert img["loading"] == "lazy" and source(img)["srcset"].startswith("/news/trip/a.")


def test_a_picture_without_alt_text_still_has_a_link_that_says_where_it_leads(site):
    trip(site, "![](a.jpg)\n", {"a.jpg": phone_jpeg()}, ZH_TOML)
    site.build()
    assert images(site)[0].find_parent("a")["aria-label"] == "查看大图"


def test_a_version_deleted_by_hand_comes_back_even_when_the_store_lost_it(site):
    import sqlite3

    trip(site, "![a](a.jpg)\n", {"a.jpg": phone_jpeg(800, 600)})
    site.build()
    version = published_pictures(site)[-1]
    before = (site.output / version).read_bytes()
    with sqlite3.connect(site.output / ".sitegen-cache/cache.sqlite") as db:
        db.execute("DELETE FROM entries WHERE key LIKE 'photo-bytes%'")
    (site.output / version).resolve().unlink()
    site.build()
    assert (site.output / version).read_bytes() == before


def test_a_watchers_next_build_shows_a_replaced_photo(site):
    from sitegen.build import Options, build

    from conftest import NOW

    trip(site, "Text.\n\n![a](a.jpg)\n", {"a.jpg": phone_jpeg(800, 600, seed=1)}, extra="cover: a.jpg\n")
    options = Options(now=NOW, reusable=True, jobs=1)
    last = build(site.root, site.output, options)
    old = images(site)[0]["src"]
    site.write({f"{BUNDLE}/a.jpg": phone_jpeg(800, 600, seed=2, orientation=6)})
    build(site.root, site.output, options, previous=last)
    new = images(site)[0]
    assert new["src"] != old and (new["width"], new["height"]) == ("600", "800")
    assert site.html("news/index.html").select_one(".post-card img")["src"] == new["src"]
