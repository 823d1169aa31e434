"""Issue 21: the search index in shards (sitegen/search_shards.py), by shard size.

On one built corpus (bench/corpus.py, search on) and the records sitegen gives Pagefind, for each
--sizes shard size (records per shard; 0 = one index, as for a small site):

  cold     every shard made (two at a time), wall s and the peak RSS of the Pagefind processes
  edit     one post's text changed: the index made again from the one before (only the shard
           of that post is made; the others linked)
  delete   one post gone: the same
  query    what a visitor's search costs: requests and bytes Pagefind's script fetches for a
           query (Node, counting its fetches), plus the pagefind.js and web worker script that
           a browser also loads (once: shard 0's serve every shard; bench/search_first.py
           measures it in Chromium)
  same     whether the URLs found for a set of queries equal those of one index

    python bench/search_shards.py [--posts 10000] [--sizes 0,1000,2500] [--dir /dev/shm]"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))
from corpus import make_corpus, set_search  # noqa: E402
from search_api import PeakMemory  # noqa: E402

import sitegen.search_shards as shards  # noqa: E402
from sitegen.search import INDEX_DIR, SearchSource, _make_index  # noqa: E402
from sitegen.search_records import Entry  # noqa: E402

QUERIES = ("党课", "民主评议", "学习", "组织生活")
_COST = """
const [bundle, term] = process.argv.slice(1);
globalThis.window = globalThis; globalThis.location = new URL(bundle);
let requests = 0, bytes = 0;
const plain = globalThis.fetch;
globalThis.fetch = async (...args) => { const r = await plain(...args); const b = await r.clone().arrayBuffer();
  requests += 1; bytes += b.byteLength; return r; };
const listed = await fetch(bundle + "shards.json");
const prefixes = listed.ok ? (await listed.json()).shards : [""];
let found = 0;
const script = await import(bundle + "pagefind.js");  // (shard 0's, for every shard: search_index.js)
const shards = [script.createInstance({ basePath: bundle + prefixes[0] })];
await shards[0].filters();  // (shard 0 first: its WebAssembly is the others')
shards.push(...prefixes.slice(1).map((prefix) => script.createInstance({ basePath: bundle + prefix })));
await Promise.all(shards.map(async (pagefind) => {
  const search = await pagefind.search(term, { sort: { newest: "desc" } });
  found += search.results.length;
  await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
}));
console.log(JSON.stringify({ requests, bytes, found, shards: prefixes.length }));
"""


def edited(source: SearchSource, run: int) -> SearchSource:
    """The source with one post's record changed (its text gains a sentence)."""
    entries = list(source.entries)
    index = len(entries) // 2
    old = entries[index]

    def make() -> object:
        record = old.make()
        return replace(record, text=record.text + f" 补充的新段落 {run}。")
    entries[index] = Entry(old.url, f"{old.key}-{run}", make)  # type: ignore[arg-type]
    return replace(source, entries=tuple(entries))


_IDS = """
const [bundle, ...terms] = process.argv.slice(1);
globalThis.window = globalThis; globalThis.location = new URL(bundle);
const listed = await fetch(bundle + "shards.json");
const prefixes = listed.ok ? (await listed.json()).shards : [""];
const found = {};
const script = await import(bundle + "pagefind.js");
for (const prefix of prefixes) {
  const pagefind = script.createInstance({ basePath: bundle + prefix });
  for (const term of terms) {
    found[term] = (found[term] || []).concat((await pagefind.search(term)).results.map((r) => r.id));
  }
}
for (const term of terms) { found[term].sort(); }
console.log(JSON.stringify(found));
"""


def found_ids(live: Path, terms: tuple[str, ...]) -> dict[str, list[str]]:
    """term -> the sorted ids (fragment names) of every page found in every shard: pages as one
    index finds them (search.js drops a shard lacking a word others have, which phrases need not)."""
    from search_query import _served, as_sent

    with _served(live) as bundle:
        done = subprocess.run(["node", "--no-warnings", "--experimental-network-imports", "--input-type=module",
                               "-e", _IDS, bundle, *(as_sent(t) for t in terms)], capture_output=True, text=True,
                              timeout=600)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout)


def timed_index(live: Path, source: SearchSource, private: Path, previous: Path | None) -> tuple[float, float, Path]:
    with PeakMemory() as memory:
        started = time.perf_counter()
        made = _make_index(live, source, private, previous)
        seconds = time.perf_counter() - started
    assert not isinstance(made, Exception), made
    return seconds, memory.peak_kb / 1024, made[0]


def query_cost(output: Path, term: str) -> dict[str, int]:
    from search_query import _served, as_sent

    with _served(output) as bundle:
        done = subprocess.run(["node", "--no-warnings", "--experimental-network-imports", "--input-type=module",
                               "-e", _COST, bundle, as_sent(term)], capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise SystemExit(done.stderr)
    cost = json.loads(done.stdout)
    scripts = sum((output / INDEX_DIR / name).stat().st_size for name in ("pagefind.js", "pagefind-worker.js"))
    cost["requests"] += 2  # (one script and one worker for every shard: search_index.js)
    cost["bytes"] += scripts
    return cost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--sizes", default="0,500,1000,2500")
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else "/tmp")
    args = parser.parse_args()
    root = Path(args.dir) / f"sitegen-search-shards-{args.posts}"
    shutil.rmtree(root, ignore_errors=True)
    try:
        source_dir = make_corpus(root / "src", args.posts)
        set_search(source_dir, True)
        from sitegen.build import Options, build
        from sitegen.publish import live_folder

        built = build(source_dir, root / "out", Options(search_index=False))
        source, live = built.search_source, live_folder(root / "out")
        assert source is not None and live is not None
        print(f"{args.posts} posts, {len(source.entries)} records")
        middle = len(source.entries) // 2
        gone = replace(source, entries=source.entries[:middle + 1] + source.entries[middle + 2:])
        expected = None
        for size in (int(s) for s in args.sizes.split(",")):
            shards.SHARD_RECORDS = size or 10 ** 9
            private = root / f"private-{size}"
            cold, cold_mb, first = timed_index(live, source, private, None)
            edit, edit_mb, second = timed_index(live, edited(source, 1), private, first)
            delete, delete_mb, third = timed_index(live, gone, private, second)
            shutil.rmtree(live / INDEX_DIR, ignore_errors=True)
            shutil.copytree(first, live / INDEX_DIR)
            found = found_ids(live, QUERIES)  # (the version folder, served as the site)
            expected = expected or found
            cost = query_cost(live, "民主评议")
            count = len(json.loads((first / "shards.json").read_text())["shards"])
            sizes = {t: len(ids) for t, ids in found.items()}
            print(f"shard {size or 'one index'} ({count} shards): cold {cold:.2f} s {cold_mb:.0f} MB; "
                  f"edit {edit:.2f} s {edit_mb:.0f} MB; delete {delete:.2f} s {delete_mb:.0f} MB; "
                  f"query 民主评议: {cost['requests']} requests, {cost['bytes'] / 1024:.0f} KB, {cost['found']} found; "
                  f"same pages as the first size: {found == expected} {sizes}", flush=True)
            shutil.rmtree(private, ignore_errors=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
