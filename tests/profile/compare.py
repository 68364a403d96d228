"""Compare two databases migrated from the same legacy data, row for row per table.

Two runs over the same data cannot agree on everything, so these are normalised before comparing:

* **generated ids**: a UUID that appears in one database and not in the other was made by a migrator
  (``new_uuid4``/``new_uuid7``: pins, tags, file refs, message ids, ...). Every occurrence, whole value
  or inside JSON text, becomes ``<generated-id>``. UUIDs that come from the legacy data appear in
  both databases and are compared as they are;
* **run times**: an integer, or a 13-digit number inside text, that lies between the run's start and
  end (from its report) is a ``created_at``/``updated_at``/``completedAt`` the run filled in for a row
  without a legacy timestamp; it becomes ``<run-time>``. Legacy timestamps are older than the run;
* **order keys** of rows that hold a generated id: fractional-index keys are handed out in row order,
  and where rows are ordered by a generated id the pairing of key and row differs between runs. Such
  ``order_key`` values become ``<order-key>`` in the rows, and the multiset of those keys is compared
  per table instead (same keys handed out, only to rows that cannot be told apart).

Not compared: the FTS index tables (derived from ``message``, which is compared). Rows are compared
as sorted multisets, so the physical row order does not matter.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
EPOCH_MS = re.compile(r"(?<!\d)\d{13}(?!\d)")
GENERATED, RUN_TIME, ORDER_KEY = "<generated-id>", "<run-time>", "<order-key>"

Row = tuple[Any, ...]


@dataclass(frozen=True)
class MigratedDatabase:
    path: Path
    started_ms: int
    finished_ms: int

    @classmethod
    def from_report(cls, target: Path) -> MigratedDatabase:
        report = json.loads(target.with_name(target.name + ".report.json").read_text(encoding="utf-8"))
        assert report["outcome"] == "completed", report.get("status")
        return cls(target, report["startedAt"], report["finishedAt"])


@dataclass
class Table:
    columns: list[str]
    rows: list[Row]


def read_tables(path: Path) -> dict[str, Table]:
    """Every ordinary table (no FTS index tables) with its columns and rows."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        virtual = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"
            )
        ]
        names = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
            if not any(name == v or name.startswith(f"{v}_") for v in virtual)
        ]
        tables = {}
        for name in names:
            cursor = conn.execute(f'SELECT * FROM "{name}"')
            tables[name] = Table([d[0] for d in cursor.description], cursor.fetchall())
        return tables
    finally:
        conn.close()


def uuids(tables: dict[str, Table]) -> set[str]:
    found: set[str] = set()
    for table in tables.values():
        for row in table.rows:
            for value in row:
                if isinstance(value, str):
                    found.update(UUID.findall(value))
    return found


class _Normaliser:
    def __init__(self, generated: set[str], run: MigratedDatabase) -> None:
        self.generated = generated
        self.run = run

    def holds_generated(self, row: Row) -> bool:
        return any(isinstance(v, str) and any(u in self.generated for u in UUID.findall(v)) for v in row)

    def value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return RUN_TIME if self._in_run(value) else value
        if isinstance(value, str):
            value = UUID.sub(lambda m: GENERATED if m.group(0) in self.generated else m.group(0), value)
            return EPOCH_MS.sub(lambda m: RUN_TIME if self._in_run(int(m.group(0))) else m.group(0), value)
        return value

    def _in_run(self, value: int) -> bool:
        return self.run.started_ms <= value <= self.run.finished_ms


def normalised(
    tables: dict[str, Table], generated: set[str], run: MigratedDatabase
) -> dict[str, tuple[list[Row], Counter[str]]]:
    """Per table: the normalised rows (sorted) and the order keys taken out of them."""
    normaliser = _Normaliser(generated, run)
    result = {}
    for name, table in tables.items():
        order_columns = [i for i, c in enumerate(table.columns) if c == "order_key"]
        rows: list[Row] = []
        taken: Counter[str] = Counter()
        for row in table.rows:
            values = list(row)
            if order_columns and normaliser.holds_generated(row):
                for i in order_columns:
                    taken[str(values[i])] += 1
                    values[i] = ORDER_KEY
            rows.append(tuple(normaliser.value(v) for v in values))
        result[name] = (sorted(rows, key=repr), taken)
    return result


def assert_same_migration(a: MigratedDatabase, b: MigratedDatabase) -> None:
    """Fail naming the first table whose normalised rows differ (see the module docstring)."""
    tables_a, tables_b = read_tables(a.path), read_tables(b.path)
    assert sorted(tables_a) == sorted(tables_b)
    ids_a, ids_b = uuids(tables_a), uuids(tables_b)
    rows_a = normalised(tables_a, ids_a - ids_b, a)
    rows_b = normalised(tables_b, ids_b - ids_a, b)
    for name in sorted(tables_a):
        assert tables_a[name].columns == tables_b[name].columns, name
        assert rows_a[name][0] == rows_b[name][0], f"table {name} differs"
        assert rows_a[name][1] == rows_b[name][1], f"order keys of table {name} differ"


def ledgers(target: Path) -> dict[str, dict[str, Any]]:
    """Per migrator and source kind: records read, written and skipped, and the skips per reason."""
    report = json.loads(target.with_name(target.name + ".report.json").read_text(encoding="utf-8"))
    return {
        m["migratorId"]: {
            kind: (entry["read"], entry["written"], entry["skipped"], _reason_counts(entry))
            for kind, entry in m["ledger"].items()
        }
        for m in report["migrators"]
    }


def _reason_counts(entry: dict[str, Any]) -> dict[str, tuple[int, list[str]]]:
    """Count and ids per reason; the detail text may name the source's own paths, so it is left out."""
    return {reason: (info["count"], info["ids"]) for reason, info in entry["skipReasons"].items()}
