"""Knowledge bases and their items (legacy-sources §2.4.4) and the ``knowledge_notes`` rows (§1.6)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from .files import FileStore
from .ids import BASE_TIME_MS, DAY_MS, IdFactory
from .providers import ProviderCatalog, model_ref
from .texts import NOTE_TITLES, paragraph

_KNOWLEDGE_ITEM_TYPES = ("file", "url", "note", "directory", "sitemap", "memory", "video")


@dataclass
class Knowledge:
    slice: dict[str, Any]
    notes: list[dict[str, Any]]  # Dexie knowledge_notes rows
    item_count: int
    missing_model_base_id: str
    resurrectable_model_base_id: str


def _knowledge_item(
    rng: random.Random, ids: IdFactory, files: FileStore, base_id: str, kind: str, when: int
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    item_id = ids.uuid4()
    note_row = None
    content: Any
    if kind == "file":
        content = files.pick_document()
    elif kind == "video":
        content = [files.pick_document()]
    elif kind == "url":
        content = f"https://docs.example.com/guide/{ids.hex(6)}"
    elif kind == "sitemap":
        content = "https://blog.example.com/sitemap.xml"
    elif kind == "directory":
        content = f"/Users/demo/Documents/{rng.choice(('handbook', '论文资料', 'specs'))}"
    elif kind == "memory":
        content = "The user prefers metric units and answers in Chinese."
    else:
        full = "# " + rng.choice(NOTE_TITLES) + "\n\n" + paragraph(rng, rng.randint(3, 8))
        note_row = {
            "id": item_id,
            "baseId": base_id,
            "type": "note",
            "content": full,
            "created_at": when,
            "updated_at": when + rng.randint(0, 5) * DAY_MS,
        }
        if rng.random() < 0.5:
            note_row["sourceUrl"] = f"https://wiki.example.com/page/{ids.hex(4)}"
        content = full[:60]  # Redux keeps a lighter copy; Dexie knowledge_notes has the full text
    item: dict[str, Any] = {
        "id": item_id,
        "baseId": base_id,
        "type": kind,
        "content": content,
        "created_at": when,
        "updated_at": when + rng.randint(0, 3) * DAY_MS,
    }
    if kind == "url" and rng.random() < 0.5:
        item["remark"] = "Official docs"
    state = rng.random()
    if state < 0.75 or kind == "directory":
        item["processingStatus"] = "completed"
        item["processingProgress"] = 100
        item["uniqueId"] = f"local_loader_{ids.hex(16)}"
        if kind in ("directory", "sitemap"):
            item["uniqueIds"] = [f"local_loader_{ids.hex(16)}" for _ in range(rng.randint(2, 4))]
        item["retryCount"] = 0
    elif state < 0.85:
        item["processingStatus"] = "failed"
        item["processingError"] = "Request failed with status code 413"
        item["retryCount"] = 2
    else:
        item["processingStatus"] = rng.choice(("pending", "processing"))
        item["processingProgress"] = rng.randint(0, 90)
    if kind == "file" and rng.random() < 0.3:
        item["isPreprocessed"] = True
    return item, note_row


def build_knowledge(
    rng: random.Random, ids: IdFactory, catalog: ProviderCatalog, files: FileStore, count: int
) -> Knowledge:
    """``count`` bases; the first holds an item of every type, the last two have dangling embedding
    models (one whose provider still exists, one whose provider is gone)."""
    bases: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    items_total = 0
    names = ("Product docs", "论文资料库", "Support tickets", "Legal templates", "Recipes", "Runbooks")
    for index in range(count):
        base_id = ids.uuid4()
        created = BASE_TIME_MS + rng.randint(0, 120) * DAY_MS
        if index == count - 2:
            embedding = {
                "id": "text-embedding-ada-002",
                "provider": "openai",
                "name": "ada-002",
                "group": "Embedding",
            }
        elif index == count - 1:
            embedding = {
                "id": "bge-large-zh-v1.5",
                "provider": "baai-retired",
                "name": "bge-large-zh",
                "group": "BAAI",
            }
        else:
            embedding = model_ref(rng.choice(catalog.embedding_models))
        base: dict[str, Any] = {
            "id": base_id,
            "name": f"{names[index % len(names)]} {index // len(names) + 1}".removesuffix(" 1"),
            "model": embedding,
            "dimensions": rng.choice((768, 1024, 1536)),
            "items": [],
            "created_at": created,
            "updated_at": created + rng.randint(1, 30) * DAY_MS,
            "version": 1,
            "documentCount": rng.choice((5, 6, 10)),
            "chunkSize": rng.choice((500, 800, 1000)),
            "chunkOverlap": rng.choice((50, 100, 200)),
        }
        if index % 2 == 0:
            base["description"] = "Everything the team keeps forgetting."
            base["threshold"] = 0.6
        if index == 0:
            base["rerankModel"] = model_ref(rng.choice(catalog.rerank_models))
            base["preprocessProvider"] = {
                "type": "preprocess",
                "provider": {
                    "id": "mineru",
                    "name": "MinerU",
                    "apiKey": ids.fake_secret("mineru-demo-"),
                    "apiHost": "https://mineru.net",
                },
            }
        kinds = (
            list(_KNOWLEDGE_ITEM_TYPES)
            if index == 0
            else [rng.choice(_KNOWLEDGE_ITEM_TYPES[:5]) for _ in range(rng.randint(2, 6))]
        )
        for kind in kinds:
            item, note_row = _knowledge_item(rng, ids, files, base_id, kind, created + rng.randint(0, DAY_MS))
            base["items"].append(item)
            if note_row is not None:
                notes.append(note_row)
        items_total += len(base["items"])
        bases.append(base)
    return Knowledge(
        slice={"bases": bases},
        notes=notes,
        item_count=items_total,
        missing_model_base_id=bases[-1]["id"],
        resurrectable_model_base_id=bases[-2]["id"],
    )
