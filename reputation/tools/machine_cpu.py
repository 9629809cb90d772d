"""CPU the whole machine and PostgreSQL's processes spent, read from /proc (Linux).

A benchmark's workers report their own CPU; beside them on the same cores run
PostgreSQL's backends and the server the benchmark fetches from. Readings are
cumulative seconds; a figure is the difference of two. On a system without /proc
every reading is None and the benchmark says so instead of a figure.
"""

import os
from pathlib import Path

PROC = Path("/proc")


def _ticks() -> int:
    return os.sysconf("SC_CLK_TCK")


def busy_seconds() -> float | None:
    """Seconds all cores together spent on anything but idling, since boot."""
    try:
        fields = (PROC / "stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    # cpu user nice system idle iowait irq softirq steal ...
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[1:9])
    return (user + nice + system + irq + softirq + steal) / _ticks()


def postgres_seconds() -> float | None:
    """Seconds PostgreSQL's processes ran: each live one's own time, plus the time of
    its ended children (the postmaster's children are the backends of connections
    already closed), so that a backend that exits between two readings still counts."""
    if not (PROC / "stat").exists():
        return None
    total = 0
    for stat in PROC.glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # ended while being read
            continue
        name, _, rest = text.rpartition(")")
        if not name.endswith("(postgres"):
            continue
        fields = rest.split()
        # After the name: state, ppid, ..., utime (14th field of the line), stime,
        # cutime, cstime: here offsets 11 to 14.
        total += sum(int(v) for v in fields[11:15])
    return total / _ticks()
