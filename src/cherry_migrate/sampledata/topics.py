"""Topic planning: which topics exist, who owns them, how many messages each gets.

Topic ids are drawn up front and sorted, so the streamed ``topics.json`` is in ascending primary-key
order. A plan is small and kept for the whole run: the Redux ``assistants`` slice, written after the
chats, needs each topic's metadata and time span.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from .assistants import Roster, topic_meta
from .ids import BASE_TIME_MS, DAY_MS, IdFactory
from .providers import Model
from .texts import TOPIC_NAMES

# Scripted turns (tricky cases) and how many messages each one writes.
SCRIPT_SIZES = {
    "multi_model": 4,
    "deleted_ask": 1,
    "duplicate_id": 4,
    "missing_block": 2,
    "topic_id_mismatch": 2,
    "clear_marker": 1,
    "orphan_block": 0,
}


@dataclass(slots=True)
class TopicPlan:
    """What is known about a topic before its messages are written (kept for the Redux metadata)."""

    id: str
    slot: int | None  # index into Roster slots (0 = defaultAssistant); None = no Redux metadata
    assistant_id: str  # the assistantId its messages carry
    model: Model
    name: str
    budget: int = 0  # number of messages to write
    pinned: bool = False
    prompt: str = ""
    manually_named: bool = False
    in_dexie: bool = True
    scripted: list[str] = field(default_factory=list)
    created_ms: int = 0
    updated_ms: int = 0


def roster_slots(roster: Roster) -> list[dict[str, Any]]:
    """Assistants that can own topics: ``defaultAssistant`` first, then ``assistants[]``."""
    return [roster.default_assistant, *roster.assistants]


def topic_count(messages: int) -> int:
    return max(6, min(5000, messages // 40))


def plan_topics(
    rng: random.Random, ids: IdFactory, messages: int, roster: Roster
) -> tuple[list[TopicPlan], dict[str, str]]:
    """Plan the Dexie topics (ascending ids) plus one topic that exists in Redux only."""
    slots = roster_slots(roster)
    weights = [6 if s["id"] == "default" else 2 for s in slots]
    count = topic_count(messages)
    topic_ids = sorted(ids.uuid4() for _ in range(count))
    plans = []
    for index, topic_id in enumerate(topic_ids):
        slot = rng.choices(range(len(slots)), weights)[0]
        owner = slots[slot]
        plan = TopicPlan(
            id=topic_id,
            slot=slot,
            assistant_id=owner["id"],
            model=owner["model"],
            name=TOPIC_NAMES[index % len(TOPIC_NAMES)],
            pinned=rng.random() < 0.05,
            prompt="Always answer in bullet points." if rng.random() < 0.08 else "",
            manually_named=rng.random() < 0.2,
        )
        plans.append(plan)

    orphan, pinned_empty, empty = rng.sample(plans, 3)
    orphan.slot, orphan.assistant_id = None, roster.deleted_id
    pinned_empty.pinned, pinned_empty.name = True, "Pinned, never used"
    empty.pinned, empty.prompt, empty.manually_named, empty.name = False, "", False, "New Topic"
    normal = [p for p in plans if p not in (pinned_empty, empty)]
    _allocate_budgets(rng, normal, messages)

    redux_only = TopicPlan(
        id=ids.uuid4(),
        slot=1,
        assistant_id="default",
        model=plans[0].model,
        name="Lost when IndexedDB was wiped",
        in_dexie=False,
    )
    redux_only.created_ms = redux_only.updated_ms = BASE_TIME_MS - DAY_MS
    plans.append(redux_only)
    tricky = {
        "orphan_topic": orphan.id,
        "pinned_empty_topic": pinned_empty.id,
        "empty_topic": empty.id,
        "redux_only_topic": redux_only.id,
    }
    return plans, tricky


def attach_topic_metadata(roster: Roster, plans: list[TopicPlan]) -> None:
    """Fill each owner's Redux ``topics`` list, newest first as v1 keeps it."""
    slots = roster_slots(roster)
    for plan in sorted(plans, key=lambda p: p.created_ms, reverse=True):
        if plan.slot is not None:
            slots[plan.slot]["topics"].append(
                topic_meta(
                    plan.id,
                    plan.assistant_id,
                    plan.name,
                    plan.created_ms,
                    plan.updated_ms,
                    pinned=plan.pinned,
                    prompt=plan.prompt,
                    manually_named=plan.manually_named,
                )
            )


def _allocate_budgets(rng: random.Random, topics: list[TopicPlan], messages: int) -> None:
    """At least two messages per topic, the scripted turns on top, the rest heavy-tailed."""
    candidates = [t for t in topics if t.slot is not None]
    for script in SCRIPT_SIZES:
        rng.choice(candidates).scripted.append(script)
    for topic in topics:
        topic.budget = 2 + sum(SCRIPT_SIZES[s] for s in topic.scripted)
    rest = messages - sum(t.budget for t in topics)
    if rest < 0:
        raise ValueError(f"messages={messages} is too small for the scripted cases")
    weights = [min(rng.paretovariate(1.2), 60.0) for _ in topics]
    total = sum(weights)
    shares = [int(rest * w / total) for w in weights]
    for index in range(rest - sum(shares)):
        shares[index % len(shares)] += 1
    for topic, share in zip(topics, shares, strict=True):
        topic.budget += share
