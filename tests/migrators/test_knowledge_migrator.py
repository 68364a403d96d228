"""KnowledgeMigrator on hand-built Redux ``knowledge`` / Dexie ``knowledge_notes`` fixtures and legacy
vector stores, after the provider migrator, against a real v2 target."""

from __future__ import annotations

import json
import logging
import sqlite3
import struct
import uuid
from pathlib import Path
from typing import Any

import pytest

from cherry_migrate.db.connection import foreign_key_violations
from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.knowledge.migrator import KnowledgeMigrator
from cherry_migrate.migrators.knowledge.vector_store import probe_vector_store
from cherry_migrate.migrators.mappings.knowledge import (
    ERROR_INTERRUPTED,
    chunk_settings,
    next_free_path,
    sanitize_filename,
)
from cherry_migrate.migrators.provider_model.migrator import ProviderModelMigrator
from tests.conftest import FIXED_NOW_MS
from tests.migrators.harness import counts, run_phases, skips, table

NOW = FIXED_NOW_MS
T0 = 1_718_096_400_000
MINERU_KEY = "mineru-SECRET-api-key-4242"
FOLDER = "/Users/demo/Docs/handbook"

EMBEDDING = {"id": "text-embedding-3-small", "provider": "openai", "name": "te3s", "group": "Embedding"}
RERANK = {"id": "bge-reranker", "provider": "silicon", "name": "reranker"}
LLM = {
    "llm": {
        "providers": [
            {
                "id": "openai",
                "type": "openai",
                "name": "OpenAI",
                "apiKey": "",
                "models": [
                    {"id": "text-embedding-3-small", "name": "te3s", "type": ["embedding"]},
                    {"id": "gpt-4o", "name": "GPT-4o"},
                ],
            },
            {
                "id": "silicon",
                "type": "openai",
                "name": "Silicon",
                "models": [{"id": "bge-reranker", "name": "r"}],
            },
        ]
    }
}


def file_meta(file_id: str, origin: str) -> dict[str, Any]:
    return {
        "id": file_id,
        "name": f"{file_id}.pdf",
        "origin_name": origin,
        "path": f"/u/Data/Files/{file_id}.pdf",
        "size": 3,
        "ext": ".pdf",
        "type": "document",
        "created_at": "2024-06-11T09:00:00.000Z",
        "count": 1,
    }


def item(item_id: Any, kind: Any, content: Any = None, **extra: Any) -> dict[str, Any]:
    return {"id": item_id, "type": kind, "content": content, "created_at": T0, "updated_at": T0 + 1, **extra}


DONE = {"processingStatus": "completed", "uniqueId": "local_loader_x"}


def knowledge_slice() -> dict[str, Any]:
    kb1_items: list[Any] = [
        item("i1", "file", file_meta("file-1", "report.pdf"), **DONE),
        item("i2", "file", "file-2"),
        item("i3", "file", {"id": "missing-file"}),
        item("i4", "url", "https://a.example.com", processingStatus="failed", processingError=" boom "),
        item("i5", "sitemap", "  https://s.example.com/sitemap.xml  ", processingStatus="pending"),
        item("i6", "sitemap", "   "),
        item("note-1", "note", "short copy", **DONE),
        item("note-2", "note", "only redux text"),
        item("note-3", "note", ""),
        item("i10", "directory", FOLDER, **DONE, uniqueIds=["L1", "L2", "L3", "L4", "L1"]),
        item("i11", "memory", "likes tea"),
        item("i12", "video", [file_meta("v", "v.mp4")]),
        item(None, "url", "https://x"),
        "oops",
        item("i1", "url", "https://dup"),
        item("i16", "directory", "C:\\Users\\me\\Docs"),
    ]
    return {
        "knowledge": {
            "bases": [
                {
                    "id": "kb-1",
                    "name": " Product docs ",
                    "description": "not in v2",
                    "model": EMBEDDING,
                    "rerankModel": RERANK,
                    "dimensions": 99,
                    "preprocessProvider": {
                        "type": "preprocess",
                        "provider": {"id": "mineru", "apiKey": MINERU_KEY},
                    },
                    "chunkSize": 500,
                    "chunkOverlap": 600,
                    "threshold": 1.5,
                    "documentCount": 0,
                    "created_at": T0,
                    "updated_at": "2024-06-12T09:00:00.000Z",
                    "items": kb1_items,
                },
                {
                    "id": "kb-2",
                    "name": "Ada",
                    "model": {"id": "ada-002", "provider": "openai", "name": "ada", "group": "Embedding"},
                    "dimensions": 1536,
                    "rerankModel": {"id": "gone", "provider": "silicon"},
                    "items": [item("d2", "directory", FOLDER, **DONE, uniqueIds=["L1"])],
                },
                {
                    "id": "kb-3",
                    "name": "  ",
                    "model": {"id": "bge", "provider": "baai-gone"},
                    "dimensions": 768,
                    "items": [item("u3", "url", "https://b")],
                },
                {
                    "id": "kb-1",
                    "name": "dup",
                    "items": [item("x1", "url", "https://c"), item("x2", "url", "d")],
                },
                {"name": "no id", "items": [item("y1", "url", "https://e")]},
                "not a base",
                {"id": "kb-7", "name": "No model", "items": "oops"},
            ]
        }
    }


