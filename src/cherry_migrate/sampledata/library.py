"""MCP servers, paintings, mini apps and notes (legacy-sources §2.4.5, §2.4.7–§2.4.9)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from .files import FILES_DIR, LEGACY_USER_DATA, FileStore, png_data_url
from .ids import BASE_TIME_MS, DAY_MS, IdFactory, iso
from .output import ExportWriter
from .texts import NOTE_TITLES, note_markdown

# name → (tool name, description, argument names) offered by that server in tool blocks.
MCP_TOOLS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "@cherry/fetch": (("fetch", "Fetch a URL and return markdown", ("url",)),),
    "@cherry/filesystem": (
        ("read_file", "Read a text file", ("path",)),
        ("list_directory", "List a directory", ("path",)),
    ),
    "@cherry/sequentialthinking": (("sequentialthinking", "Think step by step", ("thought",)),),
    "github": (
        ("search_repositories", "Search GitHub repositories", ("query",)),
        ("get_issue", "Get an issue", ("owner", "repo", "issue_number")),
    ),
    "time": (("get_current_time", "Current time in a time zone", ("timezone",)),),
}


def _mcp_server(rng: random.Random, ids: IdFactory, index: int) -> dict[str, Any]:
    installed = BASE_TIME_MS - rng.randint(1, 60) * DAY_MS
    templates: tuple[dict[str, Any], ...] = (
        {
            "name": "@cherry/fetch",
            "type": "inMemory",
            "description": "Fetch web pages",
            "provider": "CherryAI",
            "installSource": "builtin",
            "isTrusted": True,
        },
        {
            "name": "@cherry/filesystem",
            "type": "inMemory",
            "args": ["/Users/demo/Documents"],
            "provider": "CherryAI",
            "installSource": "builtin",
            "disabledAutoApproveTools": ["read_file"],
        },
        {
            "name": "github",
            "type": "stdio",
            "command": "npx",
            "args": ["-y", "@modelcontextprotocol/server-github"],
            "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_demo" + ids.hex(32)},
            "installSource": "manual",
            "timeout": 60,
            "disabledTools": ["delete_repository"],
        },
        {
            "name": "time",
            "type": "stdio",
            "command": "uvx",
            "args": ["mcp-server-time", "--local-timezone=Asia/Shanghai"],
            "installSource": "manual",
        },
        {
            "name": "@cherry/sequentialthinking",
            "type": "inMemory",
            "provider": "CherryAI",
            "installSource": "builtin",
        },
        {
            "name": "@cherry/brave-search",
            "type": "inMemory",
            "provider": "CherryAI",
            "env": {"BRAVE_API_KEY": "BSA-demo-" + ids.hex(20)},
            "shouldConfig": True,
            "installSource": "builtin",
        },
        {
            "name": "Remote search",
            "type": "sse",
            "baseUrl": "https://mcp.example.com/sse",
            "headers": {"Authorization": "Bearer demo-" + ids.hex(24)},
            "installSource": "protocol",
            "longRunning": True,
        },
        {
            "name": "Team tools",
            "type": "streamableHttp",
            "baseUrl": "https://tools.example.com/mcp",
            "headers": {"X-Api-Key": "demo-" + ids.hex(16)},
            "logoUrl": "https://tools.example.com/logo.png",
            "providerUrl": "https://tools.example.com",
            "tags": ["team", "internal"],
        },
        {
            "name": "sqlite",
            "type": "stdio",
            "command": "uvx",
            "args": ["mcp-server-sqlite", "--db-path", "/Users/demo/data/app.db"],
            "dxtVersion": "0.1",
            "dxtPath": "/Users/demo/.dxt/sqlite",
            "registryUrl": "https://pypi.org/simple",
        },
    )
    template = templates[index % len(templates)]
    server: dict[str, Any] = {"id": ids.nanoid(), **template}
    if index >= len(templates):
        server["name"] = f"{template['name']} #{index // len(templates) + 1}"
    server["isActive"] = rng.random() < 0.7 or index < 4
    if server.get("installSource") != "builtin":
        server["installedAt"] = installed
        if rng.random() < 0.5:
            server["isTrusted"] = True
            server["trustedAt"] = installed + 60_000
    return server


def build_mcp(rng: random.Random, ids: IdFactory, count: int) -> dict[str, Any]:
    return {
        "servers": [_mcp_server(rng, ids, index) for index in range(count)],
        "isUvInstalled": True,
        "isBunInstalled": False,
    }


PAINTING_NAMESPACES = (
    "siliconflow_paintings",
    "aihubmix_image_generate",
    "openai_image_generate",
    "dmxapi_paintings",
    "zhipu_paintings",
    "tokenflux_paintings",
    "aihubmix_image_remix",
    "aihubmix_image_edit",
    "aihubmix_image_upscale",
    "openai_image_edit",
    "ovms_paintings",
    "ppio_draw",
    "ppio_edit",
)
_PROMPTS = (
    "a watercolor fox in a snowy forest",
    "赛博朋克风格的城市夜景",
    "isometric tiny office, pastel",
    "product photo of a ceramic mug on oak",
    "portrait of a cat astronaut",
)


def _painting(rng: random.Random, ids: IdFactory, files: FileStore, namespace: str) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": ids.uuid4(),
        "urls": [f"https://cdn.example.com/img/{ids.hex(12)}.png"] if rng.random() < 0.4 else [],
        "files": [files.pick_image() for _ in range(rng.randint(1, 2))],
        "prompt": rng.choice(_PROMPTS),
    }
    if namespace == "siliconflow_paintings":
        record.update(
            model="black-forest-labs/FLUX.1-schnell",
            negativePrompt="blurry",
            imageSize="1024x1024",
            numImages=1,
            seed=str(rng.randint(1, 10**9)),
            steps=20,
            guidanceScale=7.5,
            promptEnhancement=False,
        )
    elif namespace == "dmxapi_paintings":
        record.update(
            model="seededit",
            aspect_ratio="1:1",
            image_size="1024x1024",
            style_type="AUTO",
            autoCreate=False,
            generationMode=rng.choice(("generation", "edit", "merge")),
            priceModel="0.1",
            imageFiles=[files.pick_image()],
        )
    elif namespace == "tokenflux_paintings":
        record.update(
            model="flux-dev", generationId=ids.uuid4(), inputParams={"num_outputs": 1}, status="succeeded"
        )
    elif namespace == "zhipu_paintings":
        record.update(model="cogview-3-flash", imageSize="1024x1024", numImages=1)
    elif namespace == "aihubmix_image_generate":
        record.update(
            model="V_3",
            aspectRatio="ASPECT_1_1",
            styleType="AUTO",
            magicPromptOption=True,
            renderingSpeed="DEFAULT",
            numberOfImages=1,
            seed="42",
        )
    elif namespace == "aihubmix_image_remix":
        record.update(model="V_3", imageFile=files.pick_image()["id"], imageWeight=50)
    elif namespace in ("aihubmix_image_edit", "openai_image_edit"):
        record.update(
            model="V_3" if namespace.startswith("aihubmix") else "gpt-image-1",
            imageFile=files.pick_image()["id"],
            mask=files.pick_image(),
        )
        if namespace == "openai_image_edit":
            record["providerId"] = "openai"
    elif namespace == "aihubmix_image_upscale":
        record.update(model="V_3", imageFile=files.pick_image()["id"], resemblance=55, detail=50)
    elif namespace == "openai_image_generate":
        record.update(
            model="gpt-image-1",
            providerId="openai",
            quality="high",
            moderation="auto",
            n=1,
            size="1024x1024",
            background="auto",
        )
    elif namespace == "ovms_paintings":
        record.update(
            model="stable-diffusion-v1-5",
            num_inference_steps=25,
            rng_seed=7,
            safety_check=True,
            response_format="b64_json",
        )
    elif namespace == "ppio_draw":
        record.update(model="flux-1-schnell", taskId=ids.uuid4(), ppioStatus="TASK_STATUS_SUCCEED")
    else:
        record.update(
            model="image-edit",
            taskId=ids.uuid4(),
            ppioStatus="TASK_STATUS_SUCCEED",
            imageFile=files.pick_image()["id"],
            ppioMask=png_data_url(rng),
        )
    return record


def build_paintings(rng: random.Random, ids: IdFactory, files: FileStore, count: int) -> dict[str, Any]:
    """Paintings spread over the namespaces; each used namespace also starts with the empty placeholder
    record that v1's painting pages create on open (and the migrator skips)."""
    paintings: dict[str, list[dict[str, Any]]] = {}
    for index in range(count):
        namespace = PAINTING_NAMESPACES[index % len(PAINTING_NAMESPACES)]
        records = paintings.setdefault(namespace, [{"id": ids.uuid4(), "urls": [], "files": []}])
        records.insert(1, _painting(rng, ids, files, namespace))
    return paintings


