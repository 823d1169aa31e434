"""A deterministic benchmark corpus: N posts in four columns, about half in Chinese,
1.5-3 KB bodies with headings, lists, tables, links and tags, and a few bundles.

The site is written with `search = false` (the build scenarios measure no search indexing);
set_search() flips it for the one build per size that measures the indexing."""

from __future__ import annotations

import random
import re
import struct
import zlib
from pathlib import Path

COLUMNS = (("dynamics", "党建动态"), ("study", "专题学习"), ("experience", "心得体会"), ("style", "党员风采"))
TAGS = ["专题学习", "主题党日", "师德师风", "廉政教育", "党课", "志愿服务", "reading notes", "volunteer",
        "democratic appraisal", "party lesson", "读书笔记", "民主评议"]
ZH_SENTENCES = [
    "支部按照年度工作计划组织全体党员开展专题学习。", "党员教师结合教育教学实际交流了学习体会。",
    "会议强调要把理论学习与立德树人根本任务结合起来。", "与会同志围绕师德师风建设展开了热烈讨论。",
    "本次活动进一步增强了党员的宗旨意识和责任意识。", "支部书记对下一阶段的工作提出了具体要求。",
    "大家表示要在岗位上发挥先锋模范作用。", "学习结束后每位党员撰写了心得体会。",
]
EN_WORDS = ("party branch member teacher study lesson school meeting discussion plan month volunteer "
            "reading notes appraisal education clean government responsibility example pupils class").split()

SITE_TOML = """title = "Benchmark site"
base_url = "http://bench.example/party/"
language = "zh-CN"
timezone = "Asia/Shanghai"
posts_per_page = 10
search = false
"""


def set_search(root: Path, on: bool) -> None:
    """Sets `search` in the corpus's site.toml."""
    toml = root / "site.toml"
    text, count = re.subn(r"(?m)^search = (true|false)$", f"search = {'true' if on else 'false'}",
                          toml.read_text(encoding="utf-8"))
    if count != 1:
        raise ValueError(f"{toml}: no 'search = ...' line")
    toml.write_text(text, encoding="utf-8")


def _png(width: int = 64, height: int = 36) -> bytes:
    rows = b"".join(b"\x00" + bytes([200, 20, 30]) * width for _ in range(height))
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _body(rng: random.Random, chinese: bool, index: int, names: list[str]) -> str:
    target = rng.randint(1500, 3000)
    parts: list[str] = []
    size = 0
    section = 0
    while size < target:
        kind = rng.random()
        if kind < 0.15:
            section += 1
            text = f"## {'第' + str(section) + '部分 学习内容' if chinese else 'Part ' + str(section) + ' of the meeting'}"
        elif kind < 0.25:
            text = "\n".join(f"- {rng.choice(ZH_SENTENCES) if chinese else ' '.join(rng.choices(EN_WORDS, k=8))}"
                             for _ in range(3))
        elif kind < 0.3:
            text = "| 月份 | 主题 | 形式 |\n|---|---|---|\n" + "\n".join(
                f"| {m}月 | {rng.choice(TAGS)} | 集中学习 |" for m in range(1, 5))
        elif kind < 0.35 and index > 0:
            other = names[rng.randrange(index)]
            text = f"See also [an earlier post]({other})." if not chinese else f"参见[之前的文章]({other})。"
        elif chinese:
            text = "".join(rng.choices(ZH_SENTENCES, k=rng.randint(2, 5)))
        else:
            text = " ".join(rng.choices(EN_WORDS, k=rng.randint(30, 70))).capitalize() + "."
        parts.append(text)
        size += len(text.encode("utf-8"))
    return "\n\n".join(parts) + "\n"


def make_corpus(root: Path, n: int, seed: int = 2019) -> Path:
    """Writes a whole site (site.toml, columns/) for n posts into root and returns root."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    for order, (slug, title) in enumerate(COLUMNS, 1):
        folder = root / "columns" / slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "_index.md").write_text(f"---\ntitle: {title}\norder: {order}\n---\n\n{title}栏目。\n", encoding="utf-8")
    names: dict[str, list[str]] = {slug: [] for slug, _ in COLUMNS}
    png = _png()
    for index in range(n):
        column = COLUMNS[index % 4][0]
        chinese = rng.random() < 0.5
        day = index // 4
        date = f"{2010 + (day // 336) % 15}-{(day // 28) % 12 + 1:02d}-{day % 28 + 1:02d} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
        title = (f"第{index}期专题学习：{rng.choice(TAGS)}" if chinese else f"Post {index}: {rng.choice(EN_WORDS)} {rng.choice(EN_WORDS)}")
        tags = ", ".join(rng.sample(TAGS, 2))
        bundle = index % 97 == 0
        name = f"post-{index:05d}"
        front = f"---\ntitle: \"{title}\"\ndate: {date}\nauthor: {'王老师' if chinese else 'Zhang Wei'}\ntags: [{tags}]\n"
        own = names[column]
        body = _body(rng, chinese, len(own), own)
        if bundle:
            folder = root / "columns" / column / name
            folder.mkdir(exist_ok=True)
            (folder / "photo.png").write_bytes(png)
            (folder / "index.md").write_text(front + "cover: photo.png\n---\n\n![photo](photo.png)\n\n" + body.replace("](post-", "](../post-"), encoding="utf-8")
            own.append(f"{name}/index.md")
        else:
            (root / "columns" / column / f"{name}.md").write_text(front + "---\n\n" + body, encoding="utf-8")
            own.append(f"{name}.md")
    return root
