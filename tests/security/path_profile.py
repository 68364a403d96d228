"""A generated v1 profile whose records and folders point outside it, at canary files.

Next to the export folder, ``outside/`` holds canaries: files whose bytes contain :data:`CANARY`, so a
copy is recognisable anywhere, plus a vector store, a custom mini-app list and a notes folder, each
of which the migration would happily read if it followed the path. The profile then names them in
every way v1 data can name a path:

* absolute paths and ``../`` traversal in ``files`` rows, knowledge items, message blocks, paintings,
  note lists, the avatar and provider logos, an MCP server's ``dxtPath``;
* symlinks inside ``Data/Files`` (one in place of a real attachment, one to a folder), in place of
  ``Data/Files/custom-minapps.json``, of the knowledge vector stores in ``Data/KnowledgeBase`` and of
  a folder inside ``Data/Notes``.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import struct
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cherry_migrate.sampledata import generate_export

CANARY = b"CANARY-OUTSIDE-THE-LEGACY-FOLDER-7f3c9a"
_PNG_HEADER = b"\x89PNG\r\n\x1a\n"
VECTOR_DIMENSIONS = 7


@dataclass
class PathProfile:
    root: Path
    """The export folder (the legacy data)."""
    outside: Path
    """The canaries' folder: nothing in it may be read, changed or removed by a run."""
    file_ids: dict[str, str] = field(default_factory=dict)
    """What each planted ``files`` row tests → its id."""
    knowledge_bases: list[str] = field(default_factory=list)
    """Ids of the knowledge bases whose vector store is a symlink to the outside canary store."""


def _write_outside(outside: Path) -> None:
    (outside / "notes").mkdir(parents=True)
    (outside / "dir").mkdir()
    (outside / "canary.txt").write_bytes(CANARY + b" text\n")
    (outside / "canary.png").write_bytes(_PNG_HEADER + CANARY)
    (outside / "notes" / "canary.md").write_bytes(b"# " + CANARY)
    (outside / "dir" / "canary.md").write_bytes(CANARY)
    logo = "data:image/png;base64," + base64.b64encode(_PNG_HEADER + CANARY).decode()
    apps = [{"id": "canary-app", "name": CANARY.decode(), "url": "https://canary.example.com", "logo": logo}]
    (outside / "canary-minapps.json").write_text(json.dumps(apps), encoding="utf-8")
    with closing(sqlite3.connect(outside / "canary.sqlite")) as store:
        store.execute("CREATE TABLE vectors (id TEXT, uniqueLoaderId TEXT, source TEXT, vector BLOB)")
        vector = struct.pack(f"<{VECTOR_DIMENSIONS}f", *range(VECTOR_DIMENSIONS))
        store.execute("INSERT INTO vectors VALUES ('v', 'loader', ?, ?)", (CANARY.decode(), vector))
        store.commit()


def _edit_json(path: Path, edit: Callable[[Any], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _file_object(file_id: str, name: str, path: str) -> dict[str, Any]:
    return {"id": file_id, "name": name, "origin_name": "canary.txt", "path": path, "size": len(CANARY)}


def _plant_files(profile: PathProfile) -> None:
    files_dir = profile.root / "Data" / "Files"
    outside = profile.outside
    rows = json.loads((profile.root / "dexie_export" / "files.json").read_text(encoding="utf-8"))
    present = next(row for row in rows if (files_dir / row["name"]).is_file())
    (files_dir / present["name"]).unlink()
    (files_dir / present["name"]).symlink_to(outside / "canary.txt")
    profile.file_ids["attachment replaced by a symlink"] = present["id"]
    planted = {
        "absolute path": _file_object("path-absolute", "passwd", "/etc/passwd"),
        "traversal in name": _file_object(
            "path-traversal", "../../outside/canary.txt", f"{files_dir}/../../outside/canary.txt"
        ),
        "path outside": _file_object("path-outside", "canary.txt", str(outside / "canary.txt")),
        "symlinked new row": _file_object(
            "symlinked-row", "symlinked-row.txt", str(files_dir / "symlinked-row.txt")
        ),
    }
    for what, row in planted.items():
        rows.append(dict(row, ext=".txt", type="text", created_at="2024-05-01T00:00:00.000Z", count=1))
        profile.file_ids[what] = row["id"]
    (files_dir / "symlinked-row.txt").symlink_to(outside / "canary.txt")
    (files_dir / "linked-folder").symlink_to(outside, target_is_directory=True)
    (files_dir / "custom-minapps.json").unlink()
    (files_dir / "custom-minapps.json").symlink_to(outside / "canary-minapps.json")
    rows.sort(key=lambda row: row["id"])
    (profile.root / "dexie_export" / "files.json").write_text(json.dumps(rows), encoding="utf-8")


def _plant_records(profile: PathProfile) -> None:
    outside = profile.outside
    canary_file = _file_object("path-outside", "../../../outside/canary.png", str(outside / "canary.png"))
    redux = profile.root / "redux_export"

    def knowledge(state: dict[str, Any]) -> None:
        base = state["bases"][0]
        base["items"].append({"id": "item-outside-file", "type": "file", "content": canary_file})
        base["items"].append({"id": "item-outside-dir", "type": "directory", "content": str(outside / "dir")})
        profile.knowledge_bases.extend(b["id"] for b in state["bases"])

    def note(state: dict[str, Any]) -> None:
        root = state["notesPath"]
        state["starredPaths"] += [
            f"{root}/linked/canary.md",
            "/etc/passwd",
            f"{root}/../../outside/notes/canary.md",
        ]
        state["expandedPaths"] = [*state.get("expandedPaths", []), f"{root}/linked", str(outside / "notes")]

    def paintings(state: dict[str, Any]) -> None:
        next(iter(state.values())).append({"id": "painting-outside", "urls": [], "files": [canary_file]})

    def mcp(state: dict[str, Any]) -> None:
        state["servers"][0]["dxtPath"] = str(outside / "canary.txt")

    for name, edit in (("knowledge", knowledge), ("note", note), ("paintings", paintings), ("mcp", mcp)):
        _edit_json(redux / f"{name}.json", edit)

    def blocks(rows: list[dict[str, Any]]) -> None:
        image = next(row for row in rows if row.get("type") == "image")
        image["file"] = canary_file
        image["url"] = (outside / "canary.png").as_uri()

    def settings(rows: list[dict[str, Any]]) -> None:
        for row in rows:
            if row["id"] == "image://avatar":
                row["value"] = (outside / "canary.png").as_uri()
            elif row["id"].startswith("image://provider-"):
                row["value"] = str(outside / "canary.png")

    _edit_json(profile.root / "dexie_export" / "message_blocks.json", blocks)
    _edit_json(profile.root / "dexie_export" / "settings.json", settings)


def _plant_folders(profile: PathProfile) -> None:
    knowledge_dir = profile.root / "Data" / "KnowledgeBase"
    knowledge_dir.mkdir()
    for base_id in profile.knowledge_bases:
        (knowledge_dir / base_id).symlink_to(profile.outside / "canary.sqlite")
    (profile.root / "Data" / "Notes" / "linked").symlink_to(
        profile.outside / "notes", target_is_directory=True
    )


def build_path_profile(folder: Path, *, seed: int, messages: int) -> PathProfile:
    """``folder/export`` (the legacy data) and ``folder/outside`` (the canaries)."""
    profile = PathProfile(root=folder / "export", outside=folder / "outside")
    generate_export(profile.root, seed=seed, messages=messages)
    _write_outside(profile.outside)
    _plant_files(profile)
    _plant_records(profile)
    _plant_folders(profile)
    return profile