def note_rows() -> list[Any]:
    return [
        {
            "id": "note-1",
            "baseId": "kb-1",
            "type": "note",
            "content": "# Full text",
            "sourceUrl": "https://w/1",
        },
        {"id": "note-3", "baseId": "kb-1", "type": "note", "content": ""},
        {"id": "note-orphan", "baseId": "kb-1", "type": "note", "content": "lost?"},
        {"baseId": "kb-1", "content": "no id"},
        {"id": "note-1", "content": "again"},
    ]


def vector_store(path: Path, dims: int, loaders: dict[str, str], vector: bytes | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE vectors (id TEXT, pageContent TEXT, uniqueLoaderId TEXT, source TEXT, vector BLOB)"
        )
        blob = vector if vector is not None else struct.pack(f"<{dims}f", *([0.5] * dims))
        for n, (loader, source) in enumerate(loaders.items()):
            conn.execute("INSERT INTO vectors VALUES (?, 'chunk', ?, ?, ?)", (f"v{n}", loader, source, blob))
    conn.close()


@pytest.fixture
def legacy_root(tmp_path: Path) -> Path:
    root = tmp_path / "legacy"
    loaders = {"L1": f"{FOLDER}/a.md", "L2": f"{FOLDER}/sub/b.pdf", "L3": "/elsewhere/c.txt"}
    vector_store(root / "Data" / "KnowledgeBase" / "kb-1", 8, loaders)
    return root


def migrate(make_context: Any, legacy_root: Path | None) -> tuple[Any, KnowledgeMigrator, Any]:
    dexie = {"knowledge_notes": note_rows(), "files": [file_meta("file-2", "report.pdf"), "junk"]}
    ctx = make_context(redux={**LLM, **knowledge_slice()}, dexie=dexie, legacy_root=legacy_root)
    run_phases(ProviderModelMigrator(), ctx)
    migrator = KnowledgeMigrator()
    return ctx, migrator, run_phases(migrator, ctx)


def bases_by_name(ctx: Any) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in table(ctx.db, "SELECT * FROM knowledge_base")}


def items_of(ctx: Any, base_id: str) -> list[dict[str, Any]]:
    rows = table(ctx.db, "SELECT * FROM knowledge_item WHERE base_id = ? ORDER BY rowid", base_id)
    for row in rows:
        row["data"] = json.loads(row["data"])
    return rows


def test_metadata() -> None:
    assert (KnowledgeMigrator.id, KnowledgeMigrator.order) == ("knowledge", 1.8)


