"""Pure transforms of the complex preference mappings (see ``complex_preferences.py``).

Each takes the legacy values named by its mapping (None when absent) and returns a ``TransformResult``:
the target keys it could fill, plus the legacy sub-items it had to leave behind, named without their
values. Leaving a key out means "no usable legacy value": the schema default applies. Transforms never
raise on malformed input; the migrator still guards against it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from cherry_migrate.migrators.mappings.preference_presets import (
    CODE_CLI_IDS,
    DEFAULT_WEB_SEARCH_CUTOFF_LIMIT,
    SIDEBAR_FAVORITES,
    SYSTEM_DEFAULT_TERMINAL,
    WEB_SEARCH_KEYWORD_HOSTS,
    WEB_SEARCH_PROVIDER_IDS,
)
from cherry_migrate.migrators.mappings.preference_tables import DroppedItem, TransformResult
from cherry_migrate.migrators.mappings.shortcut_tokens import normalize_binding

MODEL_ID_SEPARATOR = "::"

# --- shared helpers ---------------------------------------------------------------------------------


def legacy_model_to_unique_id(model: object) -> str | None:
    """``{provider, id}`` → ``provider::id`` (trimmed); an id that is already ``a::b`` is kept as is.
    None when either part is missing or not a string."""
    if not isinstance(model, Mapping):
        return None
    provider = _text(model.get("provider"))
    model_id = _text(model.get("id"))
    if not provider or not model_id:
        return None
    return model_id if MODEL_ID_SEPARATOR in model_id else f"{provider}{MODEL_ID_SEPARATOR}{model_id}"


def _text(value: object) -> str | None:
    """A stripped, non-empty string, else None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _is_positive_number(value: object) -> bool:
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0
    )


# --- web search ---------------------------------------------------------------------------------------

WEB_SEARCH_DEFAULT_PROVIDER_KEY = "chat.web_search.default_search_keywords_provider"
WEB_SEARCH_OVERRIDES_KEY = "chat.web_search.provider_overrides"
COMPRESSION_METHOD_KEY = "chat.web_search.compression.method"
COMPRESSION_CUTOFF_KEY = "chat.web_search.compression.cutoff_limit"


def normalize_web_search_default_provider(sources: Mapping[str, Any]) -> TransformResult:
    """A legacy default provider that v2 still offers is kept; local-* and removed providers give way
    to the v2 default."""
    provider = _text(sources.get("defaultProvider"))
    if provider is None:
        return TransformResult({})
    if provider in WEB_SEARCH_PROVIDER_IDS:
        return TransformResult({WEB_SEARCH_DEFAULT_PROVIDER_KEY: provider})
    return TransformResult({}, (DroppedItem("unsupported_provider", provider),))


def migrate_web_search_providers(sources: Mapping[str, Any]) -> TransformResult:
    """Legacy provider list → v2 overrides holding only what differs from each v2 preset: API keys
    (the comma-separated legacy field split), a non-default host, engines and basic auth."""
    providers = sources.get("providers")
    if not isinstance(providers, list):
        return TransformResult({WEB_SEARCH_OVERRIDES_KEY: {}})
    overrides: dict[str, dict[str, Any]] = {}
    dropped: list[DroppedItem] = []
    for index, provider in enumerate(providers):
        provider_id = provider.get("id") if isinstance(provider, Mapping) else None
        if not isinstance(provider_id, str):
            dropped.append(DroppedItem("malformed_entry", f"#{index}"))
            continue
        if provider_id not in WEB_SEARCH_KEYWORD_HOSTS:
            dropped.append(DroppedItem("unsupported_provider", provider_id))
            continue
        override = _web_search_override(provider, WEB_SEARCH_KEYWORD_HOSTS[provider_id])
        if override:
            overrides[provider_id] = override
    return TransformResult({WEB_SEARCH_OVERRIDES_KEY: overrides}, tuple(dropped))


