"""Full-text search over ``message``: the FTS5 table, its triggers and the searchable-text rule.

Same SQL as upstream's ``MESSAGE_FTS_STATEMENTS`` (target-schema.md §4.3). ``message_fts`` is an
external-content FTS5 table over ``message.searchable_text`` keyed on ``message.fts_rowid`` (a
real column, so table rebuilds and VACUUM cannot desync the index). The insert trigger numbers
``fts_rowid`` as ``MAX + 1`` and derives ``searchable_text`` from ``data.parts``.

This module is the one definition of that rule: schema step 2 is rendered from it, and
``cherry_migrate.db.fts`` reuses :func:`searchable_text_sql` and :data:`MESSAGE_TRIGGERS` for its
set-based bulk fill. Changing either means adding a schema step that recreates the triggers.
"""

from __future__ import annotations

# (part type predicate, JSON path of the text) in upstream's order. The texts are grouped by
# rule, not by part position: all `text` parts first, then `data.content` of code, translation
# and compact parts, then compacted content, then error messages.
_TEXT_SOURCES: tuple[tuple[str, str], ...] = (
    ("= 'text'", "$.text"),
    ("IN ('data-code', 'data-translation', 'data-compact')", "$.data.content"),
    ("= 'data-compact'", "$.data.compactedContent"),
    ("= 'data-error'", "$.data.message"),
)


def searchable_text_sql(data_expression: str, *, parts_by_path: bool = False) -> str:
    """SQL expression computing ``searchable_text`` from the message JSON in ``data_expression``.

    Non-blank texts are joined with single spaces; no matching part gives ``''`` (``COALESCE``,
    because ``group_concat`` over no rows is NULL).

    ``parts_by_path`` gives the same value (or the same error) faster, for the bulk fill; the
    triggers keep upstream's form. Upstream walks ``json_each(json_extract(data, '$.parts'))``,
    which writes the parts out as text and parses them again in each of its four selects (about a
    third of the rule's cost). When ``$.parts`` is an array or an object that text is the parts
    verbatim, so ``json_each(data, '$.parts')`` walks the same rows; any other ``$.parts`` (absent,
    a scalar, a string holding JSON) takes upstream's form.
    """
    upstream = _rule_sql(f"json_each(json_extract({data_expression}, '$.parts'))")
    if not parts_by_path:
        return upstream
    by_path = _rule_sql(f"json_each({data_expression}, '$.parts')")
    return (
        f"CASE WHEN json_type({data_expression}, '$.parts') IN ('array', 'object')\n"
        f"THEN {by_path}\nELSE {upstream} END"
    )


def _rule_sql(parts: str) -> str:
    selects = [
        f"""    SELECT json_extract(value, '{path}') AS text
    FROM {parts}
    WHERE json_extract(value, '$.type') {type_predicate}
      AND json_extract(value, '{path}') IS NOT NULL
      AND trim(json_extract(value, '{path}')) != ''"""
        for type_predicate, path in _TEXT_SOURCES
    ]
    union = "\n\n    UNION ALL\n\n".join(selects)
    return f"COALESCE((\n  SELECT group_concat(text, ' ')\n  FROM (\n{union}\n  )\n), '')"


MESSAGE_FTS_TABLE_SQL = """CREATE VIRTUAL TABLE IF NOT EXISTS message_fts USING fts5(
  searchable_text,
  content='message',
  content_rowid='fts_rowid',
  tokenize='trigram'
)"""

#: Trigger name -> CREATE TRIGGER statement, in creation order.
MESSAGE_TRIGGERS: dict[str, str] = {
    "message_ai": f"""CREATE TRIGGER message_ai AFTER INSERT ON message BEGIN
  UPDATE message SET
    fts_rowid = (SELECT COALESCE(MAX(fts_rowid), 0) + 1 FROM message),
    searchable_text = {searchable_text_sql("NEW.data")}
  WHERE id = NEW.id;
  INSERT INTO message_fts(rowid, searchable_text)
  SELECT fts_rowid, searchable_text FROM message WHERE id = NEW.id;
END""",
    "message_ad": """CREATE TRIGGER message_ad AFTER DELETE ON message BEGIN
  INSERT INTO message_fts(message_fts, rowid, searchable_text)
  VALUES ('delete', OLD.fts_rowid, OLD.searchable_text);
END""",
    "message_au": f"""CREATE TRIGGER message_au AFTER UPDATE OF data ON message BEGIN
  INSERT INTO message_fts(message_fts, rowid, searchable_text)
  VALUES ('delete', OLD.fts_rowid, OLD.searchable_text);
  UPDATE message SET searchable_text = {searchable_text_sql("NEW.data")} WHERE id = NEW.id;
  INSERT INTO message_fts(rowid, searchable_text)
  SELECT fts_rowid, searchable_text FROM message WHERE id = NEW.id;
END""",
}

#: The whole definition as one script (idempotent, like upstream's custom SQL).
MESSAGE_FTS_SQL = (
    ";\n\n".join(
        [
            MESSAGE_FTS_TABLE_SQL,
            *(f"DROP TRIGGER IF EXISTS {name}" for name in MESSAGE_TRIGGERS),
            *MESSAGE_TRIGGERS.values(),
        ]
    )
    + ";\n"
)
