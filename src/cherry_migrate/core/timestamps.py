"""Legacy timestamps come as ISO strings (``toJSON`` of a Date), as epoch ms numbers, or as numeric
strings. Everything in the target is integer ms since the epoch."""

from __future__ import annotations

import math
from datetime import UTC, datetime

_SECONDS_THRESHOLD = 100_000_000_000
"""Below this a number is taken as seconds, not ms (1973-03-03 in ms; year 5138 in seconds)."""


def to_epoch_ms(value: object) -> int | None:
    """The timestamp as integer ms, or None when it is absent or cannot be read as a time."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value) or value <= 0:
            return None
        return int(value * 1000) if value < _SECONDS_THRESHOLD else int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        # ``float`` never accepts a colon, and ISO times (the common case) always have one: they
        # skip the failed ``float`` call, whose exception costs more than the ISO parse itself.
        if ":" not in text:
            try:
                return to_epoch_ms(float(text))
            except ValueError:
                pass
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return int(parsed.timestamp() * 1000)
    return None
