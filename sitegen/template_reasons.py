"""Jinja's reason for a template error, recognised sentence by sentence as catalogue entries
(messages_templates.py), so that a Chinese site says it in Chinese. A reason is taken only when
the entries' English gives back Jinja's text exactly; any other keeps Jinja's words."""

from __future__ import annotations

import re

from .messages import CATALOGUE, SENTENCES, WORD, render

_QUOTED = r"'[^']*'"
_INNERMOST = r"The innermost block that needs to be closed is '(?P<block>[^']*)'\."


def _sentence(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern + r"(?= |$)")  # a whole sentence: the text goes on after a space, or ends


# Jinja's sentences (lexer.py, parser.py, compiler.py, runtime.py of Jinja 3.1), the longer of
# two that start alike first.
_SYNTAX = [(key, _sentence(pattern)) for key, pattern in (
    ("jinja.expected_expression", r"Expected an expression, got '(?P<got>[^']*)'"),
    ("jinja.unexpected_expected", r"unexpected '(?P<got>[^']*)', expected '(?P<expected>[^']*)'"),
    ("jinja.unexpected", r"unexpected '(?P<got>[^']*)'"),
    ("jinja.expected_token", r"expected token '(?P<expected>[^']*)', got '(?P<got>[^']*)'"),
    ("jinja.eof_expected", r"unexpected end of template, expected '(?P<expected>[^']*)'\."),
    ("jinja.unknown_tag", r"Encountered unknown tag '(?P<tag>[^']*)'\."),
    ("jinja.eof", r"Unexpected end of template\."),
    ("jinja.nesting", r"You probably made a nesting mistake\. Jinja is expecting this tag, but currently "
                      rf"looking for (?P<looking>{_QUOTED}(?: or {_QUOTED})*)\. {_INNERMOST}"),
    ("jinja.looking", rf"Jinja was looking for the following tags: (?P<looking>{_QUOTED}(?: or {_QUOTED})*)\. {_INNERMOST}"),
    ("jinja.innermost", _INNERMOST),
    ("jinja.tag_name", r"tag name expected"),
    ("jinja.comment_open", r"Missing end of comment tag"),
    ("jinja.raw_open", r"Missing end of raw directive"),
    ("jinja.char", r"unexpected char (?P<quoted>'[^']+'|\"'\") at (?P<pos>\d+)"),
    ("jinja.identifier", r"Invalid character in identifier"),
    ("jinja.no_filter", r"No filter named '(?P<name>[^']*)'\."),
    ("jinja.no_test", r"No test named '(?P<name>[^']*)'\."),
    ("jinja.block_twice", r"block '(?P<name>[^']*)' defined twice"),
    ("jinja.block_hyphen", r"Block names in Jinja have to be valid Python identifiers and may not contain "
                           r"hyphens, use an underscore instead\."),
    ("jinja.name_or_number", r"expected name or number"),
    ("jinja.subscript", r"expected subscript expression"),
)]

_RUNTIME = [(key, _sentence(pattern)) for key, pattern in (
    ("jinja.undefined", r"'(?P<name>[^']*)' is undefined"),
    ("jinja.no_attribute", r"'(?P<obj>[^']*)' has no attribute '(?P<name>[^']*)'"),
    ("jinja.no_element", r"(?P<obj>[\w.]+ object|None) has no element (?P<index>.+)"),
    ("jinja.not_callable", r"'(?P<type>\w+)' object is not callable"),
    ("jinja.no_filter_found", r"No filter named '(?P<name>[^']*)' found\."),
    ("jinja.no_test_found", r"No test named '(?P<name>[^']*)' found\."),
    ("tpl.card_only_post", r"'(?P<name>[^']*)' is only on the post's own page \(post\.html\)"),
    ("tpl.card_no", r"a card has no '(?P<name>[^']*)'"),
)]


def syntax_reason(text: str) -> dict[str, str]:
    """Values for a tpl.syntax problem: `inner`, the reason's keys, with their values."""
    return _recognised(text, _SYNTAX) or {"inner": "jinja.other_syntax", "reason": text}


def runtime_reason(error: BaseException) -> dict[str, str]:
    """Values for a tpl.runtime or tpl.card problem, from what went wrong while rendering."""
    text = str(error)
    return _recognised(text, _RUNTIME) or {"inner": "jinja.other", "reason": text}


def _recognised(text: str, sentences: list[tuple[str, re.Pattern[str]]]) -> dict[str, str] | None:
    keys: list[str] = []
    values: dict[str, str] = {}
    at = 0
    while at < len(text):
        found = next(((key, match) for key, pattern in sentences if (match := pattern.match(text, at))), None)
        if found is None:
            return None
        keys.append(found[0])
        values.update(_values(found[1]))
        at = found[1].end() + 1
    english = " ".join(render(key, "en", values)[0] for key in keys)
    return {"inner": SENTENCES.join(keys), **values} if keys and english == text else None


def _values(match: re.Match[str]) -> dict[str, str]:
    values = {name: value for name, value in match.groupdict().items() if value is not None}
    for name, word in (("got", "tok"), ("expected", "tok"), ("obj", "obj")):
        if name in values and f"{WORD}{word}.{values[name]}" in CATALOGUE:  # in the language; any other as it is
            values[name] = f"{WORD}{word}.{values[name]}"
    if "quoted" in values:
        values["char"] = values["quoted"][1:-1]
    return values