def painting_count(paintings: dict[str, Any]) -> int:
    return sum(len(records) for records in paintings.values())


_DEFAULT_MINI_APPS = (
    ("openai", "ChatGPT", "https://chatgpt.com/"),
    ("gemini", "Gemini", "https://gemini.google.com/"),
    ("deepseek", "DeepSeek", "https://chat.deepseek.com/"),
    ("silicon", "SiliconFlow", "https://cloud.siliconflow.cn/playground/chat"),
    ("moonshot", "Kimi", "https://kimi.moonshot.cn/"),
    ("doubao", "Doubao", "https://www.doubao.com/chat/"),
    ("perplexity", "Perplexity", "https://www.perplexity.ai/"),
    ("anthropic", "Claude", "https://claude.ai/"),
    ("qwen", "Qwen Chat", "https://chat.qwen.ai"),
    ("notebooklm", "NotebookLM", "https://notebooklm.google.com/"),
    ("poe", "Poe", "https://poe.com"),
    ("hf-chat", "HuggingChat", "https://huggingface.co/chat/"),
    ("coze", "Coze", "https://www.coze.com/space"),
    ("dify", "Dify", "https://cloud.dify.ai/apps"),
    ("github-copilot", "GitHub Copilot", "https://github.com/copilot"),
)


