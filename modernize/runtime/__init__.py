"""A runtime for COBOL data semantics, the base that translated programs run on.

Records are ``bytearray`` s holding exactly the bytes GnuCOBOL 3.1.2 (``cobc -x``, default
configuration, ASCII, Linux) holds; items are views over them (:mod:`.fields`); numeric
encodings are in :mod:`.encoding`, numeric editing in :mod:`.editing`, COMPUTE with ROUNDED and
ON SIZE ERROR in :mod:`.arithmetic`, level-88 conditions in :mod:`.conditions`, figurative
constants in :mod:`.figurative`. Standard library only; arithmetic in ``decimal``.
"""

from .arithmetic import CONTEXT, add, compute, subtract
from .conditions import Condition
from .editing import de_edit, edit
from .errors import BoundsError, CobolRuntimeError, UnsupportedError
from .fields import (
    AlphanumericField,
    EditedField,
    Field,
    Group,
    Item,
    NumericField,
    Table,
    field,
)
from .figurative import ALL, HIGH_VALUES, LOW_VALUES, QUOTES, SPACES, ZEROS, Figurative

__all__ = [
    "ALL", "CONTEXT", "HIGH_VALUES", "LOW_VALUES", "QUOTES", "SPACES", "ZEROS",
    "AlphanumericField", "BoundsError", "CobolRuntimeError", "Condition", "EditedField",
    "Field", "Figurative", "Group", "Item", "NumericField", "Table", "UnsupportedError", "add",
    "compute", "de_edit", "edit", "field", "subtract",
]
