"""Messages: photos (photos.py, photo_set.py, picture_html.py). {target} is the picture as a
post wrote it; a picture that no page shows is named by the warning's file instead."""

from __future__ import annotations

PHOTOS: dict[str, dict[str, tuple[str, str | None]]] = {
    # -- a picture that cannot be made into versions (photos.Made.problem, as "photo.<problem>")
    "photo.empty": {
        "en": ("the picture is an empty file: '{target}'", "copy the photo into the folder again"),
        "zh-CN": ("图片是一个空文件：“{target}”", "请重新把照片复制到文件夹中")},
    "photo.not_picture": {
        "en": ("this is not a picture sitegen can read (JPEG, PNG, WebP, AVIF, HEIC or GIF): '{target}'",
               "open it and save or export it again as JPEG"),
        "zh-CN": ("这个文件不是可以处理的图片（支持 JPEG、PNG、WebP、AVIF、HEIC、GIF）：“{target}”",
                  "请用看图软件打开后另存为或导出为 JPEG")},
    "photo.truncated": {
        "en": ("the picture is cut off (only part of the file was copied or uploaded): '{target}'",
               "copy the photo from the phone or camera again"),
        "zh-CN": ("图片不完整（复制或上传时只传了一部分）：“{target}”", "请从手机或相机重新复制这张照片")},
    "photo.damaged": {
        "en": ("the picture is damaged and cannot be read: '{target}'", "export the photo again and replace the file"),
        "zh-CN": ("图片已损坏，无法读取：“{target}”", "请重新导出这张照片并替换文件")},
    "photo.too_large": {
        "en": ("the picture is too large to make smaller ({detail} megapixels; the limit is 80): '{target}'",
               "make it smaller with a photo editor, or export it at a lower resolution"),
        "zh-CN": ("图片太大，无法缩小（{detail} 百万像素，上限为 80）：“{target}”", "请用修图软件缩小，或以较低分辨率导出")},
    "photo.unreadable": {
        "en": ("cannot read the picture ({reason}): '{target}'", "check that the file is not open in another program"),
        "zh-CN": ("无法读取图片（{reason}）：“{target}”", "请确认这个文件没有被别的程序打开")},
    "photo.changed": {
        "en": ("the picture changed while the site was being built: '{target}'", "build again"),
        "zh-CN": ("生成网站的过程中这张图片被改动了：“{target}”", "再生成一次")},
    "photo.unkept": {
        "en": ("cannot keep the picture's versions in the build's store", "build again"),
        "zh-CN": ("无法保存这张图片缩小后的副本", "再生成一次")},
    # -- a bad picture that no page shows: {inner} is one of the above, said of the file itself
    "photo.unshown": {
        "en": ("{inner}; no page shows it, so it is left out of the site",
               "replace it with a good copy, or delete it if it is not needed"),
        "zh-CN": ("{inner}；没有页面显示它，所以没有发布", "请换成完好的照片；不需要的话就删掉它")},
    "photo.unshown_static": {
        "en": ("{inner}; it is copied to the site as it is, and a page of the theme that shows it shows it broken or not at all",
               "replace it with a good copy, or delete it if it is not needed"),
        "zh-CN": ("{inner}；它按原样复制到了网站上，显示它的页面会显示不全或显示不出来",
                  "请换成完好的照片；不需要的话就删掉它")},
    # -- said in the build summary and on pages
    "photo.located": {
        "en": ("{count} photo(s) had a location (GPS) in them; it was removed from every published picture", None),
        "zh-CN": ("{count} 张照片带有拍摄地点（GPS），发布的图片中已全部去除", None)},
    "photo.open": {"en": ("Open the photo full size", None), "zh-CN": ("查看大图", None)},
}
