"""The three places v1 kept prompts, gathered in the order they are laid out in v2:

1. Dexie ``quick_phrases``: global phrases, by descending legacy ``order`` (v1's old-to-new sequence);
2. ``regularPhrases`` of ``assistants.assistants[]``, ``assistants.presets[]`` and
   ``assistants.defaultAssistant`` (each a ledger kind of its own), in slot order;
3. topic prompts handed over by ChatMigrator (``TOPIC_PROMPT_CANDIDATES``).

v1 usually holds the same assistant twice (``assistants[0]`` and ``defaultAssistant``, both id
``default``) with copies of the same phrases. Per legacy assistant id, a phrase that repeats an
earlier one (same id, or same title and content) is a duplicate; every other phrase of every slot is
kept, so two copies that drifted apart lose nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cherry_migrate.core.accounting import Ledger
from cherry_migrate.migrators.mappings.prompt import content_problem, prompt_title
from cherry_migrate.sources.base import DexieTables, ReduxState

QUICK_PHRASES_TABLE = "quick_phrases"
QUICK_PHRASES_KIND = f"dexie:{QUICK_PHRASES_TABLE}"
TOPIC_PROMPTS_KIND = "shared:topic_prompt_candidates"
ASSISTANT_SLOTS: tuple[str, ...] = ("assistants", "presets", "defaultAssistant")


def phrases_kind(slot: str) -> str:
    return f"redux:assistants.{slot}.regularPhrases"


@dataclass(frozen=True)
class PromptCandidate:
    kind: str
    record_id: str
    """How the ledger names the record (its id, or its position when it has none)."""
    legacy_id: object
    """The v1 phrase id, kept when it is a UUID no earlier prompt took; None for topic prompts."""
    title: str
    content: str
    created: object
    updated: object
    assistant_id: str | None
    """The legacy assistant the prompt belongs to (None: a global prompt)."""


def quick_phrase_candidates(dexie: DexieTables, ledger: Ledger) -> list[PromptCandidate]:
    if not dexie.table_exists(QUICK_PHRASES_TABLE):
        return []
    valid: list[tuple[float, PromptCandidate]] = []
    for index, row in enumerate(dexie.read_table(QUICK_PHRASES_TABLE)):
        candidate = _phrase(row, QUICK_PHRASES_KIND, f"#{index}", None, ledger)
        if candidate is not None:
            order = row.get("order")
            rank = (
                float(order)
                if isinstance(order, int | float) and not isinstance(order, bool)
                else float("-inf")
            )
            valid.append((rank, candidate))
    valid.sort(key=lambda item: item[0], reverse=True)
    return [candidate for _, candidate in valid]


def slot_assistants(state: Mapping[str, Any], slot: str) -> list[Any]:
    """The assistant records of one slot (``defaultAssistant`` holds a single one)."""
    value = state.get(slot)
    if slot == "defaultAssistant":
        return [value]
    return value if isinstance(value, list) else []


def assistant_phrase_candidates(redux: ReduxState, ledger: Ledger) -> list[PromptCandidate]:
    state = redux.get_category("assistants")
    if not isinstance(state, Mapping):
        return []
    seen: dict[str, set[object]] = {}
    candidates: list[PromptCandidate] = []
    for slot in ASSISTANT_SLOTS:
        for position, assistant in enumerate(slot_assistants(state, slot)):
            if not isinstance(assistant, Mapping) or assistant.get("regularPhrases") is None:
                continue
            where = slot if slot == "defaultAssistant" else f"{slot}[{position}]"
            candidates += _assistant_phrases(assistant, phrases_kind(slot), where, seen, ledger)
    return candidates


def _assistant_phrases(
    assistant: Mapping[str, Any], kind: str, where: str, seen: dict[str, set[object]], ledger: Ledger
) -> list[PromptCandidate]:
    phrases = assistant.get("regularPhrases")
    assistant_id = (
        assistant.get("id") if isinstance(assistant.get("id"), str) and assistant.get("id") else None
    )
    if not isinstance(phrases, list):
        ledger.read(kind)
        ledger.skip(kind, "not_a_list", where, detail=f"regularPhrases is a {type(phrases).__name__}")
        return []
    known = seen.setdefault(assistant_id or where, set())
    candidates = []
    for index, row in enumerate(phrases):
        candidate = _phrase(row, kind, f"{where}.regularPhrases[{index}]", assistant_id, ledger, known)
        if candidate is not None:
            candidates.append(candidate)
    return candidates


def _phrase(
    row: Any,
    kind: str,
    position: str,
    assistant_id: str | None,
    ledger: Ledger,
    known: set[object] | None = None,
) -> PromptCandidate | None:
    """One phrase as a candidate, or None after recording why it is skipped. ``known`` holds the
    identities already taken for the same assistant (duplicates are skipped)."""
    ledger.read(kind)
    if not isinstance(row, Mapping):
        ledger.skip(kind, "invalid_record", position)
        return None
    legacy_id = row.get("id")
    record_id = legacy_id if isinstance(legacy_id, str) and legacy_id else position
    content = row.get("content")
    problem = content_problem(content)
    if problem is not None or not isinstance(content, str):
        ledger.skip(kind, problem or "invalid_content", record_id)
        return None
    title = prompt_title(row.get("title"))
    if known is not None:
        identities: set[object] = {("text", title, content)}
        if isinstance(legacy_id, str) and legacy_id:
            identities.add(("id", legacy_id))
        if identities & known:
            ledger.skip(
                kind, "duplicate_phrase", record_id, detail="the same phrase is kept from an earlier slot"
            )
            return None
        known.update(identities)
    ledger.written(kind)
    return PromptCandidate(
        kind=kind,
        record_id=record_id,
        legacy_id=legacy_id,
        title=title,
        content=content,
        created=row.get("createdAt"),
        updated=row.get("updatedAt"),
        assistant_id=assistant_id,
    )


def topic_prompt_candidates(handoff: object, ledger: Ledger, warnings: list[str]) -> list[PromptCandidate]:
    """Topic prompts from ChatMigrator: dicts with ``topic_id``, ``name``, ``assistant_id``, ``prompt``
    and optionally ``created_at``/``updated_at`` (ms). Absent when ChatMigrator found none."""
    if handoff is None:
        return []
    if not isinstance(handoff, list):
        warnings.append(f"Topic prompts were handed over as a {type(handoff).__name__}, not a list; ignored.")
        return []
    candidates = []
    for index, entry in enumerate(handoff):
        ledger.read(TOPIC_PROMPTS_KIND)
        topic_id = entry.get("topic_id") if isinstance(entry, Mapping) else None
        record_id = topic_id if isinstance(topic_id, str) and topic_id else f"#{index}"
        if not isinstance(entry, Mapping):
            ledger.skip(TOPIC_PROMPTS_KIND, "invalid_record", record_id)
            continue
        prompt = entry.get("prompt")
        problem = content_problem(prompt.strip() if isinstance(prompt, str) else prompt)
        if problem is not None or not isinstance(prompt, str):
            ledger.skip(TOPIC_PROMPTS_KIND, problem or "invalid_content", record_id)
            continue
        assistant_id = entry.get("assistant_id")
        ledger.written(TOPIC_PROMPTS_KIND)
        candidates.append(
            PromptCandidate(
                kind=TOPIC_PROMPTS_KIND,
                record_id=record_id,
                legacy_id=None,
                title=prompt_title(entry.get("name"), fallback=f"Topic {record_id}"),
                content=prompt,
                created=entry.get("created_at"),
                updated=entry.get("updated_at"),
                assistant_id=assistant_id if isinstance(assistant_id, str) and assistant_id else None,
            )
        )
    return candidates
