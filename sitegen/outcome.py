"""What a build is asked (Options), what it leaves in memory for the next build of the same
process (Reuse: a watcher keeps its last result) and what it gives back (BuildResult, with the
one summary line a build ends with)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable

from .errors import SiteError, problems_from_plain, problems_to_plain
from .messages import say
from .search import IndexResult, SearchSource
from .snapshot import Scan, State
from .write import WriteStats

if TYPE_CHECKING:
    from .listing import Listing
    from .model import Site


@dataclass(frozen=True)
class Options:
    drafts: bool = False
    future: bool = False
    now: datetime | None = None  # "now" for leaving out future posts; tests pin it
    jobs: int | None = None  # processes for Markdown and templates; None: one per CPU
    cache: bool = True  # keep parsed and rendered posts in <output>/.sitegen-cache/
    progress: Callable[[str, int, int], None] | None = None  # (what, done, total), for a progress bar
    search_index: bool = True  # False: leave the search index to the caller (a watcher does it after reporting)
    reusable: bool = False  # keep in the result what the next build of this process may reuse (a watcher)
    on_wait: Callable[[str], None] | None = None  # says that another build holds the output folder (default: stderr)
    on_live: Callable[[], None] | None = None  # called the moment the new version is live (serve reloads pages then)


@dataclass(frozen=True)
class Reuse:
    """What a build leaves in memory for the next build of the same process (a watcher keeps
    its last result): the store's entries it read or wrote, decoded, the objects it made from
    them (Cache.derived), the templates it compiled, and the state it saved. All are found by
    keys that name their content, exactly as on disk (the state by its file's status)."""

    entries: dict[str, Any]
    made: dict[str, dict[str, Any]]
    templates: dict[str, bytes]
    state: tuple[str, State] | None = None  # the state it saved, and the token it saved it under
    listings: tuple[Listing, ...] = ()  # the last two versions' folders, as listed (listing.py)
    scan: Scan | None = None  # the sources as that build found them, for Scan.again
    manifests: dict[str, Any] = field(default_factory=dict)  # the last two versions' manifests, by content hash


@dataclass
class BuildResult:
    site: Site | None  # None when nothing had changed, so nothing was loaded
    pages: int
    stats: WriteStats | None
    seconds: float
    warnings: list[SiteError] = field(default_factory=list)
    search: IndexResult | None = None  # when this build updated the search index
    columns: list[tuple[str, int]] = field(default_factory=list)  # (title, posts) of each post column
    outputs: list[str] = field(default_factory=list)  # every file of the site, relative to the output folder
    reuse: Reuse | None = field(default=None, repr=False)  # for the next build in this process (a watcher's)
    index_wanted: bool = False  # the live search index does not match the live pages (a watcher indexes after)
    search_source: SearchSource | None = field(default=None, repr=False)  # what the index holds (a watcher's indexing)
    notes: list[SiteError] = field(default_factory=list)  # posts left out: drafts, dated in the future
    due: float | None = None  # when time alone changes the site (a post comes due), as a timestamp
    remarks: list[str] = field(default_factory=list)  # said after the figures, in the site's language (photos' locations)
    damaged: bool = False  # a file of the site was written over in place unseen (a watcher looks at everything next)

    def summary(self, language: str = "en") -> str:
        """The one line a build ends with, in `language`."""
        columns = say("sum.column_separator", language).join(
            say("sum.column", language, title=title, count=count) for title, count in self.columns)
        posts = sum(count for _, count in self.columns)
        text = say("sum.main", language, pages=self.pages, posts=posts, per_column=columns, warnings=len(self.warnings))
        if self.notes:
            text += say("sum.notes", language, notes=len(self.notes))
        if self.stats is not None:
            text += say("sum.files", language, written=self.stats.written, unchanged=self.stats.unchanged,
                        removed=self.stats.removed)
        text += say("sum.seconds", language, seconds=f"{self.seconds:.2f}")
        if self.search is not None:
            text += say("sum.search", language, size=f"{self.search.size / 1048576:.1f}", seconds=f"{self.search.seconds:.2f}")
        return say("sum.remark_separator", language).join([text, *self.remarks])

    def as_plain(self) -> dict[str, Any]:
        """What a build that finds nothing changed says again (kept in the state, as JSON)."""
        return {"pages": self.pages, "files": len(self.outputs), "warnings": problems_to_plain(self.warnings),
                "notes": problems_to_plain(self.notes), "columns": [list(column) for column in self.columns],
                "remarks": list(self.remarks)}

    @classmethod
    def repeated(cls, plain: dict[str, Any], seconds: float) -> BuildResult:
        return cls(None, plain["pages"], WriteStats(0, plain["files"], 0), seconds,
                   list(problems_from_plain(plain["warnings"])), columns=[(t, n) for t, n in plain["columns"]],
                   notes=list(problems_from_plain(plain["notes"])), remarks=[str(remark) for remark in plain["remarks"]])
