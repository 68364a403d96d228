"""The run report: a JSON file beside the target that says exactly what a run did.

It holds counts, reason codes, record ids and messages, never record contents; every string passes
through the run's secret registry before it is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson

from cherry_migrate import __version__
from cherry_migrate.core.redaction import SecretRegistry, scrub_mapping
from cherry_migrate.core.types import MigratorResult

REPORT_FORMAT = 1


def build_report(
    *,
    status: dict[str, Any],
    outcome: str,
    source_description: str,
    source_warnings: list[str],
    target: Path,
    started_at_ms: int,
    finished_at_ms: int,
    results: list[MigratorResult],
    schema_version: int | None,
    files_committed: int = 0,
) -> dict[str, Any]:
    read = written = skipped = 0
    for result in results:
        for kind in result.ledger.values():
            read += kind["read"]
            written += kind["written"]
            skipped += kind["skipped"]
    return {
        "reportFormat": REPORT_FORMAT,
        "tool": {"name": "cherry-migrate", "version": __version__},
        "outcome": outcome,
        "status": status,
        "source": {"description": source_description, "warnings": list(source_warnings)},
        "target": str(target),
        "targetSchemaVersion": schema_version,
        "startedAt": started_at_ms,
        "finishedAt": finished_at_ms,
        "durationMs": finished_at_ms - started_at_ms,
        "filesCommitted": files_committed,
        "totals": {"read": read, "written": written, "skipped": skipped},
        "migrators": [r.to_dict() for r in results],
    }


def render_report(report: dict[str, Any], secrets: SecretRegistry) -> bytes:
    text = orjson.dumps(scrub_mapping(report), option=orjson.OPT_INDENT_2).decode()
    return secrets.redact(text).encode()


def write_report(path: Path, report: dict[str, Any], secrets: SecretRegistry) -> None:
    """Written to a temporary name, then renamed, so a reader never sees half a report."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_bytes(render_report(report, secrets))
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
