"""Preference-like Redux slices (legacy-sources §2.4.6–§2.4.14, §2.5): values differ from the defaults
often enough that a migration which ignores them is caught."""

from __future__ import annotations

import random
from typing import Any

from .ids import IdFactory
from .providers import Model, ProviderCatalog, model_ref

TRANSLATE_PROMPT = (
    "You are a translation expert. Your only task is to translate text enclosed with <translate_input> "
    "from input language to {{target_language}}, provide the translation result directly without any "
    "explanation.\n\n<translate_input>\n{{text}}\n</translate_input>\n\nTranslate the above text into "
    "{{target_language}}."
)


def settings_slice(rng: random.Random, ids: IdFactory) -> dict[str, Any]:
    """Every key of legacy-sources §2.5 plus the final-v1 additions."""
    flip = rng.random
    return {
        "showAssistants": True,
        "showTopics": flip() < 0.8,
        "assistantsTabSortType": rng.choice(("tags", "list")),
        "sendMessageShortcut": rng.choice(("Enter", "Shift+Enter", "Ctrl+Enter")),
        "language": rng.choice(("zh-CN", "en-US", "ja-JP")),
        "targetLanguage": "en-us",
        "proxyMode": "custom",
        "proxyUrl": "http://127.0.0.1:7890",
        "proxyBypassRules": "localhost,127.0.0.1,*.local",
        "userName": "Demo User",
        "userId": ids.uuid4(),
        "showPrompt": True,
        "showMessageDivider": flip() < 0.5,
        "messageFont": rng.choice(("system", "serif")),
        "showInputEstimatedTokens": True,
        "launchOnBoot": False,
        "launchToTray": flip() < 0.3,
        "trayOnClose": True,
        "tray": True,
        "theme": rng.choice(("light", "dark", "system")),
        "userTheme": {
            "colorPrimary": "#7c3aed",
            "userFontFamily": "Inter",
            "userCodeFontFamily": "JetBrains Mono",
        },
        "windowStyle": "transparent",
        "fontSize": rng.choice((13, 14, 15, 16)),
        "topicPosition": rng.choice(("left", "right")),
        "showTopicTime": True,
        "pinTopicsToTop": True,
        "assistantIconType": rng.choice(("model", "emoji", "none")),
        "pasteLongTextAsFile": True,
        "pasteLongTextThreshold": 3000,
        "clickAssistantToShowTopic": True,
        "autoCheckUpdate": True,
        "testPlan": False,
        "testChannel": "latest",
        "renderInputMessageAsMarkdown": flip() < 0.5,
        "codeExecution": {"enabled": True, "timeoutMinutes": 2},
        "codeEditor": {
            "enabled": True,
            "themeLight": "github-light",
            "themeDark": "one-dark",
            "highlightActiveLine": True,
            "foldGutter": False,
            "autocompletion": True,
            "keymap": False,
        },
        "codePreview": {"themeLight": "auto", "themeDark": "auto"},
        "codeViewer": {"themeLight": "one-light", "themeDark": "dracula"},
        "codeShowLineNumbers": True,
        "codeCollapsible": True,
        "codeWrappable": False,
        "codeImageTools": True,
        "codeFancyBlock": True,
        "mathEngine": rng.choice(("KaTeX", "MathJax")),
        "mathEnableSingleDollar": True,
        "messageStyle": rng.choice(("plain", "bubble")),
        "foldDisplayMode": "compact",
        "gridColumns": 3,
        "gridPopoverTrigger": "hover",
        "messageNavigation": rng.choice(("none", "buttons", "anchor")),
        "skipBackupFile": False,
        "webdavHost": "https://dav.example.com/remote.php/dav/files/demo",
        "webdavUser": "demo",
        "webdavPass": "demo-webdav-" + ids.hex(12),
        "webdavPath": "/cherry-studio",
        "webdavAutoSync": True,
        "webdavSyncInterval": 60,
        "webdavMaxBackups": 10,
        "webdavSkipBackupFile": False,
        "webdavDisableStream": False,
        "translateModelPrompt": TRANSLATE_PROMPT,
        "autoTranslateWithSpace": False,
        "showTranslateConfirm": True,
        "enableTopicNaming": True,
        "customCss": ".markdown { line-height: 1.7; }",
        "topicNamingPrompt": "",
        "confirmDeleteMessage": True,
        "confirmRegenerateMessage": False,
        "sidebarIcons": {
            "visible": [
                "assistants",
                "store",
                "paintings",
                "translate",
                "minapp",
                "knowledge",
                "files",
                "notes",
            ],
            "disabled": ["code_tools"],
        },
        "narrowMode": flip() < 0.3,
        "enableQuickAssistant": True,
        "clickTrayToShowQuickAssistant": False,
        "multiModelMessageStyle": "fold",
        "readClipboardAtStartup": False,
        "notionDatabaseID": "demo-db-" + ids.hex(8),
        "notionApiKey": "secret_demo" + ids.hex(16),
        "notionPageNameKey": "Name",
        "markdownExportPath": "/Users/demo/Documents/Exports",
        "forceDollarMathInMarkdown": False,
        "useTopicNamingForMessageTitle": True,
        "showModelNameInMarkdown": True,
        "showModelProviderInMarkdown": False,
        "thoughtAutoCollapse": True,
        "notionExportReasoning": False,
        "excludeCitationsInExport": False,
        "standardizeCitationsInExport": True,
        "yuqueToken": "",
        "yuqueUrl": "",
        "yuqueRepoId": "",
        "joplinToken": "demo-joplin-" + ids.hex(8),
        "joplinUrl": "http://127.0.0.1:41184",
        "joplinExportReasoning": False,
        "defaultObsidianVault": "Vault",
        "defaultAgent": None,
        "siyuanApiUrl": None,
        "siyuanToken": None,
        "siyuanBoxId": None,
        "siyuanRootPath": None,
        "agentssubscribeUrl": "",
        "maxKeepAliveMinapps": 5,
        "showOpenedMinappsInSidebar": True,
        "minappsOpenLinkExternal": False,
        "enableDataCollection": False,
        "enableSpellCheck": True,
        "spellCheckLanguages": ["en-US", "de-DE"],
        "enableQuickPanelTriggers": True,
        "disableHardwareAcceleration": False,
        "exportMenuOptions": {
            "image": True,
            "markdown": True,
            "markdown_reason": False,
            "notion": True,
            "yuque": False,
            "joplin": True,
            "obsidian": True,
            "siyuan": False,
            "docx": True,
            "plain_text": True,
            "notes": True,
        },
        "openAI": {
            "summaryText": "auto",
            "serviceTier": "auto",
            "verbosity": "medium",
            "streamOptions": {"includeUsage": True},
        },
        "notification": {"assistant": True, "backup": False, "knowledge": True},
        "localBackupDir": "/Users/demo/Backups/cherry",
        "localBackupAutoSync": False,
        "localBackupSyncInterval": 0,
        "localBackupMaxBackups": 5,
        "localBackupSkipBackupFile": True,
        "defaultPaintingProvider": "aihubmix",
        "s3": {
            "endpoint": "https://s3.example.com",
            "region": "us-east-1",
            "bucket": "demo-backups",
            "accessKeyId": "AKIADEMO" + ids.hex(12).upper(),
            "secretAccessKey": "demo-s3-secret-" + ids.hex(20),
            "root": "/cherry",
            "fileName": "",
            "skipBackupFile": False,
            "autoSync": False,
            "syncInterval": 0,
            "maxBackups": 0,
        },
        "enableDeveloperMode": False,
        "navbarPosition": rng.choice(("left", "top")),
        "apiServer": {"enabled": True, "host": "localhost", "port": 23333, "apiKey": f"cs-sk-{ids.uuid4()}"},
        "showMessageOutline": True,
        "rememberWindowState": True,
        "privacyPolicyVersion": "20260531",
        "useSystemTitleBar": False,
    }


