# SPDX-License-Identifier: Apache-2.0
# Where the source and build trees are: ROUTERD_SOURCE_DIR / ROUTERD_BUILD_DIR (set by ctest).
"""ctest's routerd_pytest() exports both variables; a developer running pytest by hand gets
defaults (the source tree this file lives in, and its build/ folder) so the lab works either way."""

from __future__ import annotations

import os
from pathlib import Path


def source_dir() -> Path:
    """The repository root: $ROUTERD_SOURCE_DIR, else three levels above this package."""
    env = os.environ.get("ROUTERD_SOURCE_DIR")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[3]


def build_dir() -> Path:
    """The CMake build tree: $ROUTERD_BUILD_DIR, else <source>/build. Not checked for existence:
    callers that need a binary use build_path(), which does."""
    env = os.environ.get("ROUTERD_BUILD_DIR")
    if env:
        return Path(env).resolve()
    return source_dir() / "build"


def build_path(*parts: str) -> Path:
    """A file inside the build tree (e.g. build_path("router", "daemon", "routerd")); raises
    FileNotFoundError naming the variable to set when it is missing."""
    p = build_dir().joinpath(*parts)
    if not p.exists():
        raise FileNotFoundError(f"{p} does not exist (build first, or set ROUTERD_BUILD_DIR)")
    return p
