"""The v2 tables as target-schema.md §4.2 describes them: columns, indexes, foreign keys."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from cherry_migrate.db.connection import open_target_db

# One line per column, in table order: `name type [NN] [pkN] [default=<SQL text>]`.
TS = """
created_at integer NN
updated_at integer NN
"""
FILE_REF = """
id text NN pk1
file_entry_id text NN
source_id text NN
"""

EXPECTED_COLUMNS: dict[str, str] = {
    "app_state": """
        key text NN pk1
        value text NN
        description text
    """
    + TS,
    "preference": """
        scope text NN pk1 default='default'
        key text NN pk2
        value text
    """
    + TS,
    "group": """
        id text NN pk1
        entity_type text NN
        name text NN
        order_key text NN
    """
    + TS,
    "tag": """
        id text NN pk1
        name text NN
        color text
    """
    + TS,
    "entity_tag": """
        entity_type text NN pk1
        entity_id text NN pk2
        tag_id text NN pk3
    """
    + TS,
    "pin": """
        id text NN pk1
        entity_type text NN
        entity_id text NN
        order_key text NN
    """
    + TS,
    "user_provider": """
        provider_id text NN pk1
        preset_provider_id text
        name text NN
        logo_key text
        endpoint_configs text
        default_chat_endpoint text
        api_keys text default='[]'
        auth_config text
        provider_settings text
        is_enabled integer NN default=false
        order_key text NN
    """
    + TS,
    "user_model": """
        id text NN pk1
        provider_id text NN
        model_id text NN
        preset_model_id text
        name text
        description text
        group text
        capabilities text
        input_modalities text
        input_modalities_explicit integer NN default=false
        output_modalities text
        endpoint_types text
        context_window integer
        max_input_tokens integer
        max_output_tokens integer
        supports_streaming integer
        reasoning text
        parameters text
        pricing text
        is_enabled integer NN default=true
        is_hidden integer NN default=false
        is_deprecated integer NN default=false
        order_key text NN
        notes text
    """
    + TS,
    "assistant": """
        id text NN pk1
        name text NN
        prompt text NN default=''
        emoji text NN
        description text NN default=''
        model_id text
        group_id text
        settings text NN
        order_key text NN
    """
    + TS
    + "deleted_at integer",
    "assistant_knowledge_base": """
        assistant_id text NN pk1
        knowledge_base_id text NN pk2
    """
    + TS,
    "assistant_mcp_server": """
        assistant_id text NN pk1
        mcp_server_id text NN pk2
    """
    + TS,
    "topic": """
        id text NN pk1
        name text NN default=''
        is_name_manually_edited integer NN default=false
        assistant_id text
        active_node_id text
        trace_id text
        order_key text NN
        last_activity_at integer NN
    """
    + TS
    + "deleted_at integer",
    "message": """
        id text NN pk1
        parent_id text
        topic_id text NN
        role text NN
        data text NN
        searchable_text text NN default=''
        status text NN
        siblings_group_id integer NN default=0
        model_id text
        message_snapshot text
        stats text
        compaction_summary text
        fts_rowid integer
    """
    + TS
    + "deleted_at integer",
    "knowledge_base": r"""
        id text NN pk1
        name text NN
        group_id text
        dimensions integer
        embedding_model_id text
        status text NN
        error text
        rerank_model_id text
        file_processor_id text
        chunk_size integer NN
        chunk_overlap integer NN
        chunk_strategy text NN default='structured'
        chunk_separator text NN default='\n\n'
        threshold real
        document_count integer
    """
    + TS,
    "knowledge_item": """
        id text NN pk1
        base_id text NN
        group_id text
        type text NN
        data text NN
        status text NN
        error text
    """
    + TS,
    "mcp_server": """
        id text NN pk1
        name text NN
        type text
        description text
        base_url text
        command text
        registry_url text
        args text
        env text
        headers text
        provider text
        provider_url text
        logo_url text
        tags text
        long_running integer
        timeout integer
        dxt_version text
        dxt_path text
        reference text
        search_key text
        config_sample text
        disabled_tools text
        disabled_auto_approve_tools text
        should_config integer
        sort_order integer default=0
        is_active integer NN default=false
        install_source text
        is_trusted integer
        trusted_at integer
        installed_at integer
    """
    + TS,
    "prompt": """
        id text NN pk1
        title text NN
        content text NN
        visibility text NN
        order_key text NN
    """
    + TS,
    "prompt_binding": """
        prompt_id text NN pk1
        target_type text NN pk2
        target_id text NN pk3
        order_key text NN
    """
    + TS,
    "note": """
        id text NN pk1
        root_path text NN
        path text NN
        is_starred integer NN default=false
        is_expanded integer NN default=false
    """
    + TS,
    "painting": """
        id text NN pk1
        provider_id text NN
        model_id text
        prompt text NN
        order_key text NN
    """
    + TS
    + "deleted_at integer",
    "mini_app": """
        app_id text NN pk1
        preset_mini_app_id text
        kind text NN default='site'
        name text NN
        url text NN
        logo_key text
        status text NN default='enabled'
        order_key text NN
        bordered integer NN default=true
        background text
        supported_regions text
        configuration text
        name_key text
    """
    + TS,
    "translate_language": """
        lang_code text NN pk1
        value text NN
        emoji text NN
    """
    + TS,
    "translate_history": """
        id text NN pk1
        kind text NN default='text'
        source_text text NN
        target_text text NN
        source_language text
        target_language text
        star integer NN default=false
    """
    + TS,
    "file_entry": """
        id text NN pk1
        origin text NN
        name text NN
        ext text
        size integer
        content_hash text
        external_path text
        cleanup_policy text NN default='manual'
    """
    + TS
    + "deleted_at integer",
    "chat_message_file_ref": FILE_REF + "role text NN" + TS,
    "painting_file_ref": FILE_REF + "role text NN" + TS,
    "translate_history_file_ref": FILE_REF + "role text NN" + TS,
    "mini_app_file_ref": FILE_REF + "logical_name text NN" + TS,
    "mini_app_logo_file_ref": FILE_REF + TS,
    "provider_logo_file_ref": FILE_REF + TS,
}

# name -> (table, unique, partial, indexed columns; None marks an expression)
EXPECTED_INDEXES: dict[str, tuple[str, bool, bool, tuple[str | None, ...]]] = {
    "group_entity_type_order_key_idx": ("group", False, False, ("entity_type", "order_key")),
    "tag_name_unique": ("tag", True, False, ("name",)),
    "entity_tag_tag_id_idx": ("entity_tag", False, False, ("tag_id",)),
    "pin_entity_type_entity_id_unique_idx": ("pin", True, False, ("entity_type", "entity_id")),
    "pin_entity_type_order_key_idx": ("pin", False, False, ("entity_type", "order_key")),
    "user_provider_preset_idx": ("user_provider", False, False, ("preset_provider_id",)),
    "user_provider_enabled_idx": ("user_provider", False, False, ("is_enabled",)),
    "user_provider_order_key_idx": ("user_provider", False, False, ("order_key",)),
    "user_model_preset_idx": ("user_model", False, False, ("preset_model_id",)),
    "user_model_provider_enabled_idx": ("user_model", False, False, ("provider_id", "is_enabled")),
    "user_model_provider_id_order_key_idx": ("user_model", False, False, ("provider_id", "order_key")),
    "user_model_provider_model_unique": ("user_model", True, False, ("provider_id", "model_id")),
    "assistant_created_at_idx": ("assistant", False, False, ("created_at",)),
    "assistant_order_key_idx": ("assistant", False, False, ("order_key",)),
    "topic_last_activity_at_idx": ("topic", False, False, ("last_activity_at",)),
    "topic_updated_at_idx": ("topic", False, False, ("updated_at",)),
    "topic_order_key_idx": ("topic", False, False, ("order_key",)),
    "topic_assistant_id_idx": ("topic", False, False, ("assistant_id",)),
    "message_parent_id_idx": ("message", False, False, ("parent_id",)),
    "message_topic_created_idx": ("message", False, False, ("topic_id", "created_at")),
    "message_created_at_id_idx": ("message", False, False, ("created_at", "id")),
    "message_status_idx": ("message", False, False, ("status",)),
    "message_model_id_idx": ("message", False, False, ("model_id",)),
    "message_topic_root_uniq": ("message", True, True, ("topic_id",)),
    "message_fts_rowid_uniq": ("message", True, False, ("fts_rowid",)),
    "knowledge_item_base_type_created_idx": (
        "knowledge_item",
        False,
        False,
        ("base_id", "type", "created_at"),
    ),
    "knowledge_item_base_group_created_idx": (
        "knowledge_item",
        False,
        False,
        ("base_id", "group_id", "created_at"),
    ),
    "knowledge_item_baseId_id_unique": ("knowledge_item", True, False, ("base_id", "id")),
    "mcp_server_name_idx": ("mcp_server", False, False, ("name",)),
    "mcp_server_is_active_idx": ("mcp_server", False, False, ("is_active",)),
    "mcp_server_sort_order_idx": ("mcp_server", False, False, ("sort_order",)),
    "prompt_order_key_idx": ("prompt", False, False, ("order_key",)),
    "prompt_binding_target_idx": ("prompt_binding", False, False, ("target_type", "target_id", "prompt_id")),
    "prompt_binding_target_order_key_idx": (
        "prompt_binding",
        False,
        False,
        ("target_type", "target_id", "order_key"),
    ),
    "note_root_path_path_unique_idx": ("note", True, False, ("root_path", "path")),
    "painting_order_key_idx": ("painting", False, False, ("order_key",)),
    "mini_app_status_order_key_idx": ("mini_app", False, False, ("status", "order_key")),
    "mini_app_preset_mini_app_id_idx": ("mini_app", False, False, ("preset_mini_app_id",)),
    "translate_history_created_at_idx": ("translate_history", False, False, ("created_at",)),
    "translate_history_star_created_at_idx": ("translate_history", False, False, ("star", "created_at")),
    "fe_deleted_at_idx": ("file_entry", False, False, ("deleted_at",)),
    "fe_created_at_idx": ("file_entry", False, False, ("created_at",)),
    "fe_content_hash_idx": ("file_entry", False, False, ("content_hash",)),
    "fe_external_path_lower_unique_idx": ("file_entry", True, False, (None,)),
    "fe_external_path_idx": ("file_entry", False, False, ("external_path",)),
    "cmfr_entry_id_idx": ("chat_message_file_ref", False, False, ("file_entry_id",)),
    "cmfr_source_id_idx": ("chat_message_file_ref", False, False, ("source_id",)),
    "cmfr_unique_idx": ("chat_message_file_ref", True, False, ("file_entry_id", "source_id", "role")),
    "pfr_entry_id_idx": ("painting_file_ref", False, False, ("file_entry_id",)),
    "pfr_source_id_idx": ("painting_file_ref", False, False, ("source_id",)),
    "pfr_unique_idx": ("painting_file_ref", True, False, ("file_entry_id", "source_id", "role")),
    "thfr_entry_id_idx": ("translate_history_file_ref", False, False, ("file_entry_id",)),
    "thfr_source_id_idx": ("translate_history_file_ref", False, False, ("source_id",)),
    "thfr_unique_idx": ("translate_history_file_ref", True, False, ("source_id", "role")),
    "mafr_entry_id_idx": ("mini_app_file_ref", False, False, ("file_entry_id",)),
    "mafr_source_id_idx": ("mini_app_file_ref", False, False, ("source_id",)),
    "mafr_source_logical_name_unique_idx": ("mini_app_file_ref", True, False, ("source_id", "logical_name")),
    "malfr_entry_id_idx": ("mini_app_logo_file_ref", False, False, ("file_entry_id",)),
    "malfr_source_id_idx": ("mini_app_logo_file_ref", True, False, ("source_id",)),
    "plfr_entry_id_idx": ("provider_logo_file_ref", False, False, ("file_entry_id",)),
    "plfr_source_id_idx": ("provider_logo_file_ref", True, False, ("source_id",)),
}

# (child table, child columns, parent table, parent columns, ON DELETE)
EXPECTED_FOREIGN_KEYS: set[tuple[str, tuple[str, ...], str, tuple[str, ...], str]] = {
    ("entity_tag", ("tag_id",), "tag", ("id",), "CASCADE"),
    ("user_model", ("provider_id",), "user_provider", ("provider_id",), "CASCADE"),
    ("assistant", ("model_id",), "user_model", ("id",), "SET NULL"),
    ("assistant", ("group_id",), "group", ("id",), "SET NULL"),
    ("assistant_knowledge_base", ("assistant_id",), "assistant", ("id",), "CASCADE"),
    ("assistant_knowledge_base", ("knowledge_base_id",), "knowledge_base", ("id",), "CASCADE"),
    ("assistant_mcp_server", ("assistant_id",), "assistant", ("id",), "CASCADE"),
    ("assistant_mcp_server", ("mcp_server_id",), "mcp_server", ("id",), "CASCADE"),
    ("topic", ("assistant_id",), "assistant", ("id",), "SET NULL"),
    ("message", ("parent_id",), "message", ("id",), "CASCADE"),
    ("message", ("topic_id",), "topic", ("id",), "CASCADE"),
    ("message", ("model_id",), "user_model", ("id",), "SET NULL"),
    ("knowledge_base", ("group_id",), "group", ("id",), "SET NULL"),
    ("knowledge_base", ("embedding_model_id",), "user_model", ("id",), "NO ACTION"),
    ("knowledge_base", ("rerank_model_id",), "user_model", ("id",), "SET NULL"),
    ("knowledge_item", ("base_id",), "knowledge_base", ("id",), "CASCADE"),
    ("knowledge_item", ("base_id", "group_id"), "knowledge_item", ("base_id", "id"), "CASCADE"),
    ("prompt_binding", ("prompt_id",), "prompt", ("id",), "CASCADE"),
    ("translate_history", ("source_language",), "translate_language", ("lang_code",), "SET NULL"),
    ("translate_history", ("target_language",), "translate_language", ("lang_code",), "SET NULL"),
    ("chat_message_file_ref", ("file_entry_id",), "file_entry", ("id",), "CASCADE"),
    ("chat_message_file_ref", ("source_id",), "message", ("id",), "CASCADE"),
    ("painting_file_ref", ("file_entry_id",), "file_entry", ("id",), "CASCADE"),
    ("painting_file_ref", ("source_id",), "painting", ("id",), "CASCADE"),
    ("translate_history_file_ref", ("file_entry_id",), "file_entry", ("id",), "CASCADE"),
    ("translate_history_file_ref", ("source_id",), "translate_history", ("id",), "CASCADE"),
    ("mini_app_file_ref", ("file_entry_id",), "file_entry", ("id",), "CASCADE"),
    ("mini_app_file_ref", ("source_id",), "mini_app", ("app_id",), "CASCADE"),
    ("mini_app_logo_file_ref", ("file_entry_id",), "file_entry", ("id",), "CASCADE"),
    ("mini_app_logo_file_ref", ("source_id",), "mini_app", ("app_id",), "CASCADE"),
    ("provider_logo_file_ref", ("file_entry_id",), "file_entry", ("id",), "CASCADE"),
    ("provider_logo_file_ref", ("source_id",), "user_provider", ("provider_id",), "CASCADE"),
}


def parse_columns(spec: str) -> list[tuple[str, str, int, str | None, int]]:
    """Turn the column lines above into PRAGMA table_info rows (name, TYPE, notnull, dflt, pk)."""
    rows = []
    for line in spec.splitlines():
        if not line.strip():
            continue
        name, type_, *flags = line.split()
        notnull, default, pk = 0, None, 0
        for flag in flags:
            if flag == "NN":
                notnull = 1
            elif flag.startswith("pk"):
                pk = int(flag[2:])
            elif flag.startswith("default="):
                default = flag.removeprefix("default=")
            else:
                raise AssertionError(f"bad flag {flag!r} in {line!r}")
        rows.append((name, type_.upper(), notnull, default, pk))
    return rows


@pytest.fixture(scope="module")
def schema_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path: Path = tmp_path_factory.mktemp("schema") / "target.sqlite"
    conn = open_target_db(path)
    yield conn
    conn.close()


def user_tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'message_fts%' AND name != 'schema_migrations'"
    )
    return {name for (name,) in rows}


def test_exactly_the_expected_tables_exist(schema_db: sqlite3.Connection) -> None:
    assert user_tables(schema_db) == set(EXPECTED_COLUMNS)
    assert len(EXPECTED_COLUMNS) == 30


@pytest.mark.parametrize("table", sorted(EXPECTED_COLUMNS))
def test_columns_match_the_spec(schema_db: sqlite3.Connection, table: str) -> None:
    actual = [tuple(row[1:]) for row in schema_db.execute(f'PRAGMA table_info("{table}")')]
    assert actual == parse_columns(EXPECTED_COLUMNS[table])


def test_named_indexes_match_the_spec(schema_db: sqlite3.Connection) -> None:
    actual: dict[str, tuple[str, bool, bool, tuple[str | None, ...]]] = {}
    for table in EXPECTED_COLUMNS:
        for _seq, name, unique, origin, partial in schema_db.execute(f'PRAGMA index_list("{table}")'):
            if origin != "c":  # skip the automatic indexes of PRIMARY KEY constraints
                continue
            columns = tuple(row[2] for row in schema_db.execute(f'PRAGMA index_info("{name}")'))
            actual[name] = (table, bool(unique), bool(partial), columns)
    assert actual == EXPECTED_INDEXES


def index_sql(conn: sqlite3.Connection, name: str) -> str:
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
    ).fetchone()
    return str(sql)


def test_expression_partial_and_descending_indexes(schema_db: sqlite3.Connection) -> None:
    assert 'lower("external_path")' in index_sql(schema_db, "fe_external_path_lower_unique_idx")
    assert index_sql(schema_db, "message_topic_root_uniq").endswith(
        'WHERE "message"."parent_id" is null and "message"."deleted_at" is null'
    )
    key_columns = [
        (row[2], row[3])
        for row in schema_db.execute('PRAGMA index_xinfo("message_created_at_id_idx")')
        if row[5]  # key columns only, not the trailing rowid
    ]
    assert key_columns == [("created_at", 1), ("id", 0)]


def test_foreign_keys_match_the_spec(schema_db: sqlite3.Connection) -> None:
    actual = set()
    for table in EXPECTED_COLUMNS:
        grouped: dict[int, list[tuple[str, str, str, str, str]]] = {}
        for fk_id, _seq, parent, child_col, parent_col, on_update, on_delete, _match in schema_db.execute(
            f'PRAGMA foreign_key_list("{table}")'
        ):
            assert on_update == "NO ACTION"
            grouped.setdefault(fk_id, []).append((parent, child_col, parent_col, on_delete, table))
        for parts in grouped.values():
            parent, on_delete = parts[0][0], parts[0][3]
            actual.add((table, tuple(p[1] for p in parts), parent, tuple(p[2] for p in parts), on_delete))
    assert actual == EXPECTED_FOREIGN_KEYS


def test_every_foreign_key_points_inside_the_schema(schema_db: sqlite3.Connection) -> None:
    parents = {fk[2] for fk in EXPECTED_FOREIGN_KEYS}
    assert parents <= user_tables(schema_db)


def test_literal_backslash_n_chunk_separator_default(schema_db: sqlite3.Connection) -> None:
    (value,) = schema_db.execute("SELECT '\\n\\n'").fetchone()
    assert value == "\\n\\n"
    row = schema_db.execute("PRAGMA table_info(knowledge_base)").fetchall()
    assert next(r[4] for r in row if r[1] == "chunk_separator") == "'\\n\\n'"
