"""Tests on the shared data sets (monitoring/shared_data.py) skip, saying which folder
is missing, on a machine that does not have them beside the project."""

from pathlib import Path

import pytest

from monitoring.tools.shared_data import shared_data


def _missing(path: Path) -> str:
    return f"shared test data missing: {path}"


def needs(*parts: str):
    """A skip mark for tests that read shared_data(*parts)."""
    path = shared_data(*parts)
    return pytest.mark.skipif(not path.exists(), reason=_missing(path))


def require(*parts: str) -> Path:
    """shared_data(*parts), or skip the running test when it is not there."""
    path = shared_data(*parts)
    if not path.exists():
        pytest.skip(_missing(path))
    return path