def _web_search_override(provider: Mapping[str, Any], preset_host: str | None) -> dict[str, Any]:
    override: dict[str, Any] = {}
    raw_keys = provider.get("apiKey")
    api_keys = [k.strip() for k in raw_keys.split(",") if k.strip()] if isinstance(raw_keys, str) else []
    if api_keys:
        override["apiKeys"] = api_keys
    host = _text(provider.get("apiHost")) or _text(provider.get("url"))
    if host and preset_host is not None and host != preset_host:
        override["capabilities"] = {"searchKeywords": {"apiHost": host}}
    engines = provider.get("engines")
    if isinstance(engines, list):
        kept = [engine for engine in (_text(e) for e in engines) if engine]
        if kept:
            override["engines"] = kept
    username = _text(provider.get("basicAuthUsername"))
    if username:
        override["basicAuthUsername"] = username
        password = _text(provider.get("basicAuthPassword"))
        if password:
            override["basicAuthPassword"] = password
    return override


def flatten_compression_config(sources: Mapping[str, Any]) -> TransformResult:
    """``compressionConfig`` → method (``none``/``cutoff``; RAG compression no longer exists) and a
    positive cutoff limit. No config at all is v1's own default: no compression."""
    config = sources.get("compressionConfig")
    if not isinstance(config, Mapping):
        return TransformResult(
            {COMPRESSION_METHOD_KEY: "none", COMPRESSION_CUTOFF_KEY: DEFAULT_WEB_SEARCH_CUTOFF_LIMIT}
        )
    method = config.get("method")
    dropped: tuple[DroppedItem, ...] = ()
    if method not in ("none", "cutoff"):
        if method is not None:
            reason = "rag_compression_unsupported" if method == "rag" else "unsupported_method"
            dropped = (DroppedItem(reason, "compressionConfig.method"),)
        method = "none"
    limit = config.get("cutoffLimit")
    cutoff = limit if _is_positive_number(limit) else DEFAULT_WEB_SEARCH_CUTOFF_LIMIT
    return TransformResult({COMPRESSION_METHOD_KEY: method, COMPRESSION_CUTOFF_KEY: cutoff}, dropped)


# --- models -----------------------------------------------------------------------------------------

LLM_MODEL_TARGETS = {
    "defaultModel": "chat.default_model_id",
    "quickModel": "feature.quick_assistant.model_id",
    "translateModel": "feature.translate.model_id",
}
OPENCLAW_PORT_KEY = "feature.openclaw.gateway_port"
OPENCLAW_MODEL_KEY = "feature.openclaw.selected_model_id"


def convert_llm_model_ids(sources: Mapping[str, Any]) -> TransformResult:
    """Model objects → ``provider::model`` (null when incomplete). The deprecated topic-naming model
    has no v2 key, so it is reported as left behind."""
    values = {key: legacy_model_to_unique_id(sources.get(name)) for name, key in LLM_MODEL_TARGETS.items()}
    dropped: tuple[DroppedItem, ...] = ()
    if legacy_model_to_unique_id(sources.get("topicNamingModel")) is not None:
        dropped = (DroppedItem("no_v2_equivalent", "topicNamingModel"),)
    return TransformResult(values, dropped)


def convert_openclaw_preferences(sources: Mapping[str, Any]) -> TransformResult:
    """A positive gateway port is kept (anything else falls back to the default); the selected model
    is a JSON-encoded ``{id, provider}`` string."""
    values: dict[str, Any] = {}
    dropped: list[DroppedItem] = []
    port = sources.get("gatewayPort")
    if _is_positive_number(port):
        values[OPENCLAW_PORT_KEY] = port
    elif port is not None:
        dropped.append(DroppedItem("invalid_value", "gatewayPort"))
    model: object = None
    raw = sources.get("selectedModelUniqId")
    if isinstance(raw, str) and raw:
        try:
            model = json.loads(raw)
        except ValueError:
            dropped.append(DroppedItem("malformed_value", "selectedModelUniqId"))
    values[OPENCLAW_MODEL_KEY] = legacy_model_to_unique_id(model)
    return TransformResult(values, tuple(dropped))


