"""Searching a built site's index as the search page does, without a browser: an instance of
Pagefind's own pagefind.js (shard 0's) for each shard (pagefind/shards.json), run by Node (network
imports) against the output folder served on loopback; the URLs found in every shard, less the
pages pagefind/removed.json says have left the site (templates/static/search_index.js).

A query is sent as templates/static/search.js sends it: each Chinese character a word, and a
query of one word containing Chinese as a phrase."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

_HAN = re.compile("([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_SCRIPT = """
const [bundle, ...terms] = process.argv.slice(1);
globalThis.window = globalThis; globalThis.location = new URL(bundle);
const listed = async (name) => { const r = await fetch(bundle + name); return r.ok ? r.json() : null; };
const shards = (await listed("shards.json"))?.shards ?? [""];
const removed = (await listed("removed.json"))?.pages ?? {};
const script = await import(bundle + "pagefind.js?" + Date.now());
const found = {};
for (const prefix of shards) {  // (shard 0 first, as the search page: see search_index.js)
  const pagefind = script.createInstance({ basePath: bundle + prefix });
  const gone = new Set(Object.values(removed[prefix] ?? {}));
  for (const term of terms) {
    const search = await pagefind.search(term);
    const kept = search.results.filter((r) => !gone.has(r.id));
    const urls = await Promise.all(kept.map(async (r) => { const d = await r.data(); return d.url; }));
    found[term] = (found[term] || []).concat(urls);
  }
}
console.log(JSON.stringify(found));
"""


class QueryFailed(Exception):
    """Pagefind's search code could not read the index (a watcher may be putting a new one live)."""


def as_sent(term: str) -> str:
    if not _HAN.search(term):
        return term
    words = re.sub(r"\s+", " ", _HAN.sub(r" \1 ", term)).strip()
    return f'"{words}"' if " " not in term.strip() else words


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def _served(output: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(output)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/pagefind/"
    finally:
        server.shutdown()
        server.server_close()


def search(output: Path, *terms: str) -> dict[str, set[str]]:
    """term -> the URLs the site's index finds for it."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    with _served(output) as bundle:
        done = subprocess.run([node, "--no-warnings", "--experimental-network-imports", "--input-type=module",
                               "-e", _SCRIPT, bundle, *(as_sent(t) for t in terms)],
                              capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise QueryFailed(done.stderr.strip()[-2000:] or "node failed")  # (the end says what failed)
    found = json.loads(done.stdout)
    return {term: {urlsplit(url).path for url in found[as_sent(term)]} for term in terms}
