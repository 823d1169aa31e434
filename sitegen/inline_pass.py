"""Python-Markdown's inline pass, without the calls that cannot match.

Python-Markdown's InlineProcessor tries each of its inline patterns (17 here: code, escapes,
links, images, HTML, entities, emphasis, line breaks...) on every text of a document, through
a Python method call each (`__applyPattern`), which looks the pattern up in its registry and
runs the pattern's regular expression. Almost all of those calls find nothing: on the bench
corpus, 3.8 million calls at 10,000 posts, a third of the CPU of rendering Markdown.

InlinePass makes the same calls for the patterns whose regular expression finds something in
the text (from where the last match left off, as Python-Markdown would search), and skips the
others, with what Python-Markdown returns for a pattern that finds nothing: the text as it was,
from the start for the next pattern. The output is the same by construction (tests/
test_inline_pass.py compares it with Python-Markdown's own on generated documents); Markdown
takes 18 % less time (bench/RESULTS.md).

It overrides a private method (`_InlineProcessor__handleInline`, as Python mangles the name).
Were a later Python-Markdown to rename it, its own method would run and only the time saved
would be lost; the tests check that this one runs."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown import inlinepatterns, util
from markdown.treeprocessors import InlineProcessor


class InlinePass(InlineProcessor):
    """Registered as 'inline' in place of Python-Markdown's own (register())."""

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        # The patterns in the order Python-Markdown tries them, each with the expression it
        # searches (None: an old-style pattern, which matches differently: always tried).
        self.listed: list[tuple[inlinepatterns.Pattern, re.Pattern[str] | None]] = [
            (pattern, pattern.getCompiledRegExp() if isinstance(pattern, inlinepatterns.InlineProcessor) else None)
            for pattern in self.inlinePatterns]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        """Python-Markdown's __handleInline, calling __applyPattern only where it can match."""
        if isinstance(data, util.AtomicString):
            return data
        listed = self.listed
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        while patternIndex < len(listed):
            pattern, expression = listed[patternIndex]
            if expression is not None and expression.search(data, start) is None:
                matched, start = False, 0  # (what __applyPattern returns when nothing matches)
            else:
                data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def register(md: markdown.Markdown) -> None:
    """Puts InlinePass in the place of Python-Markdown's inline pass (same name, same priority)."""
    md.treeprocessors.register(InlinePass(md), "inline", 20)
