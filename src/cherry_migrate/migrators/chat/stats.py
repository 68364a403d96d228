"""``message.stats``: v1 ``usage`` (tokens, cost) and ``metrics`` (timings) merged into one object.

Key names as upstream's ``mergeStats``; only finite numbers are carried (v1 wrote ``null`` for
NaN, and some providers sent strings). Other usage fields (``*_tokens_details``) are not carried.
"""

from __future__ import annotations

import math
from typing import Any

_USAGE_KEYS = (
    ("prompt_tokens", "promptTokens"),
    ("completion_tokens", "completionTokens"),
    ("total_tokens", "totalTokens"),
    ("thoughts_tokens", "thoughtsTokens"),
    ("cost", "cost"),
)
_METRICS_KEYS = (
    ("time_first_token_millsec", "timeFirstTokenMs"),
    ("time_completion_millsec", "timeCompletionMs"),
    ("time_thinking_millsec", "timeThinkingMs"),
)


def merge_stats(usage: Any, metrics: Any) -> dict[str, int | float] | None:
    """The merged stats, or None when neither object holds a usable number."""
    stats: dict[str, int | float] = {}
    for source, keys in ((usage, _USAGE_KEYS), (metrics, _METRICS_KEYS)):
        if not isinstance(source, dict):
            continue
        for legacy, target in keys:
            value = finite_number(source.get(legacy))
            if value is not None:
                stats[target] = value
    return stats or None


def finite_number(value: Any) -> int | float | None:
    """``value`` when it is a finite int or float (not a bool); integral floats become ints."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if value.is_integer():
            return int(value)
    return value
