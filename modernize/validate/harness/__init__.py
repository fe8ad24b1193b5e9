"""The validation harness: run the legacy COBOL and another implementation on the same
scenarios and compare what they produce (``legacy`` builds and runs with GnuCOBOL, ``compare``
judges two runs knowing COBOL record layouts)."""

from .compare import Difference, Verdict, compare
from .legacy import (
    Build,
    CobcNotFoundError,
    CompileError,
    HarnessError,
    RunResult,
    RunTimeoutError,
    Scenario,
    UnsupportedProgramError,
    build,
    parse_trace,
    run,
)
from .sandbox import SandboxUnavailableError

__all__ = [
    "Build", "CobcNotFoundError", "CompileError", "Difference", "HarnessError", "RunResult",
    "RunTimeoutError", "SandboxUnavailableError", "Scenario", "UnsupportedProgramError",
    "Verdict", "build", "compare", "parse_trace", "run",
]
