"""Collecting the three assistant slots and merging same-id records."""

from __future__ import annotations

from cherry_migrate.migrators.assistant.sources import (
    ASSISTANTS_KIND,
    DEFAULT_ASSISTANT_KIND,
    PRESETS_KIND,
    SourceSkip,
    collect_legacy_assistants,
    is_present,
    merge_legacy_assistants,
)
from cherry_migrate.migrators.assistant.transform import legacy_model_ref, transform_assistant


def test_is_present_rules() -> None:
    assert not is_present(None)
    assert not is_present("")
    assert not is_present([])
    assert not is_present({})
    assert is_present(False)
    assert is_present(0)
    assert is_present(" ")
    assert is_present([1])


def test_merge_primary_wins_where_present_and_secondary_fills_gaps() -> None:
    primary = {
        "id": "a",
        "name": "",
        "prompt": "primary prompt",
        "mcpServers": [],
        "enableWebSearch": False,
        "settings": {"temperature": 0.3, "topP": None, "customParameters": []},
        "futureField": "p",
    }
    secondary = {
        "id": "a",
        "name": "Secondary",
        "prompt": "secondary prompt",
        "mcpServers": [{"id": "s1"}],
        "enableWebSearch": True,
        "settings": {"temperature": 0.9, "topP": 0.5, "customParameters": [{"name": "k"}], "contextCount": 7},
        "otherField": "s",
    }
    assert merge_legacy_assistants(primary, secondary) == {
        "id": "a",
        "name": "Secondary",
        "prompt": "primary prompt",
        "mcpServers": [{"id": "s1"}],
        "enableWebSearch": False,
        "settings": {"temperature": 0.3, "topP": 0.5, "customParameters": [{"name": "k"}], "contextCount": 7},
        "futureField": "p",
        "otherField": "s",
    }


def test_merge_keeps_a_settings_object_when_the_other_side_has_none() -> None:
    merged = merge_legacy_assistants({"id": "a", "settings": None}, {"id": "a", "settings": {"topP": 0.2}})
    assert merged["settings"] == {"topP": 0.2}


def test_collect_merges_same_id_records_and_counts_every_slot() -> None:
    state = {
        "assistants": [{"id": "default", "name": "Live"}, {"id": "u1", "name": "Mine"}],
        "presets": [{"id": "p1", "name": "Preset"}, {"id": "u1", "prompt": "from preset"}],
        "defaultAssistant": {"id": "default", "name": "Slot", "prompt": "slot prompt"},
    }
    result = collect_legacy_assistants(state)
    assert [(a.id, a.origins) for a in result.assistants] == [
        ("default", [ASSISTANTS_KIND, DEFAULT_ASSISTANT_KIND]),
        ("u1", [ASSISTANTS_KIND, PRESETS_KIND]),
        ("p1", [PRESETS_KIND]),
    ]
    assert result.assistants[0].data == {"id": "default", "name": "Live", "prompt": "slot prompt"}
    assert result.assistants[1].data == {"id": "u1", "name": "Mine", "prompt": "from preset"}
    assert result.read == {ASSISTANTS_KIND: 2, PRESETS_KIND: 2, DEFAULT_ASSISTANT_KIND: 1}
    assert result.written == result.read
    assert result.merged_ids == ["u1", "default"]
    assert result.skips == []
    assert any("'default' appears more than once" in w for w in result.warnings)


def test_collect_skips_malformed_records_with_reasons() -> None:
    state = {
        "assistants": ["not an object", {"name": "no id"}, {"id": "  "}, {"id": 42}, {"id": "ok"}],
        "presets": None,
        "defaultAssistant": ["wrong"],
    }
    result = collect_legacy_assistants(state)
    assert [a.id for a in result.assistants] == ["ok"]
    assert result.skips == [
        SourceSkip(ASSISTANTS_KIND, "not_an_object", "assistants.assistants[0]", "entry is not an object"),
        SourceSkip(ASSISTANTS_KIND, "missing_id", "assistants.assistants[1]", "assistant has no id"),
        SourceSkip(ASSISTANTS_KIND, "missing_id", "assistants.assistants[2]", "assistant has no id"),
        SourceSkip(ASSISTANTS_KIND, "invalid_id", "assistants.assistants[3]", "assistant id is not a string"),
        SourceSkip(
            DEFAULT_ASSISTANT_KIND, "not_an_object", "assistants.defaultAssistant", "entry is not an object"
        ),
    ]
    assert result.read == {ASSISTANTS_KIND: 5, DEFAULT_ASSISTANT_KIND: 1}
    assert result.written == {ASSISTANTS_KIND: 1}


def test_collect_reports_non_list_slots_and_missing_slice() -> None:
    result = collect_legacy_assistants({"assistants": {"id": "x"}, "presets": "nope"})
    assert result.assistants == []
    assert result.warnings == [
        "assistants.assistants is a dict, not a list; nothing read from it",
        "assistants.presets is a str, not a list; nothing read from it",
    ]
    assert collect_legacy_assistants(None).warnings == [
        "no assistants slice in the Redux state; no assistants to migrate"
    ]
    assert collect_legacy_assistants("garbage").warnings == ["the assistants slice is a str, not an object"]


def test_legacy_model_ref_shapes() -> None:
    assert legacy_model_ref({"id": " gpt-4o ", "provider": " openai "}) == "openai::gpt-4o"
    assert legacy_model_ref({"id": "openai::gpt-4o", "provider": "other"}) == "openai::gpt-4o"
    assert legacy_model_ref({"id": "m", "provider": "a::b"}) is None
    assert legacy_model_ref({"id": "m"}) is None
    assert legacy_model_ref({"id": 3, "provider": "p"}) is None
    assert legacy_model_ref("openai::gpt-4o") is None
    assert legacy_model_ref(None) is None


def test_cherryai_models_become_the_seeded_default_model() -> None:
    assert legacy_model_ref({"id": "glm-4", "provider": "cherryai"}) == "cherryai::qwen"
    assert legacy_model_ref({"provider": " cherryai "}) == "cherryai::qwen"
    assert legacy_model_ref({"id": "cherryai::old", "provider": "x"}) == "cherryai::qwen"


def test_transform_model_fallbacks() -> None:
    assert transform_assistant("a", {"defaultModel": {"id": "d", "provider": "p"}}).model_ref == "p::d"
    nested = transform_assistant(
        "a", {"model": {}, "settings": {"defaultModel": {"id": "s", "provider": "p"}}}
    )
    assert nested.model_ref == "p::s"
    assert not nested.malformed_model
    broken = transform_assistant("a", {"model": {"id": "x"}})
    assert broken.model_ref is None
    assert broken.malformed_model


def test_transform_wrong_types_fall_back_to_defaults() -> None:
    item = transform_assistant(
        "a",
        {
            "name": 12,
            "prompt": ["x"],
            "emoji": "",
            "description": None,
            "settings": "fast",
            "mcpServers": {"id": "s"},
            "tags": "work",
        },
    )
    assert (item.name, item.prompt, item.emoji, item.description) == ("Unnamed Assistant", "", "🌟", "")
    assert item.wrong_type_fields == ["name", "prompt", "settings", "mcpServers", "tags"]
    assert item.mcp_servers == []
    assert item.tags == []


def test_transform_top_level_fields_move_into_settings() -> None:
    item = transform_assistant(
        "a", {"mcpMode": "manual", "enableWebSearch": True, "settings": {"mcpMode": "disabled"}}
    )
    assert item.settings["mcpMode"] == "manual"
    assert item.settings["enableWebSearch"] is True
