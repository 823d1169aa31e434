"""sitegen's inline pass (sitegen/inline_pass.py) gives exactly what Python-Markdown's own gives:
on generated documents full of inline Markdown, on the demo site's posts and on the bench
corpus's; and it is the one that runs."""

from __future__ import annotations

import sys
from pathlib import Path

import frontmatter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor

from sitegen.inline_pass import InlinePass
from sitegen.markup import MarkdownRenderer

ROOT = Path(__file__).resolve().parent.parent

# Inline Markdown of every pattern, whole or cut short, and the characters they begin with.
PIECES = ["`code`", "``a ` b``", "\\*", "\\\\`x`", "[link](https://a.test/)", "[ref][1]", "[1]", "![img](a.png)",
          "![alt][1]", "<https://a.test/>", "<me@a.test>", "<b>bold</b>", "<!-- note -->", "&amp;", "&#20826;",
          "*em*", "**strong**", "_em_", "__strong__", "***both***", "a_b_c", "[^1]", "x  \n", "党建\n学习", "[", "]",
          "<", "&", "*", "_", "`", "!", "\\", "学习党章", "party", " ", "\n", "|"]
DEFINITIONS = "\n\n[1]: https://a.test/one\n\n[^1]: A footnote.\n"


def documents() -> st.SearchStrategy[str]:
    line = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=12).map("".join)
    prefix = st.sampled_from(["", "# ", "- ", "1. ", "> ", "| ", "    "])
    block = st.builds(lambda p, text: p + text, prefix, line)
    return st.lists(block, max_size=6).map(lambda blocks: "\n\n".join(blocks) + DEFINITIONS)


def renderers() -> tuple[MarkdownRenderer, MarkdownRenderer]:
    ours, stock = MarkdownRenderer(), MarkdownRenderer()
    assert isinstance(ours.md.treeprocessors["inline"], InlinePass)
    stock.md.treeprocessors.register(InlineProcessor(stock.md), "inline", 20)  # Python-Markdown's own
    return ours, stock


def resolve(target: Path) -> str:
    return "/" + target.name


def rendered(renderer: MarkdownRenderer, body: str) -> object:
    return renderer.render(body, ROOT / "columns/post.md", 1, resolve)


OURS, STOCK = renderers()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_come_out_as_python_markdown_makes_them(body):
    assert rendered(OURS, body) == rendered(STOCK, body)


def test_the_demo_sites_and_the_bench_corpus_posts_come_out_as_python_markdown_makes_them(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import make_corpus

    bench = make_corpus(tmp_path / "bench", 60)
    files = sorted((ROOT / "columns").rglob("*.md")) + sorted((bench / "columns").rglob("*.md"))
    bodies = [frontmatter.loads(path.read_text("utf-8")).content for path in files]
    assert len(bodies) > 60 and any("**" in body or "[" in body for body in bodies)
    for path, body in zip(files, bodies):
        assert rendered(OURS, body) == rendered(STOCK, body), path


def test_the_inline_pass_that_runs_is_sitegens(monkeypatch):
    """Python-Markdown calls the method InlinePass overrides by its mangled name: were it renamed,
    the override would no longer run (the output would stay right, the time saved would go)."""
    calls = []
    handle = InlinePass._InlineProcessor__handleInline

    def counted(self, data, patternIndex=0):  # noqa: N803
        calls.append(data)
        return handle(self, data, patternIndex)
    monkeypatch.setattr(InlinePass, "_InlineProcessor__handleInline", counted)
    html = rendered(MarkdownRenderer(), "学习**党章**，见[通知](https://a.test/)。\n").body_html
    assert "<strong>党章</strong>" in html and calls
