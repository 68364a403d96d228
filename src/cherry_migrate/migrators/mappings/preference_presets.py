"""v2 built-in catalogues the complex preference transforms compare legacy values against.

Overrides in v2 hold only what differs from a preset, so a transform needs each preset's default host
and model. Values as in upstream's ``packages/shared/data/presets`` and ``preferenceTypes.ts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FileProcessorFeature = Literal["image_to_text", "document_to_markdown"]

WEB_SEARCH_PROVIDER_IDS = frozenset(
    {"zhipu", "tavily", "searxng", "exa", "exa-mcp", "bocha", "querit", "fetch", "jina", "firecrawl"}
)

WEB_SEARCH_KEYWORD_HOSTS: dict[str, str | None] = {
    "zhipu": "https://open.bigmodel.cn/api/paas/v4/web_search",
    "tavily": "https://api.tavily.com",
    "searxng": "",
    "exa": "https://api.exa.ai",
    "exa-mcp": "https://mcp.exa.ai/mcp",
    "bocha": "https://api.bochaai.com",
    "querit": "https://api.querit.ai",
    "fetch": None,
    "jina": "https://s.jina.ai",
}
"""Providers that have a preset, with the host of their keyword-search capability (None: the preset
has no keyword search, so a legacy host has nothing to override)."""

DEFAULT_WEB_SEARCH_CUTOFF_LIMIT = 2000


@dataclass(frozen=True)
class ProcessorCapability:
    api_host: str | None = None
    model_id: str | None = None


_PADDLE = ProcessorCapability("https://paddleocr.aistudio-app.com/", "PaddleOCR-VL-1.5")
_MISTRAL = ProcessorCapability("https://api.mistral.ai", "mistral-ocr-latest")

FILE_PROCESSOR_PRESETS: dict[str, dict[FileProcessorFeature, ProcessorCapability]] = {
    "tesseract": {"image_to_text": ProcessorCapability()},
    "system": {"image_to_text": ProcessorCapability()},
    "paddleocr": {"image_to_text": _PADDLE, "document_to_markdown": _PADDLE},
    "local-paddleocr": {},
    "ovocr": {"image_to_text": ProcessorCapability()},
    "mineru": {"document_to_markdown": ProcessorCapability("https://mineru.net", "pipeline")},
    "doc2x": {"document_to_markdown": ProcessorCapability("https://v2.doc2x.noedgeai.com", "v3-2026")},
    "mistral": {"document_to_markdown": _MISTRAL, "image_to_text": _MISTRAL},
    "open-mineru": {"document_to_markdown": ProcessorCapability("http://127.0.0.1:8000")},
}
"""Every v2 file processor id with its capabilities (``local-paddleocr`` is new in v2 and has no
preset values a legacy setting could differ from)."""

CODE_CLI_IDS = frozenset(
    {
        "claude-code",
        "openai-codex",
        "opencode",
        "openclaw",
        "gemini-cli",
        "qwen-code",
        "kimi-code",
        "qoder-cli",
        "github-copilot-cli",
    }
)

SYSTEM_DEFAULT_TERMINAL = "Terminal"

SIDEBAR_FAVORITES = (
    "assistants",
    "agents",
    "ai_pipeline",
    "paintings",
    "translate",
    "mini_app",
    "knowledge",
    "files",
    "code_tools",
    "notes",
    "openclaw",
)
