"""Every tricky case named in the generator's docstring exists, at the smallest size too."""

from __future__ import annotations

from collections import Counter
from typing import Any

from cherry_migrate.sampledata import ProfileSummary

from .profile_data import Profile

TRICKY_NAMES = {
    "multi_model_ask",
    "multi_model_fold_selected",
    "deleted_ask_answer",
    "orphan_topic",
    "deleted_assistant",
    "pinned_empty_topic",
    "empty_topic",
    "redux_only_topic",
    "duplicate_message_id",
    "message_with_missing_block",
    "missing_block",
    "orphan_block",
    "topic_id_mismatch",
    "clear_marker",
    "default_assistant",
    "duplicate_assistant",
    "unknown_model_assistant",
    "kb_missing_embedding_model",
    "kb_resurrectable_embedding_model",
    "missing_physical_file",
}


def _message(profile: Profile, message_id: str) -> tuple[str, dict[str, Any]]:
    return next((topic, m) for topic, m in profile.messages if m["id"] == message_id)


def _topic_row(profile: Profile, topic_id: str) -> dict[str, Any]:
    return next(t for t in profile.dexie["topics"] if t["id"] == topic_id)


def test_all_cases_are_reported(any_profile: tuple[Profile, ProfileSummary]):
    assert set(any_profile[1].tricky) == TRICKY_NAMES


def test_multi_model_answer_with_fold_selected(any_profile: tuple[Profile, ProfileSummary]):
    profile, summary = any_profile
    topic_id, ask = _message(profile, summary.tricky["multi_model_ask"])
    assert ask["role"] == "user" and len(ask["mentions"]) == 3
    replies = [m for t, m in profile.messages if t == topic_id and m.get("askId") == ask["id"]]
    assert len(replies) == 3
    assert [m["id"] for m in replies if m.get("foldSelected")] == [
        summary.tricky["multi_model_fold_selected"]
    ]
    assert {m["multiModelMessageStyle"] for m in replies} == {"fold"}


def test_answer_whose_question_was_deleted(any_profile: tuple[Profile, ProfileSummary]):
    profile, summary = any_profile
    topic_id, answer = _message(profile, summary.tricky["deleted_ask_answer"])
    assert answer["role"] == "assistant"
    assert answer["askId"] not in {m["id"] for t, m in profile.messages if t == topic_id}


def test_orphan_topic_of_a_deleted_assistant(any_profile: tuple[Profile, ProfileSummary]):
    profile, summary = any_profile
    topic = _topic_row(profile, summary.tricky["orphan_topic"])
    deleted = summary.tricky["deleted_assistant"]
    assert topic["messages"] and {m["assistantId"] for m in topic["messages"]} == {deleted}
    assert topic["id"] not in profile.redux_topics()
    assert deleted not in profile.assistant_ids()


def test_empty_topics(any_profile: tuple[Profile, ProfileSummary]):
    profile, summary = any_profile
    meta = profile.redux_topics()
    pinned = summary.tricky["pinned_empty_topic"]
    assert _topic_row(profile, pinned)["messages"] == [] and meta[pinned]["pinned"] is True
    empty = summary.tricky["empty_topic"]
    assert _topic_row(profile, empty)["messages"] == []
    assert not {"pinned", "prompt", "isNameManuallyEdited"} & set(meta[empty])


def test_topic_metadata_without_dexie_row(any_profile: tuple[Profile, ProfileSummary]):
    profile, summary = any_profile
    redux_only = summary.tricky["redux_only_topic"]
    assert redux_only in profile.redux_topics()
    assert redux_only not in {t["id"] for t in profile.dexie["topics"]}


def test_duplicated_message_id_within_a_topic(any_profile: tuple[Profile, ProfileSummary]):
    profile, summary = any_profile
    counts = Counter((t, m["id"]) for t, m in profile.messages)
    duplicated = [key for key, n in counts.items() if n > 1]
    assert [message_id for _, message_id in duplicated] == [summary.tricky["duplicate_message_id"]]


def test_missing_block_and_orphan_block(any_profile: tuple[Profile, ProfileSummary]):
    profile, summary = any_profile
    block_ids = {b["id"] for b in profile.dexie["message_blocks"]}
    _, message = _message(profile, summary.tricky["message_with_missing_block"])
    missing = summary.tricky["missing_block"]
    assert missing in message["blocks"] and missing not in block_ids
    dangling = {b for _, m in profile.messages for b in m["blocks"] if b not in block_ids}
    assert dangling == {missing}
    orphan = next(b for b in profile.dexie["message_blocks"] if b["id"] == summary.tricky["orphan_block"])
    assert orphan["messageId"] not in {m["id"] for _, m in profile.messages}


def test_topic_id_mismatch_and_clear_marker(any_profile: tuple[Profile, ProfileSummary]):
    profile, summary = any_profile
    topic_id, message = _message(profile, summary.tricky["topic_id_mismatch"])
    assert message["topicId"] != topic_id
    _, clear = _message(profile, summary.tricky["clear_marker"])
    assert clear["type"] == "clear" and clear["blocks"] == []


def test_assistant_cases(any_profile: tuple[Profile, ProfileSummary]):
    profile, summary = any_profile
    assistants = profile.redux["assistants"]
    assert summary.tricky["default_assistant"] == "default"
    assert assistants["defaultAssistant"]["id"] == "default" == assistants["assistants"][0]["id"]
    ids = Counter(a["id"] for a in assistants["assistants"])
    assert [a for a, n in ids.items() if n > 1] == [summary.tricky["duplicate_assistant"]]
    unknown = next(
        a for a in assistants["assistants"] if a["id"] == summary.tricky["unknown_model_assistant"]
    )
    models = profile.provider_models()
    assert unknown["model"]["id"] not in models.get(unknown["model"]["provider"], set())


def test_knowledge_bases_with_missing_embedding_models(any_profile: tuple[Profile, ProfileSummary]):
    profile, summary = any_profile
    bases = {b["id"]: b for b in profile.redux["knowledge"]["bases"]}
    models = profile.provider_models()
    gone = bases[summary.tricky["kb_missing_embedding_model"]]["model"]
    assert gone["provider"] not in models
    resurrectable = bases[summary.tricky["kb_resurrectable_embedding_model"]]["model"]
    assert resurrectable["id"] not in models[resurrectable["provider"]]
    healthy = [b for i, b in bases.items() if i not in summary.tricky.values()]
    assert all(b["model"]["id"] in models[b["model"]["provider"]] for b in healthy)
    kinds = {item["type"] for b in bases.values() for item in b["items"]}
    assert kinds == {"file", "url", "note", "directory", "sitemap", "memory", "video"}