# (key, combination, enabled, editable, system)
_SHORTCUT_DEFAULTS: tuple[tuple[str, list[str], bool, bool, bool], ...] = (
    ("zoom_in", ["CommandOrControl", "="], True, True, True),
    ("zoom_out", ["CommandOrControl", "-"], True, True, True),
    ("zoom_reset", ["CommandOrControl", "0"], True, True, True),
    ("show_settings", ["CommandOrControl", ","], True, True, True),
    ("show_app", [], True, True, True),
    ("mini_window", ["CommandOrControl", "E"], False, True, True),
    ("selection_assistant_toggle", [], False, True, True),
    ("selection_assistant_select_text", [], False, True, True),
    ("new_topic", ["CommandOrControl", "N"], True, True, False),
    ("rename_topic", ["CommandOrControl", "T"], False, True, False),
    ("toggle_show_assistants", ["CommandOrControl", "["], True, True, False),
    ("toggle_show_topics", ["CommandOrControl", "]"], True, True, False),
    ("copy_last_message", ["CommandOrControl", "Shift", "C"], False, True, False),
    ("edit_last_user_message", ["CommandOrControl", "Shift", "E"], False, True, False),
    ("resend_last_user_message", ["CommandOrControl", "R"], False, True, False),
    ("search_message_in_chat", ["CommandOrControl", "F"], True, True, False),
    ("search_message", ["CommandOrControl", "Shift", "F"], True, True, False),
    ("clear_topic", ["CommandOrControl", "L"], True, True, False),
    ("toggle_new_context", ["CommandOrControl", "K"], True, True, False),
    ("exit_fullscreen", ["Escape"], True, False, True),
)


