"""Rules for one Redux ``mcp.servers[]`` entry → one ``mcp_server`` row (migrators.md §3.5; legacy shape in
legacy-sources.md §2.4.5; target CHECKs in target-schema.md §4.2).

v1 built-in servers (``@cherry/…``, type ``inMemory``) carry their whole configuration in Redux, and the
target schema still accepts ``inMemory``, so no preset table is needed to complete them.
"""

from __future__ import annotations

from typing import Any

from cherry_migrate.core.timestamps import to_epoch_ms
from cherry_migrate.db.bulk import to_json
from cherry_migrate.migrators.common.coerce import (
    nonblank_str,
    opt_bool,
    opt_dict,
    opt_flag,
    opt_int,
    opt_str,
    opt_str_dict,
    opt_str_list,
)
from cherry_migrate.migrators.common.warning_log import WarningLog

SERVER_TYPES = frozenset({"stdio", "sse", "streamableHttp", "inMemory"})
TYPE_ALIASES: dict[str, str] = {"inProcess": "inMemory"}
INSTALL_SOURCES = frozenset({"builtin", "manual", "ai_assisted", "protocol", "unknown"})

MCP_SERVER_COLUMNS = (
    "id",
    "name",
    "type",
    "description",
    "base_url",
    "command",
    "registry_url",
    "args",
    "env",
    "headers",
    "provider",
    "provider_url",
    "logo_url",
    "tags",
    "long_running",
    "timeout",
    "dxt_version",
    "dxt_path",
    "reference",
    "search_key",
    "config_sample",
    "disabled_tools",
    "disabled_auto_approve_tools",
    "should_config",
    "sort_order",
    "is_active",
    "install_source",
    "is_trusted",
    "trusted_at",
    "installed_at",
    "created_at",
    "updated_at",
)


def resolve_server_type(legacy_type: object, base_url: str | None, command: str | None) -> str | None:
    """The connection type, from the recorded type or, without one, from what the server connects to."""
    if isinstance(legacy_type, str) and legacy_type:
        resolved = TYPE_ALIASES.get(legacy_type, legacy_type)
        if resolved in SERVER_TYPES:
            return resolved
        return "streamableHttp" if "http" in legacy_type.lower() else None
    if command:
        return "stdio"
    if base_url:
        return "streamableHttp" if base_url.rstrip("/").endswith("/mcp") else "sse"
    return None


def _json_or_none(value: object) -> str | None:
    return None if value is None else to_json(value)


def mcp_server_row(
    new_id: str, legacy: dict[str, Any], sort_order: int, now_ms: int, warnings: WarningLog
) -> tuple[object, ...]:
    """The row for ``legacy`` under ``new_id``, in :data:`MCP_SERVER_COLUMNS` order."""
    old_id = legacy.get("id")
    name = nonblank_str(legacy.get("name"))
    if name is None:
        warnings.add("MCP server without a name; its new id is used as the name", old_id)
    base_url = nonblank_str(legacy.get("baseUrl")) or nonblank_str(legacy.get("url"))
    command = nonblank_str(legacy.get("command"))
    server_type = resolve_server_type(legacy.get("type"), base_url, command)
    if server_type is None and legacy.get("type") is not None:
        warnings.add(f"MCP server type '{legacy.get('type')}' is not known to v2; type left unset", old_id)
    install_source = opt_str(legacy.get("installSource"))
    if install_source is not None and install_source not in INSTALL_SOURCES:
        warnings.add(
            f"MCP install source '{install_source}' is not known to v2; recorded as 'unknown'", old_id
        )
        install_source = "unknown"
    timeout = opt_int(legacy.get("timeout"))
    installed_at = to_epoch_ms(legacy.get("installedAt"))
    active = opt_bool(legacy.get("isActive"))
    return (
        new_id,
        name or new_id,
        server_type,
        opt_str(legacy.get("description")),
        base_url,
        command,
        opt_str(legacy.get("registryUrl")),
        _json_or_none(opt_str_list(legacy.get("args"))),
        _json_or_none(opt_str_dict(legacy.get("env"))),
        _json_or_none(opt_str_dict(legacy.get("headers"))),
        opt_str(legacy.get("provider")),
        opt_str(legacy.get("providerUrl")),
        opt_str(legacy.get("logoUrl")),
        _json_or_none(opt_str_list(legacy.get("tags"))),
        opt_flag(legacy.get("longRunning")),
        timeout,
        opt_str(legacy.get("dxtVersion")),
        opt_str(legacy.get("dxtPath")),
        opt_str(legacy.get("reference")),
        opt_str(legacy.get("searchKey")),
        _json_or_none(opt_dict(legacy.get("configSample"))),
        _json_or_none(opt_str_list(legacy.get("disabledTools"))),
        _json_or_none(opt_str_list(legacy.get("disabledAutoApproveTools"))),
        opt_flag(legacy.get("shouldConfig")),
        sort_order,
        int(bool(active)),
        install_source,
        opt_flag(legacy.get("isTrusted")),
        to_epoch_ms(legacy.get("trustedAt")),
        installed_at,
        installed_at or now_ms,
        now_ms,
    )