@dataclass
class MiniApps:
    slice: dict[str, list[dict[str, Any]]]
    custom_file: list[dict[str, Any]] = field(default_factory=list)

    @property
    def distinct_count(self) -> int:
        return len({app["id"] for group in self.slice.values() for app in group})


def build_minapps(rng: random.Random) -> MiniApps:
    """Enabled, disabled and pinned default apps (pinned ones also listed as enabled, as in v1) plus two
    custom apps whose logos live only in ``Data/Files/custom-minapps.json``."""
    apps = []
    for app_id, name, url in _DEFAULT_MINI_APPS:
        app: dict[str, Any] = {"id": app_id, "name": name, "url": url}
        if rng.random() < 0.3:
            app["bodered"] = True
        if app_id in ("openai", "anthropic"):
            app["background"] = "#FFFFFF"
        if app_id in ("deepseek", "doubao", "moonshot"):
            app["supportedRegions"] = ["CN", "Global"]
        if app_id == "coze":
            app["style"] = {"padding": 5}
        apps.append(app)
    customs: list[dict[str, Any]] = [
        {
            "id": "team-wiki",
            "name": "Team Wiki",
            "url": "https://wiki.example.com",
            "type": "Custom",
            "addTime": iso(BASE_TIME_MS + 3 * DAY_MS),
        },
        {
            "id": "grafana",
            "name": "Grafana",
            "url": "https://grafana.example.com",
            "type": "Custom",
            "addTime": iso(BASE_TIME_MS + 9 * DAY_MS),
            "bodered": False,
        },
    ]
    split = len(apps) - 4
    enabled = apps[:split] + customs
    pinned = [apps[0], apps[2], customs[0]]
    return MiniApps(
        slice={"enabled": enabled, "disabled": apps[split:], "pinned": pinned},
        custom_file=[{**app, "logo": png_data_url(rng)} for app in customs],
    )


def write_custom_minapps(writer: ExportWriter, apps: MiniApps) -> None:
    writer.write_json(f"{FILES_DIR}/custom-minapps.json", apps.custom_file)


NOTES_DIR = "Data/Notes"
_NOTE_FOLDERS = ("", "Work", "Work/Projects", "Personal", "读书笔记")


def write_notes(rng: random.Random, writer: ExportWriter, count: int) -> tuple[dict[str, Any], int]:
    """Markdown files under ``Data/Notes`` and the ``note`` slice pointing at them.

    ``notesPath`` and the starred/expanded paths are absolute paths under the legacy userData folder,
    exactly as v1 stores them; the export folder's ``Data/Notes`` holds the same tree.
    """
    root = f"{LEGACY_USER_DATA}/{NOTES_DIR}"
    written: list[str] = []
    for index in range(count):
        folder = _NOTE_FOLDERS[index % len(_NOTE_FOLDERS)]
        title = f"{NOTE_TITLES[index % len(NOTE_TITLES)]} {index + 1}"
        relative = f"{folder}/{title}.md".lstrip("/")
        writer.write_bytes(f"{NOTES_DIR}/{relative}", note_markdown(rng, title).encode())
        written.append(relative)
    starred = [f"{root}/{written[0]}", f"{root}/{written[1]}", f"{root}/Work"]
    note_slice = {
        "activeNodeId": f"note-{written[0]}",
        "activeFilePath": f"{root}/{written[0]}",
        "settings": {
            "isFullWidth": False,
            "fontFamily": "serif",
            "fontSize": 15,
            "showTableOfContents": True,
            "defaultViewMode": "read",
            "defaultEditMode": "preview",
            "showTabStatus": True,
            "showWorkspace": True,
            "tableAutoWrap": True,
        },
        "notesPath": root,
        "sortType": "sort_updated_desc",
        "starredPaths": starred,
        "expandedPaths": [f"{root}/Work", f"{root}/Work/Projects"],
    }
    return note_slice, len(written)
