"""McpServerMigrator on hand-built Redux ``mcp`` fixtures, real v2 target."""

from __future__ import annotations

import json
import logging
import sqlite3
import uuid
from typing import Any

import pytest

from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.common.secret_fields import looks_secret
from cherry_migrate.migrators.mappings.mcp_server import resolve_server_type
from cherry_migrate.migrators.mcp_server import McpServerMigrator
from tests.conftest import FIXED_NOW_MS

NOW = FIXED_NOW_MS
TOKEN = "ghp_mcpTestSecretToken000000001"
BEARER = "Bearer mcp-header-SECRET-0002"
DIFY = "dify-plain-named-SECRET-3"

SERVERS: list[Any] = [
    {
        "id": "srv-github",
        "name": "github",
        "type": "stdio",
        "command": "npx",
        "args": ["-y", "@modelcontextprotocol/server-github", 7],
        "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": TOKEN, "DIFY_KEY": DIFY, "DEBUG": "true"},
        "installSource": "manual",
        "timeout": 60,
        "disabledTools": ["delete_repository"],
        "isActive": True,
        "installedAt": 1_700_000_000_000,
        "isTrusted": True,
        "trustedAt": "2023-11-14T22:14:20.000Z",
    },
    {
        "id": "srv-fetch",
        "name": "@cherry/fetch",
        "type": "inMemory",
        "provider": "CherryAI",
        "installSource": "builtin",
        "isActive": False,
    },
    "not a server",
    {"name": "no id"},
    {"id": "srv-github", "name": "github again"},
    {
        "id": "srv-remote",
        "name": "  ",
        "baseUrl": "https://mcp.example.com/sse",
        "headers": {"Authorization": BEARER, "APP": "Cherry Studio"},
        "longRunning": True,
        "tags": ["team"],
        "configSample": {"a": 1},
        "shouldConfig": False,
        "installSource": "marketplace",
    },
    {"id": "srv-http", "name": "http", "url": "https://tools.example.com/mcp", "type": "http-stream"},
    {"id": "srv-weird", "name": "weird", "type": "carrier-pigeon", "isActive": "yes", "timeout": 1.5},
]


def run(ctx: Any) -> tuple[McpServerMigrator, Any, Any, Any]:
    migrator = McpServerMigrator()
    migrator.reset()
    prepared = migrator.prepare(ctx)
    executed = migrator.execute(ctx)
    validated = migrator.validate(ctx)
    return migrator, prepared, executed, validated


def dict_rows(db: sqlite3.Connection) -> list[dict[str, Any]]:
    cursor = db.execute("SELECT * FROM mcp_server ORDER BY sort_order")
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def test_metadata() -> None:
    assert (McpServerMigrator.id, McpServerMigrator.order) == ("mcp_server", 1.5)


def test_rows_id_map_and_skips(make_context: Any) -> None:
    ctx = make_context(redux={"mcp": {"servers": SERVERS, "isUvInstalled": True}})
    migrator, prepared, executed, validated = run(ctx)
    assert prepared.item_count == 8
    assert executed.success and executed.processed_count == 5
    assert validated.success, validated.errors
    assert (validated.stats.source_count, validated.stats.target_count, validated.stats.skipped_count) == (
        8,
        5,
        3,
    )

    id_map = ctx.shared_data[shared_keys.MCP_SERVER_ID_MAP]
    assert list(id_map) == ["srv-github", "srv-fetch", "srv-remote", "srv-http", "srv-weird"]
    assert all(uuid.UUID(new_id).version == 4 for new_id in id_map.values())

    rows = dict_rows(ctx.db)
    assert [r["id"] for r in rows] == list(id_map.values())
    github, fetch, remote, http, weird = rows
    assert github == {
        "id": id_map["srv-github"],
        "name": "github",
        "type": "stdio",
        "description": None,
        "base_url": None,
        "command": "npx",
        "registry_url": None,
        "args": '["-y","@modelcontextprotocol/server-github"]',
        "env": json.dumps(
            {"GITHUB_PERSONAL_ACCESS_TOKEN": TOKEN, "DIFY_KEY": DIFY, "DEBUG": "true"}, separators=(",", ":")
        ),
        "headers": None,
        "provider": None,
        "provider_url": None,
        "logo_url": None,
        "tags": None,
        "long_running": None,
        "timeout": 60,
        "dxt_version": None,
        "dxt_path": None,
        "reference": None,
        "search_key": None,
        "config_sample": None,
        "disabled_tools": '["delete_repository"]',
        "disabled_auto_approve_tools": None,
        "should_config": None,
        "sort_order": 0,
        "is_active": 1,
        "install_source": "manual",
        "is_trusted": 1,
        "trusted_at": 1_700_000_060_000,
        "installed_at": 1_700_000_000_000,
        "created_at": 1_700_000_000_000,
        "updated_at": NOW,
    }
    assert (
        fetch["type"],
        fetch["provider"],
        fetch["install_source"],
        fetch["is_active"],
        fetch["created_at"],
    ) == (
        "inMemory",
        "CherryAI",
        "builtin",
        0,
        NOW,
    )
    assert remote["name"] == id_map["srv-remote"]  # blank name → its new id
    assert (remote["type"], remote["base_url"], remote["long_running"], remote["should_config"]) == (
        "sse",
        "https://mcp.example.com/sse",
        1,
        0,
    )
    assert json.loads(remote["headers"]) == {"Authorization": BEARER, "APP": "Cherry Studio"}
    assert (json.loads(remote["tags"]), json.loads(remote["config_sample"])) == (["team"], {"a": 1})
    assert remote["install_source"] == "unknown"
    assert (http["type"], http["base_url"]) == ("streamableHttp", "https://tools.example.com/mcp")
    assert (weird["type"], weird["is_active"], weird["timeout"]) == (None, 0, None)

    ledger = migrator.ledger.to_dict()["redux:mcp.servers"]
    assert (ledger["read"], ledger["written"], ledger["skipped"]) == (8, 5, 3)
    assert {reason: b["ids"] for reason, b in ledger["skipReasons"].items()} == {
        "invalid_server": ["#2"],
        "missing_id": ["#3"],
        "duplicate_id": ["srv-github"],
    }
    assert executed.warnings == [
        "MCP server without a name; its new id is used as the name: 'srv-remote'",
        "MCP install source 'marketplace' is not known to v2; recorded as 'unknown': 'srv-remote'",
        "MCP server type 'carrier-pigeon' is not known to v2; type left unset: 'srv-weird'",
    ]


