"""Helpers for benchmark scripts: run a step in a fresh process and report wall time and peak RSS.

A fresh process per measurement keeps peak-RSS figures honest (no memory left over from generating the
input or from an earlier step).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import resource
import sys
import time
from collections.abc import Callable
from typing import Any


def _child(fn: Callable[..., dict[str, Any]], args: tuple[Any, ...], queue: Any) -> None:
    start = time.perf_counter()
    extra = fn(*args)
    wall = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"wall_s": wall, "peak_rss_mb": peak_kb / 1024, **extra})


def measure(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run ``fn(*args)`` in a spawned process; ``fn`` returns extra figures to report."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, args, queue))
    proc.start()
    result: dict[str, Any] = queue.get()
    proc.join()
    if proc.exitcode != 0:
        raise RuntimeError(f"benchmark step failed with exit code {proc.exitcode}")
    return result


def baseline_rss_mb() -> float:
    """Peak RSS of a process that only imported the package: the floor under every figure."""
    return measure(_import_only)["peak_rss_mb"]


def _import_only() -> dict[str, Any]:
    import cherry_migrate.core.engine  # noqa: F401

    return {}


def emit(rows: list[dict[str, Any]]) -> None:
    json.dump(rows, sys.stdout, indent=2)
    sys.stdout.write("\n")