def test_base_rows(make_context: Any, legacy_root: Path) -> None:
    ctx, _migrator, result = migrate(make_context, legacy_root)
    assert result.prepared.item_count == 7
    bases = bases_by_name(ctx)
    assert set(bases) == {"Product docs", "Ada", "kb-3", "No model"}
    remap = ctx.shared_data[shared_keys.KNOWLEDGE_BASE_ID_REMAP]
    assert set(remap) == {"kb-1", "kb-2", "kb-3", "kb-7"}
    assert all(uuid.UUID(new).version == 4 for new in remap.values())

    kb1 = bases["Product docs"]
    assert kb1 == {
        "id": remap["kb-1"],
        "name": "Product docs",
        "group_id": None,
        "dimensions": 8,  # from the stored vectors, not the Redux value
        "embedding_model_id": "openai::text-embedding-3-small",
        "status": "completed",
        "error": None,
        "rerank_model_id": "silicon::bge-reranker",
        "file_processor_id": "mineru",
        "chunk_size": 500,
        "chunk_overlap": 200,
        "chunk_strategy": "structured",
        "chunk_separator": "\\n\\n",
        "threshold": None,
        "document_count": None,
        "created_at": T0,
        "updated_at": T0 + 86_400_000,
    }
    kb2 = bases["Ada"]
    assert (
        kb2["status"],
        kb2["error"],
        kb2["embedding_model_id"],
        kb2["dimensions"],
        kb2["rerank_model_id"],
    ) == (
        "failed",
        "missing_vector_store",
        "openai::ada-002",
        1536,
        None,
    )
    assert (kb2["chunk_size"], kb2["chunk_overlap"], kb2["created_at"]) == (1024, 200, NOW)
    kb3 = bases["kb-3"]
    assert (kb3["id"], kb3["status"], kb3["error"], kb3["embedding_model_id"], kb3["dimensions"]) == (
        remap["kb-3"],
        "failed",
        "missing_embedding_model",
        None,
        768,
    )
    kb7 = bases["No model"]
    assert (kb7["status"], kb7["error"], kb7["dimensions"]) == ("failed", "missing_embedding_model", None)


def test_resurrected_embedding_model(make_context: Any, legacy_root: Path) -> None:
    ctx, *_ = migrate(make_context, legacy_root)
    ada = table(ctx.db, "SELECT * FROM user_model WHERE id = 'openai::ada-002'")[0]
    assert (ada["provider_id"], ada["model_id"], ada["name"], ada["group"]) == (
        "openai",
        "ada-002",
        "ada",
        "Embedding",
    )
    assert json.loads(ada["capabilities"]) == ["embedding"]
    keys = [
        r["order_key"] for r in table(ctx.db, "SELECT order_key FROM user_model WHERE provider_id = 'openai'")
    ]
    assert max(keys) == ada["order_key"]
    assert "openai::ada-002" in ctx.shared_data[shared_keys.USER_MODEL_IDS]
    for table_name in ("knowledge_base", "knowledge_item", "user_model"):
        assert foreign_key_violations(ctx.db, table_name)[0] == 0


def test_items(make_context: Any, legacy_root: Path) -> None:
    ctx, _migrator, _result = migrate(make_context, legacy_root)
    remap = ctx.shared_data[shared_keys.KNOWLEDGE_BASE_ID_REMAP]
    item_remap = ctx.shared_data[shared_keys.KNOWLEDGE_ITEM_ID_REMAP]
    rows = items_of(ctx, remap["kb-1"])
    simple = [(r["type"], r["data"], r["status"], r["error"], r["group_id"]) for r in rows]
    container = item_remap["i10"]
    assert simple == [
        (
            "file",
            {"source": "/u/Data/Files/file-1.pdf", "relativePath": "report.pdf"},
            "completed",
            None,
            None,
        ),
        ("file", {"source": "/u/Data/Files/file-2.pdf", "relativePath": "report_1.pdf"}, "idle", None, None),
        ("url", {"source": "https://a.example.com", "url": "https://a.example.com"}, "failed", "boom", None),
        (
            "url",
            {"source": "https://s.example.com/sitemap.xml", "url": "https://s.example.com/sitemap.xml"},
            "failed",
            ERROR_INTERRUPTED,
            None,
        ),
        ("note", {"source": "https://w/1", "content": "# Full text"}, "completed", None, None),
        ("note", {"source": "only redux text", "content": "only redux text"}, "idle", None, None),
        ("directory", {"source": FOLDER, "relativePath": "handbook"}, "completed", None, None),
        ("file", {"source": f"{FOLDER}/a.md", "relativePath": "handbook/a.md"}, "completed", None, container),
        (
            "file",
            {"source": f"{FOLDER}/sub/b.pdf", "relativePath": "handbook/sub/b.pdf"},
            "completed",
            None,
            container,
        ),
        (
            "file",
            {"source": "/elsewhere/c.txt", "relativePath": "handbook/c.txt"},
            "completed",
            None,
            container,
        ),
        ("directory", {"source": "C:\\Users\\me\\Docs"}, "idle", None, None),
    ]
    assert rows[6]["id"] == container
    assert all(uuid.UUID(r["id"]).version == 7 for r in rows)
    assert (rows[0]["created_at"], rows[0]["updated_at"]) == (T0, T0 + 1)
    assert set(item_remap) == {"i1", "i2", "i4", "i5", "note-1", "note-2", "i10", "i16", "d2", "u3"}

    kb2_items = items_of(ctx, remap["kb-2"])
    assert [(r["type"], r["data"], r["status"], r["error"]) for r in kb2_items] == [
        ("directory", {"source": FOLDER}, "failed", "directory_not_migrated")
    ]


