"""Progress and timings: a bar with an ETA when stderr is a terminal, the plain ``[i/total]``
lines elsewhere, nothing with --quiet; ``run`` ends with each stage's wall time."""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import modernize.cli
from modernize.cli import main, stage_timings
from modernize.core.progress import Bar

SAMPLES = Path(__file__).resolve().parent.parent / "legacy_samples"

PROGRAM = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. {name}.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-N                    PIC 9(4) VALUE 0.
       PROCEDURE DIVISION.
       0000-MAIN.
           ADD 1 TO WS-N
           DISPLAY WS-N
           STOP RUN.
"""


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "cobol").mkdir(parents=True)
    for name in ("ONEPGM", "TWOPGM", "THREEPGM"):
        (root / f"cobol/{name}.cbl").write_text(PROGRAM.format(name=name))
    return root


def _frames(text: str) -> list[str]:
    """What a terminal showed, one redraw of the bar per item."""
    return [frame.strip() for frame in re.split(r"[\r\n]", text) if frame.strip()]


# --------------------------------------------------------------------------- the bar


def test_a_terminal_gets_a_bar_with_an_eta_that_ends_full() -> None:
    tty = Terminal()
    with Bar("analysis", unit="file", stream=tty, lines=True) as bar:
        for index, name in enumerate(["a.cbl", "b.cbl", "c.cbl", "d.cbl"], start=1):
            bar(name, index, 4)
    frames = _frames(tty.getvalue())
    assert all(frame.startswith("analysis:") for frame in frames), frames
    # elapsed<remaining once an item is done: the ETA
    assert any(re.search(r"1/4 \[\d\d:\d\d<\d\d:\d\d, .*file/s, b\.cbl\]", f) for f in frames)
    assert "100%" in frames[-1] and "4/4" in frames[-1]
    assert "[1/4]" not in tty.getvalue()  # no plain lines on a terminal


def test_elsewhere_the_plain_lines_or_nothing() -> None:
    plain = io.StringIO()
    with Bar("analysis", stream=plain, lines=True) as bar:
        for index, name in enumerate(["a.cbl", "b.cbl"], start=1):
            bar(name, index, 2)
    assert plain.getvalue() == "[1/2] a.cbl\n[2/2] b.cbl\n"
    silent = io.StringIO()
    with Bar("translation", stream=silent) as bar:
        bar("A", 1, 1)
    assert silent.getvalue() == ""


def test_quiet_draws_nothing_even_on_a_terminal() -> None:
    tty = Terminal()
    with Bar("validation", stream=tty, quiet=True, lines=True) as bar:
        bar("A", 1, 2)
        bar.message("A scenario-1: equivalent")
        bar("B", 2, 2)
    assert not bar.drawn
    assert tty.getvalue() == ""


def test_a_message_goes_above_the_bar() -> None:
    tty = Terminal()
    with Bar("validation", unit="program", stream=tty) as bar:
        bar("A", 1, 2)
        bar.message("A scenario-1: equivalent")
        bar("B", 2, 2)
    text = tty.getvalue()
    assert "A scenario-1: equivalent\n" in text
    # the bar is drawn again after the line, on its own
    after = text.split("A scenario-1: equivalent\n", 1)[1]
    assert "validation:" in after and "2/2" in after


# --------------------------------------------------------------------------- the commands


def test_run_ends_with_each_stage_time_after_the_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["run", str(SAMPLES), "--out", str(tmp_path / "out"),
                                       "--no-validate"])
    assert result.exit_code == 0, result.output
    stdout = result.stdout
    summary = stdout.index("\nsummary\n")
    assert "programs 10, translated 9" in stdout[summary:]
    last = stdout.rstrip("\n").splitlines()[-1]
    assert re.fullmatch(r"time: analysis \d+\.\d s, documents \d+\.\d s, "
                        r"translation \d+\.\d s", last), last
    assert stdout.index("time: ") > summary
    # not a terminal: the analysis lines as before, no bar
    assert "[10/10] " in result.stderr and "%|" not in result.stderr


def test_stage_timings_line() -> None:
    assert stage_timings({"analysis": 2.06, "documents": 0.8, "translation": 3.0,
                          "validation": 41.24}) == \
        "time: analysis 2.1 s, documents 0.8 s, translation 3.0 s, validation 41.2 s"


def test_the_commands_draw_bars_on_a_terminal(repo: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    tty = Terminal()
    monkeypatch.setattr(modernize.cli, "Bar", functools.partial(Bar, stream=tty))
    result = CliRunner().invoke(main, ["run", str(repo), "--out", str(tmp_path / "out"),
                                       "--no-validate"])
    assert result.exit_code == 0, result.output
    frames = _frames(tty.getvalue())
    analysis = [f for f in frames if f.startswith("analysis:")]
    translation = [f for f in frames if f.startswith("translation:")]
    assert "3/3" in analysis[-1] and "file/s" in analysis[-1]
    assert "3/3" in translation[-1] and "program/s" in translation[-1]
    assert any("THREEPGM" in f for f in translation)  # the program being translated
    assert "[1/3]" not in result.stderr  # the bar instead of the lines
    assert re.search(r"^time: analysis .+ s$", result.stdout, re.MULTILINE)


def test_run_quiet_prints_nothing_even_on_a_terminal(repo: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    tty = Terminal()
    monkeypatch.setattr(modernize.cli, "Bar", functools.partial(Bar, stream=tty))
    result = CliRunner().invoke(main, ["run", str(repo), "--out", str(tmp_path / "out"),
                                       "--no-validate", "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""
    assert tty.getvalue() == ""
    assert (tmp_path / "out/code/translation.json").is_file()


def test_file_names_reach_the_terminal_with_their_control_characters_escaped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file name is estate text: one holding ESC sequences, a carriage return or a bidi
    override must not recolour, retitle or overwrite the lines it is printed on."""
    root = tmp_path / "repo"
    (root / "cobol").mkdir(parents=True)
    hostile = "PAY\x1b]0;owned\x07\x1b[2J\rROLL\u202e.cbl"
    (root / "cobol" / hostile).write_text(PROGRAM.format(name="PAYROLL"))
    plain = CliRunner().invoke(main, ["analyze", str(root), "--out", str(tmp_path / "a")])
    assert plain.exit_code == 0, plain.output
    shown = plain.stderr + plain.stdout
    assert "\x1b" not in shown and "\r" not in shown and "\u202e" not in shown
    assert "PAY\\x1b]0;owned\\x07\\x1b[2J\\x0dROLL\\u202e.cbl" in plain.stderr  # [1/1] line
    tty = Terminal()
    monkeypatch.setattr(modernize.cli, "Bar", functools.partial(Bar, stream=tty))
    drawn = CliRunner().invoke(main, ["analyze", str(root), "--out", str(tmp_path / "b")])
    assert drawn.exit_code == 0, drawn.output
    assert "\x1b]0;owned" not in tty.getvalue() and "\x1b[2J" not in tty.getvalue()
    assert "\\x1b]0;owned" in tty.getvalue()
