"""One group of tests per complex preference mapping: exact outputs for representative and malformed
legacy inputs, run through the mapping table so the wiring is covered too."""

from __future__ import annotations

import pytest

from cherry_migrate.migrators.mappings.complex_preferences import COMPLEX_PREFERENCE_MAPPINGS
from cherry_migrate.migrators.mappings.preference_tables import DroppedItem, TransformResult
from cherry_migrate.migrators.mappings.preference_transforms import legacy_model_to_unique_id

MAPPINGS = {mapping.id: mapping for mapping in COMPLEX_PREFERENCE_MAPPINGS}


def run(mapping_id: str, **sources) -> TransformResult:
    mapping = MAPPINGS[mapping_id]
    unknown = set(sources) - set(mapping.sources)
    assert not unknown, f"not a source of {mapping_id}: {unknown}"
    return mapping.transform({name: sources.get(name) for name in mapping.sources})


def drop(reason: str, item: str) -> DroppedItem:
    return DroppedItem(reason, item)


# --- websearch_default_provider_migrate ---


def test_web_search_default_provider_kept_when_v2_offers_it():
    result = run("websearch_default_provider_migrate", defaultProvider=" tavily ")
    assert result == TransformResult({"chat.web_search.default_search_keywords_provider": "tavily"})


def test_web_search_default_provider_local_ones_fall_back():
    result = run("websearch_default_provider_migrate", defaultProvider="local-bing")
    assert result == TransformResult({}, (drop("unsupported_provider", "local-bing"),))
    assert run("websearch_default_provider_migrate", defaultProvider="") == TransformResult({})
    assert run("websearch_default_provider_migrate", defaultProvider=42) == TransformResult({})
    assert run("websearch_default_provider_migrate") == TransformResult({})


# --- websearch_providers_migrate ---


def test_web_search_providers_keep_only_overrides():
    providers = [
        {"id": "tavily", "name": "Tavily", "apiKey": " key1, ,key2 ", "apiHost": "https://api.tavily.com"},
        {"id": "exa-mcp", "name": "ExaMCP", "apiHost": "https://mcp.exa.ai/mcp"},
        {
            "id": "searxng",
            "name": "Searxng",
            "apiHost": "",
            "url": "http://localhost:8080 ",
            "engines": [" google", ""],
        },
        {"id": "zhipu", "basicAuthUsername": "", "basicAuthPassword": "pw-without-user"},
        {"id": "bocha", "basicAuthUsername": "me", "basicAuthPassword": "pw"},
        {"id": "fetch", "apiHost": "https://example.com"},
        {"id": "local-google", "name": "Google"},
        "garbage",
    ]
    result = run("websearch_providers_migrate", providers=providers)
    assert result.values == {
        "chat.web_search.provider_overrides": {
            "tavily": {"apiKeys": ["key1", "key2"]},
            "searxng": {
                "capabilities": {"searchKeywords": {"apiHost": "http://localhost:8080"}},
                "engines": ["google"],
            },
            "bocha": {"basicAuthUsername": "me", "basicAuthPassword": "pw"},
        }
    }
    assert result.dropped == (drop("unsupported_provider", "local-google"), drop("malformed_entry", "#7"))


def test_web_search_providers_missing_or_malformed():
    assert run("websearch_providers_migrate").values == {"chat.web_search.provider_overrides": {}}
    assert run("websearch_providers_migrate", providers={"tavily": {}}).values == {
        "chat.web_search.provider_overrides": {}
    }


# --- websearch_compression_flatten ---


def test_compression_cutoff_kept():
    result = run("websearch_compression_flatten", compressionConfig={"method": "cutoff", "cutoffLimit": 500})
    assert result == TransformResult(
        {"chat.web_search.compression.method": "cutoff", "chat.web_search.compression.cutoff_limit": 500}
    )


def test_compression_without_config_is_v1_default():
    assert run("websearch_compression_flatten").values == {
        "chat.web_search.compression.method": "none",
        "chat.web_search.compression.cutoff_limit": 2000,
    }


