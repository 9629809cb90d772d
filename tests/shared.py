"""The one way tests skip when a shared data set is missing: tests on the shared data
sets (monitoring/tools/shared_data.py) skip, saying which folder is missing, on a
machine that does not have them beside the project."""

from pathlib import Path

import pytest

from monitoring.tools.shared_data import shared_data


def _missing(path: Path) -> str:
    return f"shared test data missing: {path}"


def _path(parts: tuple) -> Path:
    # One Path: a data set an environment variable can move (SENTIMENT_DATA).
    if len(parts) == 1 and isinstance(parts[0], Path):
        return parts[0]
    return shared_data(*parts)


def needs(*parts: str | Path):
    """A skip mark for tests that read shared_data(*parts) (or the one Path given)."""
    path = _path(parts)
    return pytest.mark.skipif(not path.exists(), reason=_missing(path))


def require(*parts: str | Path) -> Path:
    """shared_data(*parts) (or the one Path given), or skip the running test when it
    is not there."""
    path = _path(parts)
    if not path.exists():
        pytest.skip(_missing(path))
    return path