def test_ledger(make_context: Any, legacy_root: Path) -> None:
    _ctx, migrator, result = migrate(make_context, legacy_root)
    assert counts(migrator, "redux:knowledge.bases") == (7, 4, 3)
    assert skips(migrator, "redux:knowledge.bases") == {
        "duplicate_base": ["kb-1"],
        "missing_id": ["#4"],
        "invalid_base": ["#5"],
    }
    assert counts(migrator, "redux:knowledge.bases.items") == (21, 10, 11)
    assert skips(migrator, "redux:knowledge.bases.items") == {
        "invalid_file": ["i3"],
        "invalid_sitemap": ["i6"],
        "invalid_note": ["note-3"],
        "unsupported_type": ["i11", "i12"],
        "missing_id_or_type": ["kb-1#12"],
        "invalid_item": ["kb-1#13"],
        "duplicate_item": ["i1"],
        "base_skipped": ["kb-1/*", "#4/*"],
    }
    assert counts(migrator, "dexie:knowledge_notes") == (5, 1, 4)
    assert skips(migrator, "dexie:knowledge_notes") == {
        "item_not_migrated": ["note-3"],
        "note_without_item": ["note-orphan"],
        "invalid_note": ["#3"],
        "duplicate_note": ["note-1"],
    }
    stats = result.validated.stats
    assert (stats.source_count, stats.target_count, stats.skipped_count) == (28, 4 + 13, 14)
    assert result.executed.warnings == [
        "Knowledge base description has no place in v2 and was not migrated: 'kb-1'",
        "Knowledge base threshold outside [0, 1] cleared: 'kb-1'",
        "Knowledge base document count not a positive integer cleared: 'kb-1'",
        "Folder item files recorded outside the folder were named by file name: 'i10'",
        "Some files of a folder item could not be found in its vector store: 'i10'",
        "Embedding model no longer in its provider's list; recreated for knowledge bases: 'openai::ada-002'",
        "Knowledge base vector store is missing; base kept as failed: 'kb-2'",
        "Knowledge base rerank model was not migrated; rerank left unset: 'kb-2'",
        "Knowledge base without a name; its legacy id is used as the name: 'kb-3'",
        "Knowledge base embedding model not found; base kept as failed: 'kb-3', 'kb-7'",
        "Knowledge base 'items' is not a list; no items migrated: 'kb-7'",
    ]


def test_without_legacy_folder_every_base_lacks_its_vector_store(make_context: Any) -> None:
    ctx, _migrator, _result = migrate(make_context, None)
    kb1 = bases_by_name(ctx)["Product docs"]
    assert (kb1["status"], kb1["error"], kb1["dimensions"]) == ("failed", "missing_vector_store", 99)
    folder = [r for r in items_of(ctx, kb1["id"]) if r["type"] == "directory"]
    assert [(r["status"], r["error"]) for r in folder] == [
        ("failed", "directory_not_migrated"),
        ("idle", None),
    ]


def test_empty_profile_publishes_empty_remaps(make_context: Any) -> None:
    ctx = make_context()
    migrator = KnowledgeMigrator()
    result = run_phases(migrator, ctx)
    assert result.executed.processed_count == 0
    assert ctx.shared_data[shared_keys.KNOWLEDGE_BASE_ID_REMAP] == {}
    assert ctx.shared_data[shared_keys.KNOWLEDGE_ITEM_ID_REMAP] == {}


