"""Reading loosely typed legacy values: each helper returns the value in the expected type, or None.

Legacy Redux and Dexie records are plain JSON written by several app versions; a field may be missing,
``null``, or of another type than its declaration says. Mappings use these helpers so that a wrong type
becomes an absent value instead of an exception.
"""

from __future__ import annotations

import math
from typing import Any


def opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def nonblank_str(value: object) -> str | None:
    """The string itself (not stripped) when it has non-whitespace content."""
    return value if isinstance(value, str) and value.strip() else None


def opt_bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def opt_flag(value: object) -> int | None:
    """A boolean as the 0/1 stored in integer columns."""
    return int(value) if isinstance(value, bool) else None


def opt_number(value: object) -> float | int | None:
    """A finite int or float (booleans are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def opt_int(value: object) -> int | None:
    """An integer, also from a float that holds a whole number (JSON has one number type)."""
    number = opt_number(value)
    if number is None:
        return None
    if isinstance(number, float):
        return int(number) if number.is_integer() else None
    return number


def opt_dict(value: object) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def opt_list(value: object) -> list[Any] | None:
    return value if isinstance(value, list) else None


def opt_str_list(value: object) -> list[str] | None:
    """A list of strings; other entries are dropped. None when the value is not a list."""
    if not isinstance(value, list):
        return None
    return [item for item in value if isinstance(item, str)]


def opt_str_dict(value: object) -> dict[str, str] | None:
    """A mapping of strings to strings (environment variables, HTTP headers); other entries dropped."""
    if not isinstance(value, dict):
        return None
    return {key: item for key, item in value.items() if isinstance(key, str) and isinstance(item, str)}
