"""A JPEG's own data (jpeg_data.py), through real builds and `sitegen check` whose results are
read back with Pillow: a turned photo's downloadable original is turned by moving its
compressed blocks, never encoded again; a photo damaged in the middle or cut short is found by
`sitegen check` as by `sitegen build`, with the same message. Without libjpeg-turbo's tools
(jpegtran, djpeg) a turned original is encoded again and check finds what Pillow can."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image, ImageChops

from conftest import NO_REPORT_WARNINGS, NO_SEARCH, SITE_TOML, column, post, run_cli
from photo_samples import phone_jpeg
from sitegen import jpeg_data
from sitegen.build import Options, check

BUNDLE = "columns/news/2019-03-05-trip"
TOML = SITE_TOML + NO_SEARCH + NO_REPORT_WARNINGS
ZH_TOML = TOML.replace('language = "en"', 'language = "zh-CN"')
ORIGINALS = TOML + "photo_originals = true\n"
# EXIF orientation -> what Pillow does to the stored pixels to show them upright
UPRIGHT = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_270, 8: Image.Transpose.ROTATE_90}
# scripts/setup.sh installs libjpeg-turbo-progs; CI (which requires every tool) fails without it
needs_tools = pytest.mark.skipif((jpeg_data.JPEGTRAN is None or jpeg_data.DJPEG is None)
                                 and os.environ.get("SITEGEN_REQUIRE_BROWSER") != "1",
                                 reason="libjpeg-turbo-progs is not installed (scripts/setup.sh installs it)")


def site_with(site, body: str, files: dict[str, bytes], toml: str = TOML):
    return site.write({"site.toml": toml, "columns/news/_index.md": column("News"),
                       f"{BUNDLE}/index.md": post("Trip", body=body),
                       **{f"{BUNDLE}/{name}": data for name, data in files.items()}})


def original_of(site) -> tuple[bytes, Image.Image]:
    """The file the post's picture links to (the downloadable original), and it decoded."""
    link = site.html("news/trip/index.html").select_one(".post-body img").find_parent("a")["href"]
    data = (site.output / link.lstrip("/")).read_bytes()
    return data, decoded(data)