# --- code CLI ---------------------------------------------------------------------------------------

CODE_CLI_CONFIGS_KEY = "feature.code_cli.configs"


def convert_code_cli_configs(sources: Mapping[str, Any]) -> TransformResult:
    """Legacy ``codeTools`` → v2 ``CodeCliConfigs`` (per tool: providers by id, the current one, and a
    working directory and terminal). Each tool's selected model becomes its current provider; the
    selected tool receives the working directory and a non-default terminal. v2 has no place for the
    per-tool environment variables or the recent-directories list: they are reported as left behind."""
    configs: dict[str, dict[str, Any]] = {}
    dropped: list[DroppedItem] = []
    models = sources.get("selectedModels")
    for tool, model in models.items() if isinstance(models, Mapping) else ():
        if model is None:
            continue
        if tool not in CODE_CLI_IDS:
            dropped.append(DroppedItem("unsupported_tool", str(tool)))
            continue
        unique_id = legacy_model_to_unique_id(model)
        if unique_id is None:
            dropped.append(DroppedItem("invalid_model", f"selectedModels.{tool}"))
            continue
        provider = unique_id.split(MODEL_ID_SEPARATOR, 1)[0]
        configs[tool] = {"providers": {provider: {"modelId": unique_id}}, "current": provider}
    selected = _text(sources.get("selectedCliTool"))
    if selected in CODE_CLI_IDS:
        state = configs.setdefault(selected, {"providers": {}, "current": None})
        directory = _text(sources.get("currentDirectory"))
        if directory:
            state["directory"] = directory
        terminal = _text(sources.get("selectedTerminal"))
        if terminal and terminal != SYSTEM_DEFAULT_TERMINAL:
            state["terminal"] = terminal
    elif selected is not None:
        dropped.append(DroppedItem("unsupported_tool", selected))
    environment = sources.get("environmentVariables")
    for tool, text in environment.items() if isinstance(environment, Mapping) else ():
        if _text(text):
            dropped.append(DroppedItem("no_v2_equivalent", f"environmentVariables.{tool}"))
    directories = sources.get("directories")
    if isinstance(directories, list) and directories:
        dropped.append(DroppedItem("no_v2_equivalent", "directories"))
    return TransformResult({CODE_CLI_CONFIGS_KEY: configs}, tuple(dropped))


# --- shortcuts --------------------------------------------------------------------------------------

LEGACY_SHORTCUT_TARGETS = {
    "zoom_in": "shortcut.app.zoom.in",
    "zoom_out": "shortcut.app.zoom.out",
    "zoom_reset": "shortcut.app.zoom.reset",
    "show_settings": "shortcut.app.settings.open",
    "show_app": "shortcut.app.window.show",
    "new_topic": "shortcut.topic.create",
    "rename_topic": "shortcut.topic.rename",
    "clear_topic": "shortcut.topic.clear_messages",
    "toggle_show_topics": "shortcut.topic.sidebar.toggle",
    "toggle_show_assistants": "shortcut.app.sidebar.toggle",
    "toggle_sidebar": "shortcut.app.sidebar.toggle",
    "toggle_new_context": "shortcut.chat.context.toggle_new",
    "copy_last_message": "shortcut.chat.message.copy_last",
    "edit_last_user_message": "shortcut.chat.message.edit_last_user",
    "search_message_in_chat": "shortcut.chat.message.search",
    "search_message": "shortcut.app.search",
    "select_model": "shortcut.chat.model.select",
    "exit_fullscreen": "shortcut.app.fullscreen.exit",
    "mini_window": "shortcut.quick_assistant.toggle",
    "selection_assistant_toggle": "shortcut.selection.toggle",
    "selection_assistant_select_text": "shortcut.selection.capture_text",
}
SHORTCUT_TARGET_KEYS = tuple(dict.fromkeys(LEGACY_SHORTCUT_TARGETS.values()))
_SHORTCUT_PRIORITY = {"toggle_show_assistants": 0, "toggle_sidebar": 1}
"""Both legacy keys toggle the same v2 sidebar; the newer ``toggle_sidebar`` wins."""