def test_compression_rag_and_bad_limits():
    result = run("websearch_compression_flatten", compressionConfig={"method": "rag", "cutoffLimit": -3})
    assert result.values == {
        "chat.web_search.compression.method": "none",
        "chat.web_search.compression.cutoff_limit": 2000,
    }
    assert result.dropped == (drop("rag_compression_unsupported", "compressionConfig.method"),)
    odd = run("websearch_compression_flatten", compressionConfig={"method": "zip", "cutoffLimit": True})
    assert odd.values["chat.web_search.compression.cutoff_limit"] == 2000
    assert odd.dropped == (drop("unsupported_method", "compressionConfig.method"),)
    assert run("websearch_compression_flatten", compressionConfig={}).dropped == ()


# --- code_cli_configs ---


def test_code_cli_configs_from_legacy_code_tools():
    result = run(
        "code_cli_configs",
        selectedModels={
            "claude-code": {"id": "claude-sonnet-4", "provider": "anthropic", "name": "Sonnet"},
            "qwen-code": {"id": "qwen3-coder", "provider": "dashscope"},
            "gemini-cli": None,
            "openai-codex": {"id": "", "provider": "openai"},
            "iflow-cli": {"id": "m", "provider": "p"},
        },
        environmentVariables={"claude-code": "ANTHROPIC_BASE_URL=x", "qwen-code": "  "},
        directories=["/work/a", "/work/b"],
        currentDirectory="/work/a",
        selectedCliTool="qwen-code",
        selectedTerminal="iTerm2",
    )
    assert result.values == {
        "feature.code_cli.configs": {
            "claude-code": {
                "providers": {"anthropic": {"modelId": "anthropic::claude-sonnet-4"}},
                "current": "anthropic",
            },
            "qwen-code": {
                "providers": {"dashscope": {"modelId": "dashscope::qwen3-coder"}},
                "current": "dashscope",
                "directory": "/work/a",
                "terminal": "iTerm2",
            },
        }
    }
    assert result.dropped == (
        drop("invalid_model", "selectedModels.openai-codex"),
        drop("unsupported_tool", "iflow-cli"),
        drop("no_v2_equivalent", "environmentVariables.claude-code"),
        drop("no_v2_equivalent", "directories"),
    )


def test_code_cli_selected_tool_without_model_and_default_terminal():
    result = run(
        "code_cli_configs", selectedCliTool="gemini-cli", selectedTerminal="Terminal", currentDirectory=""
    )
    assert result == TransformResult(
        {"feature.code_cli.configs": {"gemini-cli": {"providers": {}, "current": None}}}
    )
    assert run("code_cli_configs").values == {"feature.code_cli.configs": {}}
    unknown = run("code_cli_configs", selectedCliTool="iflow-cli", selectedModels="broken")
    assert unknown == TransformResult(
        {"feature.code_cli.configs": {}}, (drop("unsupported_tool", "iflow-cli"),)
    )


# --- shortcut_preferences_migrate ---


def test_shortcuts_become_per_key_bindings():
    shortcuts = [
        {
            "key": "zoom_in",
            "shortcut": ["CommandOrControl", "="],
            "enabled": True,
            "editable": False,
            "system": True,
        },
        {"key": "new_topic", "shortcut": ["ctrl", "KeyN"], "enabled": False},
        {"key": "show_app", "shortcut": [], "enabled": "yes"},
        {"key": "clear_topic", "shortcut": ["CommandOrControl", "L"], "enabled": True},
        {"key": "resend_last_user_message", "shortcut": ["CommandOrControl", "R"], "enabled": False},
        {"key": "mini_window", "shortcut": "CommandOrControl+E"},
        {"key": "rename_topic", "shortcut": ["CommandOrControl", "Hyper"], "enabled": True},
        {"shortcut": ["A"]},
        None,
    ]
    result = run("shortcut_preferences_migrate", shortcuts=shortcuts)
    assert result.values == {
        "shortcut.app.zoom.in": {"binding": ["CommandOrControl", "="], "enabled": True},
        "shortcut.topic.create": {"binding": ["Ctrl", "N"], "enabled": False},
        "shortcut.app.window.show": {"binding": [], "enabled": True},
        "shortcut.topic.clear_messages": {"binding": ["CommandOrControl", "L"], "enabled": True},
        "shortcut.topic.rename": {"binding": [], "enabled": True},
    }
    assert result.dropped == (
        drop("no_v2_equivalent", "resend_last_user_message"),
        drop("malformed_binding", "mini_window"),
        drop("unrecognised_binding", "rename_topic"),
        drop("malformed_entry", "#7"),
        drop("malformed_entry", "#8"),
    )


