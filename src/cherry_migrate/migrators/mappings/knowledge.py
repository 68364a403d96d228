"""Rules for Redux ``knowledge.bases[]`` and their ``items[]`` → ``knowledge_base`` / ``knowledge_item``
values (migrators.md §3.7; legacy shapes in legacy-sources.md §2.4.4 and §1.6; CHECKs in
target-schema.md §4.2). Pure functions: no database, no file access.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cherry_migrate.core.timestamps import to_epoch_ms
from cherry_migrate.migrators.common.coerce import nonblank_str, opt_dict, opt_int, opt_number, opt_str
from cherry_migrate.migrators.mappings.provider_model import unique_model_id

DEFAULT_CHUNK_SIZE = 1024
DEFAULT_CHUNK_OVERLAP = 200
NOTE_CONTENT_MAX = 1_000_000
"""v2 refuses to read a note longer than this (characters); longer v1 notes are truncated, not dropped."""

ERROR_MISSING_EMBEDDING_MODEL = "missing_embedding_model"
ERROR_MISSING_VECTOR_STORE = "missing_vector_store"
ERROR_DIRECTORY_NOT_MIGRATED = "directory_not_migrated"
ERROR_INTERRUPTED = "Legacy knowledge item indexing was interrupted and needs to be retried."
ERROR_FAILED_WITHOUT_MESSAGE = "Legacy knowledge item failed without an error message."

META_DIR = ".cherry"
"""The name v2 keeps for its own index inside a base folder; no item path may claim it."""

KNOWLEDGE_BASE_COLUMNS = (
    "id",
    "name",
    "group_id",
    "dimensions",
    "embedding_model_id",
    "status",
    "error",
    "rerank_model_id",
    "file_processor_id",
    "chunk_size",
    "chunk_overlap",
    "threshold",
    "document_count",
    "created_at",
    "updated_at",
)
KNOWLEDGE_ITEM_COLUMNS = (
    "id",
    "base_id",
    "group_id",
    "type",
    "data",
    "status",
    "error",
    "created_at",
    "updated_at",
)

_UNSAFE_FILENAME_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)


class ItemSkip(Exception):
    """A legacy item that cannot become a v2 item; ``reason`` is the ledger reason code."""

    def __init__(self, reason: str, detail: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def legacy_model_unique_id(model: object) -> str | None:
    """``provider::id`` of an embedded legacy model object, or None when it names no model."""
    values = opt_dict(model) or {}
    provider, model_id = nonblank_str(values.get("provider")), nonblank_str(values.get("id"))
    return unique_model_id(provider, model_id) if provider and model_id else None


def chunk_settings(chunk_size: object, chunk_overlap: object) -> tuple[int, int]:
    """A positive integer chunk size and an overlap in ``[0, size)``; defaults replace what is not."""
    size = opt_int(chunk_size)
    size = size if size is not None and size > 0 else DEFAULT_CHUNK_SIZE
    overlap = opt_int(chunk_overlap)
    if overlap is None or overlap < 0 or overlap >= size:
        overlap = 0 if size <= 1 else min(DEFAULT_CHUNK_OVERLAP, size - 1)
    return size, overlap


def valid_threshold(value: object) -> float | None:
    number = opt_number(value)
    return float(number) if number is not None and 0 <= number <= 1 else None


def valid_document_count(value: object) -> int | None:
    number = opt_int(value)
    return number if number is not None and number > 0 else None


def positive_int(value: object) -> int | None:
    number = opt_int(value)
    return number if number is not None and number > 0 else None


def timestamp_or(value: object, fallback_ms: int) -> int:
    return to_epoch_ms(value) or fallback_ms


def sanitize_filename(name: str) -> str:
    """One safe path segment: unsafe characters → ``_``, no trailing dots or spaces, no Windows device
    name. Only an empty input gives ``''``; anything that cleans away entirely becomes ``untitled``."""
    if not name:
        return ""
    cleaned = _UNSAFE_FILENAME_CHARS.sub("_", name).rstrip(". ")
    if not cleaned.strip():
        return "untitled"
    if _WINDOWS_RESERVED.match(cleaned):
        cleaned = f"_{cleaned}"
    return cleaned


def fold_segment(segment: str) -> str:
    """Case- and composition-insensitive key: ``docs`` and ``Docs`` are one folder on Windows and macOS."""
    return unicodedata.normalize("NFC", segment).casefold()


def next_free_path(desired: str, is_free: Callable[[str], bool], split_extension: bool = True) -> str:
    """``desired`` or the first free ``stem_N.ext`` (``name_N`` when ``split_extension`` is false)."""
    if is_free(desired):
        return desired
    head, slash, last = desired.rpartition("/")
    prefix = head + slash
    dot = last.rfind(".") if split_extension else -1
    stem, ext = (last[:dot], last[dot:]) if dot > 0 else (last, "")
    n = 1
    while not is_free(f"{prefix}{stem}_{n}{ext}"):
        n += 1
    return f"{prefix}{stem}_{n}{ext}"


def split_legacy_path(path: str) -> list[str]:
    """Segments of a path written on any OS (both separators; no empty or ``.`` segments)."""
    return [segment for segment in re.split(r"[\\/]+", path) if segment not in ("", ".")]


def infer_item_status(item: dict[str, Any]) -> tuple[str, str | None]:
    """v2 status and error of a legacy item: unfinished or failed processing → ``failed``; embedded
    (``uniqueId`` set) → ``completed``; otherwise ``idle``."""
    processing = item.get("processingStatus")
    if processing in ("failed", "processing", "pending"):
        message = nonblank_str(item.get("processingError"))
        if message:
            return "failed", message.strip()
        return "failed", ERROR_INTERRUPTED if processing != "failed" else ERROR_FAILED_WITHOUT_MESSAGE
    return ("completed", None) if nonblank_str(item.get("uniqueId")) else ("idle", None)


def resolve_file_metadata(content: object, files_by_id: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """A file item's FileMetadata: embedded in the item, referenced by id, or partial and completed from
    the Dexie ``files`` row of the same id. None when no usable ``path`` results."""
    if isinstance(content, str):
        merged = files_by_id.get(content)
    elif isinstance(content, dict) and nonblank_str(content.get("id")):
        merged = {**files_by_id.get(content["id"], {}), **content}
    else:
        merged = None
    if merged is None or not nonblank_str(merged.get("path")):
        return None
    return merged


@dataclass(frozen=True)
class NoteContent:
    content: str | None
    source_url: str | None


@dataclass
class ItemValues:
    """One ``knowledge_item`` row; ``data`` is the JSON object of the ``data`` column."""

    id: str
    group_id: str | None
    type: str
    data: dict[str, Any]
    status: str
    error: str | None
    created_at: int
    updated_at: int


def file_item_data(item_id: str, file: dict[str, Any], claim: Callable[[str], str]) -> dict[str, Any]:
    """``{source, relativePath}``: the relative path is the sanitised original name (else the storage
    name, else the item id), made unique within the base by ``claim``."""
    name = (
        sanitize_filename(opt_str(file.get("origin_name")) or "")
        or sanitize_filename(opt_str(file.get("name")) or "")
        or item_id
    )
    return {"source": file["path"], "relativePath": claim(name)}


def note_item_data(item: dict[str, Any], note: NoteContent | None) -> tuple[dict[str, Any], bool]:
    """``{source, content}`` and whether the content had to be truncated. Raises ``invalid_note``
    when there is neither a source URL nor any content."""
    raw = (
        note.content if note is not None and note.content is not None else opt_str(item.get("content")) or ""
    )
    content = raw[:NOTE_CONTENT_MAX]
    source = (note.source_url if note else None) or nonblank_str(item.get("sourceUrl")) or content
    if not source.strip():
        raise ItemSkip("invalid_note", "note has neither content nor a source URL")
    return {"source": source, "content": content}, len(raw) > len(content)


def url_item_data(item: dict[str, Any], reason: str, trim: bool) -> dict[str, Any]:
    url = nonblank_str(item.get("content"))
    if url is None:
        raise ItemSkip(reason)
    url = url.strip() if trim else url
    return {"source": url, "url": url}


@dataclass
class ExpandedDirectory:
    container: ItemValues
    children: list[ItemValues]
    prefix: str
    unrelated_sources: int


def expand_directory(
    container_id: str,
    folder: str,
    loader_ids: list[Any],
    loader_sources: dict[str, str],
    reserved: set[str],
    times: tuple[int, int],
    new_child_id: Callable[[], str],
) -> ExpandedDirectory | None:
    """A v1 folder item as a v2 ``directory`` container plus one ``file`` child per embedded file.

    v1 embedded every file of a folder under the folder item's loader ids (``uniqueIds``) and kept no
    item per file; the legacy vector store tells which file each loader id read. The container claims a
    top-level name in the base (``docs``, ``docs_1`` …, folded against ``reserved``); each child gets
    ``<prefix>/<path inside the folder>``. No byte is copied. None when no child can be attributed.
    """
    folder_segments = split_legacy_path(folder)
    folder_keys = [fold_segment(s) for s in folder_segments]
    top = sanitize_filename(folder_segments[-1] if folder_segments else "root") or "root"
    prefix = next_free_path(top, lambda c: fold_segment(c) not in reserved, split_extension=False)
    created, updated = times
    children: list[ItemValues] = []
    used_paths: set[str] = set()
    seen_loaders: set[str] = set()
    unrelated = 0
    for loader_id in loader_ids:
        if not isinstance(loader_id, str) or not loader_id.strip() or loader_id in seen_loaders:
            continue
        source = loader_sources.get(loader_id)
        if not source or not source.strip():
            continue
        seen_loaders.add(loader_id)
        segments = split_legacy_path(source)
        inside = len(segments) > len(folder_segments) and all(
            key == fold_segment(segment) for key, segment in zip(folder_keys, segments, strict=False)
        )
        if inside:
            sub = segments[len(folder_segments) :]
        else:
            sub, unrelated = segments[-1:], unrelated + 1
        desired = "/".join([prefix, *(sanitize_filename(s) or "untitled" for s in sub or ["untitled"])])
        relative = next_free_path(desired, lambda c: c not in used_paths)
        used_paths.add(relative)
        children.append(
            ItemValues(
                id=new_child_id(),
                group_id=container_id,
                type="file",
                data={"source": source, "relativePath": relative},
                status="completed",
                error=None,
                created_at=created,
                updated_at=updated,
            )
        )
    if not children:
        return None
    container = ItemValues(
        id=container_id,
        group_id=None,
        type="directory",
        data={"source": folder, "relativePath": prefix},
        status="completed",
        error=None,
        created_at=created,
        updated_at=updated,
    )
    return ExpandedDirectory(container, children, prefix, unrelated)
