"""The ``assistants`` slice (legacy-sources §2.4.1): assistants, presets and topic metadata."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from .ids import BASE_TIME_MS, DAY_MS, IdFactory, iso
from .providers import ProviderCatalog, model_ref
from .texts import ASSISTANT_NAMES, QUICK_PHRASES, SYSTEM_PROMPTS

DEFAULT_ASSISTANT_ID = "default"
_MISSING_MODEL = {"id": "gpt-5-imaginary", "provider": "openai", "name": "GPT-5 Imaginary", "group": "gpt-5"}


@dataclass
class Roster:
    """Assistants before topics are attached.

    ``assistants`` is the Redux ``assistants.assistants`` list; its first entry and
    ``default_assistant`` both carry the id ``'default'`` as in real v1 state. ``duplicate_index`` is a
    later entry repeating an earlier assistant's id, ``unknown_model_id`` an assistant whose model exists
    in no provider, and ``deleted_id`` the id of an assistant that is gone but whose messages remain.
    """

    default_assistant: dict[str, Any]
    assistants: list[dict[str, Any]]
    presets: list[dict[str, Any]]
    duplicate_id: str
    unknown_model_id: str
    deleted_id: str


def _settings(rng: random.Random, catalog: ProviderCatalog) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "temperature": rng.choice((0.3, 0.7, 1)),
        "enableTemperature": rng.random() < 0.7,
        "contextCount": rng.choice((5, 10, 20)),
        "streamOutput": True,
        "topP": rng.choice((0.8, 1)),
        "enableTopP": rng.random() < 0.2,
        "maxTokens": rng.choice((0, 4096, 8192)),
        "enableMaxTokens": rng.random() < 0.3,
        "toolUseMode": rng.choice(("function", "prompt")),
        "reasoning_effort": rng.choice(("default", "none", "low", "medium", "high", "auto")),
    }
    roll = rng.random()
    if roll < 0.3:
        settings["customParameters"] = [
            {"name": "seed", "value": 42, "type": "number"},
            {"name": "response_format", "value": {"type": "json_object"}, "type": "json"},
            {"name": "safe_prompt", "value": True, "type": "boolean"},
        ]
    elif roll < 0.4:
        settings["defaultModel"] = model_ref(rng.choice(catalog.chat_models))
        settings["qwenThinkMode"] = True
        settings["reasoning_effort_cache"] = "high"
    return settings


def _assistant(
    rng: random.Random,
    ids: IdFactory,
    catalog: ProviderCatalog,
    assistant_id: str,
    index: int,
    mcp_servers: list[dict[str, Any]],
    bases: list[dict[str, Any]],
) -> dict[str, Any]:
    name, emoji = ASSISTANT_NAMES[index % len(ASSISTANT_NAMES)]
    if index >= len(ASSISTANT_NAMES):
        name = f"{name} {index // len(ASSISTANT_NAMES) + 1}"
    model = model_ref(rng.choice(catalog.chat_models))
    assistant: dict[str, Any] = {
        "id": assistant_id,
        "name": name,
        "prompt": rng.choice(SYSTEM_PROMPTS),
        "type": "assistant",
        "emoji": emoji,
        "topics": [],
        "model": model,
        "defaultModel": model,
        "settings": _settings(rng, catalog),
    }
    if rng.random() < 0.6:
        assistant["description"] = f"{name} — created from the store."
    if rng.random() < 0.4:
        assistant["tags"] = rng.sample(["work", "学习", "writing", "code", "life"], rng.randint(1, 2))
    if rng.random() < 0.4 and bases:
        base = rng.choice(bases)
        assistant["knowledge_bases"] = [
            {key: base[key] for key in ("id", "name", "model", "created_at", "updated_at", "version")}
            | {"items": []}
        ]
        assistant["knowledgeRecognition"] = rng.choice(("off", "on"))
    if rng.random() < 0.4:
        assistant["mcpServers"] = [dict(server) for server in rng.sample(mcp_servers, 2)]
        assistant["mcpMode"] = rng.choice(("auto", "manual"))
    if rng.random() < 0.3:
        assistant["enableWebSearch"] = True
        assistant["webSearchProviderId"] = "tavily"
    if rng.random() < 0.2:
        assistant["enableGenerateImage"] = True
        assistant["enableUrlContext"] = rng.random() < 0.5
    if rng.random() < 0.2:
        assistant["enableMemory"] = True
    if rng.random() < 0.3:
        title, content = rng.choice(QUICK_PHRASES)
        when = BASE_TIME_MS + rng.randint(0, 90) * DAY_MS
        assistant["regularPhrases"] = [
            {"id": ids.uuid4(), "title": title, "content": content, "createdAt": when, "updatedAt": when}
        ]
    return assistant


def build_roster(
    rng: random.Random,
    ids: IdFactory,
    catalog: ProviderCatalog,
    count: int,
    mcp_servers: list[dict[str, Any]],
    bases: list[dict[str, Any]],
) -> Roster:
    assistants = [
        _assistant(rng, ids, catalog, DEFAULT_ASSISTANT_ID if i == 0 else ids.uuid4(), i, mcp_servers, bases)
        for i in range(count - 1)
    ]
    assistants[0].update(name="Default Assistant", emoji="😀")
    assistants[0].pop("description", None)
    default_assistant = dict(assistants[0])
    default_assistant["topics"] = []
    default_assistant["prompt"] = ""  # the two 'default' copies drift apart in real data

    unknown = assistants[2]
    unknown["model"] = dict(_MISSING_MODEL)
    unknown["defaultModel"] = dict(_MISSING_MODEL)

    # A second entry with the id of assistants[1]: the same-id merge path (earlier entry wins per field).
    original = assistants[1]
    duplicate = {**original, "topics": [], "name": "", "emoji": "🤖", "description": "Imported twice"}
    duplicate["settings"] = {"temperature": 0.2, "contextCount": 3}
    assistants.append(duplicate)

    presets = []
    for index in range(rng.randint(2, 5)):
        preset = _assistant(rng, ids, catalog, ids.uuid4(), index + 3, mcp_servers, [])
        for key in ("model", "defaultModel", "topics"):
            preset.pop(key)
        preset["group"] = rng.sample(["编程", "Writing", "Career", "Education"], rng.randint(1, 2))
        preset["messages"] = [
            {"role": "user", "content": "Give me an example."},
            {"role": "assistant", "content": "Sure — here is a short one."},
        ]
        presets.append(preset)

    return Roster(
        default_assistant=default_assistant,
        assistants=assistants,
        presets=presets,
        duplicate_id=original["id"],
        unknown_model_id=unknown["id"],
        deleted_id=ids.uuid4(),
    )


def topic_meta(
    topic_id: str,
    assistant_id: str,
    name: str,
    created_ms: int,
    updated_ms: int,
    *,
    pinned: bool,
    prompt: str,
    manually_named: bool,
) -> dict[str, Any]:
    """Redux topic metadata; ``messages`` is always stored empty."""
    meta: dict[str, Any] = {
        "id": topic_id,
        "type": "chat",
        "assistantId": assistant_id,
        "name": name,
        "createdAt": iso(created_ms),
        "updatedAt": iso(updated_ms),
        "messages": [],
    }
    if pinned:
        meta["pinned"] = True
    if prompt:
        meta["prompt"] = prompt
    if manually_named:
        meta["isNameManuallyEdited"] = True
    return meta


def assistants_slice(roster: Roster) -> dict[str, Any]:
    tags = sorted({tag for a in roster.assistants for tag in a.get("tags", [])})
    return {
        "defaultAssistant": roster.default_assistant,
        "assistants": roster.assistants,
        "tagsOrder": tags,
        "collapsedTags": dict.fromkeys(tags[:1], True),
        "presets": roster.presets,
    }
