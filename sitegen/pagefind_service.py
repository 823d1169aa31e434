"""Pagefind's indexing service (`pagefind_extended --service`), spoken to directly.

The service reads requests on stdin and answers on stdout, each a base64-encoded JSON object
followed by a comma; answers carry the request's message_id. Pagefind's own Python client
(pagefind.service) does the same over asyncio, but sleeps 0.1 s before reading each answer,
which caps it at ten requests a second (104 s for 1,000 pages, bench/RESULTS.md), and writes the
index into ./pagefind/ when its context ends unless told otherwise. Patching its private loop
would break silently with any release that changes it; the protocol is a handful of JSON
messages, pinned with the pagefind version in pyproject.toml. So this module speaks it without
asyncio: requests are sent in batches small enough that the answers to one batch fit in the
pipe's buffer while the next is written (no thread, no deadlock)."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path, PurePosixPath
from typing import Any, Iterable

_BATCH = 64  # requests in flight: their answers (~150 bytes each) stay far below a pipe's 64 KB


class ServiceError(Exception):
    """The service could not be started, stopped answering, or refused a request."""


def executable() -> Path:
    """Pagefind's extended binary (Chinese segmentation), as the pagefind[extended] wheel installs it."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise ServiceError(f"the pagefind package is not installed ({exc})") from None
    found = get_executable()
    if found is None:
        raise ServiceError("the pagefind binary is not installed")
    return found


def service_command() -> list[str]:
    return [str(executable()), "--service"]


class PagefindService:
    """One service process holding one index. Use as a context manager; close() ends the process."""

    def __init__(self, config: dict[str, Any], command: list[str] | None = None) -> None:
        try:
            self._process = subprocess.Popen(command or service_command(), stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError as exc:
            raise ServiceError(f"cannot start Pagefind: {exc.strerror}") from None
        self._next = 0
        self._buffer = b""
        self.index_id = int(self.request({"type": "NewIndex", "config": config})["index_id"])

    def __enter__(self) -> PagefindService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Ends the service by closing its input, and waits for it to exit (a minute at most)."""
        try:
            self._process.stdin.close()  # type: ignore[union-attr]
        except OSError:
            pass
        try:
            self._process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()

    def request(self, payload: dict[str, Any]) -> dict[str, Any]:
        return self.requests([payload])[0]

    def requests(self, payloads: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Sends every request and returns the answers in the same order; raises ServiceError on
        the first refusal."""
        answers: list[dict[str, Any]] = []
        batch: list[int] = []
        for payload in payloads:
            batch.append(self._send(payload))
            if len(batch) >= _BATCH:
                answers += self._collect(batch)
                batch = []
        return answers + self._collect(batch)

    def add_records(self, records: Iterable[dict[str, Any]]) -> int:
        """Adds records (url, content, language, meta, filters, sort); returns how many."""
        return len(self.requests({"type": "AddRecord", "index_id": self.index_id, **record} for record in records))

    def write(self, folder: Path) -> None:
        """Writes the index into `folder` from the files Pagefind gives in its answer (GetFiles).
        Its own WriteFiles answers before its files are whole, and a file can stay short for a
        while after the index reads whole (a pagefind-worker.js cut short: about one index in 80
        under load), so nothing it writes to disk itself is published."""
        answer = self.request({"type": "GetFiles", "index_id": self.index_id})
        files = answer.get("files")
        if not isinstance(files, list):
            raise ServiceError("Pagefind answered something unreadable")
        for file in files:
            name = str(file.get("path") or "") if isinstance(file, dict) else ""
            parts = PurePosixPath(name).parts
            if not parts or name.startswith("/") or ".." in parts:
                raise ServiceError(f"Pagefind named a file outside its index: {name!r}")
            try:
                data = base64.b64decode(file.get("content") or "", validate=True)
            except ValueError:
                raise ServiceError("Pagefind answered something unreadable") from None
            target = folder.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def _send(self, payload: dict[str, Any]) -> int:
        self._next += 1
        message = json.dumps({"message_id": self._next, "payload": payload}, ensure_ascii=False)
        try:
            self._process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")  # type: ignore[union-attr]
        except OSError as exc:
            raise ServiceError(f"Pagefind stopped: {exc.strerror}") from None
        return self._next

    def _collect(self, ids: list[int]) -> list[dict[str, Any]]:
        if not ids:
            return []
        try:
            self._process.stdin.flush()  # type: ignore[union-attr]
        except OSError as exc:
            raise ServiceError(f"Pagefind stopped: {exc.strerror}") from None
        found: dict[int, dict[str, Any]] = {}
        while len(found) < len(ids):
            answer = self._read()
            payload = answer.get("payload") or {}
            if payload.get("type") == "Error":
                raise ServiceError(f"Pagefind refused a request: {payload.get('message')}")
            found[int(answer.get("message_id") or 0)] = payload
        return [found[i] for i in ids]

    def _read(self) -> dict[str, Any]:
        """The next answer: base64 up to a comma (base64 has none)."""
        stdout = self._process.stdout
        assert stdout is not None
        if b"," not in self._buffer:
            chunks = [self._buffer]  # (an index's files come as one answer of megabytes: joined once)
            while True:
                chunk = stdout.read1(1 << 16)  # type: ignore[attr-defined]
                if not chunk:
                    raise ServiceError("Pagefind stopped answering")
                chunks.append(chunk)
                if b"," in chunk:
                    break
            self._buffer = b"".join(chunks)
        message, _, self._buffer = self._buffer.partition(b",")
        try:
            answer = json.loads(base64.b64decode(message))
        except ValueError:
            raise ServiceError("Pagefind answered something unreadable") from None
        if not isinstance(answer, dict):
            raise ServiceError("Pagefind answered something unreadable")
        return answer
