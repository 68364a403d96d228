"""Loading a generated export folder for assertions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEXIE_TABLES = (
    "topics",
    "message_blocks",
    "files",
    "knowledge_notes",
    "settings",
    "translate_history",
    "translate_languages",
    "quick_phrases",
)


@dataclass
class Profile:
    root: Path
    dexie: dict[str, list[dict[str, Any]]]
    redux: dict[str, Any]

    @property
    def messages(self) -> list[tuple[str, dict[str, Any]]]:
        """(containing topic id, message) for every message of every Dexie topic."""
        return [(topic["id"], m) for topic in self.dexie["topics"] for m in topic["messages"]]

    def redux_topics(self) -> dict[str, dict[str, Any]]:
        assistants = self.redux["assistants"]
        owners = [assistants["defaultAssistant"], *assistants["assistants"]]
        return {t["id"]: t for owner in owners for t in owner["topics"]}

    def assistant_ids(self) -> set[str]:
        assistants = self.redux["assistants"]
        every = [assistants["defaultAssistant"], *assistants["assistants"], *assistants["presets"]]
        return {a["id"] for a in every}

    def provider_models(self) -> dict[str, set[str]]:
        return {p["id"]: {m["id"] for m in p["models"]} for p in self.redux["llm"]["providers"]}


def load_profile(root: Path) -> Profile:
    dexie = {t: json.loads((root / "dexie_export" / f"{t}.json").read_bytes()) for t in DEXIE_TABLES}
    redux = {p.stem: json.loads(p.read_bytes()) for p in (root / "redux_export").glob("*.json")}
    return Profile(root=root, dexie=dexie, redux=redux)


def all_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
