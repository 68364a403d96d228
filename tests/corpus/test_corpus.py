"""Every case of the bad-input corpus, through the real CLI into a real SQLite target.

Whatever is broken, a run ends in one of two ways, and the case says which:

* ``error``: a clear message naming the file (and the record, where there is one); the exit code says
  so; no traceback; the existing target is byte for byte what it was, with no staging files left.
* ``completed``: the damaged records are skipped with a reason (exactly the skips the case lists,
  across the whole run) and every ledger kind balances: read = written + skipped.

Always: the legacy data is not written to, and the profile's API key appears in no output.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.corpus.harness import (
    CORPUS,
    SECRET,
    SENTINEL_TABLE,
    CliRun,
    build_export,
    case_names,
    fingerprint,
    ledger_kinds,
    leftovers,
    load_case,
    make_existing_target,
    run_cli,
    skip_ids,
    skips_by_kind,
)

CASES = case_names()


def test_the_corpus_is_large_and_documented() -> None:
    assert len(CASES) >= 40
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z0-9_]+)` \|", readme, flags=re.MULTILINE)
    assert listed == CASES


@pytest.mark.parametrize("name", CASES)
def test_case(name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    case = load_case(name)
    export = tmp_path / "export"
    build_export(name, case, export)
    target = tmp_path / "out" / "cherry.sqlite"
    make_existing_target(target)
    legacy_before = fingerprint(export)
    target_before = fingerprint(target.parent)

    with caplog.at_level(logging.WARNING):
        run = run_cli(export, target)

    assert_explained(run, caplog)
    assert fingerprint(export) == legacy_before, "the legacy data was written to"
    assert leftovers(target) == []
    if case["outcome"] == "error":
        assert_clear_error(case, run, export)
        after = fingerprint(target.parent)
        for beside in (f"{target.name}.report.json", f".{target.name}.lock"):
            after.pop(beside, None)
        assert after == target_before, "a failed run changed the target"
    else:
        assert case["outcome"] == "completed"
        assert_completed(case, run, target)


def assert_explained(run: CliRun, caplog: pytest.LogCaptureFixture) -> None:
    """No traceback anywhere and nothing that reached the user as an unexpected crash."""
    assert run.exception is None or isinstance(run.exception, SystemExit), repr(run.exception)
    assert "Traceback" not in run.stdout + run.stderr
    crashes = [r.getMessage() for r in caplog.records if r.exc_info]
    assert crashes == []
    everything = run.stdout + run.stderr + caplog.text + str(run.report)
    assert SECRET not in everything
    assert "unexpected" not in run.error


def assert_clear_error(case: dict[str, Any], run: CliRun, export: Path) -> None:
    assert run.exit_code in (1, 2), run.stdout
    message = run.error
    assert str(export / case["file"]) in message
    if "record" in case:
        assert f"record {case['record']}" in message
    assert case["message_contains"] in message
    if run.report is not None:
        assert run.report["outcome"] == "failed"


def assert_completed(case: dict[str, Any], run: CliRun, target: Path) -> None:
    assert run.exit_code == 0, run.error
    assert run.report is not None and run.report["outcome"] == "completed"
    unbalanced = {
        kind: entry
        for kind, entry in ledger_kinds(run.report).items()
        if entry["read"] != entry["written"] + entry["skipped"]
    }
    assert unbalanced == {}
    assert skips_by_kind(run.report) == case["skips"]
    for kind, reasons in case.get("skip_ids", {}).items():
        for reason, ids in reasons.items():
            assert set(ids) <= set(skip_ids(run.report, kind, reason)), (kind, reason)
    conn = sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute(f"SELECT count(*) FROM {SENTINEL_TABLE}").fetchone() == (1,)
        for query, expected in case.get("sql", []):
            assert [list(row) for row in conn.execute(query)] == expected, query
    finally:
        conn.close()


def test_a_source_error_reaches_a_real_terminal_without_a_traceback(tmp_path: Path) -> None:
    """The same contract through a real process, for a case that stops before the engine starts."""
    name = "deep_nesting_in_config"
    case = load_case(name)
    export = tmp_path / "export"
    build_export(name, case, export)
    target = tmp_path / "cherry.sqlite"
    completed = subprocess.run(
        [sys.executable, "-m", "cherry_migrate", "migrate", "--source", str(export), "--target", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "10000"},
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr + completed.stdout
    assert str(export / case["file"]) in completed.stderr
    assert case["message_contains"] in completed.stderr
    assert not target.exists()
