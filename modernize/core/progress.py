"""Progress of a long stage on stderr, for the command line: a bar with an ETA (tqdm) when
stderr is a terminal; otherwise, for logs, CI and tests, the plain ``[i/total] item`` lines a
stage asks for (or nothing); with ``--quiet``, nothing at all.

tqdm is imported in this module only. The library stages do not use it: they take a
``progress(item, index, total)`` callback (called before item ``index`` of ``total``,
counting from 1), and a :class:`Bar` is one. Items are estate file and program names: they are
written with their control characters escaped (``terminal_text``).
"""

from __future__ import annotations

import contextlib
import sys
from types import TracebackType
from typing import Any, TextIO

from .escape import terminal_text


class Bar:
    """One stage's progress: ``bar(item, index, total)`` before each item, ``close()`` (or the
    end of a ``with`` block) when the stage is done, which draws the bar full."""

    def __init__(self, what: str, *, unit: str = "item", quiet: bool = False,
                 lines: bool = False, stream: TextIO | None = None) -> None:
        self.what = what
        self.unit = unit
        self.quiet = quiet
        self.lines = lines
        self.stream = sys.stderr if stream is None else stream
        self._bar: Any = None  # the tqdm bar, once the first item arrives on a terminal
        self._redirect = contextlib.ExitStack()

    @property
    def drawn(self) -> bool:
        """Whether this stage shows a bar: stderr is a terminal and not --quiet."""
        if self.quiet:
            return False
        isatty = getattr(self.stream, "isatty", None)
        try:
            return bool(isatty and isatty())
        except (OSError, ValueError):  # a closed or odd stream: no bar
            return False

    def __call__(self, item: str, index: int, total: int) -> None:
        if self.quiet:
            return
        if not self.drawn:
            if self.lines:
                self._write(f"[{index}/{total}] {item}")
            return
        if self._bar is None:
            self._start(total)
        bar = self._bar
        if bar.total != total:
            bar.total = total
        bar.n = max(index - 1, 0)  # items done before this one
        bar.set_postfix_str(terminal_text(item), refresh=False)
        bar.refresh()

    def message(self, text: str) -> None:
        """A line of its own (say, one scenario's verdict), above the bar when there is one;
        nothing with --quiet."""
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.write(terminal_text(text), file=self.stream)
        else:
            self._write(text)

    def close(self) -> None:
        if self._bar is not None:
            bar, self._bar = self._bar, None
            bar.n = bar.total or bar.n
            bar.set_postfix_str("", refresh=False)
            bar.refresh()
            bar.close()
        self._redirect.close()

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _start(self, total: int) -> None:
        from tqdm import tqdm
        from tqdm.contrib.logging import logging_redirect_tqdm

        # log records (warnings about one program) go above the bar, not through it
        self._redirect.enter_context(logging_redirect_tqdm())
        self._bar = tqdm(total=total, desc=self.what, unit=self.unit, file=self.stream,
                         leave=False, dynamic_ncols=True, mininterval=0.2, disable=False)

    def _write(self, text: str) -> None:
        self.stream.write(terminal_text(text) + "\n")
        self.stream.flush()
