"""Issue 21, item 1: which way of feeding Pagefind to choose, by the figures. On one built corpus
(bench/corpus.py, search on) it measures, side by side:

  sitegen    what sitegen does now: records from the build, given to Pagefind's service directly
             (search.py; before issue 21 this row was the pagefind command on copied pages)
  api-html   Pagefind's Python API, each indexed page given as HTML (add_html_file), then written
  api-record the API given what sitegen knows instead (add_custom_record: the article's text,
             title, column and tags), then written
  one edit   with the API's index kept in memory (as a watcher could): one page given again
             under its URL, and the index written again

Each prints wall seconds and the peak memory (RSS) of the Pagefind process.

    python bench/search_api.py [--posts 1000] [--dir /dev/shm]"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import re
import shutil
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from corpus import make_corpus, set_search  # noqa: E402
from run import ProcessTree, _memory_kb  # noqa: E402

from sitegen.publish import live_folder  # noqa: E402
from sitegen.search import INDEX_LANGUAGE, _make_index  # noqa: E402
from sitegen.search_records import han_words_text  # noqa: E402


def han_words(html: str) -> str:
    """Each Chinese character a word (the pages as sitegen gave them to Pagefind before it gave
    records; attributes are not spared here, which the figures do not depend on)."""
    return han_words_text(html)

_BODY = re.compile(r"<(\w+)[^>]*data-pagefind-body[^>]*>(.*)</\1>", re.S)
_TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]+>")


class PeakMemory:
    """The peak RSS of this process's descendants (the Pagefind process), sampled every 20 ms."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        tree = ProcessTree(os.getpid())
        while not self._stop.wait(0.02):
            rss = sum(_memory_kb(pid)[1] for pid in tree.pids() if pid != os.getpid())
            self.peak_kb = max(self.peak_kb, rss)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def indexed_pages(live: Path) -> list[tuple[str, str]]:
    """(url, html) of every page Pagefind indexes (those with data-pagefind-body)."""
    found = []
    for path in sorted(live.rglob("*.html")):
        if "pagefind" in path.relative_to(live).parts[:1]:
            continue
        text = path.read_text("utf-8")
        if "data-pagefind-body" in text:
            found.append(("/" + path.relative_to(live).as_posix(), text))
    return found


def record_of(page: str) -> tuple[str, str]:
    body = _BODY.search(page)
    title = _TITLE.search(page)
    text = html.unescape(_TAG.sub(" ", body.group(2) if body else page))
    return (html.unescape(_TAG.sub("", title.group(1))) if title else ""), han_words_text(text)


def without_the_poll_delay() -> None:
    """pagefind's Python client sleeps 0.1 s before reading each answer of its service
    (pagefind/service/__init__.py, _wait_for_responses): ten calls a second at most, however
    many are sent at once. Measured both ways (--no-patch keeps it)."""
    import inspect
    import textwrap

    from pagefind import service

    source = textwrap.dedent(inspect.getsource(service.PagefindService._wait_for_responses))
    assert "await asyncio.sleep(0.1)" in source
    namespace: dict[str, object] = {}
    exec(compile(source.replace("await asyncio.sleep(0.1)", "pass"), service.__file__, "exec"),  # noqa: S102
         service.__dict__, namespace)
    service.PagefindService._wait_for_responses = namespace["_wait_for_responses"]  # type: ignore[method-assign]


async def api(pages: list[tuple[str, str]], out: Path, records: bool) -> tuple[float, float, float]:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(force_language=INDEX_LANGUAGE)
    started = time.perf_counter()
    async with PagefindIndex(config) as index:
        # All at once: each call waits on the service's answer (about 0.1 s), which it gives
        # for many requests together.
        if records:
            calls = []
            for url, page in pages:
                title, text = record_of(page)
                calls.append(index.add_custom_record(url=url, content=text, language=INDEX_LANGUAGE, meta={"title": title},
                                                     filters={"column": [url.split("/")[1]]}))
        else:
            calls = [index.add_html_file(url=url, content=han_words(page)) for url, page in pages]
        await asyncio.gather(*calls)
        await index.write_files(output_path=str(out))
        whole = time.perf_counter() - started
        url, page = pages[len(pages) // 2]
        started = time.perf_counter()
        edited = page.replace("</p>", " 补充的新段落。</p>", 1)
        if records:
            title, text = record_of(edited)
            await index.add_custom_record(url=url, content=text, language=INDEX_LANGUAGE, meta={"title": title})
        else:
            await index.add_html_file(url=url, content=han_words(edited))
        written = time.perf_counter()
        await index.write_files(output_path=str(out))
        done = time.perf_counter()
        await index.delete_index()  # (else leaving the block writes the index again, into ./pagefind/)
    return whole, written - started, done - written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else "/tmp")
    parser.add_argument("--no-patch", action="store_true", help="keep the client's 0.1 s delay per answer")
    args = parser.parse_args()
    if not args.no_patch:
        without_the_poll_delay()
    root = Path(args.dir) / f"sitegen-search-api-{args.posts}"
    shutil.rmtree(root, ignore_errors=True)
    try:
        source = make_corpus(root / "src", args.posts)
        set_search(source, True)  # the pages, and the records of the index, which each way below makes
        from sitegen.build import Options, build

        built = build(source, root / "out", Options(search_index=False))
        assert built.search_source is not None
        live = live_folder(root / "out")
        assert live is not None
        pages = indexed_pages(live)
        print(f"{args.posts} posts, {len(pages)} pages indexed")
        with PeakMemory() as memory:
            started = time.perf_counter()
            made = _make_index(live, built.search_source, root / "private")
            seconds = time.perf_counter() - started
        assert not isinstance(made, Exception), made
        print(f"sitegen:    {seconds:6.2f} s, peak {memory.peak_kb / 1024:6.0f} MB, index {made[1] / 1e6:.1f} MB")
        for name, records in (("api-html", False), ("api-record", True)):
            with PeakMemory() as memory:
                whole, given, written = asyncio.run(api(pages, root / name, records))
            size = sum(f.stat().st_size for f in (root / name).rglob("*") if f.is_file())
            print(f"{name + ':':11s} {whole:6.2f} s, peak {memory.peak_kb / 1024:6.0f} MB, index {size / 1e6:.1f} MB; "
                  f"one edit: given {given:.2f} s, written {written:.2f} s")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
