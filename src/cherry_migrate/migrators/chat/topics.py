"""Topic metadata: Redux ``assistants.*.topics[]`` merged with the Dexie ``topics`` row.

The Dexie row holds the messages; the name, pin, prompt, rename flag and timestamps live in Redux,
under the assistant that owns the topic (``assistants.assistants[].topics[]``, then
``assistants.defaultAssistant.topics[]``). The first occurrence of a topic id wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cherry_migrate.core.accounting import Ledger
from cherry_migrate.core.timestamps import to_epoch_ms
from cherry_migrate.migrators.chat.kinds import TOPIC_META_KIND
from cherry_migrate.sources.base import ReduxState

UNNAMED_TOPIC = "Unnamed Topic"


@dataclass(frozen=True, slots=True)
class TopicMeta:
    """One Redux topic entry (``None`` = the field is absent or of the wrong type)."""

    name: str | None
    pinned: bool | None
    prompt: str | None
    name_edited: bool | None
    created_at: int | None
    updated_at: int | None
    assistant_id: str | None
    """The owning assistant's legacy id (the entry's own ``assistantId`` when the owner has none)."""


@dataclass(frozen=True, slots=True)
class MergedTopic:
    id: str
    name: str
    pinned: bool
    prompt: str
    name_edited: bool
    created_at: int | None
    updated_at: int | None
    legacy_assistant_id: str | None

    @property
    def has_user_intent(self) -> bool:
        """Pinned, renamed by hand or given a prompt: worth keeping even without messages."""
        return self.pinned or self.name_edited or bool(self.prompt.strip())


def collect_topic_meta(redux: ReduxState, ledger: Ledger) -> dict[str, TopicMeta]:
    """Every topic entry of the ``assistants`` slice, first occurrence per id. Each entry is read
    into ``ledger``; the invalid and duplicate ones are skipped here, the others are accounted for
    when their topic is written or dropped."""
    state = redux.get_category("assistants")
    if not isinstance(state, dict):
        return {}
    owners: list[Any] = (
        list(state.get("assistants") or []) if isinstance(state.get("assistants"), list) else []
    )
    owners.append(state.get("defaultAssistant"))
    metas: dict[str, TopicMeta] = {}
    for owner in owners:
        if not isinstance(owner, dict) or not isinstance(owner.get("topics"), list):
            continue
        owner_id = _text(owner.get("id"))
        for entry in owner["topics"]:
            ledger.read(TOPIC_META_KIND)
            if not isinstance(entry, dict):
                ledger.skip(
                    TOPIC_META_KIND, "invalid_record", detail="a topic entry that is not a JSON object"
                )
                continue
            topic_id = _text(entry.get("id"))
            if topic_id is None:
                ledger.skip(TOPIC_META_KIND, "missing_id", detail="a topic entry without an id")
                continue
            if topic_id in metas:
                ledger.skip(
                    TOPIC_META_KIND, "duplicate_id", topic_id, detail="listed again; the first entry is kept"
                )
                continue
            metas[topic_id] = TopicMeta(
                name=_text(entry.get("name")),
                pinned=_flag(entry.get("pinned")),
                prompt=entry.get("prompt") if isinstance(entry.get("prompt"), str) else None,
                name_edited=_flag(entry.get("isNameManuallyEdited")),
                created_at=to_epoch_ms(entry.get("createdAt")),
                updated_at=to_epoch_ms(entry.get("updatedAt")),
                assistant_id=owner_id or _text(entry.get("assistantId")),
            )
    return metas


def merge_topic(topic_id: str, row: dict[str, Any], meta: TopicMeta | None) -> MergedTopic:
    """Redux metadata over the Dexie row: a non-empty Redux name wins, Redux flags and prompt win
    when present (so Redux ``pinned: false`` beats Dexie ``true``), Dexie fills the gaps."""
    return MergedTopic(
        id=topic_id,
        name=(meta.name if meta else None) or _text(row.get("name")) or UNNAMED_TOPIC,
        pinned=_pick(meta.pinned if meta else None, _flag(row.get("pinned"))),
        prompt=_pick_text(meta.prompt if meta else None, row.get("prompt")),
        name_edited=_pick(meta.name_edited if meta else None, _flag(row.get("isNameManuallyEdited"))),
        created_at=_first(meta.created_at if meta else None, to_epoch_ms(row.get("createdAt"))),
        updated_at=_first(meta.updated_at if meta else None, to_epoch_ms(row.get("updatedAt"))),
        legacy_assistant_id=(meta.assistant_id if meta else None) or _text(row.get("assistantId")),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _pick(preferred: bool | None, fallback: bool | None) -> bool:
    return preferred if preferred is not None else bool(fallback)


def _pick_text(preferred: str | None, fallback: Any) -> str:
    if preferred is not None:
        return preferred
    return fallback if isinstance(fallback, str) else ""


def _first(*values: int | None) -> int | None:
    return next((value for value in values if value is not None), None)
