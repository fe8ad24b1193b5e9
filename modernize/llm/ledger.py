"""Every model call cached and logged, in one SQLite file (conventionally ``OUT/llm.sqlite``).

- ``cache``: content-addressed answers. The key is the sha256 of the prompt id and version, the
  rendered messages, the model and every parameter (schema included), so an unchanged re-run
  replays the same answers without calling the model, and a new prompt version never reuses an
  old answer.
- ``blobs``: the request (as JSON) and answer texts by their sha256, for review.
- ``calls``: the audit log, one row per attempt: run id, time, prompt id and version, request
  and response hashes, model, mode, tokens, latency, cache hit, outcome
  (``ok`` / ``invalid`` / ``unverified`` / ``error``) and the error or problems.

Nothing secret goes in: requests are stored as messages and parameters only; the API key lives
in the provider's HTTP client and nowhere else.

Query it with plain SQL, e.g.
``SELECT prompt_id, outcome, count(*) FROM calls GROUP BY 1, 2``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from .errors import LedgerError
from .provider import Completion, CompletionRequest, Mode

log = logging.getLogger(__name__)

Outcome = Literal["ok", "invalid", "unverified", "error"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS blobs (
    hash TEXT PRIMARY KEY,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cache (
    key TEXT PRIMARY KEY,
    prompt_id TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    model TEXT NOT NULL,
    mode TEXT NOT NULL,
    response_hash TEXT NOT NULL REFERENCES blobs(hash),
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    prompt_id TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    request_hash TEXT NOT NULL,
    response_hash TEXT,
    model TEXT NOT NULL,
    mode TEXT,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    latency_s REAL NOT NULL,
    cache_hit INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    error TEXT
);
CREATE INDEX IF NOT EXISTS calls_run ON calls(run_id);
"""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def request_json(prompt_id: str, prompt_version: str, request: CompletionRequest) -> str:
    """The canonical text of a request: what the cache key hashes."""
    body = {"prompt_id": prompt_id, "prompt_version": prompt_version,
            "messages": [m.as_dict() for m in request.messages], **request.parameters()}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def request_key(prompt_id: str, prompt_version: str, request: CompletionRequest) -> str:
    return sha256(request_json(prompt_id, prompt_version, request))


@dataclass(frozen=True)
class Cached:
    text: str
    model: str
    mode: Mode
    response_hash: str
    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class AuditRow:
    run_id: str
    timestamp: str
    prompt_id: str
    prompt_version: str
    attempt: int
    request_hash: str
    response_hash: str | None
    model: str
    mode: str | None
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    cache_hit: bool
    outcome: Outcome
    error: str | None


_COLUMNS = ", ".join(f.name for f in fields(AuditRow))


class Ledger:
    """The cache and audit log of one output folder; safe to share between threads, and
    several processes may use the same file (SQLite locking, WAL journal)."""

    def __init__(self, path: str | Path, *, run_id: str | None = None) -> None:
        self.path = Path(path)
        self.run_id = run_id or f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False,
                                       isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise LedgerError(f"cannot open the LLM cache and audit log {self.path}: {exc}; "
                              "check the output folder is writable, or delete the file if it "
                              "is not an SQLite database") from exc

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def lookup(self, key: str) -> Cached | None:
        """The cached answer of a request key, if any."""
        with self._lock:
            row = self._db.execute(
                "SELECT b.text, c.model, c.mode, c.response_hash, c.prompt_tokens, "
                "c.completion_tokens FROM cache c JOIN blobs b ON b.hash = c.response_hash "
                "WHERE c.key = ?", (key,)).fetchone()
        return Cached(*row) if row else None

    def store(self, prompt_id: str, prompt_version: str, request: CompletionRequest,
              completion: Completion) -> tuple[str, str]:
        """Cache an answer; returns (request key, response hash)."""
        body = request_json(prompt_id, prompt_version, request)
        key, response_hash = sha256(body), sha256(completion.text)
        with self._lock, self._write():
            self._db.executemany("INSERT OR IGNORE INTO blobs VALUES (?, ?)",
                                 [(key, body), (response_hash, completion.text)])
            self._db.execute(
                "INSERT OR REPLACE INTO cache VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, prompt_id, prompt_version, completion.model, completion.mode,
                 response_hash, completion.prompt_tokens, completion.completion_tokens,
                 _now()))
        return key, response_hash

    def record(self, *, prompt_id: str, prompt_version: str, attempt: int, request_hash: str,
               model: str, outcome: Outcome, response_hash: str | None = None,
               mode: str | None = None, prompt_tokens: int = 0, completion_tokens: int = 0,
               latency_s: float = 0.0, cache_hit: bool = False, error: str | None = None
               ) -> AuditRow:
        """Append one attempt to the audit log."""
        row = AuditRow(self.run_id, _now(), prompt_id, prompt_version, attempt, request_hash,
                       response_hash, model, mode, prompt_tokens, completion_tokens,
                       round(latency_s, 6), cache_hit, outcome, error)
        marks = ", ".join("?" * len(fields(AuditRow)))
        with self._lock, self._write():
            self._db.execute(f"INSERT INTO calls ({_COLUMNS}) VALUES ({marks})", astuple(row))
        return row

    def audit(self, run_id: str | None = None) -> list[AuditRow]:
        """The audit rows of a run (default: this one), oldest first."""
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM calls WHERE run_id = ? ORDER BY id",
                                    (run_id or self.run_id,)).fetchall()
        return [_audit_row(row) for row in rows]

    def blob(self, digest: str) -> str | None:
        """A stored request (JSON) or answer text by its hash."""
        with self._lock:
            row = self._db.execute("SELECT text FROM blobs WHERE hash = ?", (digest,)).fetchone()
        return row[0] if row else None

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction (the caller holds the lock)."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise LedgerError(f"cannot write the LLM cache and audit log {self.path}: {exc}; "
                              "check the disk and that no other tool holds the file") from exc


def _audit_row(row: tuple[Any, ...]) -> AuditRow:
    values = dict(zip((f.name for f in fields(AuditRow)), row, strict=True))
    values["cache_hit"] = bool(values["cache_hit"])
    return AuditRow(**values)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
