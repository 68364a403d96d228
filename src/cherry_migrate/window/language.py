"""The window's languages (English and Simplified Chinese, as upstream's window) and how one is chosen:
the language the user set in v1 (Redux ``settings.language``, else config.json ``language``), else the
browser's ``Accept-Language``, else English. The user can switch at any time."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import orjson

from cherry_migrate.core.errors import MigrationError
from cherry_migrate.sources.base import LegacySources

LANGUAGES = ("en", "zh-CN")
DEFAULT_LANGUAGE = "en"


def normalize(tag: object) -> str | None:
    """A supported language for a BCP 47 tag or a v1 setting: any ``zh*`` → zh-CN (upstream maps
    every Chinese variant to its one Chinese catalog), any ``en*`` → en, anything else → None."""
    if not isinstance(tag, str):
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    if primary == "zh":
        return "zh-CN"
    if primary == "en":
        return "en"
    return None


def legacy_language(sources: LegacySources) -> str | None:
    """The language set in v1, when it is one the window speaks."""
    try:
        redux_language = sources.redux.get("settings", "language")
    except (MigrationError, OSError, ValueError):
        redux_language = None
    return normalize(redux_language) or normalize(sources.electron_store.get("language"))


def from_accept_language(header: str | None) -> str | None:
    """The best supported language of an ``Accept-Language`` header (by q-value, then order)."""
    if not header:
        return None
    candidates: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = normalize(tag)
        if language and quality > 0:
            candidates.append((-quality, index, language))
    return min(candidates)[2] if candidates else None


@cache
def catalog(language: str) -> dict[str, Any]:
    """The message catalog of a supported language (shipped as package data)."""
    if language not in LANGUAGES:
        raise KeyError(language)
    data = resources.files(__package__).joinpath("i18n", f"{language}.json").read_bytes()
    loaded = orjson.loads(data)
    assert isinstance(loaded, dict)
    return loaded
