"""Lone UTF-16 surrogates: JavaScript strings may hold them, UTF-8 and SQLite cannot.

``JSON.stringify`` writes a lone surrogate as a ``\\udXXX`` escape. We replace each one with U+FFFD
(the Unicode replacement character) and count the replacements so the run can report them, rather
than letting a parser silently turn them into '?' or the database refuse the text.
"""

from __future__ import annotations

import re
from typing import Any

_ESCAPE_TOKEN = re.compile(
    rb"\\(?:"  # one leading backslash, so that the search skips ahead to the next one quickly
    rb"\\(?:\\\\)*"  # escaped backslashes, a whole run at once: '\\\\ud800' is not an escape
    rb"|u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"  # a valid pair: kept
    rb"|(?P<lone>u[dD][89a-fA-F][0-9a-fA-F]{2})"  # a lone high or low surrogate: replaced
    rb")"
)
_REPLACEMENT_ESCAPE = rb"\ufffd"
MAX_ESCAPE_TOKEN = 12
"""Length of the longest token above whose length is fixed (an escaped surrogate pair)."""
_SURROGATE_CHARS = re.compile("[\ud800-\udfff]")


def replace_lone_surrogate_escapes(chunk: bytes) -> tuple[bytes, int]:
    """Rewrite lone ``\\udXXX`` escapes in JSON bytes to ``\\ufffd``; returns the bytes and the count."""
    fixed, replaced, _ = replace_lone_surrogate_escapes_before(chunk, len(chunk))
    return fixed, replaced


def replace_lone_surrogate_escapes_before(data: bytes, limit: int) -> tuple[bytes, int, int]:
    """The streaming form: rewrite the escape tokens that start before ``limit``.

    Returns the rewritten bytes, the count, and how many bytes of ``data`` they cover: ``limit``, or
    the end of a token that starts before ``limit`` and runs past it. Scanning resumes correctly at
    that point (a run of escaped backslashes may end there; the next bytes continue it pair by pair).
    A caller that passes ``limit <= len(data) - MAX_ESCAPE_TOKEN + 1`` (unless ``data`` ends the
    stream) therefore never splits a surrogate pair nor mistakes the second backslash of an escaped
    backslash for the start of an escape.
    """
    limit = max(0, min(limit, len(data)))
    if b"\\" not in data:
        return data[:limit], 0, limit
    pieces: list[bytes] = []
    replaced = start = covered = 0
    for match in _ESCAPE_TOKEN.finditer(data):
        if match.start() >= limit:
            break
        covered = match.end()
        if match.lastgroup == "lone":
            pieces += (data[start : match.start()], _REPLACEMENT_ESCAPE)
            start = covered
            replaced += 1
    covered = max(covered, limit)
    pieces.append(data[start:covered])
    return b"".join(pieces), replaced, covered


def fix_surrogates_in_text(text: str) -> tuple[str, int]:
    """Replace lone surrogate code points in an already decoded string; returns it and how many."""
    if not _SURROGATE_CHARS.search(text):
        return text, 0
    # Pairs held as two code points are recombined first; what is left alone becomes U+FFFD.
    recombined = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return recombined, recombined.count("\ufffd") - text.count("\ufffd")


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
