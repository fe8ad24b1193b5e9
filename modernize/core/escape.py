"""Every output encoded for where it goes: HTML, JSON inside a script, Markdown, CSV.

Estate text (names, literals, file names) and model text (purposes, titles, reasons) are
hostile: a PROGRAM-ID may be ``</SCRIPT><SVG ONLOAD=…>``, a model may answer with
``[x](javascript:…)`` or ``=HYPERLINK(…)``. The writers never put such text out raw; they use
these functions, one per context:

- ``html_text``: text and attribute values in HTML;
- ``script_json``: a value as JSON inside ``<script>``, where ``</script>``, ``<!--`` and the
  line separators U+2028/U+2029 would otherwise end or break the script;
- ``md_text`` (one line, safe in a table cell or after a list marker), ``md_block`` (several
  lines), ``md_code`` (an inline code span) and ``md_fence`` (a fenced block): no raw HTML, no
  link or image syntax (so no ``javascript:`` link), no way out of a table cell or a fence;
- ``py_comment`` and ``py_docstring``: estate text in generated Python's comments and
  docstrings, which must not end them and become code;
- ``csv_cell``: a spreadsheet cannot read a cell as a formula (OWASP's CSV injection advice: a
  leading ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a ``'`` in front; plain
  numbers stay numbers);
- ``terminal_text``: a line for the terminal, where a file name's escape sequence could
  recolour, retitle or rewrite what was printed before it.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

# -- HTML ------------------------------------------------------------------------------------


def html_text(text: object) -> str:
    """``text`` for an HTML element's content or a quoted attribute value."""
    return html.escape(str(text), quote=True)


_SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                                "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(value: Any, **dumps: Any) -> str:
    """``value`` as JSON that may stand inside a ``<script>`` element as a JavaScript value."""
    return json.dumps(value, **dumps).translate(_SCRIPT_UNSAFE)


# -- Markdown --------------------------------------------------------------------------------

# Backslash escapes (CommonMark escapes any ASCII punctuation) for what starts emphasis, code,
# links, images and table cells; entities for what starts raw HTML or an autolink.
_MD_INLINE = str.maketrans({"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[",
                            "]": "\\]", "|": "\\|", "<": "&lt;", ">": "&gt;", "&": "&amp;"})
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
_BLOCK_START = re.compile(r"^(\s*)(\d*)([#+\-=~]|(?<=\d)[.)])")


def md_text(text: object) -> str:
    """``text`` as inline Markdown on one line: shown as written, never markup."""
    return _LINE_BREAKS.sub(" ", str(text)).translate(_MD_INLINE)


def md_block(text: object) -> str:
    """Several lines of ``text`` as Markdown paragraphs, shown as written."""
    lines = []
    for line in _LINE_BREAKS.sub("\n", str(text)).split("\n"):
        escaped = line.translate(_MD_INLINE)
        # a leading #, list marker, setext underline or ordered-list number would be markup
        lines.append(_BLOCK_START.sub(lambda m: m[1] + m[2] + "\\" + m[3], escaped, count=1))
    return "\n".join(lines)


def md_code(text: object, *, cell: bool = False) -> str:
    """``text`` as an inline code span on one line (CommonMark: a run of backticks longer
    than any inside it; code spans show HTML as text). In a table ``cell``, ``|`` is escaped:
    GFM splits cells on it even inside a code span."""
    text = _LINE_BREAKS.sub(" ", str(text))
    if cell:
        text = text.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if not text.strip() or text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_fence(text: object, info: str = "", indent: str = "") -> list[str]:
    """``text`` as the lines of a fenced code block that no line of it can close."""
    body = _LINE_BREAKS.sub("\n", str(text)).split("\n")
    longest = max((len(run) for line in body for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{indent}{fence}{info}", *(indent + line for line in body), f"{indent}{fence}"]


def mermaid_label(text: object) -> str:
    """``text`` inside a quoted Mermaid node label (Mermaid reads ``#quot;`` and the like)."""
    text = _LINE_BREAKS.sub(" ", str(text)).replace("#", "#35;")  # first: the codes hold '#'
    for raw, code in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("&", "#amp;"),
                      ("`", "#96;"), ("|", "#124;")):
        text = text.replace(raw, code)
    return text


# -- Python source ---------------------------------------------------------------------------

# what str.splitlines() breaks on; Python's tokenizer ends a line at a lone CR as well
_PY_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")


def py_comment(text: object) -> str:
    """``text`` for a ``#`` comment of generated code: one line, so it cannot end the
    comment and start code."""
    return _PY_LINE_BREAKS.sub(" ", str(text))


def py_docstring(text: object) -> str:
    """``text`` inside a triple-quoted docstring of generated code: one line, backslashes and
    quotes escaped, so it cannot close the string."""
    return py_comment(text).replace("\\", "\\\\").replace('"', '\\"')


# -- CSV -------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text, never evaluates; numbers are left alone.

    A carriage return becomes a line feed: the writers end rows with ``\n``, so a cell holding
    one is quoted, where a bare CR would start a new row (and a formula) in a spreadsheet."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not value.startswith(_FORMULA_START):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def csv_row(values: list[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def csv_uncell(value: str) -> str:
    """The text ``csv_cell`` protected, when a CSV the workbench wrote is read back."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_START) \
            and not _PLAIN_NUMBER.fullmatch(value[1:]):
        return value[1:]
    return value


# -- terminal --------------------------------------------------------------------------------

_TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e"
                               "\u2066-\u2069]")


def terminal_text(text: object) -> str:
    """``text`` for stdout/stderr: control characters (ESC sequences, carriage return,
    backspace, bidirectional overrides) written as ``\\xNN`` / ``\\uNNNN`` instead of acted
    on by the terminal. Newlines and tabs stay (a message may have several lines)."""
    return _TERMINAL_CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
        else f"\\u{ord(m.group()):04x}", str(text))
