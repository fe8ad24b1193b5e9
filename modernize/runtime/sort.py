"""COBOL SORT on a sort file (SD), as GnuCOBOL 3.1.2 does it.

``SORT sd ON ASCENDING|DESCENDING KEY k ... USING|INPUT PROCEDURE ... GIVING|OUTPUT
PROCEDURE``: records are RELEASEd (or read from the USING files), sorted, then RETURNed (or
written to the GIVING files). Observed with cobc:

* keys compare by value: numeric keys numerically whatever their USAGE (DISPLAY signed or
  not, SIGN SEPARATE, COMP/BINARY, COMP-5, COMP-3), so -0 equals 0; other keys (alphanumeric,
  group, numeric-edited) as bytes in the program's collating sequence (the native ASCII
  order without one); the first key decides, then the next;
* the sort is stable: records with equal keys come out in the order they went in (with or
  without WITH DUPLICATES IN ORDER; checked on 100 000 records);
* USING reads each file in turn (OPEN INPUT, READ to the end, CLOSE) and MOVEs its record
  area to the SD record (truncated or padded with spaces); GIVING writes every record to each
  file (OPEN OUTPUT, WRITE, CLOSE), MOVEd into the file's record area (truncated or padded);
  a USING file that cannot be opened gives no records, a GIVING file that cannot be opened
  gets none, nothing aborts and the files' FILE STATUS items are left unchanged;
* RETURN after the last record is AT END again (not 46), leaving the record area as it is;
* SORT-RETURN is 0 after each of these SORTs (this runtime keeps all records in memory and
  has no failure to report).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Sequence
from decimal import Decimal

from .collating import active
from .errors import CobolRuntimeError, UnsupportedError
from .fields import Item, NumericField, Value
from .files import CobolFile

log = logging.getLogger(__name__)


class SortFile:
    """An SD file: ``record`` is its record area, ``keys`` the sort keys in order, each
    ``(ascending, key field inside record)``."""

    def __init__(self, record: Item, keys: Sequence[tuple[bool, Item]]) -> None:
        if not keys:
            raise UnsupportedError("SORT without a key")
        for _, key in keys:
            if (key.buffer is not record.buffer or key.offset < record.offset
                    or key.offset + key.length > record.offset + record.length):
                raise UnsupportedError(f"sort key {key!r} is not inside the SD record")
        self.record = record
        self.keys = list(keys)
        self.sort_return = 0  # SORT-RETURN
        self._records: list[bytes] = []
        self._sorted = False
        self._next = 0
        # key fields rebound to a scratch copy of the record's buffer, to decode any record
        self._scratch = bytearray(len(record.buffer))
        self._probes: list[Item] = []
        for _, key in self.keys:
            probe = copy.copy(key)
            probe.buffer = self._scratch
            self._probes.append(probe)

    def __len__(self) -> int:
        return len(self._records)

    def release(self, *, from_: Value | None = None) -> None:
        """RELEASE record [FROM from_]: add the record area's bytes to the sort. A RELEASE
        after the records were sorted begins a new SORT."""
        if self._sorted:
            self.begin()
        if from_ is not None:
            self.record.set(from_)
        self._records.append(self.record.raw)

    def begin(self) -> None:
        """Start a SORT statement: no records yet, SORT-RETURN 0."""
        self._records = []
        self._sorted = False
        self._next = 0
        self.sort_return = 0

    def _key_values(self, data: bytes) -> list[Decimal | bytes]:
        start = self.record.offset
        self._scratch[start:start + len(data)] = data
        values: list[Decimal | bytes] = []
        sequence = active()  # the program's collating sequence orders the other keys
        for probe in self._probes:
            if isinstance(probe, NumericField):
                values.append(probe.get())
            else:
                values.append(probe.raw if sequence is None else sequence.key(probe.raw))
        return values

    def sort(self) -> None:
        """Sort the released records (stable: equal keys keep their RELEASE order)."""
        try:
            table = [(self._key_values(data), data) for data in self._records]
        except CobolRuntimeError as exc:
            raise UnsupportedError(f"a sort key cannot be decoded: {exc}") from exc
        for index in range(len(self.keys) - 1, -1, -1):
            ascending = self.keys[index][0]
            table.sort(key=lambda row, i=index: row[0][i], reverse=not ascending)
        self._records = [data for _, data in table]
        self._sorted = True
        self._next = 0
        log.debug("sorted %d records on %d keys", len(self._records), len(self.keys))

    def return_(self, *, into: Item | None = None) -> str:
        """RETURN sd [INTO into]: the next sorted record into the record area, ``"ok"``, or
        ``"at_end"`` (again and again) once all were returned."""
        if not self._sorted:
            raise CobolRuntimeError("RETURN before the records were sorted")
        if self._next >= len(self._records):
            return "at_end"
        data = self._records[self._next]
        self._next += 1
        start = self.record.offset
        self.record.buffer[start:start + len(data)] = data
        if into is not None:
            into.set(self.record)
        return "ok"

    def using(self, files: Sequence[CobolFile]) -> None:
        """SORT ... USING files: begin, then RELEASE every record of each file in turn."""
        self.begin()
        for file in files:
            with file.quiet():
                if file.open("INPUT") != "ok":
                    continue
                while file.read() == "ok":
                    self.record.set(file.record)
                    self._records.append(self.record.raw)
                file.close()
            log.debug("SORT USING %s: %d records so far", file.name, len(self._records))

    def giving(self, files: Sequence[CobolFile]) -> None:
        """SORT ... GIVING files: RETURN every sorted record, written to each file."""
        for file in files:
            self._next = 0
            with file.quiet():
                if file.open("OUTPUT") != "ok":
                    continue
                while self.return_() == "ok":
                    file.record.set(self.record)
                    file.write()
                file.close()


def sort_using_giving(sort: SortFile, using: Sequence[CobolFile],
                      giving: Sequence[CobolFile]) -> None:
    """``SORT sort ... USING using GIVING giving``."""
    sort.using(using)
    sort.sort()
    sort.giving(giving)