def decoded(data: bytes, mode: str = "RGB", scale: int = 1) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.draft(mode, (image.width // scale, image.height // scale))  # 1/8: each 8 x 8 block's mean (DC)
    image.load()
    return image


def transposed_table(table: list[int]) -> list[int]:
    return [table[column * 8 + row] for row in range(8) for column in range(8)]


@needs_tools
@pytest.mark.parametrize("orientation", [6, 3, 8])
def test_a_turned_originals_compressed_data_is_turned_not_encoded_again(site, orientation):
    photo = phone_jpeg(1024, 768, orientation=orientation, seed=orientation, quality=95)  # sides: multiples of 16
    site_with(site, "![a](a.jpg)\n", {"a.jpg": photo}, ORIGINALS)
    site.build()
    data, original = original_of(site)
    source = decoded(photo)
    want = source.transpose(UPRIGHT[orientation])
    assert original.format == "JPEG" and original.size == want.size == ((768, 1024) if orientation != 3 else (1024, 768))
    assert not original.getexif() and not {"exif", "comment", "xmp"} & original.info.keys()
    assert b"Apple" not in data and b"iPhone" not in data and b"taken at home" not in data
    # The phone's own quantization tables (turned with the blocks): encoding again would have
    # written Pillow's tables for quality 92.
    tables = {k: (transposed_table(t) if orientation != 3 else t) for k, t in source.quantization.items()}
    assert original.quantization == tables
    # Every 8 x 8 block's brightness, as stored, exactly where the turn puts it
    dc = decoded(photo, "YCbCr", 8).getchannel("Y").transpose(UPRIGHT[orientation])
    assert decoded(data, "YCbCr", 8).getchannel("Y").tobytes() == dc.tobytes()
    # and every pixel within the rounding of decoding turned blocks (encoding again moves them further)
    assert max(high for _, high in ImageChops.difference(original, want).getextrema()) <= 3


@needs_tools
def test_a_side_that_is_not_whole_blocks_loses_its_part_block_not_its_quality(site):
    # 900 is not a multiple of 16 (JPEG's blocks, colours at half size): turned, the last
    # 4 rows would have to start the picture, where JPEG has no part blocks. They are left off.
    photo = phone_jpeg(1200, 900, orientation=6, quality=95)
    site_with(site, "![a](a.jpg)\n", {"a.jpg": photo}, ORIGINALS)
    site.build()
    data, original = original_of(site)
    assert original.size == (896, 1200) and not original.getexif() and b"Apple" not in data
    want = decoded(photo).transpose(UPRIGHT[6]).crop((4, 0, 900, 1200))
    assert max(high for _, high in ImageChops.difference(original, want).getextrema()) <= 3
    dc = decoded(photo, "YCbCr", 8).getchannel("Y").transpose(UPRIGHT[6]).crop((1, 0, 113, 150))
    assert decoded(data, "YCbCr", 8).getchannel("Y").tobytes() == dc.tobytes()


def test_a_picture_smaller_than_a_block_is_turned_all_the_same(site):
    # jpegtran leaves a picture with no whole block as it was: it is encoded again instead
    site_with(site, "![a](a.jpg)\n", {"a.jpg": phone_jpeg(24, 20, orientation=6)}, ORIGINALS)
    site.build()
    _, original = original_of(site)
    assert original.size == (20, 24) and not original.getexif()
    assert original.getpixel((17, 2))[0] > 150 > original.getpixel((2, 21))[0]  # red top-right, as seen


def test_without_jpegtran_a_turned_original_is_encoded_again_whole(site, monkeypatch):
    monkeypatch.setattr(jpeg_data, "JPEGTRAN", None)
    photo = phone_jpeg(1200, 900, orientation=6, quality=95)
    site_with(site, "![a](a.jpg)\n", {"a.jpg": photo}, ORIGINALS)
    site.build()
    data, original = original_of(site)
    assert original.size == (900, 1200) and not original.getexif() and b"Apple" not in data
    assert original.quantization != decoded(photo).quantization  # Pillow's quality 92


# ----------------------------------------------------------------------------- damage that check finds


def damaged(kind: str) -> bytes:
    whole = phone_jpeg(1600, 1200, seed=5)
    middle = len(whole) // 2
    if kind == "cut":
        return whole[:middle]  # copying stopped halfway
    return whole[:middle] + bytes(4096) + whole[middle + 4096 :]  # a disk's bad sector: zeros where data was


MESSAGES = {
    ("cut", "en"): ("the picture is cut off (only part of the file was copied or uploaded): 'a.jpg' "
                      "(copy the photo from the phone or camera again)"),
    ("cut", "zh-CN"): "图片不完整（复制或上传时只传了一部分）：“a.jpg”（请从手机或相机重新复制这张照片）",
    ("zeros", "en"): "the picture is damaged and cannot be read: 'a.jpg' (export the photo again and replace the file)",
    ("zeros", "zh-CN"): "图片已损坏，无法读取：“a.jpg”（请重新导出这张照片并替换文件）",
}


@needs_tools
@pytest.mark.parametrize(("kind", "language"), list(MESSAGES))
def test_check_finds_a_photo_damaged_in_the_middle_or_cut_off_as_build_does(site, kind, language):
    site_with(site, "Intro.\n\n![a](a.jpg)\n", {"a.jpg": damaged(kind)}, ZH_TOML if language == "zh-CN" else TOML)
    says = f"{BUNDLE}/index.md:8: {MESSAGES[kind, language]}"
    for command in ("check", "build"):
        done = run_cli(command, cwd=site.root)
        assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
        assert says in done.stderr.splitlines(), (command, done.stderr)


def test_without_djpeg_check_still_finds_a_photo_cut_off(site, monkeypatch):
    monkeypatch.setattr(jpeg_data, "DJPEG", None)
    site_with(site, "Intro.\n\n![a](a.jpg)\n", {"a.jpg": damaged("cut")})
    [problem] = check(site.root, Options(jobs=1))
    assert problem.format(site.root.resolve()).startswith(f"{BUNDLE}/index.md:8: {MESSAGES['cut', 'en']}")
