"""Gathering legacy assistants from the three slots of the Redux ``assistants`` slice.

The v1 slice's initial state seeds both ``assistants[0]`` and ``defaultAssistant`` with id ``'default'``,
and v1 reducers then update one or the other, so real profiles hold two diverging copies of the same
assistant. Same-id records are therefore merged field by field (the earlier slot wins where it has a
value), never dropped. Topics embedded in the assistants belong to the chat migrator and are not
looked at here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ASSISTANTS_KIND = "redux:assistants.assistants"
PRESETS_KIND = "redux:assistants.presets"
DEFAULT_ASSISTANT_KIND = "redux:assistants.defaultAssistant"

SLOT_KINDS: tuple[tuple[str, str], ...] = (
    ("assistants", ASSISTANTS_KIND),
    ("presets", PRESETS_KIND),
    ("defaultAssistant", DEFAULT_ASSISTANT_KIND),
)
"""The slots in merge-priority order, each with its ledger kind."""


def is_present(value: Any) -> bool:
    """Whether a field value counts as set when merging: not null, '', [] or {} (``False`` and ``0``
    are real choices)."""
    if value is None or value == "":
        return False
    return not (isinstance(value, list | dict) and len(value) == 0)


def merge_legacy_assistants(primary: Mapping[str, Any], secondary: Mapping[str, Any]) -> dict[str, Any]:
    """``primary`` wins on every field it has a present value for; ``secondary`` fills the gaps.

    ``settings`` objects are merged key by key with the same rule; fields neither side names
    explicitly (future v1 fields) survive from whichever side has them.
    """
    merged: dict[str, Any] = dict(secondary)
    for key, value in primary.items():
        if is_present(value) or key not in secondary:
            merged[key] = value
    first, second = primary.get("settings"), secondary.get("settings")
    if isinstance(first, Mapping) and isinstance(second, Mapping):
        settings = dict(second)
        for key, value in first.items():
            if is_present(value) or key not in second:
                settings[key] = value
        merged["settings"] = settings
    merged["id"] = primary["id"]
    return merged


@dataclass(frozen=True)
class SourceSkip:
    kind: str
    reason: str
    record_id: str
    """Where the record sits in the slice (``assistants.presets[3]``): skipped records have no id."""
    detail: str


@dataclass
class LegacyAssistant:
    """One assistant after same-id merging, in the order its id first appeared."""

    id: str
    data: dict[str, Any]
    origins: list[str]
    """Ledger kinds of every slot record merged into this one (first is the primary)."""


@dataclass
class CollectedAssistants:
    assistants: list[LegacyAssistant] = field(default_factory=list)
    read: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)
    """Per kind, source records whose data reaches the target (merged duplicates included)."""
    skips: list[SourceSkip] = field(default_factory=list)
    merged_ids: list[str] = field(default_factory=list)
    """Ids that appeared more than once (once per extra record)."""
    warnings: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.skips)


def _slot_records(state: Mapping[str, Any], slot: str, result: CollectedAssistants) -> list[Any]:
    value = state.get(slot)
    if value is None:
        return []
    if slot == "defaultAssistant":
        return [value]
    if isinstance(value, list):
        return value
    result.warnings.append(f"assistants.{slot} is a {type(value).__name__}, not a list; nothing read from it")
    return []


def _skip_reason(record: Any) -> str | None:
    """Why ``record`` cannot be migrated as an assistant, or None when it has a usable id."""
    if not isinstance(record, Mapping):
        return "not_an_object"
    raw = record.get("id")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return "missing_id"
    if not isinstance(raw, str):
        return "invalid_id"
    return None


_SKIP_DETAILS = {
    "not_an_object": "entry is not an object",
    "missing_id": "assistant has no id",
    "invalid_id": "assistant id is not a string",
}


def collect_legacy_assistants(state: Any) -> CollectedAssistants:
    """Every assistant of the slice, merged by id, with per-slot counts and skips.

    ``state`` is the parsed ``assistants`` slice (None when absent; a non-object is reported).
    """
    result = CollectedAssistants()
    if state is None:
        result.warnings.append("no assistants slice in the Redux state; no assistants to migrate")
        return result
    if not isinstance(state, Mapping):
        result.warnings.append(f"the assistants slice is a {type(state).__name__}, not an object")
        return result
    by_id: dict[str, LegacyAssistant] = {}
    for slot, kind in SLOT_KINDS:
        for index, record in enumerate(_slot_records(state, slot, result)):
            result.read[kind] = result.read.get(kind, 0) + 1
            reason = _skip_reason(record)
            if reason is not None:
                where = f"assistants.{slot}" if slot == "defaultAssistant" else f"assistants.{slot}[{index}]"
                result.skips.append(SourceSkip(kind, reason, where, _SKIP_DETAILS[reason]))
                continue
            assistant_id: str = record["id"]
            result.written[kind] = result.written.get(kind, 0) + 1
            existing = by_id.get(assistant_id)
            if existing is None:
                by_id[assistant_id] = LegacyAssistant(assistant_id, dict(record), [kind])
                continue
            existing.data = merge_legacy_assistants(existing.data, record)
            existing.origins.append(kind)
            result.merged_ids.append(assistant_id)
            result.warnings.append(
                f"assistant '{assistant_id}' appears more than once ({', '.join(existing.origins)}); "
                "merged field by field, the earlier record wins where it has a value"
            )
    result.assistants = list(by_id.values())
    return result
