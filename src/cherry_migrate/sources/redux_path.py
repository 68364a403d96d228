"""Dot-path lookup inside a Redux slice, with upstream's ReduxStateReader semantics."""

from __future__ import annotations

from typing import Any


def lookup_path(data: Any, path: str) -> Any:
    """Walk ``a.b.c`` through nested objects; a numeric segment indexes a list. Anything that is not a
    container on the way gives None (never an exception)."""
    if data is None:
        return None
    current = data
    for segment in path.split("."):
        if isinstance(current, dict):
            current = current.get(segment)
        elif isinstance(current, list) and segment.isdigit():
            index = int(segment)
            current = current[index] if index < len(current) else None
        else:
            return None
        if current is None:
            return None
    return current
