"""Everything a translated program imports, from one place.

Generated modules import their names from here (``from modernize.runtime.translated import
...``), so the translator has one module to keep in step with the runtime and codecheck one
import to allow.
"""

from decimal import Decimal

from .arithmetic import add, compute, evaluate, quotient, subtract, value_of
from .collating import EBCDIC, alphabet, also, thru
from .compare import (
    compare,
    is_alphabetic,
    is_alphabetic_lower,
    is_alphabetic_upper,
    is_class,
    is_negative,
    is_numeric,
    is_positive,
    is_zero,
)
from .conditions import Condition, set_switch, switch_status
from .display import display
from .errors import UnsupportedError
from .fields import (
    Field,
    Group,
    IndexName,
    Item,
    alphanumeric_field,
    edited_field,
    field,
    held_number,
    numeric_field,
)
from .figurative import ALL, HIGH_VALUES, LOW_VALUES, QUOTES, SPACES, ZEROS
from .files import CobolFile
from .intrinsics import call_function
from .program import (
    CachedTable,
    CyclePerform,
    EndOf,
    ExitPerform,
    NextSentence,
    Program,
    Record,
    UnsupportedItem,
    as_item,
    by_content,
    depending,
    divide_remainder,
    index,
    initialize,
    main,
    number,
    power,
    program,
    program_not_found,
    sign,
)
from .sort import SortFile
from .sql import HostVar, SqlSession
from .strings import (
    Delimited,
    Region,
    Replace,
    Tally,
    UnstringInto,
    inspect_converting,
    inspect_replacing,
    inspect_tallying,
    string_into,
    unstring,
)
from .terminal import accept_command_line, accept_environment, accept_from, accept_line

__all__ = [
    "ALL", "EBCDIC", "HIGH_VALUES", "LOW_VALUES", "QUOTES", "SPACES", "ZEROS", "CachedTable",
    "alphabet", "also", "thru",
    "CobolFile", "Condition", "CyclePerform", "Decimal", "Delimited", "EndOf", "ExitPerform",
    "Field", "Group", "HostVar", "IndexName", "Item", "NextSentence", "held_number",
    "Program", "Record", "Region", "Replace", "SortFile", "SqlSession", "Tally", "UnstringInto",
    "UnsupportedError", "UnsupportedItem", "accept_command_line", "accept_environment",
    "accept_from", "accept_line", "add", "as_item", "by_content", "call_function", "compare",
    "compute", "depending", "display", "divide_remainder", "evaluate", "field", "index",
    "alphanumeric_field", "edited_field", "numeric_field",
    "initialize",
    "inspect_converting", "inspect_replacing", "inspect_tallying", "is_alphabetic",
    "is_alphabetic_lower", "is_alphabetic_upper", "is_class", "is_negative", "is_numeric",
    "is_positive", "is_zero", "main", "number", "power", "program", "program_not_found",
    "quotient", "set_switch", "sign", "string_into", "subtract", "switch_status", "unstring",
    "value_of",
]