def shortcuts_list() -> list[dict[str, Any]]:
    """The default shortcuts with a few user changes (a rebinding, a disabled and an enabled one)."""
    result = []
    for key, combo, enabled, editable, system in _SHORTCUT_DEFAULTS:
        if key == "mini_window":
            combo, enabled = ["CommandOrControl", "Alt", "Space"], True
        elif key == "clear_topic":
            enabled = False
        result.append(
            {"key": key, "shortcut": list(combo), "editable": editable, "enabled": enabled, "system": system}
        )
    return result


def selection_slice(assistant_id: str) -> dict[str, Any]:
    builtin = (
        ("translate", "selection.action.builtin.translate", True, "languages"),
        ("explain", "selection.action.builtin.explain", True, "file-question"),
        ("summary", "selection.action.builtin.summary", True, "scan-text"),
        ("search", "selection.action.builtin.search", True, "search"),
        ("copy", "selection.action.builtin.copy", True, "clipboard-copy"),
        ("refine", "selection.action.builtin.refine", False, "wand-sparkles"),
        ("quote", "selection.action.builtin.quote", False, "quote"),
    )
    items: list[dict[str, Any]] = [
        {"id": action_id, "name": name, "enabled": enabled, "isBuiltIn": True, "icon": icon}
        for action_id, name, enabled, icon in builtin
    ]
    items[3]["searchEngine"] = "Google|https://www.google.com/search?q={{queryString}}"
    items.append(
        {
            "id": "custom-tldr",
            "name": "TL;DR",
            "enabled": True,
            "isBuiltIn": False,
            "icon": "sparkles",
            "prompt": "Summarise in one sentence: {{text}}",
            "assistantId": assistant_id,
        }
    )
    return {
        "selectionEnabled": True,
        "triggerMode": "ctrlkey",
        "isCompact": True,
        "isAutoClose": False,
        "isAutoPin": True,
        "isFollowToolbar": False,
        "isRemeberWinSize": True,
        "filterMode": "blacklist",
        "filterList": ["com.apple.Terminal", "1password"],
        "actionWindowOpacity": 90,
        "actionItems": items,
    }


def websearch_slice(ids: IdFactory, catalog: ProviderCatalog) -> dict[str, Any]:
    return {
        "defaultProvider": "tavily",
        "providers": [
            {
                "id": "zhipu",
                "name": "Zhipu",
                "apiHost": "https://open.bigmodel.cn/api/paas/v4/web_search",
                "apiKey": ids.fake_secret("zhipu-demo-"),
            },
            {
                "id": "tavily",
                "name": "Tavily",
                "apiHost": "https://api.tavily.com",
                "apiKey": ids.fake_secret("tvly-demo-"),
            },
            {
                "id": "searxng",
                "name": "Searxng",
                "apiHost": "https://searx.example.com",
                "engines": ["google"],
                "basicAuthUsername": "demo",
                "basicAuthPassword": "demo-" + ids.hex(8),
            },
            {
                "id": "exa",
                "name": "Exa",
                "apiHost": "https://api.exa.ai",
                "apiKey": ids.fake_secret("exa-demo-"),
            },
            {"id": "bocha", "name": "Bocha", "apiHost": "https://api.bochaai.com", "apiKey": ""},
            {"id": "local-google", "name": "Google", "url": "https://www.google.com/search?q=%s"},
            {"id": "local-bing", "name": "Bing", "url": "https://cn.bing.com/search?q=%s&ensearch=1"},
            {
                "id": "local-baidu",
                "name": "Baidu",
                "url": "https://www.baidu.com/s?wd=%s",
                "usingBrowser": True,
            },
        ],
        "searchWithTime": True,
        "maxResults": 8,
        "excludeDomains": ["pinterest.com", "*.csdn.net"],
        "subscribeSources": [
            {
                "key": 1,
                "url": "https://raw.example.com/blocklist.txt",
                "name": "Spam sites",
                "blacklist": ["spam.example.com"],
            },
        ],
        "overwrite": False,
        "compressionConfig": {
            "method": "rag",
            "cutoffUnit": "token",
            "cutoffLimit": 2000,
            "embeddingModel": model_ref(catalog.embedding_models[0]),
            "embeddingDimensions": 1536,
            "documentCount": 5,
            "rerankModel": model_ref(catalog.rerank_models[0]),
        },
        "providerConfig": {"tavily": {"searchDepth": "advanced"}},
    }


