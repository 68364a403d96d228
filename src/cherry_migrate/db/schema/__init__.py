"""Versioned DDL of the v2 target database (target-schema.md §4.2 and §4.3).

Scope: the tables that legacy data fills (README decision 2) — ``app_state``, ``preference``,
``group``, ``tag``, ``entity_tag``, ``pin``, ``user_provider``, ``user_model``, ``assistant``,
``assistant_knowledge_base``, ``assistant_mcp_server``, ``topic``, ``message`` (+ ``message_fts``
and its three triggers), ``knowledge_base``, ``knowledge_item``, ``mcp_server``, ``prompt``,
``prompt_binding``, ``note``, ``painting``, ``mini_app``, ``translate_history``,
``translate_language``, ``file_entry`` and the file-reference tables whose owners are among them:
``chat_message_file_ref``, ``painting_file_ref``, ``provider_logo_file_ref``,
``mini_app_logo_file_ref``, ``mini_app_file_ref`` and ``translate_history_file_ref``.

Left out with the tables they belong to: agents (``agent_*`` and
``agent_session_message_file_ref``), jobs (``job``, ``job_schedule``, ``job_file_ref``),
``mini_app_grant``, ``mini_app_installation``, usage records, remote access and misc tables.

Foreign keys to left-out tables: none of the kept tables has one, so every foreign key is kept
exactly as upstream declares it and no column or constraint had to change. The only references
to agents are polymorphic columns that upstream never backs with a foreign key
(``prompt_binding.target_type = 'agent'`` with ``target_id``, and ``entity_type``/``entity_id``
of ``pin``, ``entity_tag`` and ``group``); they stay plain text columns here too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from cherry_migrate.db.schema.runner import apply_steps
from cherry_migrate.db.schema.steps import SCHEMA_STEPS, SchemaStep

CURRENT_SCHEMA_VERSION: int = SCHEMA_STEPS[-1].version


def apply_schema(conn: sqlite3.Connection, steps: Sequence[SchemaStep] = SCHEMA_STEPS) -> list[int]:
    """Bring the database to the latest schema; return the versions newly applied.

    Applying an up-to-date database is a no-op that returns ``[]``. ``steps`` is for tests and
    defaults to the shipped :data:`SCHEMA_STEPS`. The connection must not be inside a
    transaction (the steps run in their own ``BEGIN IMMEDIATE`` transaction).
    """
    return apply_steps(conn, steps)


__all__ = ["CURRENT_SCHEMA_VERSION", "SCHEMA_STEPS", "SchemaStep", "apply_schema"]
