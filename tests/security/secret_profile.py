"""A generated v1 profile with a marker secret planted in every place the legacy data can hold one
(legacy-sources.md §2.4–§2.6 and §4, and the secret-flagged preferences of the v2 schema).

Every marker starts with :data:`MARKER_PREFIX`, so one search for the prefix finds any of them, even
one the list below forgot; each is otherwise unique and looks like a credential (long, no spaces).
Some are planted in records the migrators skip or warn about, so the paths that describe a skipped
record are covered as well.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cherry_migrate.sampledata import generate_export

MARKER_PREFIX = "plantedsecret"


@dataclass
class Planter:
    """Hands out markers and remembers where each one went."""

    planted: dict[str, str] = field(default_factory=dict)
    """marker → where it was planted."""

    def __call__(self, where: str) -> str:
        marker = f"{MARKER_PREFIX}-{len(self.planted):03d}-{where.replace(' ', '-').replace('.', '-')}"
        self.planted[marker] = where
        return marker


def _edit_json(path: Path, edit: Callable[[Any], Any]) -> None:
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    result = edit(data)
    path.write_text(json.dumps(data if result is None else result, ensure_ascii=False), encoding="utf-8")


def _mcp_server(plant: Planter, where: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "stdio",
        "command": "npx",
        "args": ["-y", "@acme/mcp-server", "--api-key", plant(f"{where} args")],
        "env": {
            "GITHUB_PERSONAL_ACCESS_TOKEN": plant(f"{where} env token"),
            "DIFY_KEY": plant(f"{where} env key"),
            "UPSTREAM": plant(f"{where} env unnamed value"),
        },
        "headers": {
            "Authorization": f"Bearer {plant(f'{where} header authorization')}",
            "X-Api-Key": plant(f"{where} header x-api-key"),
        },
        "isActive": True,
        **extra,
    }


def _preprocess_provider(plant: Planter, where: str) -> dict[str, Any]:
    return {
        "id": "mineru",
        "name": "MinerU",
        "apiKey": plant(f"{where} apiKey"),
        "apiHost": "https://mineru.net",
    }


def _llm(plant: Planter, llm: dict[str, Any]) -> None:
    for index, provider in enumerate(llm["providers"]):
        key = f"llm.providers[{index}].apiKey"
        # v1 keeps several keys comma-separated in one string.
        provider["apiKey"] = f"{plant(f'{key} 1')},{plant(f'{key} 2')}" if index == 0 else plant(key)
        provider["extra_headers"] = {
            "Authorization": f"Bearer {plant(f'llm.providers[{index}].extra_headers')}"
        }
        for model in provider.get("models", [])[:1]:
            model["apiKey"] = plant(f"llm.providers[{index}].models[0].apiKey")
    llm["providers"].append(
        {"id": "", "name": "No id", "type": "openai", "apiKey": plant("skipped provider")}
    )
    duplicate = dict(llm["providers"][1], apiKey=plant("duplicate provider apiKey"))
    llm["providers"].append(duplicate)
    settings = llm["settings"]
    settings["vertexai"]["serviceAccount"]["privateKey"] = (
        f"-----BEGIN PRIVATE KEY-----\n{plant('vertexai privateKey')}\n-----END PRIVATE KEY-----\n"
    )
    for name in ("awsBedrock", "volcengine"):
        settings[name]["accessKeyId"] = plant(f"{name} accessKeyId")
        settings[name]["secretAccessKey"] = plant(f"{name} secretAccessKey")
    settings["awsBedrock"]["apiKey"] = plant("awsBedrock apiKey")


def _mcp(plant: Planter, mcp: dict[str, Any]) -> None:
    for index, server in enumerate(mcp["servers"]):
        planted = _mcp_server(plant, f"mcp.servers[{index}]")
        server["args"] = [*server.get("args", []), *planted["args"][-2:]]
        server["env"] = planted["env"]
        server["headers"] = planted["headers"]
    mcp["servers"].append(_mcp_server(plant, "mcp nameless server", id="nameless-server"))
    mcp["servers"].append(_mcp_server(plant, "mcp bad type server", id="bad-type", name="bad", type=42))


def _assistants(plant: Planter, state: dict[str, Any]) -> None:
    for group in ("assistants", "presets"):
        for index, assistant in enumerate(state.get(group, [])[:2]):
            where = f"assistants.{group}[{index}]"
            assistant["mcpServers"] = [
                _mcp_server(plant, f"{where}.mcpServers", id=f"{group}-{index}", name="m")
            ]
            assistant["knowledge_bases"] = [
                {
                    "id": f"kb-{group}-{index}",
                    "name": "kb",
                    "preprocessProvider": {
                        "type": "preprocess",
                        "provider": _preprocess_provider(plant, f"{where}.knowledge_bases"),
                    },
                }
            ]
            settings = assistant.setdefault("settings", {})
            settings.setdefault("customParameters", []).append(
                {"name": "api_key", "value": plant(f"{where} customParameters"), "type": "string"}
            )


def _settings(plant: Planter, settings: dict[str, Any]) -> None:
    for key in ("webdavPass", "notionApiKey", "yuqueToken", "joplinToken", "siyuanToken"):
        settings[key] = plant(f"settings.{key}")
    settings["s3"]["accessKeyId"] = plant("settings.s3.accessKeyId")
    settings["s3"]["secretAccessKey"] = plant("settings.s3.secretAccessKey")
    settings["apiServer"]["apiKey"] = plant("settings.apiServer.apiKey")
    settings["proxyUrl"] = f"http://proxyuser:{plant('settings.proxyUrl password')}@proxy.example.com:8080"


def _websearch(plant: Planter, websearch: dict[str, Any]) -> None:
    for index, provider in enumerate(websearch["providers"]):
        provider["apiKey"] = plant(f"websearch.providers[{index}].apiKey")
        provider["basicAuthPassword"] = plant(f"websearch.providers[{index}].basicAuthPassword")
    websearch["providers"].append(
        {"id": "unknown-engine", "name": "Unknown", "apiKey": plant("websearch unknown")}
    )
    websearch["providerConfig"] = {"tavily": {"apiKey": plant("websearch.providerConfig")}}


def _codetools(plant: Planter, codetools: dict[str, Any]) -> None:
    for tool in codetools["environmentVariables"]:
        codetools["environmentVariables"][tool] = (
            f"ANTHROPIC_API_KEY={plant(f'codeTools {tool} api key')}\n"
            f"UPSTREAM_URL=https://u:{plant(f'codeTools {tool} url password')}@example.com\nDEBUG=1"
        )


def _slices(plant: Planter) -> dict[str, Callable[[Any], None]]:
    def providers_with_key(where: str) -> Callable[[Any], None]:
        def edit(state: dict[str, Any]) -> None:
            for index, provider in enumerate(state["providers"]):
                provider["apiKey"] = plant(f"{where}.providers[{index}].apiKey")
                provider.setdefault("config", {})["accessToken"] = plant(
                    f"{where}.providers[{index}].accessToken"
                )

        return edit

    def knowledge(state: dict[str, Any]) -> None:
        for index, base in enumerate(state["bases"]):
            base["preprocessProvider"] = {
                "type": "preprocess",
                "provider": _preprocess_provider(plant, f"knowledge.bases[{index}].preprocessProvider"),
            }

    def memory(state: dict[str, Any]) -> None:
        for client in ("embedderApiClient", "llmApiClient"):
            state["memoryConfig"][client]["apiKey"] = plant(f"memory.{client}.apiKey")

    def nutstore(state: dict[str, Any]) -> None:
        state["nutstoreToken"] = plant("nutstore.nutstoreToken")

    return {
        "llm": lambda s: _llm(plant, s),
        "mcp": lambda s: _mcp(plant, s),
        "assistants": lambda s: _assistants(plant, s),
        "settings": lambda s: _settings(plant, s),
        "websearch": lambda s: _websearch(plant, s),
        "codeTools": lambda s: _codetools(plant, s),
        "preprocess": providers_with_key("preprocess"),
        "ocr": providers_with_key("ocr"),
        "knowledge": knowledge,
        "memory": memory,
        "nutstore": nutstore,
    }


def _side_stores(plant: Planter, root: Path) -> None:
    def dexie_settings(rows: list[dict[str, Any]]) -> None:
        rows.append({"id": "webdav:password", "value": plant("dexie settings webdav:password")})
        rows.append({"id": "mcp:provider:modelscope:token", "value": plant("dexie settings provider token")})

    def config(data: dict[str, Any]) -> None:
        data["proxy"] = {
            "mode": "fixed_servers",
            "proxyRules": f"http=proxyuser:{plant('config.json proxy password')}@proxy.example.com:8080",
        }

    def local_storage(rows: list[dict[str, Any]]) -> None:
        rows.append({"key": "auth_token", "value": plant("localStorage auth_token")})

    _edit_json(root / "dexie_export" / "settings.json", dexie_settings)
    _edit_json(root / "config.json", config)
    _edit_json(root / "localstorage_export" / "localStorage.json", local_storage)


def plant_secrets(root: Path) -> dict[str, str]:
    """Plant markers into the export folder at ``root``; returns marker → where."""
    plant = Planter()
    for slice_name, edit in _slices(plant).items():
        _edit_json(root / "redux_export" / f"{slice_name}.json", edit)
    _side_stores(plant, root)
    return plant.planted


def generate_secret_profile(root: Path, *, seed: int, messages: int) -> dict[str, str]:
    generate_export(root, seed=seed, messages=messages)
    return plant_secrets(root)
