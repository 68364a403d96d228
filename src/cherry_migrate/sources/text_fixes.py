"""Lone UTF-16 surrogates: JavaScript strings may hold them, UTF-8 and SQLite cannot.

``JSON.stringify`` writes a lone surrogate as a ``\\udXXX`` escape. We replace each one with U+FFFD
(the Unicode replacement character) and count the replacements so the run can report them, rather
than letting a parser silently turn them into '?' or the database refuse the text.
"""

from __future__ import annotations

import re
from typing import Any

_ESCAPE_TOKEN = re.compile(
    rb"\\\\"  # an escaped backslash: consumed so that '\\\\ud800' is not read as an escape
    rb"|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"  # a valid pair: kept
    rb"|\\u[dD][89a-fA-F][0-9a-fA-F]{2}"  # a lone high or low surrogate: replaced
)
_REPLACEMENT_ESCAPE = rb"\ufffd"
_SURROGATE_CHARS = re.compile("[\ud800-\udfff]")


def replace_lone_surrogate_escapes(chunk: bytes) -> tuple[bytes, int]:
    """Rewrite lone ``\\udXXX`` escapes in JSON bytes to ``\\ufffd``; returns the bytes and the count."""
    if b"\\u" not in chunk:
        return chunk, 0
    replaced = 0

    def substitute(match: re.Match[bytes]) -> bytes:
        nonlocal replaced
        token = match.group(0)
        if len(token) == 6:
            replaced += 1
            return _REPLACEMENT_ESCAPE
        return token

    return _ESCAPE_TOKEN.sub(substitute, chunk), replaced


def fix_surrogates_in_text(text: str) -> tuple[str, int]:
    """Replace lone surrogate code points in an already decoded string."""
    count = len(_SURROGATE_CHARS.findall(text))
    if not count:
        return text, 0
    # Pairs decoded as two code points are recombined first; what is left alone becomes U+FFFD.
    recombined = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return recombined, count


def fix_surrogates(value: Any) -> tuple[Any, int]:
    """``value`` with lone surrogates replaced in every string (keys included), and how many."""
    if isinstance(value, str):
        return fix_surrogates_in_text(value)
    if isinstance(value, list):
        total = 0
        items = []
        for item in value:
            fixed, n = fix_surrogates(item)
            total += n
            items.append(fixed)
        return items, total
    if isinstance(value, dict):
        total = 0
        out = {}
        for key, item in value.items():
            fixed_key, nk = fix_surrogates(key)
            fixed, n = fix_surrogates(item)
            total += nk + n
            out[fixed_key] = fixed
        return out, total
    return value, 0