@pytest.mark.parametrize("redux", [{}, {"mcp": {"isUvInstalled": True}}, {"mcp": {"servers": []}}])
def test_nothing_to_migrate_still_publishes_empty_map(make_context: Any, redux: dict[str, Any]) -> None:
    ctx = make_context(redux=redux)
    _migrator, prepared, executed, validated = run(ctx)
    assert (prepared.item_count, executed.processed_count, executed.warnings) == (0, 0, [])
    assert ctx.shared_data[shared_keys.MCP_SERVER_ID_MAP] == {}
    assert validated.success


def test_non_list_servers_warns(make_context: Any) -> None:
    ctx = make_context(redux={"mcp": {"servers": {"a": 1}}})
    _migrator, prepared, executed, validated = run(ctx)
    assert (
        prepared.warnings
        == executed.warnings
        == ["Redux 'mcp.servers' is not a list; no MCP servers migrated"]
    )
    assert ctx.shared_data[shared_keys.MCP_SERVER_ID_MAP] == {}
    assert validated.success


def test_all_records_unusable_is_reported_not_fatal(make_context: Any) -> None:
    ctx = make_context(redux={"mcp": {"servers": [{"name": "x"}, None]}})
    migrator, _prepared, executed, validated = run(ctx)
    assert executed.success and "No MCP server record was usable; none migrated" in executed.warnings
    assert validated.success and migrator.ledger.unbalanced() == {}


def test_validate_detects_missing_rows(make_context: Any) -> None:
    ctx = make_context(redux={"mcp": {"servers": SERVERS}})
    migrator, *_ = run(ctx)
    ctx.db.execute("DELETE FROM mcp_server WHERE sort_order = 0")
    result = migrator.validate(ctx)
    assert [e.key for e in result.errors] == ["mcp_server_count_mismatch"]


def test_tokens_never_logged(make_context: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    ctx = make_context(redux={"mcp": {"servers": SERVERS}})
    migrator, prepared, executed, _validated = run(ctx)
    visible = "\n".join(
        [caplog.text, *prepared.warnings, *executed.warnings, json.dumps(migrator.ledger.to_dict())]
    )
    for secret in (TOKEN, BEARER, DIFY):
        assert secret not in visible
        assert ctx.secrets.redact(secret) == "«redacted»"
    assert ctx.secrets.redact("DEBUG=true, APP: Cherry Studio") == "DEBUG=true, APP: Cherry Studio"


@pytest.mark.parametrize(
    ("key", "value", "secret"),
    [
        ("DIFY_KEY", "abc1", True),
        ("X-Auth", "short", True),
        ("SOME_VAR", "a1b2c3d4e5f6g7h8", True),
        ("DEBUG", "true", False),
        ("APP", "Cherry Studio", False),
        ("MODE", "production", False),
    ],
)
def test_looks_secret(key: str, value: str, secret: bool) -> None:
    assert looks_secret(key, value) is secret


@pytest.mark.parametrize(
    ("legacy_type", "base_url", "command", "expected"),
    [
        ("stdio", None, None, "stdio"),
        ("inProcess", None, None, "inMemory"),
        ("streamable-http", None, None, "streamableHttp"),
        (None, None, "uvx", "stdio"),
        (None, "https://x/mcp/", None, "streamableHttp"),
        (None, "https://x/sse", None, "sse"),
        (None, None, None, None),
        ("bogus", None, "npx", None),
    ],
)
def test_resolve_server_type(legacy_type: Any, base_url: Any, command: Any, expected: Any) -> None:
    assert resolve_server_type(legacy_type, base_url, command) == expected