def transform_shortcuts(sources: Mapping[str, Any]) -> TransformResult:
    """The legacy ``[{key, shortcut, enabled}]`` list → one ``{binding, enabled}`` per v2 key."""
    entries = sources.get("shortcuts")
    if entries is None:
        return TransformResult({})
    if not isinstance(entries, list):
        return TransformResult({}, (DroppedItem("malformed_source", "shortcuts"),))
    values: dict[str, Any] = {}
    producers: dict[str, tuple[str, int]] = {}
    dropped: list[DroppedItem] = []
    for index, entry in enumerate(entries):
        legacy_key = entry.get("key") if isinstance(entry, Mapping) else None
        if not isinstance(legacy_key, str) or not legacy_key:
            dropped.append(DroppedItem("malformed_entry", f"#{index}"))
            continue
        target = LEGACY_SHORTCUT_TARGETS.get(legacy_key)
        if target is None:
            dropped.append(DroppedItem("no_v2_equivalent", legacy_key))
            continue
        raw = entry.get("shortcut", [])
        if not isinstance(raw, list) or not all(isinstance(token, str) for token in raw):
            dropped.append(DroppedItem("malformed_binding", legacy_key))
            continue
        priority = _SHORTCUT_PRIORITY.get(legacy_key, 0)
        if target in producers:
            earlier, earlier_priority = producers[target]
            if priority < earlier_priority:
                dropped.append(DroppedItem("superseded", legacy_key))
                continue
            dropped.append(DroppedItem("superseded", earlier))
        binding = normalize_binding(raw)
        if binding is None:
            dropped.append(DroppedItem("unrecognised_binding", legacy_key))
        enabled = entry.get("enabled")
        values[target] = {"binding": binding or [], "enabled": enabled if isinstance(enabled, bool) else True}
        producers[target] = (legacy_key, priority)
    return TransformResult(values, tuple(dropped))


SEND_MESSAGE_SHORTCUT_KEY = "chat.input.send_message_shortcut"


def convert_send_message_shortcut(sources: Mapping[str, Any]) -> TransformResult:
    """v1 stored the send key as text (``'Shift+Enter'``); v2 stores a key binding (``['Shift',
    'Enter']``)."""
    raw = sources.get("sendMessageShortcut")
    if raw is None:
        return TransformResult({})
    parts = raw.split("+") if isinstance(raw, str) else raw
    binding = None
    if isinstance(parts, list) and all(isinstance(part, str) for part in parts):
        binding = normalize_binding(parts)
    if not binding:
        return TransformResult({}, (DroppedItem("unrecognised_binding", "sendMessageShortcut"),))
    return TransformResult({SEND_MESSAGE_SHORTCUT_KEY: binding})


# --- sidebar ----------------------------------------------------------------------------------------

SIDEBAR_FAVORITES_KEY = "ui.sidebar.favorites"


def migrate_sidebar_favorites(sources: Mapping[str, Any]) -> TransformResult:
    """Visible legacy sidebar icons → v2 favorites, in the user's order: ``minapp`` is now
    ``mini_app``, and the v2 ``agents`` page is added after ``assistants`` unless the user hid it.
    Icons v2 no longer has are reported as left behind."""
    visible = sources.get("visible")
    if not isinstance(visible, list):
        return TransformResult({})
    disabled = sources.get("disabled")
    hidden = {_renamed_icon(icon) for icon in _strings(disabled)}
    shown: list[str] = []
    dropped: list[DroppedItem] = []
    for index, icon in enumerate(visible):
        if isinstance(icon, str):
            shown.append(_renamed_icon(icon))
        else:
            dropped.append(DroppedItem("malformed_entry", f"#{index}"))
    if "agents" not in shown and "agents" not in hidden:
        shown.insert(shown.index("assistants") + 1 if "assistants" in shown else len(shown), "agents")
    favorites = []
    for icon in dict.fromkeys(shown):
        if icon in SIDEBAR_FAVORITES:
            favorites.append({"type": "app", "id": icon})
        else:
            dropped.append(DroppedItem("no_v2_equivalent", icon))
    return TransformResult({SIDEBAR_FAVORITES_KEY: favorites}, tuple(dropped))


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _renamed_icon(icon: str) -> str:
    return "mini_app" if icon == "minapp" else icon


