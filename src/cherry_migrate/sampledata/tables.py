"""Small Dexie tables (legacy-sources §1.6–§1.10) and the side files: config.json, version.log,
localStorage.json."""

from __future__ import annotations

import random
from typing import Any

from .files import png_data_url
from .ids import BASE_TIME_MS, DAY_MS, IdFactory, iso
from .output import ExportWriter, dumps
from .providers import ProviderCatalog
from .slices import shortcuts_list
from .texts import QUICK_PHRASES, TRANSLATE_PAIRS

LAST_V1_VERSION = "1.9.12"


def write_sorted(writer: ExportWriter, table: str, rows: list[dict[str, Any]]) -> int:
    """Dexie exports every table in ascending primary-key (``id``) order."""
    return writer.write_rows(f"dexie_export/{table}.json", sorted(rows, key=lambda r: r["id"]))


def settings_rows(rng: random.Random, catalog: ProviderCatalog) -> list[dict[str, Any]]:
    """KV rows of §1.10, with ``pinned:models`` in every legacy format the migrator tolerates."""
    custom = next(p for p in catalog.providers if not p["isSystem"])
    pinned = [
        '{"id":"gpt-4o","provider":"openai"}',
        {"id": "claude-sonnet-4-20250514", "provider": "anthropic"},
        "deepseek/deepseek-chat",
        "silicon::deepseek-ai/DeepSeek-V3",
        '{"id":"gpt-4o","provider":"openai"}',  # duplicate entry
        '{"id":"retired-model","provider":"openai"}',  # no longer exists
    ]
    return [
        {"id": "translate:source:language", "value": "auto"},
        {"id": "translate:target:language", "value": "zh-cn"},
        {"id": "translate:bidirectional:pair", "value": ["en-us", "zh-cn"]},
        {"id": "translate:bidirectional:enabled", "value": True},
        {"id": "translate:detect:method", "value": "franc"},
        {"id": "translate:markdown:enabled", "value": True},
        {"id": "translate:scroll:sync", "value": False},
        {"id": "image://avatar", "value": png_data_url(rng)},
        {"id": f"image://provider-{custom['id']}", "value": png_data_url(rng)},
        {"id": "image://provider-openai", "value": "/assets/images/providers/openai.png"},
        {"id": "pinned:models", "value": pinned},
        {
            "id": "mcp:provider:modelscope:servers",
            "value": [
                {
                    "id": "@modelscope/fetch",
                    "name": "Fetch",
                    "type": "sse",
                    "baseUrl": "https://mcp.api-inference.modelscope.net/demo/sse",
                    "isActive": False,
                },
            ],
        },
    ]


def translate_languages() -> list[dict[str, Any]]:
    return [
        {"id": "b7f1c0de-0000-4000-8000-000000000001", "langCode": "tlh", "value": "Klingon", "emoji": "🖖"},
        {"id": "b7f1c0de-0000-4000-8000-000000000002", "langCode": "la-la", "value": "Latin", "emoji": "🏛️"},
        {"id": "b7f1c0de-0000-4000-8000-000000000003", "langCode": "yue-hk", "value": "粤语", "emoji": "🇭🇰"},
    ]


def translate_history(rng: random.Random, ids: IdFactory, count: int) -> list[dict[str, Any]]:
    rows = []
    for index in range(count):
        source, target, source_lang, target_lang = TRANSLATE_PAIRS[index % len(TRANSLATE_PAIRS)]
        row: dict[str, Any] = {
            "id": ids.uuid4(),
            "sourceText": source,
            "targetText": target,
            "sourceLanguage": source_lang,
            "targetLanguage": target_lang,
            "createdAt": iso(BASE_TIME_MS + rng.randint(0, 500 * DAY_MS)),
        }
        if index == 1:
            del row["sourceLanguage"]  # unmapped by the Dexie v8 upgrade
        if index == 2:
            row["targetLanguage"] = "tlh"  # a custom language
        if rng.random() < 0.15:
            row["star"] = True
        rows.append(row)
    return rows


def quick_phrases(rng: random.Random, ids: IdFactory, count: int) -> list[dict[str, Any]]:
    rows = []
    for index in range(count):
        title, content = QUICK_PHRASES[index % len(QUICK_PHRASES)]
        created = BASE_TIME_MS + rng.randint(0, 300 * DAY_MS)
        row: dict[str, Any] = {
            "id": "legacy-phrase-1" if index == 0 else ids.uuid4(),  # ids may be non-UUID
            "title": title if index < len(QUICK_PHRASES) else f"{title} ({index})",
            "content": content,
            "createdAt": created,
            "updatedAt": created + rng.randint(0, 10 * DAY_MS),
        }
        if index != 1:
            row["order"] = count - index
        rows.append(row)
    return rows


def config_json(ids: IdFactory, language: str, theme: str) -> dict[str, Any]:
    """electron-store ``config.json``; only ``system`` shortcuts are stored there."""
    return {
        "language": language,
        "theme": theme,
        "launchToTray": False,
        "launchOnBoot": False,
        "tray": True,
        "trayOnClose": True,
        "ZoomFactor": 1.1,
        "shortcuts": [s for s in shortcuts_list() if s["system"]],
        "clickTrayToShowQuickAssistant": False,
        "enableQuickAssistant": True,
        "autoUpdate": True,
        "testPlan": False,
        "testChannel": "latest",
        "enableDataCollection": False,
        "selectionAssistantEnabled": True,
        "selectionAssistantTriggerMode": "ctrlkey",
        "selectionAssistantFollowToolbar": False,
        "selectionAssistantRemeberWinSize": True,
        "selectionAssistantFilterMode": "blacklist",
        "selectionAssistantFilterList": ["com.apple.Terminal", "1password"],
        "disableHardwareAcceleration": False,
        "enableDeveloperMode": False,
        "clientId": ids.uuid4(),
    }


def version_log() -> bytes:
    """One ``version|os|environment|packaged|mode|timestamp`` line per version the profile ran."""
    history = (("1.7.17", -30), ("1.8.4", 160), ("1.9.3", 330), (LAST_V1_VERSION, 520))
    lines = [
        f"{version}|darwin|production|true|normal|{iso(BASE_TIME_MS + day * DAY_MS)}"
        for version, day in history
    ]
    return ("\n".join(lines) + "\n").encode()


def local_storage() -> bytes:
    """The keys the newest exporter keeps (``MIGRATION_LOCAL_STORAGE_KEYS``), values JSON-parsed."""
    return dumps([{"key": "onboarding-completed", "value": True}])
