"""libcst checks on generated modules: forbidden constructs, provenance, stamping."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from modernize.codecheck import (
    DEFAULT_ALLOWED,
    CheckReport,
    Provenance,
    check_module,
    stamp_provenance,
)

CLEAN = textwrap.dedent('''\
    """PAYROLL, translated."""

    from __future__ import annotations

    import sys
    from decimal import Decimal

    from modernize.runtime import Group, compute


    def main_line(record: Group) -> None:
        """Read, compute, write.

        Source: cobol:PAYROLL/para:0000-MAINLINE cobol/PAYROLL.cbl:40-52
        """
        total = compute(Decimal("1.5"), rounded=True)
        sys.stdout.write(str(total))
        value = getattr(record, "amount")
        del value


    class PayRecord:
        """Layout of PAY-REC."""

        def __init__(self) -> None:
            """Source: cobol:PAYROLL/data:PAY-REC cobol/PAYROLL.cbl:10-18"""
            self.name = type(self).__name__


    if __name__ == "__main__":
        main_line(PayRecord())  # type: ignore[arg-type]
        sys.exit(0)
''')


def codes(report: CheckReport) -> set[tuple[int, str]]:
    return {(p.line, p.code) for p in report.problems}


def test_clean_module_passes() -> None:
    report = check_module(CLEAN)
    assert report.ok, report.describe()
    assert report.provenance["main_line"] == [
        Provenance("cobol:PAYROLL/para:0000-MAINLINE", "cobol/PAYROLL.cbl", 40, 52)]
    assert report.provenance["PayRecord.__init__"][0].first_line == 10


@pytest.mark.parametrize(("source", "expected"), [
    ("import socket\n", {(1, "forbidden-import")}),
    ("import subprocess as sp\n\nsp.run(['ls'])\n",
     {(1, "forbidden-import"), (3, "forbidden-name")}),
    ("import os\nos.system('ls')\n", {(1, "forbidden-import"), (2, "forbidden-name")}),
    ("from os import system as run\nrun('ls')\n",
     {(1, "forbidden-import"), (2, "forbidden-name")}),
    ("from . import sibling\n", {(1, "forbidden-import")}),
    ("import ctypes.util\n", {(1, "forbidden-import")}),
    ("x = 1\neval('x')\n", {(2, "forbidden-builtin")}),
    ("exec('x = 1')\n", {(1, "forbidden-builtin")}),
    ("code = compile('1', 'f', 'eval')\n", {(1, "forbidden-builtin")}),
    ("m = __import__('os')\n", {(1, "forbidden-builtin")}),
    ("\n\nhandle = open('/etc/passwd')\n", {(3, "forbidden-builtin")}),
    ("reader = open\n", {(1, "forbidden-builtin")}),
    ("g = globals()\n", {(1, "forbidden-builtin")}),
    ("x = __builtins__\n", {(1, "forbidden-name")}),
    ("import sys\nsys.modules['os']\n", {(2, "forbidden-name")}),
    ("k = ().__class__.__subclasses__()\n", {(1, "dunder-attribute")}),
    ("def f(): pass\nf.__globals__\n", {(1, "missing-provenance"), (2, "dunder-attribute")}),
    ("name = 'x'\ngetattr(object, name)\n", {(2, "dynamic-attribute")}),
    ("setattr(object, '__class__', int)\n", {(1, "dunder-attribute")}),
    ("def para():\n    return 1\n", {(1, "missing-provenance")}),
    ("class R:\n    def m(self):\n        '''No source here.'''\n",
     {(2, "missing-provenance")}),
])
def test_forbidden_constructs_are_flagged_with_lines(source: str,
                                                     expected: set[tuple[int, str]]) -> None:
    report = check_module(source)
    assert not report.ok
    assert codes(report) == expected, report.describe()


def test_a_shadowed_builtin_is_not_the_builtin() -> None:
    source = "from modernize.runtime import field as open\n\nopen\n"
    assert check_module(source).ok


def test_allowed_imports_can_be_widened_but_dangerous_names_stay_forbidden() -> None:
    source = "import os.path\n\nos.path.join('a', 'b')\nos.system('ls')\n"
    report = check_module(source, allowed_imports=DEFAULT_ALLOWED | {"os.path"})
    assert codes(report) == {(4, "forbidden-name")}


FILE_IO = textwrap.dedent('''\
    """A translation that opens its DD file itself instead of through CobolFile."""

    import io


    def main() -> int:
        """Source: cobol:PRICER/para:0000-MAIN PRICER.cbl:28-38"""
        with io.FileIO("ORDERSIN", "r") as orders:
            return len(orders.readall())
''')


def test_file_io_outside_the_runtime_is_refused_even_when_io_is_allowed() -> None:
    report = check_module(FILE_IO, allowed_imports=DEFAULT_ALLOWED | {"io"})
    assert codes(report) == {(8, "forbidden-name")}, report.describe()
    assert "use of io.FileIO is not allowed" in report.describe()
    # without the allowance the import is refused as well
    assert codes(check_module(FILE_IO)) == {(3, "forbidden-import"), (8, "forbidden-name")}


@pytest.mark.parametrize(("source", "expected"), [
    ("import io\nio.open('x')\n", {(2, "forbidden-name")}),
    ("import io\nio.open_code('x')\n", {(2, "forbidden-name")}),
    ("import io as stream\n\nstream.FileIO('x', 'w')\n", {(3, "forbidden-name")}),
    ("import io\nwriter: io.FileIO | None = None\n", {(2, "forbidden-name")}),
    ("from io import FileIO\n", {(1, "forbidden-import")}),
    ("from io import FileIO as Raw\nRaw('x')\n", {(1, "forbidden-import"), (2, "forbidden-name")}),
    ("from io import open_code\n", {(1, "forbidden-import")}),
    ("from io import *\n", {(1, "forbidden-import")}),
    ("import _io\n_io.FileIO('x')\n", {(1, "forbidden-import"), (2, "forbidden-name")}),
    ("from _io import FileIO\n", {(1, "forbidden-import")}),
    ("import _pyio\n", {(1, "forbidden-import")}),
    ("import os\nos.fdopen(3, 'wb')\n", {(2, "forbidden-name")}),
    ("from os import fdopen\n", {(1, "forbidden-import")}),
    ("import codecs\ncodecs.open('x')\n", {(2, "forbidden-name")}),
])
def test_every_way_to_the_io_file_classes_is_refused(source: str,
                                                     expected: set[tuple[int, str]]) -> None:
    allowed = DEFAULT_ALLOWED | {"io", "_io", "_pyio", "os", "codecs"}
    report = check_module(source, allowed_imports=allowed)
    assert codes(report) == expected, report.describe()


def test_in_memory_streams_and_the_runtime_file_layer_are_fine() -> None:
    source = ("import io\nfrom io import BytesIO\n\nfrom modernize.runtime.files import "
              "CobolFile\nfrom modernize.runtime.translated import *\n\nio.StringIO()\n"
              "BytesIO()\nCobolFile\n")
    assert check_module(source, allowed_imports=DEFAULT_ALLOWED | {"io"}).ok

def test_syntax_error_is_a_problem_not_an_exception() -> None:
    report = check_module("x = 1\ndef broken(:\n    pass\n")
    assert [(p.line, p.code) for p in report.problems] == [(2, "syntax-error")]


def test_provenance_can_be_switched_off() -> None:
    assert check_module("def f():\n    return 1\n", require_provenance=False).ok


UNSTAMPED = textwrap.dedent('''\
    """Module."""

    from modernize.runtime import Group


    def first(record: Group) -> int:  # a comment that must stay
        return 1


    def second(): pass


    class Layout:
        """A layout."""

        def read(self) -> None:
            \'\'\'Read one record.\'\'\'

            def helper() -> None:
                pass

        def write(self) -> None:
            """Write one record.

            More words.
            """
''')

STAMPS = {
    "first": Provenance("cobol:P/para:FIRST", "cobol/P.cbl", 10, 12),
    "second": Provenance("cobol:P/para:SECOND", "cobol/P.cbl", 13, 20),
    "Layout.read": Provenance("cobol:P/data:REC", "cobol/P.cbl", 3, 8),
    "Layout.write": Provenance("cobol:P/data:REC OUT", "cobol/P.cbl", 3, 9),
}


def test_stamping_adds_provenance_and_then_checks_pass() -> None:
    assert {p.code for p in check_module(UNSTAMPED).problems} == {"missing-provenance"}
    stamped = stamp_provenance(UNSTAMPED, STAMPS)
    report = check_module(stamped)
    assert report.ok, report.describe()
    assert {name: values[0] for name, values in report.provenance.items()} == STAMPS
    assert "# a comment that must stay" in stamped
    assert '"""Source: cobol:P/para:FIRST cobol/P.cbl:10-12"""' in stamped
    assert "'''Read one record.\n\n        Source: cobol:P/data:REC cobol/P.cbl:3-8\n" in stamped
    assert "More words.\n\n        Source: cobol:P/data:REC OUT cobol/P.cbl:3-9\n" in stamped
    cst.parse_module(stamped)  # still valid Python


def test_stamping_is_idempotent_and_replaces_old_provenance() -> None:
    once = stamp_provenance(UNSTAMPED, STAMPS)
    assert stamp_provenance(once, STAMPS) == once
    moved = Provenance("cobol:P/para:FIRST", "cobol/P.cbl", 100, 120)
    again = stamp_provenance(once, {"first": moved})
    assert check_module(again).provenance["first"] == [moved]
    assert again.count("Source: cobol:P/para:FIRST") == 1
    assert stamp_provenance(again, STAMPS) == once


def test_stamping_several_spans_and_unknown_functions() -> None:
    spans = [Provenance("cobol:P/para:A", "cobol/P.cbl", 1, 2),
             Provenance("cobol:P/para:B", "cobol/P.cbl", 3, 4)]
    stamped = stamp_provenance("def f():\n    return 1\n", {"f": spans})
    assert check_module(stamped).provenance["f"] == spans
    with pytest.raises(KeyError, match="nowhere"):
        stamp_provenance(UNSTAMPED, {"nowhere": spans[0]})


def test_provenance_values_are_validated() -> None:
    with pytest.raises(ValueError):
        Provenance("cobol:P", "path with space.cbl", 1, 2)
    with pytest.raises(ValueError):
        Provenance("cobol:P", "p.cbl", 5, 2)
    assert Provenance.parse("Source: cobol:P/para:X p.cbl:1-2") == Provenance(
        "cobol:P/para:X", "p.cbl", 1, 2)
    assert Provenance.parse("Source: nothing useful") is None
