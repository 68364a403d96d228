"""Running one corpus case: build its export folder, run the real CLI into a real SQLite target, and
collect what a user and a support engineer would see (exit code, output, run report, target).

A case is a folder under ``cases/`` holding ``case.json`` and the export files it breaks. ``base``
names a folder under ``base/`` that is copied first and that the case's files then overwrite;
``delete`` removes paths of the copy. Large inputs are not committed: a file may hold a placeholder
string literal that is expanded at test time (see ``PLACEHOLDERS`` and ``GENERATED``).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import orjson
from rich.console import Console
from typer.testing import CliRunner

from cherry_migrate import cli

CORPUS = Path(__file__).parent
CASES = CORPUS / "cases"
BASES = CORPUS / "base"
CASE_FILE = "case.json"
SENTINEL_TABLE = "corpus_sentinel"
SECRET = "sk-corpus-secret-7f3a9c"
"""The API key of the ``small`` base profile: it must never appear in any output."""

HUGE = 50_000_000


def _huge_text() -> bytes:
    unit = "Long answer 模型 😀 line\\n".encode()
    return b'"' + unit * (HUGE // len(unit)) + b'"'


PLACEHOLDERS: dict[bytes, Callable[[], bytes]] = {
    b'"@@50MB_STRING@@"': _huge_text,
    b'"@@50MB_BACKSLASHES@@"': lambda: b'"' + b"\\\\" * (HUGE // 2) + b'"',
}
"""String literals replaced by large values at test time."""

GENERATED = re.compile(rb'"@@(REPEAT|NESTED|NESTED_OBJECTS):([A-Za-z0-9-]+:)?([0-9]+)@@"')
"""``"@@REPEAT:abc:3@@"`` becomes ``"abcabcabc"`` (long ids, identical wherever they occur);
``"@@NESTED:3@@"`` becomes ``[[[]]]`` and ``"@@NESTED_OBJECTS:2@@"`` ``{"a":{"a":null}}``."""


def _generated(match: re.Match[bytes]) -> bytes:
    kind, unit, count = match[1], (match[2] or b":")[:-1], int(match[3])
    if kind == b"REPEAT":
        return b'"' + unit * count + b'"'
    if kind == b"NESTED":
        return b"[" * count + b"]" * count
    return b'{"a":' * count + b"null" + b"}" * count


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / CASE_FILE).is_file())


def load_case(name: str) -> dict[str, Any]:
    case: dict[str, Any] = orjson.loads((CASES / name / CASE_FILE).read_bytes())
    return case


def build_export(name: str, case: dict[str, Any], export: Path) -> None:
    """The case's export folder at ``export``: its base, its own files on top, placeholders expanded."""
    if "base" in case:
        shutil.copytree(BASES / case["base"], export)
    for source in sorted((CASES / name).rglob("*")):
        if source.is_file() and source.name != CASE_FILE:
            destination = export / source.relative_to(CASES / name)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    for relative in case.get("delete", []):
        path = export / relative
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    export.mkdir(parents=True, exist_ok=True)
    for path in export.rglob("*.json"):
        _expand_placeholders(path)


def _expand_placeholders(path: Path) -> None:
    data = path.read_bytes()
    if b'"@@' not in data:
        return
    for token, make in PLACEHOLDERS.items():
        if token in data:
            data = data.replace(token, make())
    data = GENERATED.sub(_generated, data)
    path.write_bytes(data)


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make_existing_target(target: Path) -> None:
    """A target that already exists, so that "untouched" and "replaced" can both be checked."""
    target.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(target)
    try:
        conn.execute(f"CREATE TABLE {SENTINEL_TABLE} (note TEXT)")
        conn.execute(f"INSERT INTO {SENTINEL_TABLE} VALUES ('kept from before the run')")
        conn.commit()
    finally:
        conn.close()


@dataclass
class CliRun:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None
    report: dict[str, Any] | None

    @property
    def error(self) -> str:
        """The message the user is shown for a failed run."""
        if self.report is not None:
            return str(self.report["status"].get("error") or "")
        return self.stderr


def run_cli(export: Path, target: Path) -> CliRun:
    # A wide console: rich would otherwise fold long paths in messages at 80 columns.
    with mock.patch.object(cli, "err", Console(stderr=True, width=100_000)):
        result = CliRunner().invoke(
            cli.app,
            ["migrate", "--source", str(export), "--target", str(target), "--json"],
            catch_exceptions=True,
        )
    report_file = target.with_name(target.name + ".report.json")
    report = orjson.loads(report_file.read_bytes()) if report_file.is_file() else None
    return CliRun(result.exit_code, result.stdout, result.stderr, result.exception, report)


def ledger_kinds(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{migrator/kind: ledger entry}`` over every migrator of the report."""
    return {
        f"{migrator['migratorId']}/{kind}": entry
        for migrator in report["migrators"]
        for kind, entry in migrator["ledger"].items()
    }


def skips_by_kind(report: dict[str, Any]) -> dict[str, dict[str, int]]:
    """``{kind: {reason: count}}`` for every kind with at least one skip."""
    skips: dict[str, dict[str, int]] = {}
    for migrator in report["migrators"]:
        for kind, entry in migrator["ledger"].items():
            for reason, bucket in entry["skipReasons"].items():
                skips.setdefault(kind, {})[reason] = bucket["count"]
    return skips


def skip_ids(report: dict[str, Any], kind: str, reason: str) -> list[str]:
    for migrator in report["migrators"]:
        entry = migrator["ledger"].get(kind)
        if entry and reason in entry["skipReasons"]:
            ids: list[str] = entry["skipReasons"][reason]["ids"]
            return ids
    return []


def leftovers(target: Path) -> list[str]:
    """Staging and scratch files a run left beside the target (the lock file stays by design)."""
    lock = f".{target.name}.lock"
    return sorted(
        p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}.") and p.name != lock
    )
