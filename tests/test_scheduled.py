"""Scheduled publishing: `sitegen watch` builds on its own when a post dated in the future
comes due, without any file changing."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from conftest import post
from sitegen.build import Options
from sitegen.watch import Watcher


def test_the_watcher_publishes_a_post_when_its_time_comes(site):
    due = datetime.now().astimezone() + timedelta(seconds=3)
    site.write({
        "columns/news/2019-03-05-now.md": post("Now", "2019-03-05"),
        "columns/news/later.md": post("Later", due.isoformat(timespec="seconds")),
    })
    outcomes = []
    watcher = Watcher(site.root, site.output, Options(jobs=1), on_build=outcomes.append, on_index=lambda i: None)
    watcher.start()
    try:
        assert outcomes[0].ok and not site.exists("news/later/index.html")
        assert [p.path.name for p in outcomes[0].result.notes] == ["later.md"]
        deadline = time.monotonic() + 60
        while len(outcomes) < 2:  # no file changes: only the post's time can start this build
            assert time.monotonic() < deadline, "the post was not published after its time came"
            time.sleep(0.05)
        assert outcomes[1].ok and outcomes[1].result.notes == [] and site.exists("news/later/index.html")
        assert "Later" in site.html("news/index.html").get_text()
    finally:
        watcher.stop()
