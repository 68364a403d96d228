"""The ordered list of schema steps.

A step is applied once per database and recorded in ``schema_migrations``. Steps are history:
never edit or renumber one that has shipped; change the schema by appending a step.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

from cherry_migrate.db.schema.message_fts import MESSAGE_FTS_SQL


@dataclass(frozen=True)
class SchemaStep:
    """One schema change: a positive ``version``, a short ``name`` and its SQL script."""

    version: int
    name: str
    sql: str


def _sql_file(name: str) -> str:
    return (files(__package__) / "sql" / name).read_text(encoding="utf-8")


SCHEMA_STEPS: tuple[SchemaStep, ...] = (
    SchemaStep(1, "core_tables", _sql_file("0001_core_tables.sql")),
    SchemaStep(2, "message_fts", MESSAGE_FTS_SQL),
)
