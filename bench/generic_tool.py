"""A generic tool a user might reach for: ``sqlite-utils insert`` loading the Dexie exports raw.

Each ``dexie_export/<table>.json`` becomes one table of a fresh database, one ``sqlite-utils insert``
subprocess per file (``--pk id --alter --ignore``: rows have varying keys, a few ids repeat and the
first copy is kept, as a migration does). It only loads raw rows: no mapping, no message tree, no
validation, no full-text index; nested values (a topic's messages) become JSON text.

Two ways of feeding it:

* ``array``: the JSON array files as they are. sqlite-utils reads such a file with ``json.load``,
  i.e. whole, so its memory grows with the largest table.
* ``nl``: newline-delimited JSON (``--nl``), which it reads line by line. The export holds arrays, so
  they are first converted (:func:`convert_to_ndjson`, streamed, cached and not timed).
"""

from __future__ import annotations

import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson

from cherry_migrate.db.quoting import quote_identifier
from cherry_migrate.sources.json_stream import JsonArrayFile

MODES = ("array", "nl")


def sqlite_utils_command() -> str:
    """The ``sqlite-utils`` script installed beside this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / "sqlite-utils"
    if beside.exists():
        return str(beside)
    found = shutil.which("sqlite-utils")
    if found is None:
        raise FileNotFoundError("sqlite-utils is not installed")
    return found


def convert_to_ndjson(dexie_dir: Path, out_dir: Path) -> Path:
    """One ``<table>.ndjson`` per ``<table>.json`` in ``out_dir`` (kept: later runs reuse it)."""
    done = out_dir / ".complete"
    if done.exists():
        return out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    for table in sorted(dexie_dir.glob("*.json")):
        with (out_dir / f"{table.stem}.ndjson").open("wb") as out:
            for row in JsonArrayFile(table):
                out.write(orjson.dumps(row) + b"\n")
    done.touch()
    return out_dir


def load_with_sqlite_utils(input_dir: str, database: str, mode: str) -> dict[str, Any]:
    """Run ``sqlite-utils insert`` for every table file of ``input_dir`` into a new ``database``.

    Returns the rows loaded, the tool's peak RSS (largest of its processes) and CPU seconds.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    target = Path(database)
    for leftover in target.parent.glob(target.name + "*"):
        leftover.unlink()
    suffix = ".ndjson" if mode == "nl" else ".json"
    command = sqlite_utils_command()
    for table_file in sorted(Path(input_dir).glob(f"*{suffix}")):
        args = [command, "insert", database, table_file.stem, str(table_file)]
        args += ["--pk", "id", "--alter", "--ignore", "--silent"]
        if mode == "nl":
            args.append("--nl")
        subprocess.run(args, check=True, capture_output=True)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "rows": _count_rows(target),
        "tool_peak_rss_mb": usage.ru_maxrss / 1024,
        "cpu_s": usage.ru_utime + usage.ru_stime,
    }


def _count_rows(database: Path) -> int:
    conn = sqlite3.connect(database)
    try:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return sum(
            conn.execute(f"SELECT count(*) FROM {quote_identifier(name)}").fetchone()[0] for name in tables
        )
    finally:
        conn.close()