@pytest.mark.parametrize(
    "order", [("toggle_sidebar", "toggle_show_assistants"), ("toggle_show_assistants", "toggle_sidebar")]
)
def test_shortcut_toggle_sidebar_wins_over_toggle_show_assistants(order):
    bindings = {
        "toggle_sidebar": ["CommandOrControl", "B"],
        "toggle_show_assistants": ["CommandOrControl", "["],
    }
    result = run(
        "shortcut_preferences_migrate", shortcuts=[{"key": key, "shortcut": bindings[key]} for key in order]
    )
    assert result.values == {
        "shortcut.app.sidebar.toggle": {"binding": ["CommandOrControl", "B"], "enabled": True}
    }
    assert result.dropped == (drop("superseded", "toggle_show_assistants"),)


def test_shortcuts_missing_or_not_a_list():
    assert run("shortcut_preferences_migrate") == TransformResult({})
    assert run("shortcut_preferences_migrate", shortcuts={"zoom_in": []}) == TransformResult(
        {}, (drop("malformed_source", "shortcuts"),)
    )


# --- send_message_shortcut_binding ---


@pytest.mark.parametrize(
    ("legacy", "binding"),
    [
        ("Enter", ["Enter"]),
        ("Shift+Enter", ["Shift", "Enter"]),
        ("Ctrl+Enter", ["Ctrl", "Enter"]),
        ("Command+Enter", ["Command", "Enter"]),
        ("Alt+Enter", ["Alt", "Enter"]),
        (["Shift", "Enter"], ["Shift", "Enter"]),
    ],
)
def test_send_message_shortcut_text_becomes_binding(legacy, binding):
    result = run("send_message_shortcut_binding", sendMessageShortcut=legacy)
    assert result == TransformResult({"chat.input.send_message_shortcut": binding})


@pytest.mark.parametrize("legacy", ["Hyper+Enter", "", "+", 5, ["Shift", 1]])
def test_send_message_shortcut_unreadable(legacy):
    result = run("send_message_shortcut_binding", sendMessageShortcut=legacy)
    assert result == TransformResult({}, (drop("unrecognised_binding", "sendMessageShortcut"),))


def test_send_message_shortcut_absent():
    assert run("send_message_shortcut_binding") == TransformResult({})


# --- sidebar_favorites_migrate ---


def test_sidebar_favorites_rename_and_add_agents():
    result = run(
        "sidebar_favorites_migrate",
        visible=["assistants", "store", "minapp", "translate", "minapp", "knowledge"],
        disabled=["files"],
    )
    assert result.values == {
        "ui.sidebar.favorites": [
            {"type": "app", "id": "assistants"},
            {"type": "app", "id": "agents"},
            {"type": "app", "id": "mini_app"},
            {"type": "app", "id": "translate"},
            {"type": "app", "id": "knowledge"},
        ]
    }
    assert result.dropped == (drop("no_v2_equivalent", "store"),)


def test_sidebar_favorites_agents_placement():
    appended = run("sidebar_favorites_migrate", visible=["paintings"])
    assert appended.values["ui.sidebar.favorites"] == [
        {"type": "app", "id": "paintings"},
        {"type": "app", "id": "agents"},
    ]
    hidden = run("sidebar_favorites_migrate", visible=["assistants"], disabled=["agents"])
    assert hidden.values["ui.sidebar.favorites"] == [{"type": "app", "id": "assistants"}]


