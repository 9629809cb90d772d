"""The safe network backend relies on httpx's private `transport._pool`: both httpx
and httpcore must be pinned to minor versions where it holds, and it must hold."""

import re
import tomllib
from pathlib import Path

import httpcore
import httpx

from monitoring.net import fetch

ROOT = Path(__file__).resolve().parents[2]


def _spec(name: str) -> str:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return next(d for d in deps if re.match(rf"{name}[<>=]", d))


def test_it_pins_httpx_and_httpcore_below_their_next_minor_versions():
    assert "<0.29" in _spec("httpx")
    assert "<1.1" in _spec("httpcore")


def test_it_connects_through_the_guarded_backend():
    transport = fetch._PerHostTransport(allow_private=False, per_host=2)
    inner = transport._for(httpx.URL("https://example.org/"))
    assert isinstance(inner._pool, httpcore.AsyncConnectionPool)
    assert inner._pool._network_backend is transport.backend
