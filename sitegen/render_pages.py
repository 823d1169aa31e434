"""Pages -> bytes, for the pages whose inputs changed: each page's digest (what it is made
from) is compared with the one the last build recorded, and only a page that differs is
rendered and staged. Runs on worker processes for a large site (parallel.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable

from .cache import code_key
from .errors import SiteError
from .parallel import map_indexed
from .write import OutputFile, Staged, Staging

if TYPE_CHECKING:
    from .cache import Bodies
    from .digest import Digester
    from .feeds import Feed
    from .model import Site
    from .pages import Page
    from .render import Theme

UNCHANGED = "unchanged"  # what a worker sends back for a page found unchanged: a word, not a record


@dataclass(frozen=True)
class FeedLink:
    """What a page's <head> says about a feed."""

    title: str
    url: str
    column: str = ""  # the title of the column it follows; "" for the whole site's


class PageMaker:
    """Renders pages with their feed links, and digests what each is made from."""

    def __init__(self, site: Site, theme: Theme, feeds: list[Feed], bodies: Bodies,
                 compiled: dict[str, bytes] | None = None) -> None:
        from .render import Renderer

        self.renderer = Renderer(site, theme, compiled)
        self.bodies = bodies  # a post's page reads its body back from the store
        self.site_feed = FeedLink(feeds[0].title, feeds[0].url)
        titles = {column.url: column.title for column in site.columns}
        self.column_feeds = {f.page_url: FeedLink(f.title, f.url, titles[f.page_url]) for f in feeds[1:]}
        self.inputs = (code_key(), site.config, site.columns, theme.fingerprint())  # what every page is made with

    def feeds_of(self, page: Page) -> list[FeedLink]:
        column = page.current_column
        feed = self.column_feeds.get(column.url) if column is not None else None
        return [self.site_feed] + ([feed] if feed else [])

    def digester(self) -> Digester:
        from .digest import Digester

        return Digester(*self.inputs)

    def render(self, page: Page) -> bytes:
        from .bodies import with_body
        from .pages import PostPage

        if isinstance(page, PostPage):
            page = replace(page, post=with_body(page.post, self.bodies))
        return self.renderer.render(page, feeds=self.feeds_of(page))


def render_stale(maker: PageMaker, digester: Digester, pages: list[Page], jobs: int | None, staging: Staging | None,
                 progress: Callable[[str, int, int], None] | None, known: set[int]) -> tuple[list[Staged], list[SiteError]]:
    """Renders every page whose inputs changed and stages it; with no staging (check), the
    bytes are thrown away once they are known to render. Pages `known` unchanged (by index)
    are kept as they are."""
    todo = [i for i in range(len(pages)) if i not in known]
    maker.renderer.prepare({pages[i].template for i in todo})

    def render(number: int) -> Staged | SiteError | str | None:
        """A page as the last build left it if it is made from the same inputs, else rendered
        (digests too are worked out on the worker processes: a large site has many pages)."""
        page = pages[todo[number]]
        try:
            digest = digester.page(page, maker.feeds_of(page))
            if staging is not None and staging.unchanged(page.output, digest) is not None:
                return UNCHANGED
            data = maker.render(page)
            if staging is None:
                return None
            return staging.stage(OutputFile(page.output, page.template, data=data, digest=digest))
        except SiteError as exc:
            return exc

    problems: list[SiteError] = []
    staged: list[Staged] = []
    report = (lambda done, total: progress("pages written", done, total)) if progress else None
    results: list[Staged | SiteError | str | None] = [UNCHANGED] * len(pages)
    for index, result in zip(todo, map_indexed(render, len(todo), jobs, report)):
        results[index] = result
    for page, result in zip(pages, results):
        if isinstance(result, SiteError):
            if not any(p.format() == result.format() for p in problems):  # a broken template: say it once
                problems.append(result)
        elif result == UNCHANGED:
            staged.append(staging.unchanged_entry(page.output))  # type: ignore[union-attr]
        elif result is not None:
            staged.append(result)  # type: ignore[arg-type]
    return staged, problems