def test_sidebar_favorites_malformed():
    assert run("sidebar_favorites_migrate", disabled=["files"]) == TransformResult({})
    result = run("sidebar_favorites_migrate", visible=["assistants", 7], disabled="files")
    assert [item["id"] for item in result.values["ui.sidebar.favorites"]] == ["assistants", "agents"]
    assert result.dropped == (drop("malformed_entry", "#1"),)


# --- file_processing_overrides_merge ---


def test_file_processing_overrides_merge_preprocess_and_ocr():
    result = run(
        "file_processing_overrides_merge",
        preprocessProviders=[
            {"id": "mineru", "name": "MinerU", "apiKey": "mk", "apiHost": "https://mineru.net"},
            {"id": "doc2x", "apiKey": "dk", "apiHost": "https://doc2x.example", "model": "v3-2026"},
            {"id": "mistral", "apiKey": "", "model": "mistral-ocr-2", "options": {"pages": 3}},
            {"id": "paddleocr", "apiKey": "pk", "apiHost": "https://paddle.example", "model": "x"},
            {"id": "unknown-one", "apiKey": "zz"},
        ],
        ocrProviders=[
            {"id": "tesseract", "config": {"langs": {"chi_sim": True, "eng": True, "fra": False}}},
            {"id": "system", "config": {"langs": ["en-us", "", 3]}},
            {"id": "paddleocr", "config": {"accessToken": "pk", "apiUrl": "https://paddle.example"}},
            {
                "id": "mistral",
                "config": {"api": {"apiKey": "mk2", "apiHost": "https://api.mistral.ai", "apiVersion": "v1"}},
            },
            {"id": "ovocr", "config": {"langs": "eng"}},
            {"id": "ovocr"},
        ],
    )
    assert result.values == {
        "feature.file_processing.overrides": {
            "mineru": {"apiKeys": ["mk"]},
            "doc2x": {
                "apiKeys": ["dk"],
                "capabilities": {"document_to_markdown": {"apiHost": "https://doc2x.example"}},
            },
            "mistral": {
                "capabilities": {"document_to_markdown": {"modelId": "mistral-ocr-2"}},
                "options": {"pages": 3, "apiVersion": "v1"},
                "apiKeys": ["mk2"],
            },
            "paddleocr": {"apiKeys": ["pk"]},
            "tesseract": {"options": {"langs": ["chi_sim", "eng"]}},
            "system": {"options": {"langs": ["en-us"]}},
        }
    }
    assert result.dropped == (
        drop("unsupported_provider", "unknown-one"),
        drop("invalid_value", "ovocr.langs"),
    )


def test_file_processing_overrides_empty_and_malformed():
    assert run("file_processing_overrides_merge").values == {"feature.file_processing.overrides": {}}
    result = run(
        "file_processing_overrides_merge", preprocessProviders="x", ocrProviders=[None, {"name": "no id"}]
    )
    assert result == TransformResult(
        {"feature.file_processing.overrides": {}}, (drop("unsupported_provider", "None"),)
    )


# --- llm_model_ids_to_unique ---


def test_llm_model_ids():
    result = run(
        "llm_model_ids_to_unique",
        defaultModel={"id": "gpt-4o", "provider": "openai", "name": "GPT-4o"},
        topicNamingModel={"id": "m", "provider": "p"},
        quickModel={"id": " qwen::qwen-max ", "provider": "dashscope"},
        translateModel={"id": "x"},
    )
    assert result.values == {
        "chat.default_model_id": "openai::gpt-4o",
        "feature.quick_assistant.model_id": "qwen::qwen-max",
        "feature.translate.model_id": None,
    }
    assert result.dropped == (drop("no_v2_equivalent", "topicNamingModel"),)


