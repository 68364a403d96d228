"""The v2 target database: schema, connection, clearing, bulk writes and FTS bulk mode.

Modules: ``schema`` (versioned DDL), ``connection`` (``open_target_db``, foreign-key checks),
``transaction`` (``transaction``, ``atomic``), ``tables`` (migration target tables and clearing),
``bulk`` (``insert_rows``, ``to_json``), ``fts`` (``message_fts_bulk_load``), ``errors``
(``TargetDatabaseError``) and ``quoting`` (``quote_identifier``).
"""
