"""Rules for one v1 mini-app record (``MinAppType``) → the fields of a ``mini_app`` row
(migrators.md §3.4, upstream ``MiniAppMappings``)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cherry_migrate.core.timestamps import to_epoch_ms

MINI_APP_ID = re.compile(r"^[A-Za-z0-9_-]+$")
"""The ids v2's API accepts (``MINI_APP_ID_REGEX``)."""

STATUS_PRIORITY: tuple[str, ...] = ("pinned", "enabled", "disabled")
"""v1 lists a pinned app under ``enabled`` too: the first status an app is seen with wins."""

REGIONS: tuple[str, ...] = ("CN", "Global")


def order_scope(status: str) -> str:
    """Pinned and enabled apps share one visible ordering; disabled apps have their own."""
    return "disabled" if status == "disabled" else "visible"


def legacy_safe_app_id(legacy_id: str, taken: set[str]) -> str:
    """A stable id for a custom app whose v1 id v2 would refuse: ``legacy-<sha256>`` (suffixed on the
    rare collision). Adds it to ``taken``."""
    attempt = 0
    while True:
        seed = legacy_id if attempt == 0 else f"{legacy_id}\0{attempt}"
        candidate = "legacy-" + hashlib.sha256(seed.encode("utf-8", "surrogatepass")).hexdigest()
        if candidate not in taken:
            taken.add(candidate)
            return candidate
        attempt += 1


@dataclass(frozen=True)
class MiniAppFields:
    preset_mini_app_id: str | None
    name: str
    url: str
    logo: str | None
    """A custom app's logo as v1 kept it (URL, icon key or ``data:`` URL); presets get theirs from v2."""
    bordered: bool
    background: str | None
    supported_regions: list[str] | None
    name_key: str | None
    created_at: int | None


def mini_app_fields(source: Mapping[str, Any], app_id: str, custom: bool) -> MiniAppFields | None:
    """The row fields, or None when the record lacks a name or url (v2 requires both).

    A v1 default app becomes a preset-linked row (``preset_mini_app_id`` = its id); v2 refreshes the
    display fields of preset rows from its own catalogue, so their stripped v1 logo is not needed.
    """
    name = _text(source.get("name"))
    url = _text(source.get("url"))
    if name is None or url is None:
        return None
    bordered = next((v for v in (source.get("bordered"), source.get("bodered")) if isinstance(v, bool)), True)
    return MiniAppFields(
        preset_mini_app_id=None if custom else app_id,
        name=name,
        url=url,
        logo=_text(source.get("logo")) if custom else None,
        bordered=bordered,
        background=_text(source.get("background")),
        supported_regions=_regions(source.get("supportedRegions")),
        name_key=_text(source.get("nameKey")),
        created_at=to_epoch_ms(source.get("addTime")),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _regions(value: Any) -> list[str] | None:
    if not isinstance(value, list):
        return None
    regions = [region for region in REGIONS if region in value]
    return regions or None