# --- translate --------------------------------------------------------------------------------------

ACTION_PREFERRED_LANG_KEY = "feature.translate.action.preferred_lang"
ACTION_ALTER_LANG_KEY = "feature.translate.action.alter_lang"
MINI_WINDOW_TARGET_KEY = "feature.translate.mini_window.target_lang"
PAGE_PAIR_KEY = "feature.translate.page.bidirectional_pair"
PAGE_SOURCE_KEY = "feature.translate.page.source_language"
PAGE_TARGET_KEY = "feature.translate.page.target_language"

_PERSISTED_LANG_CODE = re.compile(r"^[a-z]{2,3}(-[a-z]{2,4})?$")
_RENAMED_LANG_CODES = {"ar-ar": "ar-sa"}


def split_translate_pair_for_action(sources: Mapping[str, Any]) -> TransformResult:
    """The page's bidirectional pair also seeds the selection action's preferred/alternative
    languages."""
    pair = sources.get("bidirectionalPair")
    if pair is None:
        return TransformResult({})
    codes = _lang_pair(pair)
    if codes is None:
        return TransformResult({}, (DroppedItem("invalid_language_code", "translate:bidirectional:pair"),))
    return TransformResult({ACTION_PREFERRED_LANG_KEY: codes[0], ACTION_ALTER_LANG_KEY: codes[1]})


def copy_mini_window_target_language(sources: Mapping[str, Any]) -> TransformResult:
    """The page's target language also becomes the mini window's."""
    value = sources.get("targetLanguage")
    if value is None:
        return TransformResult({})
    code = _lang_code(value)
    if code is None:
        return TransformResult({}, (DroppedItem("invalid_language_code", "translate:target:language"),))
    return TransformResult({MINI_WINDOW_TARGET_KEY: code})


def copy_translate_page_languages(sources: Mapping[str, Any]) -> TransformResult:
    """The translate page's pair, source (``auto`` allowed) and target languages, canonicalised."""
    values: dict[str, Any] = {}
    dropped: list[DroppedItem] = []
    pair = sources.get("bidirectionalPair")
    if pair is not None:
        codes = _lang_pair(pair)
        if codes is None:
            dropped.append(DroppedItem("invalid_language_code", "translate:bidirectional:pair"))
        else:
            values[PAGE_PAIR_KEY] = list(codes)
    source = sources.get("sourceLanguage")
    if source is not None:
        code = "auto" if source == "auto" else _lang_code(source)
        if code is None:
            dropped.append(DroppedItem("invalid_language_code", "translate:source:language"))
        else:
            values[PAGE_SOURCE_KEY] = code
    target = sources.get("targetLanguage")
    if target is not None:
        code = _lang_code(target)
        if code is None:
            dropped.append(DroppedItem("invalid_language_code", "translate:target:language"))
        else:
            values[PAGE_TARGET_KEY] = code
    return TransformResult(values, tuple(dropped))


def _lang_code(value: object) -> str | None:
    """A persisted v2 language code (``en-us``, ``ja``), from any letter case; None otherwise."""
    if not isinstance(value, str):
        return None
    code = value.lower()
    code = _RENAMED_LANG_CODES.get(code, code)
    return code if _PERSISTED_LANG_CODE.match(code) else None


def _lang_pair(pair: object) -> tuple[str, str] | None:
    if not isinstance(pair, list) or len(pair) < 2:
        return None
    first, second = _lang_code(pair[0]), _lang_code(pair[1])
    return (first, second) if first and second else None