def test_long_note_is_truncated(make_context: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cherry_migrate.migrators.mappings.knowledge.NOTE_CONTENT_MAX", 5)
    state = {"knowledge": {"bases": [{"id": "kb", "name": "n", "items": [item("n1", "note", "abcdefgh")]}]}}
    ctx = make_context(redux=state)
    result = run_phases(KnowledgeMigrator(), ctx)
    data = json.loads(ctx.db.execute("SELECT data FROM knowledge_item").fetchone()[0])
    assert data == {"source": "abcde", "content": "abcde"}
    assert "Knowledge note longer than v2 allows was truncated: 'n1'" in result.executed.warnings


def test_processor_reserves_markdown_output_names(make_context: Any) -> None:
    files = [item("a", "file", file_meta("f1", "guide.md")), item("b", "file", file_meta("f2", "guide.pdf"))]
    base = {"id": "kb", "name": "n", "preprocessProvider": {"provider": {"id": "mineru"}}, "items": files}
    ctx = make_context(redux={"knowledge": {"bases": [base]}})
    run_phases(KnowledgeMigrator(), ctx)
    paths = [json.loads(r[0])["relativePath"] for r in ctx.db.execute("SELECT data FROM knowledge_item")]
    assert paths == ["guide.md", "guide_1.pdf"]


def test_file_processor_api_key_never_logged(
    make_context: Any, legacy_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ctx, migrator, result = migrate(make_context, legacy_root)
    visible = "\n".join([caplog.text, *result.executed.warnings, json.dumps(migrator.ledger.to_dict())])
    assert MINERU_KEY not in visible
    assert ctx.secrets.redact(MINERU_KEY) == "«redacted»"


@pytest.mark.parametrize(
    ("setup", "status", "dimensions"),
    [
        (lambda p: vector_store(p, 4, {"L": "/x"}), "ok", 4),
        (lambda p: None, "missing", None),
        (lambda p: p.mkdir(parents=True), "directory", None),
        (lambda p: vector_store(p, 4, {}), "empty", None),
        (lambda p: vector_store(p, 0, {"L": "/x"}, vector=b"abc"), "invalid_vector", None),
        (
            lambda p: (p.parent.mkdir(parents=True), p.write_bytes(b"not a database at all" * 10)),
            "unreadable",
            None,
        ),
    ],
)
def test_probe_vector_store(tmp_path: Path, setup: Any, status: str, dimensions: int | None) -> None:
    directory = tmp_path / "Data" / "KnowledgeBase"
    setup(directory / "kb")
    before = sorted(p.name for p in directory.iterdir()) if directory.exists() else []
    store = probe_vector_store(directory, "kb", with_loaders=True)
    assert (store.status, store.dimensions) == (status, dimensions)
    after = sorted(p.name for p in directory.iterdir()) if directory.exists() else []
    assert before == after  # nothing created beside the legacy store


def test_probe_rejects_non_embedjs_and_unsafe_ids(tmp_path: Path) -> None:
    directory = tmp_path / "kbdir"
    directory.mkdir()
    with sqlite3.connect(directory / "kb") as conn:
        conn.execute("CREATE TABLE other (x)")
    conn.close()
    assert probe_vector_store(directory, "kb", with_loaders=False).status == "not_embedjs"
    assert probe_vector_store(directory, "..", with_loaders=False).status == "missing"
    assert probe_vector_store(None, "kb", with_loaders=False).status == "missing"


@pytest.mark.parametrize(
    ("size", "overlap", "expected"),
    [
        (500, 100, (500, 100)),
        (None, None, (1024, 200)),
        (100, 100, (100, 99)),
        (1, 5, (1, 0)),
        (-3, -1, (1024, 200)),
        (800.0, 50.5, (800, 200)),
    ],
)
def test_chunk_settings(size: Any, overlap: Any, expected: tuple[int, int]) -> None:
    assert chunk_settings(size, overlap) == expected


def test_sanitize_and_next_free_path() -> None:
    assert sanitize_filename("a<b>:c.md") == "a_b__c.md"
    assert sanitize_filename("..") == "untitled"
    assert sanitize_filename("CON.txt") == "_CON.txt"
    assert sanitize_filename("") == ""
    taken = {"a.md", "a_1.md"}
    assert next_free_path("a.md", lambda c: c not in taken) == "a_2.md"
    assert next_free_path("dir/x.v2", lambda c: c != "dir/x.v2", split_extension=False) == "dir/x.v2_1"
