"""Message-level fields: role, status, model reference, snapshot and activity time. Pure."""

from __future__ import annotations

from typing import Any

ROLES = frozenset({"user", "assistant", "system"})
FINISHED_STATUSES = frozenset({"success", "paused"})


def normalize_status(value: Any) -> str:
    """``success`` and ``paused`` stay; anything else (error, or a state that was still streaming
    when v1 stopped: sending/pending/searching/processing) is an interrupted message: ``error``."""
    return value if value in FINISHED_STATUSES else "error"


def legacy_model_ref(message: dict[str, Any]) -> str | None:
    """``provider::model`` from the message's model object, else its ``modelId`` when that is
    already in that form. None when neither gives one."""
    model = message.get("model")
    if isinstance(model, dict):
        provider, model_id = model.get("provider"), model.get("id")
        if isinstance(provider, str) and provider.strip() and isinstance(model_id, str) and model_id.strip():
            return f"{provider}::{model_id}"
    fallback = message.get("modelId")
    if isinstance(fallback, str) and is_model_ref(fallback):
        return fallback
    return None


def is_model_ref(value: str) -> bool:
    provider, sep, model = value.partition("::")
    return bool(sep and provider.strip() and model.strip())


def model_snapshot(model: Any) -> dict[str, str] | None:
    """``{id, name, provider, group?}`` of the model that answered, for display after the model is gone."""
    if not isinstance(model, dict):
        return None
    model_id, provider = model.get("id"), model.get("provider")
    if not (
        isinstance(model_id, str) and model_id.strip() and isinstance(provider, str) and provider.strip()
    ):
        return None
    name = model.get("name")
    snapshot = {
        "id": model_id,
        "name": name if isinstance(name, str) and name else model_id,
        "provider": provider,
    }
    group = model.get("group")
    if isinstance(group, str):
        snapshot["group"] = group
    return snapshot


def message_snapshot(role: str, assistant: dict[str, Any] | None, model: Any) -> dict[str, Any] | None:
    """Assistant-role rows only: ``{id, name, avatar, model}`` of the topic's assistant (as the
    assistant migrator described it: an ``emoji`` becomes an emoji avatar) and the model that
    answered."""
    if role != "assistant" or assistant is None:
        return None
    snapshot: dict[str, Any] = {"id": assistant.get("id"), "name": assistant.get("name")}
    avatar, emoji = assistant.get("avatar"), assistant.get("emoji")
    if isinstance(avatar, dict):
        snapshot["avatar"] = avatar
    elif isinstance(emoji, str) and emoji:
        snapshot["avatar"] = {"kind": "emoji", "emoji": emoji}
    answered_by = model_snapshot(model)
    if answered_by is not None:
        snapshot["model"] = answered_by
    return snapshot


def activity_ms(role: str, status: Any, created_at: int, updated_at: int) -> int | None:
    """When the message counts as activity in its topic: a user message when sent, a finished
    answer when last updated; unfinished answers do not count."""
    if role == "assistant":
        return max(created_at, updated_at) if status in FINISHED_STATUSES else None
    return created_at
