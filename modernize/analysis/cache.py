"""The analysis cache: results keyed by content hashes, in plain JSON files under one folder.

- ``inventory.json``: the last scan, so unchanged files are not decoded and classified again;
- ``programs/<hash of path>.json``: the models of one source file's programs, with the key
  they were made under and the hashes of the copybooks they used;
- ``estate.json``: the whole last estate, reused as it is when no input changed at all.

A missing, unreadable or stale entry is a miss, never an error. ``AnalysisCache(None)`` is a
cache that never hits and stores nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from ..core.model import Estate, Inventory, Program, SourceFile
from ..core.outputs import atomic_write

M = TypeVar("M", bound=BaseModel)


class _ProgramEntry(BaseModel):
    key: str
    deps: dict[str, str]  # copybook path → the sha256 it had
    programs: list[Program]  # every program of the source file


class AnalysisCache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _read(self, name: str, model: type[M]) -> M | None:
        if self.folder is None:
            return None
        try:
            return model.model_validate_json((self.folder / name).read_bytes())
        except (OSError, ValueError):
            return None

    def _write(self, name: str, payload: bytes | Iterable[bytes]) -> None:
        if self.folder is None:
            return
        target = self.folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, payload)  # never half an entry

    def known_files(self) -> dict[str, SourceFile]:
        inventory = self._read("inventory.json", Inventory)
        return {f.path: f for f in inventory.files} if inventory else {}

    def store_inventory(self, inventory: Inventory) -> None:
        self._write("inventory.json", inventory.model_dump_json().encode("utf-8"))

    def estate(self, digest: str) -> Estate | None:
        """The whole previous analysis, when every input is byte for byte the same."""
        estate = self._read("estate.json", Estate)
        return estate if estate is not None and estate.input_digest == digest else None

    def store_estate(self, estate: Estate,
                     text_of: Callable[[Program], bytes] = Program.document_text) -> None:
        """Store the whole estate, written piece by piece: the estate without its programs,
        then each program's text as ``text_of`` gives it (by default dumped here; the output
        stage gives the text it staged), so the estate is never held as one string (a
        million lines' is half a gigabyte) nor dumped a second time."""
        if self.folder is None:
            return
        shell = estate.model_copy(update={"programs": ()}).model_dump_json()
        empty = '"programs":[]'
        if shell.count(empty) != 1:  # not a layout this knows: the whole estate, dumped
            self._write("estate.json", estate.model_dump_json().encode("utf-8"))
            return
        head, tail = shell.split(empty)

        def pieces() -> Iterator[bytes]:
            yield (head + '"programs":[').encode("utf-8")
            for index, program in enumerate(estate.programs):
                if index:
                    yield b","
                yield text_of(program)
            yield ("]" + tail).encode("utf-8")

        self._write("estate.json", pieces())

    @staticmethod
    def _program_file(path: str) -> str:
        return f"programs/{hashlib.sha256(path.encode()).hexdigest()[:32]}.json"

    def programs(self, path: str, key: str, shas: dict[str, str]) -> list[Program] | None:
        entry = self._read(self._program_file(path), _ProgramEntry)
        if entry is None or entry.key != key:
            return None
        if any(shas.get(dep) != sha for dep, sha in entry.deps.items()):
            return None  # a copybook it uses changed
        return entry.programs

    def store_programs(self, path: str, key: str, programs: list[Program],
                       shas: dict[str, str], texts: Sequence[bytes]) -> None:
        """Store one source file's ``programs``, given as their ``texts`` too (each its
        :meth:`~Program.document_text`, as model.json holds it: the entry is written from
        them rather than from a second dump of every program)."""
        if self.folder is None:
            return
        if len(texts) != len(programs):
            raise ValueError(f"{len(texts)} texts given for {len(programs)} programs")
        deps = {u.path: shas.get(u.path, "") for p in programs for u in p.copybook_uses
                if u.path}
        head = f'{{"key": {json.dumps(key)}, "deps": {json.dumps(deps)}, "programs": ['
        self._write(self._program_file(path),
                    b"".join((head.encode("utf-8"), b",".join(texts), b"]}")))
