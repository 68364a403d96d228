"""Secrets never leave the target database: a run over a profile with a marker secret in every place
v1 keeps one prints none of them, logs none, and writes none into the run report or beside the target,
whether the run completes or fails. The target database itself holds them: that is the user's data."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import traceback
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from cherry_migrate.core.engine import MigrationEngine, RunOptions
from cherry_migrate.core.types import MigrationProgress
from cherry_migrate.sources.resolve import open_sources
from tests.security.secret_profile import MARKER_PREFIX
from tests.support.cli import assert_clean_failure, assert_success, migrate_args, run_cli

Outputs = dict[str, str]
TARGET_NAME = "cherrystudio.sqlite"
MARKER = re.compile(re.escape(MARKER_PREFIX) + r"[-\w]*")

MUST_REACH_DATABASE = (
    "llm.providers[1].apiKey",
    "mcp.servers[2] env token",
    "websearch.providers[0].apiKey",
    "preprocess.providers[0].apiKey",
    "settings.webdavPass",
    "settings.notionApiKey",
    "settings.yuqueToken",
    "settings.joplinToken",
    "settings.siyuanToken",
    "settings.s3.secretAccessKey",
    "settings.apiServer.apiKey",
    "nutstore.nutstoreToken",
)
"""Planted secrets a completed run must have migrated: proof that the profile was read at all."""


def assert_no_secret(outputs: Outputs) -> None:
    leaks = {where: sorted(set(MARKER.findall(text))) for where, text in outputs.items()}
    leaks = {where: found for where, found in leaks.items() if found}
    assert not leaks, f"secrets leaked: {leaks}"


def _cli_outputs(name: str, proc: subprocess.CompletedProcess[str]) -> Outputs:
    return {f"{name} stdout": proc.stdout, f"{name} stderr": proc.stderr}


def _beside_target(target: Path) -> Outputs:
    """Every file the run left beside its target (the report, the files folder, the lock), but the
    database itself."""
    return {
        str(path.relative_to(target.parent)): path.read_bytes().decode("utf-8", errors="replace")
        for path in sorted(target.parent.rglob("*"))
        if path.is_file() and path != target
    }


def _run_every_command(source: Path, target: Path, *, completes: bool) -> Outputs:
    """migrate -v, migrate --json, status and status --json, as a user or a support engineer runs them."""
    check = assert_success if completes else assert_clean_failure
    outputs: Outputs = {}
    for name, extra in (("migrate -v", ()), ("migrate --json", ("--json",))):
        proc = run_cli("-v", *migrate_args(source, target, *extra))
        check(proc)
        outputs |= _cli_outputs(name, proc)
    for name, extra in (("status", ()), ("status --json", ("--json",))):
        proc = run_cli("status", "--target", target, *extra)
        assert_success(proc)
        outputs |= _cli_outputs(name, proc)
    return outputs | _beside_target(target)


def _describe(value: Any) -> str:
    return repr(asdict(value)) if is_dataclass(value) and not isinstance(value, type) else repr(value)


def _run_in_process(source: Path, target: Path, caplog: pytest.LogCaptureFixture) -> tuple[Outputs, bool]:
    """The run with every log record captured (debug level) and every progress event kept."""
    events: list[MigrationProgress] = []
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="cherry_migrate"):
        result = MigrationEngine().run(
            open_sources(source=source), target, RunOptions(on_progress=events.append)
        )
    records = [
        record.getMessage() + "".join(traceback.format_exception(*record.exc_info) if record.exc_info else [])
        for record in caplog.records
    ]
    outputs = {
        "log records": "\n".join(records),
        "progress events": "\n".join(_describe(e) for e in events),
        "result": _describe(result),
    }
    return outputs, result.success


def test_completed_run_shows_no_secret(secret_profile: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    source, planted = secret_profile
    target = tmp_path / "completed" / TARGET_NAME
    target.parent.mkdir()
    assert_no_secret(_run_every_command(source, target, completes=True))
    database = target.read_bytes()
    where = {w: m for m, w in planted.items()}
    missing = [w for w in MUST_REACH_DATABASE if where[w].encode() not in database]
    assert not missing, f"secrets that should have been migrated are not in the target: {missing}"


def test_completed_run_logs_no_secret(
    secret_profile: tuple[Path, dict[str, str]], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    outputs, success = _run_in_process(secret_profile[0], tmp_path / TARGET_NAME, caplog)
    assert success
    assert outputs["log records"], "nothing was logged: the check would prove nothing"
    assert_no_secret(outputs)


@pytest.fixture
def failing_profile(secret_profile: tuple[Path, dict[str, str]], tmp_path: Path) -> Path:
    """The secret profile with a broken quick-phrase table: the last migrator fails, after every other
    one has registered (and reported on) the secrets. The break comes right after a phrase holding a
    provider's API key, as if the user had pasted it there."""
    source, planted = secret_profile
    profile = tmp_path / "failing-profile"
    shutil.copytree(source, profile)
    api_key = next(m for m, w in planted.items() if w == "llm.providers[1].apiKey")
    broken = orjson.dumps([{"id": "qp-1", "title": "key", "content": api_key}]).decode()
    (profile / "dexie_export" / "quick_phrases.json").write_text(
        f'{broken[:-1]},{{"id":"qp-2","title":"{api_key}","content":tru', encoding="utf-8"
    )
    return profile


def test_failed_run_shows_no_secret(failing_profile: Path, tmp_path: Path) -> None:
    target = tmp_path / "failed" / TARGET_NAME
    target.parent.mkdir()
    outputs = _run_every_command(failing_profile, target, completes=False)
    assert "quick_phrases.json" in outputs["migrate -v stdout"], "the run did not fail where intended"
    report = orjson.loads((target.parent / f"{TARGET_NAME}.report.json").read_bytes())
    assert report["outcome"] == "failed" and len(report["migrators"]) > 5
    assert_no_secret(outputs)


def test_failed_run_logs_no_secret(
    failing_profile: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    outputs, success = _run_in_process(failing_profile, tmp_path / TARGET_NAME, caplog)
    assert not success
    assert "quick_phrases.json" in outputs["result"]
    assert_no_secret(outputs)


def test_the_check_finds_a_leak() -> None:
    """The search itself works: a marker anywhere in an output is reported with where it was."""
    with pytest.raises(AssertionError, match="stderr"):
        assert_no_secret({"stdout": "fine", "stderr": f"key={MARKER_PREFIX}-001-settings-webdavPass."})
