"""Links written as file paths ('../study/lesson.md', 'photo.jpg') and root paths ('/news/'):
where each leads, or why it cannot, and a record of what rendering a body asked
(Dependencies), so that a body from the cache is taken only while every answer still holds."""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Callable

from .markup import LinkProblem

# What rendering a body asked the site: ("file", path, url or None) and ("root", url, url or None).
Dependencies = tuple[tuple[str, str, "str | None"], ...]


class Links:
    """Every link target of the site, by its source path: posts, column folders and their
    _index.md, bundles and copied files. Filled while the site is read; asked once it is."""

    def __init__(self, root: Path, base_path: str) -> None:
        self.root = root
        self.base_path = base_path
        self.targets: dict[Path, str] = {}  # source path -> URL
        self.left_out: dict[Path, str] = {}  # source path of a post this build leaves out -> why
        self.refused: dict[Path, LinkProblem] = {}  # a picture that cannot be shown -> why (photo_set.py)
        # Lookups made on first use, for the thousands of links a large site asks about.
        self._known_urls: set[str] | None = None
        self._target_texts: dict[str, str] | None = None  # targets by path as a string

    def add(self, path: Path, url: str) -> None:
        self.targets[path] = url
        self._known_urls = self._target_texts = None  # made again if asked again

    def leave_out(self, path: Path, why: str) -> None:
        self.left_out[path] = why

    def refuse(self, path: Path, problem: LinkProblem) -> None:
        """A file no page may link to or show, and why (a damaged picture, say)."""
        self.targets.pop(path, None)
        self.refused[path] = problem
        self._known_urls = self._target_texts = None

    def resolve(self, target: Path) -> str | LinkProblem:
        path = Path(os.path.normpath(target))
        if path != self.root and self.root not in path.parents:
            return LinkProblem.of("link.leaves")
        if path in self.targets:
            return self.targets[path]
        if path in self.refused:
            return self.refused[path]
        if path in self.left_out:
            why = self.left_out[path]
            if why == "a draft":
                return LinkProblem.of("link.to_draft")
            return LinkProblem.of("link.to_future", date=why[why.find("(") + 1 : why.rfind(")")])
        try:
            if path.exists():
                return LinkProblem.of("link.not_in_site")
            siblings = [p.name for p in path.parent.iterdir()] if path.parent.is_dir() else []
        except OSError:  # a name too long for the file system, say: it cannot exist
            siblings = []
        like = difflib.get_close_matches(path.name, siblings, n=1, cutoff=0.6)
        return LinkProblem.of("link.missing_like", like=like[0]) if like else LinkProblem.of("link.missing")

    def rebase(self, url: str) -> str | None:
        """'/news/' written for a site that lives under '/party/' -> '/party/news/', when that
        names one of the site's pages or files; other root paths are left to the intranet."""
        base = self.base_path
        if base == "/" or url.startswith(base):
            return None
        path, hash_, fragment = url.partition("#")
        candidate = base + path.lstrip("/")
        if self._known_urls is None:
            self._known_urls = set(self.targets.values()) | {base}
        return candidate + hash_ + fragment if candidate in self._known_urls else None

    def still_valid(self, dependencies: Dependencies) -> bool:
        """Whether every question a body's rendering asked gets the same answer now."""
        if self._target_texts is None:
            self._target_texts = {str(path): url for path, url in self.targets.items()}
        for kind, asked, answer in dependencies:
            if kind == "file":
                # Most links name a post or file of the site: a string lookup, no Path made.
                result = self._target_texts.get(os.path.normpath(asked)) or self.resolve(Path(asked))
            else:
                result = self.rebase(asked)
            if (result if isinstance(result, str) else None) != answer:
                return False
        return True

    def recording(self) -> tuple[Callable[[Path], str | LinkProblem], Callable[[str], str | None],
                                 list[tuple[str, str, str | None]]]:
        """resolve and rebase for one rendering, each writing down what it was asked and
        answered in the list that comes with them (its Dependencies)."""
        asked: list[tuple[str, str, str | None]] = []

        def resolve(target: Path) -> str | LinkProblem:
            result = self.resolve(target)
            asked.append(("file", str(target), result if isinstance(result, str) else None))
            return result

        def rebase(url: str) -> str | None:
            result = self.rebase(url)
            asked.append(("root", url, result))
            return result

        return resolve, rebase, asked
