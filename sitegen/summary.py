"""The summary cut from a post's plain text, and its reading time. Both count a text the
same way: Chinese characters one by one, other languages by the word.

Pure functions of strings; the Markdown renderer collects the text they work on.
"""

from __future__ import annotations

import math
import re

from .cjk import squeeze

# A Chinese character, and a word: letters and digits, maybe joined by ' ’ or - (the
# quantifiers that never give back only save time: what follows them cannot match what they took).
# Compiling a class of Chinese characters takes about 2 ms, so only what is used is compiled.
_HAN_CHAR = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_HAN_RUN = re.compile(_HAN_CHAR + "+")
_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]++(?:['’-][A-Za-z0-9\u00c0-\u024f]++)*+")
_SENTENCE_END = frozenset("。！？!?；.")

HAN_PER_MINUTE = 300
WORDS_PER_MINUTE = 200
SUMMARY_UNITS = 120  # about 120 Chinese characters, or 50 English words (2.4 units a word)
UNITS_PER_WORD = 2.4


def _han_count(text: str) -> int:
    """The number of Chinese characters (len(re.findall(_HAN_CHAR, text)), faster)."""
    if text.isascii():
        return 0
    return len(text) - len(_HAN_RUN.sub("", text))


def _units(text: str) -> float:
    return _han_count(text) + UNITS_PER_WORD * len(_WORD.findall(text))


# The tokens of a summary: a run of Chinese characters (group 1; each character is a token),
# a word (group 2) or any other non-space character (no group).
_TOKENS = re.compile(f"({_HAN_RUN.pattern})|({_WORD.pattern})|[^\\s]")
_HEADING_AND_SUCH = frozenset(("h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "hr"))


def cut_summary(blocks: list[tuple[str, str]], budget: float = SUMMARY_UNITS) -> str:
    """The opening text, cut at a sentence end if one falls in the second half of the budget,
    else at a word (or Chinese character) boundary, with an ellipsis when cut."""
    paragraphs = [text for tag, text in blocks if tag not in _HEADING_AND_SUCH]
    text = squeeze(" ".join(paragraphs) or " ".join(text for _, text in blocks))
    # Even the shortest units (one Chinese character each) use up the budget within this much.
    text = text[: int(budget * 12)]
    # A text within the budget (as _units counts it) is kept whole. The tokens below are the
    # ones _units counts, so a text far over the budget need not be counted to its end: once
    # the tokens so far are over it, so is the whole text. (The running float sum 'used' can
    # differ from _units in its last bits, hence the counts.)
    used = 0.0
    han = words = 0
    cut = 0
    best_sentence = 0
    half = budget / 2
    length = len(text)
    over = False
    for match in _TOKENS.finditer(text):
        kind = match.lastindex
        if kind == 1:
            start, end = match.span()
            for cut_after in range(start + 1, end + 1):
                han += 1
                if used + 1.0 > budget:
                    over = True
                    break
                used += 1.0
                cut = cut_after
            if over:
                break
            continue
        if kind == 2:
            cost = UNITS_PER_WORD
            words += 1
        else:
            cost = 0.0
        if used + cost > budget:
            over = True
            break
        used += cost
        cut = match.end()
        if kind is None:
            # A '.' ends a sentence only before a space or the end (not in 3.5, e.g. or www.x.cn).
            token = text[cut - 1]
            if (token in _SENTENCE_END and (token != "." or cut == length or text[cut].isspace())
                    and used >= half):
                best_sentence = cut
    if (han + UNITS_PER_WORD * words <= budget or not over) and _units(text) <= budget:
        return text
    if best_sentence:
        return text[:best_sentence]
    return text[:cut].rstrip(" ,，、;；:：") + "…"


def reading_minutes(text: str) -> int:
    han = _han_count(text)
    words = len(_WORD.findall(text))
    return max(1, math.ceil(han / HAN_PER_MINUTE + words / WORDS_PER_MINUTE))
