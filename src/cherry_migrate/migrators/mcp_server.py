"""McpServerMigrator: Redux ``mcp.servers[]`` → ``mcp_server`` (migrators.md §3.5).

Every server gets a new UUIDv4; ``MCP_SERVER_ID_MAP`` (legacy id → new id) is always published, empty
when there is nothing to migrate, so the assistant migrator can tell "no servers" from "not run".
Environment variables and headers usually hold tokens: they stay data in their columns, and their
secret-looking values are registered as secrets (see ``secret_fields``). ``sort_order`` keeps the
legacy list position.

Skip reasons (kind ``redux:mcp.servers``): ``invalid_server`` (not an object), ``missing_id``,
``duplicate_id`` (first one wins).
"""

from __future__ import annotations

from typing import Any

from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.ids import new_uuid4
from cherry_migrate.core.redaction import SecretRegistry
from cherry_migrate.core.types import ExecuteResult, PrepareResult, ValidateResult, ValidationError
from cherry_migrate.db.bulk import insert_rows
from cherry_migrate.db.connection import transaction
from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.base import BaseMigrator
from cherry_migrate.migrators.common.coerce import nonblank_str, opt_str_dict
from cherry_migrate.migrators.common.row_checks import count_rows, row_based_result, row_count_error
from cherry_migrate.migrators.common.secret_fields import register_string_map
from cherry_migrate.migrators.common.warning_log import WarningLog
from cherry_migrate.migrators.mappings.mcp_server import MCP_SERVER_COLUMNS, mcp_server_row

SERVERS_KIND = "redux:mcp.servers"
BATCH_SIZE = 100


def _legacy_servers(state: object, warnings: WarningLog) -> list[Any]:
    if state is None:
        return []
    if isinstance(state, dict):
        servers = state.get("servers")
        if isinstance(servers, list):
            return servers
        if servers is None:
            return []
    warnings.add("Redux 'mcp.servers' is not a list; no MCP servers migrated")
    return []


def _register_secrets(servers: list[Any], secrets: SecretRegistry) -> None:
    for server in servers:
        if not isinstance(server, dict):
            continue
        secrets.add_from_mapping(server)
        for field in ("env", "headers"):
            register_string_map(opt_str_dict(server.get(field)), secrets)


class McpServerMigrator(BaseMigrator):
    id = "mcp_server"
    name = "MCP servers"
    description = "MCP server configurations"
    order = 1.5
    owned_tables = ("mcp_server",)

    def __init__(self) -> None:
        super().__init__()
        self._written = 0

    def reset(self) -> None:
        super().reset()
        self._written = 0

    def prepare(self, ctx: MigrationContext) -> PrepareResult:
        warnings = WarningLog()
        servers = _legacy_servers(ctx.sources.redux.get_category("mcp"), warnings)
        _register_secrets(servers, ctx.secrets)
        return PrepareResult(success=True, item_count=len(servers), warnings=warnings.messages())

    def execute(self, ctx: MigrationContext) -> ExecuteResult:
        warnings = WarningLog()
        servers = _legacy_servers(ctx.sources.redux.get_category("mcp"), warnings)
        _register_secrets(servers, ctx.secrets)
        id_map: dict[str, str] = {}
        rows: list[tuple[object, ...]] = []
        for index, server in enumerate(servers):
            self.ledger.read(SERVERS_KIND)
            if not isinstance(server, dict):
                self.ledger.skip(
                    SERVERS_KIND, "invalid_server", f"#{index}", detail="server record is not an object"
                )
                continue
            old_id = nonblank_str(server.get("id"))
            if old_id is None:
                self.ledger.skip(SERVERS_KIND, "missing_id", f"#{index}")
                continue
            if old_id in id_map:
                self.ledger.skip(
                    SERVERS_KIND, "duplicate_id", old_id, detail="the first server with this id was kept"
                )
                continue
            id_map[old_id] = new_uuid4()
            rows.append(mcp_server_row(id_map[old_id], server, len(rows), ctx.now_ms, warnings))
            self.ledger.written(SERVERS_KIND)
        if servers and not rows:
            warnings.add("No MCP server record was usable; none migrated")

        for start in range(0, len(rows), BATCH_SIZE):
            ctx.cancel.raise_if_cancelled()
            with transaction(ctx.db) as conn:
                insert_rows(conn, "mcp_server", MCP_SERVER_COLUMNS, rows[start : start + BATCH_SIZE])
            done = min(start + BATCH_SIZE, len(rows))
            self.report_progress(100 * done / len(rows), f"Migrated {done} of {len(rows)} MCP servers")

        ctx.shared_data[shared_keys.MCP_SERVER_ID_MAP] = id_map
        self._written = len(rows)
        messages = warnings.messages()
        for message in messages:
            self.logger.warning(message)
        return ExecuteResult(success=True, processed_count=len(rows), warnings=messages)

    def validate(self, ctx: MigrationContext) -> ValidateResult:
        target = count_rows(ctx.db, "mcp_server")
        errors: list[ValidationError] = []
        mismatch = row_count_error("mcp_server", self._written, target)
        if mismatch is not None:
            errors.append(mismatch)
        (unnamed,) = ctx.db.execute("SELECT count(*) FROM mcp_server WHERE trim(name) = ''").fetchone()
        if unnamed:
            errors.append(ValidationError("mcp_server_unnamed", f"{unnamed} MCP servers have an empty name"))
        return row_based_result(self.ledger, self._written, target, errors)
