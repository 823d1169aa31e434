"""The pure pipeline floor: read + front matter + Markdown + Jinja + write, and nothing else.

    python bench/floor.py --source SITE --output DIR [--jobs N]

bench/run.py starts this as its own process, exactly as it starts `python -m sitegen build`,
so interpreter start-up and the imports of yaml, markdown and jinja2 count for both. Every
post (columns/**/*.md except _index.md) is read, its front matter parsed with libyaml's
CSafeLoader, its body converted by Python-Markdown (tables, footnotes, fenced_code, toc; one
instance per worker, reset between posts), put into a small Jinja template and written to
DIR/columns/.../index.html, on a fork pool of --jobs processes (default: one per CPU, as
sitegen's default). Prints the number of pages written."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from multiprocessing import get_context
from pathlib import Path

import jinja2
import markdown
import yaml

TEMPLATE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><header><nav><a href="/">Home</a></nav></header><main><h1>{{ title }}</h1>{{ body|safe }}</main></body></html>"""

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_template: jinja2.Template | None = None
_md: markdown.Markdown | None = None


def _init() -> None:
    global _template, _md
    _template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    _md = markdown.Markdown(extensions=["tables", "footnotes", "fenced_code", "toc"])


def _one(job: tuple[str, str]) -> int:
    assert _template is not None and _md is not None
    source, target = job
    text = Path(source).read_text("utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.load(front, Loader=LOADER)
    _md.reset()
    html = _template.render(title=meta["title"], body=_md.convert(body))
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text(html, "utf-8")
    return 1


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", required=True, type=Path)
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    jobs = args.jobs or default_jobs()
    shutil.rmtree(args.output, ignore_errors=True)
    files = sorted(p for p in (args.source / "columns").rglob("*.md") if p.name != "_index.md")
    work = [(str(p), str(args.output / p.relative_to(args.source).with_suffix("") / "index.html")) for p in files]
    if jobs <= 1:
        _init()
        pages = sum(map(_one, work))
    else:
        with get_context("fork").Pool(jobs, initializer=_init) as pool:
            pages = sum(pool.imap_unordered(_one, work, chunksize=max(1, min(64, len(work) // (jobs * 16)))))
            pool.close()
            pool.join()
    print(f"{pages} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
