"""Read-only look into a v1 knowledge base's vector store (``Data/KnowledgeBase/<base id>``, an embedjs
LibSQL/SQLite file with a ``vectors`` table).

KnowledgeMigrator needs two facts from it: the embedding dimensions (byte length of a stored float32
vector / 4) and, for folder items, which file each loader id read. The vectors themselves are not
migrated. The file is opened read-only and ``immutable``: SQLite then neither locks it nor creates a
journal or WAL index beside it, so the legacy folder is left exactly as it was.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from cherry_migrate.migrators.mappings.knowledge import sanitize_filename

VECTORS_TABLE = "vectors"


@dataclass(frozen=True)
class VectorStore:
    """``status`` is ``ok`` or why the store is unusable: ``missing``, ``invalid_path``,
    ``a_symbolic_link``, ``directory``, ``not_embedjs``, ``empty``, ``invalid_vector``, ``unreadable``."""

    status: str
    dimensions: int | None = None
    loader_sources: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def store_path(knowledge_dir: Path, legacy_base_id: str) -> Path | None:
    name = sanitize_filename(legacy_base_id)
    return None if not name or name in (".", "..") else knowledge_dir / name


def _read(path: Path, with_loaders: bool) -> VectorStore:
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (VECTORS_TABLE,)
        )
        if found.fetchone() is None:
            return VectorStore("not_embedjs")
        row = conn.execute(f"SELECT vector FROM {VECTORS_TABLE} WHERE vector IS NOT NULL LIMIT 1").fetchone()
        if row is None:
            return VectorStore("empty")
        vector = row[0]
        if not isinstance(vector, bytes) or not vector or len(vector) % 4:
            return VectorStore("invalid_vector")
        loaders: dict[str, str] = {}
        if with_loaders:
            for loader_id, source in conn.execute(
                f"SELECT DISTINCT uniqueLoaderId, source FROM {VECTORS_TABLE}"
            ):
                if isinstance(loader_id, str) and isinstance(source, str):
                    loaders.setdefault(loader_id, source)
        return VectorStore("ok", len(vector) // 4, loaders)


def probe_vector_store(knowledge_dir: Path | None, legacy_base_id: str, with_loaders: bool) -> VectorStore:
    """Dimensions (and, if asked, the loader id → source file map) of one base's legacy store."""
    if knowledge_dir is None:
        return VectorStore("missing")
    path = store_path(knowledge_dir, legacy_base_id)
    if path is None:
        return VectorStore("invalid_path")
    if path.is_symlink():  # following it could read a file outside the legacy data folder
        return VectorStore("a_symbolic_link")
    if not path.exists():
        return VectorStore("missing")
    if path.is_dir():
        return VectorStore("directory")
    try:
        return _read(path, with_loaders)
    except sqlite3.Error:
        return VectorStore("unreadable")