def preprocess_slice(ids: IdFactory) -> dict[str, Any]:
    return {
        "providers": [
            {
                "id": "doc2x",
                "name": "Doc2x",
                "apiKey": ids.fake_secret("doc2x-demo-"),
                "apiHost": "https://v2.doc2x.noedgeai.com",
            },
            {
                "id": "mistral",
                "name": "Mistral",
                "apiKey": "",
                "apiHost": "https://api.mistral.ai",
                "model": "mistral-ocr-latest",
            },
            {
                "id": "mineru",
                "name": "MinerU",
                "apiKey": ids.fake_secret("mineru-demo-"),
                "apiHost": "https://mineru.net",
                "quota": 1000,
            },
            {"id": "open-mineru", "name": "Open MinerU", "apiKey": "", "apiHost": "http://127.0.0.1:8000"},
            {
                "id": "paddleocr",
                "name": "PaddleOCR",
                "apiKey": ids.fake_secret("paddle-demo-"),
                "apiHost": "https://paddleocr.example.com",
                "options": {"useDocOrientation": True},
            },
        ],
        "defaultProvider": "mineru",
    }


def ocr_slice(ids: IdFactory) -> dict[str, Any]:
    return {
        "providers": [
            {
                "id": "tesseract",
                "name": "Tesseract",
                "capabilities": {"image": True},
                "config": {"langs": {"chi_sim": True, "eng": True}},
            },
            {
                "id": "system",
                "name": "System",
                "capabilities": {"image": True},
                "config": {"langs": ["en-us"]},
            },
            {
                "id": "paddleocr",
                "name": "PaddleOCR",
                "capabilities": {"image": True},
                "config": {"apiUrl": "https://paddleocr.example.com", "accessToken": "demo-" + ids.hex(16)},
            },
            {
                "id": "ovocr",
                "name": "OV OCR",
                "capabilities": {"image": True},
                "config": {"langs": {"en-us": True}},
            },
        ],
        "imageProviderId": "paddleocr",
    }


def code_tools_slice(catalog: ProviderCatalog) -> dict[str, Any]:
    tools = ("qwen-code", "claude-code", "gemini-cli", "openai-codex", "iflow-cli", "github-copilot-cli")
    selected: dict[str, Model | None] = dict.fromkeys(tools)
    selected["claude-code"] = model_ref(catalog.find("anthropic", "claude-sonnet-4-20250514"))
    selected["qwen-code"] = model_ref(catalog.find("silicon", "deepseek-ai/DeepSeek-V3"))
    env = dict.fromkeys(tools, "")
    env["claude-code"] = "ANTHROPIC_LOG=debug\nDISABLE_TELEMETRY=1"
    return {
        "selectedCliTool": "claude-code",
        "selectedModels": selected,
        "environmentVariables": env,
        "directories": ["/Users/demo/code/webapp", "/Users/demo/code/cherry-migrate"],
        "currentDirectory": "/Users/demo/code/webapp",
        "selectedTerminal": "iTerm2",
    }


def memory_slice(ids: IdFactory, catalog: ProviderCatalog) -> dict[str, Any]:
    embedder = catalog.embedding_models[0]
    return {
        "memoryConfig": {
            "embedderApiClient": {
                "model": embedder["id"],
                "provider": embedder["provider"],
                "apiKey": ids.fake_secret(),
                "baseURL": "https://api.openai.com/v1",
            },
            "embedderDimensions": 1536,
            "llmApiClient": {
                "model": "gpt-4o-mini",
                "provider": "openai",
                "apiKey": ids.fake_secret(),
                "baseURL": "https://api.openai.com/v1",
            },
            "isAutoDimensions": False,
            "customFactExtractionPrompt": "Only extract durable preferences.",
        },
        "currentUserId": "default-user",
        "globalMemoryEnabled": True,
    }


def nutstore_slice(ids: IdFactory) -> dict[str, Any]:
    return {
        "nutstoreToken": "demo-nutstore-" + ids.hex(16),
        "nutstorePath": "/cherry-studio",
        "nutstoreAutoSync": True,
        "nutstoreSyncInterval": 30,
        "nutstoreSyncState": {"lastSyncTime": None, "syncing": False, "lastSyncError": None},
        "nutstoreSkipBackupFile": False,
        "nutstoreMaxBackups": 3,
    }


def translate_slice() -> dict[str, Any]:
    return {
        "translateInput": "Hello world",
        "translatedContent": "你好，世界",
        "settings": {"autoCopy": True},
    }


def openclaw_slice(catalog: ProviderCatalog) -> dict[str, Any]:
    model = catalog.find("deepseek", "deepseek-chat")
    return {
        "gatewayPort": 18789,
        "selectedModelUniqId": f'{{"id":"{model["id"]}","provider":"{model["provider"]}"}}',
    }
