"""Shared test settings."""

from __future__ import annotations

import os
import shutil

import pytest


def require_tool(name: str, *alternatives: str) -> str | None:
    """The path of a tool the tests need. Off CI a missing tool skips those tests; on CI
    (where scripts/setup installs it) it is an error, so a green CI cannot hide it."""
    for candidate in (name, *alternatives):
        found = shutil.which(candidate)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed, but CI must run these tests: scripts/setup "
                    "installs it", pytrace=False)
    return None
