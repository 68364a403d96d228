"""The complex preference mappings (target-schema.md §5.7): legacy values that need a transform.

Where this table differs from upstream's ``ComplexPreferenceMappings.ts`` (latest known variant):

* ``code_cli_overrides`` wrote ``feature.code_cli.overrides``, a key the current schema no longer has;
  ``code_cli_configs`` writes the schema's ``feature.code_cli.configs`` instead.
* ``llm_model_ids_to_unique`` also wrote ``topic.naming.model_id``, which is not in the schema; the
  deprecated topic-naming model is reported as left behind.
* ``send_message_shortcut_binding`` is new: the schema turned ``chat.input.send_message_shortcut``
  from v1's text (``'Shift+Enter'``) into a key binding, so a plain copy would write the wrong type.
* ``sidebar_favorites_migrate`` writes ``{type: 'app', id}`` items, the schema's shape for favorites.
* ``shortcut_preferences_migrate`` also carries ``clear_topic`` to ``shortcut.topic.clear_messages``.
"""

from __future__ import annotations

from cherry_migrate.migrators.mappings import preference_transforms as t
from cherry_migrate.migrators.mappings.file_processing_transform import (
    FILE_PROCESSING_OVERRIDES_KEY,
    merge_file_processing_overrides,
)
from cherry_migrate.migrators.mappings.preference_tables import ComplexMapping, SourceRef


def _redux(category: str, path: str) -> SourceRef:
    return SourceRef("redux", path, category)


def _dexie(key: str) -> SourceRef:
    return SourceRef("dexie_settings", key)


COMPLEX_PREFERENCE_MAPPINGS: tuple[ComplexMapping, ...] = (
    ComplexMapping(
        id="websearch_default_provider_migrate",
        description="Keep the legacy default web-search provider when v2 still offers it",
        sources={"defaultProvider": _redux("websearch", "defaultProvider")},
        target_keys=(t.WEB_SEARCH_DEFAULT_PROVIDER_KEY,),
        transform=t.normalize_web_search_default_provider,
    ),
    ComplexMapping(
        id="websearch_providers_migrate",
        description="Legacy web-search provider list into v2 provider overrides",
        sources={"providers": _redux("websearch", "providers")},
        target_keys=(t.WEB_SEARCH_OVERRIDES_KEY,),
        transform=t.migrate_web_search_providers,
    ),
    ComplexMapping(
        id="websearch_compression_flatten",
        description="Flatten the web-search compressionConfig object into separate keys",
        sources={"compressionConfig": _redux("websearch", "compressionConfig")},
        target_keys=(t.COMPRESSION_METHOD_KEY, t.COMPRESSION_CUTOFF_KEY),
        transform=t.flatten_compression_config,
    ),
    ComplexMapping(
        id="code_cli_configs",
        description="Legacy codeTools state into per-tool code CLI configs",
        sources={
            "selectedModels": _redux("codeTools", "selectedModels"),
            "environmentVariables": _redux("codeTools", "environmentVariables"),
            "directories": _redux("codeTools", "directories"),
            "currentDirectory": _redux("codeTools", "currentDirectory"),
            "selectedCliTool": _redux("codeTools", "selectedCliTool"),
            "selectedTerminal": _redux("codeTools", "selectedTerminal"),
        },
        target_keys=(t.CODE_CLI_CONFIGS_KEY,),
        transform=t.convert_code_cli_configs,
    ),
    ComplexMapping(
        id="shortcut_preferences_migrate",
        description="Legacy shortcut list into per-key {binding, enabled} preferences",
        sources={"shortcuts": _redux("shortcuts", "shortcuts")},
        target_keys=t.SHORTCUT_TARGET_KEYS,
        transform=t.transform_shortcuts,
    ),
    ComplexMapping(
        id="send_message_shortcut_binding",
        description="The v1 send-message shortcut text into a v2 key binding",
        sources={"sendMessageShortcut": _redux("settings", "sendMessageShortcut")},
        target_keys=(t.SEND_MESSAGE_SHORTCUT_KEY,),
        transform=t.convert_send_message_shortcut,
    ),
    ComplexMapping(
        id="sidebar_favorites_migrate",
        description="Visible legacy sidebar icons into v2 sidebar favorites",
        sources={
            "visible": _redux("settings", "sidebarIcons.visible"),
            "disabled": _redux("settings", "sidebarIcons.disabled"),
        },
        target_keys=(t.SIDEBAR_FAVORITES_KEY,),
        transform=t.migrate_sidebar_favorites,
    ),
    ComplexMapping(
        id="file_processing_overrides_merge",
        description="Legacy preprocess and OCR providers into file-processing overrides",
        sources={
            "preprocessProviders": _redux("preprocess", "providers"),
            "ocrProviders": _redux("ocr", "providers"),
        },
        target_keys=(FILE_PROCESSING_OVERRIDES_KEY,),
        transform=merge_file_processing_overrides,
    ),
    ComplexMapping(
        id="llm_model_ids_to_unique",
        description="Legacy default/quick/translate model objects into provider::model ids",
        sources={
            "defaultModel": _redux("llm", "defaultModel"),
            "topicNamingModel": _redux("llm", "topicNamingModel"),
            "quickModel": _redux("llm", "quickModel"),
            "translateModel": _redux("llm", "translateModel"),
        },
        target_keys=tuple(t.LLM_MODEL_TARGETS.values()),
        transform=t.convert_llm_model_ids,
    ),
    ComplexMapping(
        id="openclaw_preferences",
        description="OpenClaw gateway port and selected model (a JSON string) into v2 preferences",
        sources={
            "gatewayPort": _redux("openclaw", "gatewayPort"),
            "selectedModelUniqId": _redux("openclaw", "selectedModelUniqId"),
        },
        target_keys=(t.OPENCLAW_PORT_KEY, t.OPENCLAW_MODEL_KEY),
        transform=t.convert_openclaw_preferences,
    ),
    ComplexMapping(
        id="translate_action_pair_split",
        description="The translate page's language pair into the selection action's languages",
        sources={"bidirectionalPair": _dexie("translate:bidirectional:pair")},
        target_keys=(t.ACTION_PREFERRED_LANG_KEY, t.ACTION_ALTER_LANG_KEY),
        transform=t.split_translate_pair_for_action,
    ),
    ComplexMapping(
        id="translate_mini_window_target",
        description="The translate page's target language into the mini window's",
        sources={"targetLanguage": _dexie("translate:target:language")},
        target_keys=(t.MINI_WINDOW_TARGET_KEY,),
        transform=t.copy_mini_window_target_language,
    ),
    ComplexMapping(
        id="translate_page_languages",
        description="The translate page's languages, with canonical language codes",
        sources={
            "bidirectionalPair": _dexie("translate:bidirectional:pair"),
            "sourceLanguage": _dexie("translate:source:language"),
            "targetLanguage": _dexie("translate:target:language"),
        },
        target_keys=(t.PAGE_PAIR_KEY, t.PAGE_SOURCE_KEY, t.PAGE_TARGET_KEY),
        transform=t.copy_translate_page_languages,
    ),
)


def complex_target_keys() -> list[str]:
    """Every target key of every complex mapping, duplicates included (for conflict checks)."""
    return [key for mapping in COMPLEX_PREFERENCE_MAPPINGS for key in mapping.target_keys]
