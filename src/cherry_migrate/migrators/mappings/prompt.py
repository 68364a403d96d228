"""Field rules for v1 quick phrases and topic prompts → ``prompt`` rows (migrators.md §3.16, upstream
README-PromptMigrator and the v2 prompt field schemas).

Lengths are counted in UTF-16 code units, as v2's JavaScript validation counts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cherry_migrate.core.timestamps import to_epoch_ms

PROMPT_TITLE_MAX = 256
PROMPT_CONTENT_MAX = 100_000
UNTITLED = "Untitled"

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def utf16_length(text: str) -> int:
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def prompt_title(value: object, fallback: str = UNTITLED) -> str:
    """Trimmed and cut to the v2 limit (never inside a surrogate pair); blank or missing → ``fallback``."""
    title = value.strip() if isinstance(value, str) else ""
    if not title:
        title = fallback
    if utf16_length(title) <= PROMPT_TITLE_MAX:
        return title
    kept, units = [], 0
    for char in title:
        units += 2 if ord(char) > 0xFFFF else 1
        if units > PROMPT_TITLE_MAX:
            break
        kept.append(char)
    return "".join(kept).rstrip() or fallback


def content_problem(value: object) -> str | None:
    """Why ``value`` cannot be a prompt's content (a reason code), or None when it can."""
    if value is None or value == "":
        return "empty_content"
    if not isinstance(value, str):
        return "invalid_content"
    if utf16_length(value) > PROMPT_CONTENT_MAX:
        return "content_too_long"
    return None


@dataclass(frozen=True)
class Timestamps:
    created_at: int
    updated_at: int


def prompt_timestamps(created: object, updated: object, now_ms: int) -> Timestamps:
    """Each valid value is kept; a missing one borrows the other, and both missing means now."""
    created_ms = to_epoch_ms(created)
    updated_ms = to_epoch_ms(updated)
    created_at = created_ms or updated_ms or now_ms
    return Timestamps(created_at=created_at, updated_at=updated_ms or created_at)