def test_llm_model_ids_absent():
    assert run("llm_model_ids_to_unique") == TransformResult(
        {
            "chat.default_model_id": None,
            "feature.quick_assistant.model_id": None,
            "feature.translate.model_id": None,
        }
    )


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ({"id": "m", "provider": "p"}, "p::m"),
        ({"id": " m ", "provider": " p "}, "p::m"),
        ({"id": "a::b", "provider": "p"}, "a::b"),
        ({"id": "m", "provider": ""}, None),
        ({"id": 3, "provider": "p"}, None),
        ("p::m", None),
        (None, None),
    ],
)
def test_legacy_model_to_unique_id(model, expected):
    assert legacy_model_to_unique_id(model) == expected


# --- openclaw_preferences ---


def test_openclaw_port_and_model():
    result = run(
        "openclaw_preferences", gatewayPort=18800, selectedModelUniqId='{"id":"gpt-4o","provider":"openai"}'
    )
    assert result == TransformResult(
        {"feature.openclaw.gateway_port": 18800, "feature.openclaw.selected_model_id": "openai::gpt-4o"}
    )


def test_openclaw_malformed():
    result = run("openclaw_preferences", gatewayPort=0, selectedModelUniqId="{not json")
    assert result.values == {"feature.openclaw.selected_model_id": None}
    assert result.dropped == (
        drop("invalid_value", "gatewayPort"),
        drop("malformed_value", "selectedModelUniqId"),
    )
    assert run("openclaw_preferences", gatewayPort=True, selectedModelUniqId='["x"]').values == {
        "feature.openclaw.selected_model_id": None
    }
    assert run("openclaw_preferences") == TransformResult({"feature.openclaw.selected_model_id": None})


# --- translate_action_pair_split ---


def test_translate_action_pair_split():
    result = run("translate_action_pair_split", bidirectionalPair=["ZH-CN", "ar-ar", "extra"])
    assert result == TransformResult(
        {"feature.translate.action.preferred_lang": "zh-cn", "feature.translate.action.alter_lang": "ar-sa"}
    )


@pytest.mark.parametrize("pair", [["zh-cn"], ["zh_CN", "en-us"], ["auto", "en-us"], "zh-cn,en-us", [1, 2]])
def test_translate_action_pair_invalid(pair):
    assert run("translate_action_pair_split", bidirectionalPair=pair) == TransformResult(
        {}, (drop("invalid_language_code", "translate:bidirectional:pair"),)
    )


def test_translate_action_pair_absent():
    assert run("translate_action_pair_split") == TransformResult({})


# --- translate_mini_window_target ---


def test_translate_mini_window_target():
    assert run("translate_mini_window_target", targetLanguage="EN-US") == TransformResult(
        {"feature.translate.mini_window.target_lang": "en-us"}
    )
    assert run("translate_mini_window_target", targetLanguage="English") == TransformResult(
        {}, (drop("invalid_language_code", "translate:target:language"),)
    )
    assert run("translate_mini_window_target") == TransformResult({})


# --- translate_page_languages ---


def test_translate_page_languages():
    result = run(
        "translate_page_languages",
        bidirectionalPair=["en-us", "JA-JP"],
        sourceLanguage="auto",
        targetLanguage="ja",
    )
    assert result == TransformResult(
        {
            "feature.translate.page.bidirectional_pair": ["en-us", "ja-jp"],
            "feature.translate.page.source_language": "auto",
            "feature.translate.page.target_language": "ja",
        }
    )


def test_translate_page_languages_partial_and_invalid():
    result = run(
        "translate_page_languages", bidirectionalPair=["en-us"], sourceLanguage="", targetLanguage="zh-CN"
    )
    assert result.values == {"feature.translate.page.target_language": "zh-cn"}
    assert result.dropped == (
        drop("invalid_language_code", "translate:bidirectional:pair"),
        drop("invalid_language_code", "translate:source:language"),
    )
    assert run("translate_page_languages") == TransformResult({})
