"""Keyboard shortcut tokens of v2 (``ShortcutBinding`` = a list of these) and how legacy spellings
map onto them. A binding with any token v2 does not know becomes empty, as in v2 itself, so a half-
understood binding never fires the wrong keys."""

from __future__ import annotations

import re
from collections.abc import Sequence

MODIFIERS = ("CommandOrControl", "Command", "Ctrl", "Alt", "AltGr", "Shift", "Meta")
LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
DIGITS = tuple("0123456789")
FUNCTION_KEYS = tuple(f"F{n}" for n in range(1, 13))
SYMBOLS = ("=", "-", "[", "]", ",", ".", "/", "\\", ";", "'", "`")
NAMED_KEYS = (
    "Escape",
    "Enter",
    "Tab",
    "Space",
    "Backspace",
    "Delete",
    "Insert",
    "Home",
    "End",
    "PageUp",
    "PageDown",
    "Up",
    "Down",
    "Left",
    "Right",
    "numadd",
    "numsub",
)

TOKENS = frozenset(MODIFIERS + LETTERS + DIGITS + FUNCTION_KEYS + SYMBOLS + NAMED_KEYS)
_BY_LOWER = {token.lower(): token for token in TOKENS}
_ALIASES = {
    "cmd": "Command",
    "control": "Ctrl",
    "option": "Alt",
    "altgraph": "AltGr",
    "esc": "Escape",
    "spacebar": "Space",
    "arrowup": "Up",
    "arrowdown": "Down",
    "arrowleft": "Left",
    "arrowright": "Right",
    "add": "numadd",
    "numpadadd": "numadd",
    "subtract": "numsub",
    "numpadsubtract": "numsub",
    "numpadenter": "Enter",
    "slash": "/",
    "semicolon": ";",
    "bracketleft": "[",
    "bracketright": "]",
    "backslash": "\\",
    "quote": "'",
    "comma": ",",
    "period": ".",
    "minus": "-",
    "equal": "=",
    "backquote": "`",
}
_DOM_CODE = re.compile(r"^(?:Key([A-Z])|(?:Digit|Numpad)(\d))$")


def normalize_token(raw: str) -> str | None:
    """The v2 token for a legacy key name (exact, alias, any letter case or DOM code), else None."""
    text = raw.strip()
    if not text:
        return None
    if text in TOKENS:
        return text
    match = _DOM_CODE.match(text)
    if match:
        return match.group(1) or match.group(2)
    lower = text.lower()
    return _ALIASES.get(lower) or _BY_LOWER.get(lower)


def normalize_binding(raw: Sequence[str]) -> list[str] | None:
    """All tokens normalised, or None when one of them is not a v2 token."""
    tokens = [normalize_token(item) for item in raw]
    if any(token is None for token in tokens):
        return None
    return [token for token in tokens if token is not None]
