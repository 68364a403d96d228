"""What KnowledgeMigrator will write, decided base by base from the legacy sources, with every base and
item recorded in the ledger.

Base skip reasons (``redux:knowledge.bases``): ``invalid_base``, ``missing_id``, ``duplicate_base``.
Item skip reasons (``redux:knowledge.bases.items``): ``base_skipped`` (its base was skipped),
``invalid_item``, ``missing_id_or_type``, ``duplicate_item``, ``unsupported_type`` (``memory``, ``video``
and unknown types have no v2 item), ``invalid_file`` / ``invalid_url`` / ``invalid_sitemap`` /
``invalid_directory`` / ``invalid_note`` (nothing usable to point at).

A base whose embedding model cannot be found is kept, as ``failed`` with ``missing_embedding_model``;
when the model is gone but its provider was migrated, a minimal model row is recreated instead, so the
base keeps working. A base whose legacy vector store is unusable is kept as ``failed`` with
``missing_vector_store``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cherry_migrate.core.accounting import Ledger
from cherry_migrate.core.ids import new_uuid4, new_uuid7
from cherry_migrate.migrators.common.coerce import nonblank_str, opt_dict, opt_list
from cherry_migrate.migrators.common.warning_log import WarningLog
from cherry_migrate.migrators.knowledge.vector_store import VectorStore, probe_vector_store
from cherry_migrate.migrators.mappings.knowledge import (
    ERROR_DIRECTORY_NOT_MIGRATED,
    ERROR_MISSING_EMBEDDING_MODEL,
    ERROR_MISSING_VECTOR_STORE,
    META_DIR,
    ItemSkip,
    ItemValues,
    NoteContent,
    chunk_settings,
    expand_directory,
    file_item_data,
    fold_segment,
    infer_item_status,
    legacy_model_unique_id,
    next_free_path,
    note_item_data,
    positive_int,
    resolve_file_metadata,
    timestamp_or,
    url_item_data,
    valid_document_count,
    valid_threshold,
)
from cherry_migrate.migrators.mappings.provider_model import MODEL_ID_SEPARATOR, ModelValues, transform_model

BASES_KIND = "redux:knowledge.bases"
ITEMS_KIND = "redux:knowledge.bases.items"


@dataclass
class ModelLookup:
    """Migrated model and provider ids, plus the embedding models recreated for knowledge bases."""

    model_ids: set[str]
    provider_ids: set[str]
    resurrected: dict[str, ModelValues] = field(default_factory=dict)

    def known(self, unique_id: str | None) -> bool:
        return unique_id is not None and (unique_id in self.model_ids or unique_id in self.resurrected)

    def embedding_model(self, model: object, warnings: WarningLog) -> str | None:
        unique_id = legacy_model_unique_id(model)
        if unique_id is None or self.known(unique_id):
            return unique_id
        provider_id, _, model_id = unique_id.partition(MODEL_ID_SEPARATOR)
        if provider_id not in self.provider_ids or not isinstance(model, dict):
            return None
        values = transform_model(provider_id, model_id, model, warnings)
        capabilities = (
            values.capabilities if "embedding" in values.capabilities else [*values.capabilities, "embedding"]
        )
        self.resurrected[unique_id] = dataclasses.replace(values, capabilities=capabilities)
        warnings.add(
            "Embedding model no longer in its provider's list; recreated for knowledge bases", unique_id
        )
        return unique_id


@dataclass
class BasePlan:
    legacy_id: str
    row: tuple[object, ...]
    items: list[ItemValues]
    item_ids: dict[str, str]
    """Legacy item id → new item id (a folder maps to its container)."""


def item_count(base: object) -> int:
    return len(opt_list(base.get("items")) or []) if isinstance(base, dict) else 0


def note_item_ids(bases: list[Any]) -> set[str]:
    """Ids of the note items, whose full text lives in the Dexie ``knowledge_notes`` table."""
    return {
        item["id"]
        for base in bases
        if isinstance(base, dict)
        for item in opt_list(base.get("items")) or []
        if isinstance(item, dict) and item.get("type") == "note" and isinstance(item.get("id"), str)
    }


def file_item_refs(bases: list[Any]) -> set[str]:
    """File ids that file items reference, to complete their metadata from the Dexie ``files`` table."""
    refs: set[str] = set()
    for base in bases:
        for item in opt_list(base.get("items")) or [] if isinstance(base, dict) else []:
            if not isinstance(item, dict) or item.get("type") != "file":
                continue
            content = item.get("content")
            file_id = content if isinstance(content, str) else (opt_dict(content) or {}).get("id")
            if isinstance(file_id, str):
                refs.add(file_id)
    return refs


@dataclass
class KnowledgePlanner:
    ledger: Ledger
    models: ModelLookup
    notes: dict[str, NoteContent]
    files_by_id: dict[str, dict[str, Any]]
    knowledge_dir: Path | None
    now_ms: int
    warnings: WarningLog = field(default_factory=WarningLog)
    used_notes: set[str] = field(default_factory=set)
    seen_bases: set[str] = field(default_factory=set)
    seen_items: set[str] = field(default_factory=set)

    def _skip_items(self, base: object, reason: str, label: str) -> None:
        n = item_count(base)
        if n:
            self.ledger.read(ITEMS_KIND, n)
            self.ledger.skip(ITEMS_KIND, reason, f"{label}/*", n=n)

    def plan_base(self, index: int, base: object) -> BasePlan | None:
        self.ledger.read(BASES_KIND)
        label = f"#{index}"
        if not isinstance(base, dict):
            self.ledger.skip(
                BASES_KIND, "invalid_base", label, detail="knowledge base record is not an object"
            )
            return None
        legacy_id = nonblank_str(base.get("id"))
        if legacy_id is None:
            self.ledger.skip(BASES_KIND, "missing_id", label)
            self._skip_items(base, "base_skipped", label)
            return None
        if legacy_id in self.seen_bases:
            self.ledger.skip(
                BASES_KIND, "duplicate_base", legacy_id, detail="the first base with this id was kept"
            )
            self._skip_items(base, "base_skipped", legacy_id)
            return None
        self.seen_bases.add(legacy_id)
        self.ledger.written(BASES_KIND)
        return self._plan(legacy_id, base)

    def _plan(self, legacy_id: str, base: dict[str, Any]) -> BasePlan:
        new_id = new_uuid4()
        items = opt_list(base.get("items"))
        if items is None and base.get("items") is not None:
            self.warnings.add("Knowledge base 'items' is not a list; no items migrated", legacy_id)
        items = items or []
        name = nonblank_str(base.get("name"))
        if name is None:
            self.warnings.add("Knowledge base without a name; its legacy id is used as the name", legacy_id)
        if nonblank_str(base.get("description")):
            self.warnings.add("Knowledge base description has no place in v2 and was not migrated", legacy_id)

        embedding_id = self.models.embedding_model(base.get("model"), self.warnings)
        redux_dimensions = positive_int(base.get("dimensions"))
        store: VectorStore | None = None
        if embedding_id is None:
            self.warnings.add("Knowledge base embedding model not found; base kept as failed", legacy_id)
            status, error, dimensions = "failed", ERROR_MISSING_EMBEDDING_MODEL, redux_dimensions
        else:
            wants_loaders = any(
                isinstance(i, dict)
                and i.get("type") == "directory"
                and infer_item_status(i)[0] == "completed"
                for i in items
            )
            store = probe_vector_store(self.knowledge_dir, legacy_id, wants_loaders)
            if store.ok:
                status, error, dimensions = "completed", None, store.dimensions
            else:
                self.warnings.add(
                    f"Knowledge base vector store is {store.status.replace('_', ' ')}; base kept as failed",
                    legacy_id,
                )
                status, error, dimensions = "failed", ERROR_MISSING_VECTOR_STORE, redux_dimensions
        rerank_id = legacy_model_unique_id(base.get("rerankModel"))
        if rerank_id is not None and not self.models.known(rerank_id):
            self.warnings.add("Knowledge base rerank model was not migrated; rerank left unset", legacy_id)
            rerank_id = None
        size, overlap = chunk_settings(base.get("chunkSize"), base.get("chunkOverlap"))
        threshold, document_count = (
            valid_threshold(base.get("threshold")),
            valid_document_count(base.get("documentCount")),
        )
        if base.get("threshold") is not None and threshold is None:
            self.warnings.add("Knowledge base threshold outside [0, 1] cleared", legacy_id)
        if base.get("documentCount") is not None and document_count is None:
            self.warnings.add("Knowledge base document count not a positive integer cleared", legacy_id)
        processor = opt_dict((opt_dict(base.get("preprocessProvider")) or {}).get("provider")) or {}
        processor_id = nonblank_str(processor.get("id"))
        row = (
            new_id,
            name.strip() if name else legacy_id,
            None,
            dimensions,
            embedding_id,
            status,
            error,
            rerank_id,
            processor_id,
            size,
            overlap,
            threshold,
            document_count,
            timestamp_or(base.get("created_at"), self.now_ms),
            timestamp_or(base.get("updated_at"), self.now_ms),
        )
        plan = BasePlan(legacy_id, row, [], {})
        _ItemPlanner(self, plan, store if store is not None and store.ok else None, processor_id).plan_items(
            items
        )
        return plan


class _ItemPlanner:
    """The items of one base. Relative paths are unique per base, folded like the folders they name."""

    def __init__(
        self, owner: KnowledgePlanner, plan: BasePlan, store: VectorStore | None, processor: str | None
    ):
        self.owner = owner
        self.base = plan
        self.store = store
        self.processor = processor
        self.taken: set[str] = {fold_segment(META_DIR)}

    def _claim_file_path(self, name: str) -> str:
        """A free relative path; with a file processor, its ``.md`` output name must be free too."""

        def free(candidate: str) -> bool:
            if fold_segment(candidate) in self.taken:
                return False
            return not self.processor or fold_segment(_markdown_sibling(candidate)) not in self.taken

        path = next_free_path(name, free)
        self.taken.add(fold_segment(path))
        if self.processor:
            self.taken.add(fold_segment(_markdown_sibling(path)))
        return path

    def plan_items(self, items: list[Any]) -> None:
        ledger = self.owner.ledger
        for index, item in enumerate(items):
            ledger.read(ITEMS_KIND)
            label = f"{self.base.legacy_id}#{index}"
            try:
                values = self._item(item)
            except ItemSkip as skip:
                record_id = nonblank_str(item.get("id")) if isinstance(item, dict) else None
                ledger.skip(ITEMS_KIND, skip.reason, record_id or label, detail=skip.detail)
                continue
            ledger.written(ITEMS_KIND)
            self.base.items.extend(values)
            self.base.item_ids[item["id"]] = values[0].id

    def _item(self, item: object) -> list[ItemValues]:
        if not isinstance(item, dict):
            raise ItemSkip("invalid_item", "item record is not an object")
        item_id, item_type = nonblank_str(item.get("id")), nonblank_str(item.get("type"))
        if item_id is None or item_type is None:
            raise ItemSkip("missing_id_or_type")
        if item_id in self.owner.seen_items:
            raise ItemSkip("duplicate_item", "the first item with this id was kept")
        status, error = infer_item_status(item)
        times = (
            timestamp_or(item.get("created_at"), self.owner.now_ms),
            timestamp_or(item.get("updated_at"), self.owner.now_ms),
        )
        new_id = new_uuid7(times[0])
        if item_type == "directory":
            result = self._directory(item, new_id, status, error, times)
        else:
            item_type, data = self._data(item, item_type)
            result = [ItemValues(new_id, None, item_type, data, status, error, *times)]
        self.owner.seen_items.add(item_id)
        return result

    def _data(self, item: dict[str, Any], item_type: str) -> tuple[str, dict[str, Any]]:
        warnings = self.owner.warnings
        if item_type == "file":
            file = resolve_file_metadata(item.get("content"), self.owner.files_by_id)
            if file is None:
                raise ItemSkip("invalid_file", "no file metadata with a path")
            return "file", file_item_data(item["id"], file, self._claim_file_path)
        if item_type == "url":
            return "url", url_item_data(item, "invalid_url", trim=False)
        if item_type == "sitemap":
            return "url", url_item_data(item, "invalid_sitemap", trim=True)
        if item_type == "note":
            note = self.owner.notes.get(item["id"])
            data, truncated = note_item_data(item, note)
            if truncated:
                warnings.add("Knowledge note longer than v2 allows was truncated", item["id"])
            if note is not None:
                self.owner.used_notes.add(item["id"])
            return "note", data
        raise ItemSkip("unsupported_type", f"item type '{item_type}' has no v2 equivalent")

    def _directory(
        self, item: dict[str, Any], new_id: str, status: str, error: str | None, times: tuple[int, int]
    ) -> list[ItemValues]:
        folder = nonblank_str(item.get("content"))
        if folder is None:
            raise ItemSkip("invalid_directory")
        if status == "completed":
            expanded = self._expand(item, new_id, folder, times)
            if expanded is not None:
                return expanded
            status, error = "failed", ERROR_DIRECTORY_NOT_MIGRATED
        return [ItemValues(new_id, None, "directory", {"source": folder}, status, error, *times)]

    def _expand(
        self, item: dict[str, Any], new_id: str, folder: str, times: tuple[int, int]
    ) -> list[ItemValues] | None:
        if self.store is None:
            return None
        loader_ids = opt_list(item.get("uniqueIds")) or []

        def new_child() -> str:
            return new_uuid7(times[0])

        sources = self.store.loader_sources
        expanded = expand_directory(new_id, folder, loader_ids, sources, self.taken, times, new_child)
        if expanded is None:
            return None
        self.taken.add(fold_segment(expanded.prefix))
        if expanded.unrelated_sources:
            self.owner.warnings.add(
                "Folder item files recorded outside the folder were named by file name", item["id"]
            )
        if len(expanded.children) < len({i for i in loader_ids if isinstance(i, str)}):
            self.owner.warnings.add(
                "Some files of a folder item could not be found in its vector store", item["id"]
            )
        return [expanded.container, *expanded.children]


def _markdown_sibling(path: str) -> str:
    head, slash, last = path.rpartition("/")
    dot = last.rfind(".")
    stem = last[:dot] if dot > 0 else last
    return f"{head}{slash}{stem}.md"
