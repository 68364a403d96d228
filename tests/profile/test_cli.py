"""``--from-profile [DIR]`` on ``migrate`` and ``inspect``: choosing the data, the version gate, output,
and proof that a full run writes nothing into the data folder."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cherry_migrate.cli import app
from tests.profile.conftest import COMMITTED_PROFILES, SHARED_PROFILES, profile_cases
from tests.profile.synthetic import write_profile, write_version_log

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


def flat(text: str) -> str:
    """Console output without the line breaks rich adds at the terminal width."""
    return " ".join(text.split())


@pytest.fixture
def userdata(tmp_path: Path) -> Path:
    return write_profile(tmp_path / "userdata")


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file and folder below ``root`` (symlinks followed) with its content hash and mtime."""
    state = {}
    for path in sorted(root.rglob("*")):
        info = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        state[str(path.relative_to(root))] = (digest, info.st_mtime_ns)
    return state


def test_a_full_migration_from_every_sample_profile_writes_nothing_into_it(
    shared_profiles: Path, userdata_view, tmp_path: Path
) -> None:
    roots = [r for r in (SHARED_PROFILES, COMMITTED_PROFILES) if r.is_dir()]
    before = {root: snapshot(root) for root in roots}
    cases = [*profile_cases(), ("exotic-types", shared_profiles / "exotic-types", None)]
    for name, profile, export in cases:
        folder = userdata_view(profile, export, version="1.9.12")
        target = tmp_path / f"{name}.sqlite"
        result = run("migrate", "--from-profile", str(folder), "--target", str(target), "--json")
        assert result.exit_code == 0, (name, result.output)
        assert json.loads(result.stdout)["outcome"] == "completed"
    for root in roots:
        assert snapshot(root) == before[root], root  # no file changed, none added (no LOCK either)


def test_migrate_reads_the_folder_given_after_the_option(userdata: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.sqlite"
    result = run("migrate", "--from-profile", str(userdata), "--target", str(target), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["source"]["description"] == f"Cherry Studio v1 data folder {userdata}"
    assert any("'f-2'" in w for w in report["source"]["warnings"])
    assert flat(result.stderr) == f"Reading Cherry Studio v1 data folder {userdata}"


def test_without_a_folder_the_one_on_this_machine_is_found(userdata: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / ".config" / "CherryStudio").symlink_to(userdata, target_is_directory=True)
    env = {"HOME": str(home), "XDG_CONFIG_HOME": ""}
    target = tmp_path / "out.sqlite"
    result = run("migrate", "--from-profile", "--target", str(target), "--json", env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["source"]["description"].endswith(
        "(found automatically: default location)"
    )
    nothing = run("migrate", "--from-profile", "--target", str(target), env={"HOME": str(tmp_path / "empty")})
    assert nothing.exit_code == 2 and "No Cherry Studio v1 data folder found" in flat(nothing.stderr)


def test_human_output_lists_the_source_warnings(userdata: Path, tmp_path: Path) -> None:
    result = run("migrate", "--from-profile", str(userdata), "--target", str(tmp_path / "out.sqlite"))
    assert result.exit_code == 0, result.output
    assert "Source warning:" in result.stdout and "'f-2' skipped" in flat(result.stdout)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--demo", "--from-profile"],
        ["--source", "{folder}", "--from-profile"],
        ["{folder}"],
        ["--demo", "{folder}"],
    ],
)
def test_exactly_one_source_is_required(userdata: Path, tmp_path: Path, args: list[str]) -> None:
    args = [a.format(folder=userdata) for a in args]
    result = run("migrate", *args, "--target", str(tmp_path / "out.sqlite"))
    assert result.exit_code == 2
    assert "--from-profile" in flat(result.stderr)
    assert not (tmp_path / "out.sqlite").exists()


@pytest.mark.parametrize("dry_run", [False, True])
def test_data_of_a_too_old_v1_is_refused_with_the_minimum_version(
    userdata: Path, tmp_path: Path, dry_run: bool
) -> None:
    write_version_log(userdata, "1.8.4", "1.9.11")
    target = tmp_path / "out.sqlite"
    result = run(
        "migrate", "--from-profile", str(userdata), "--target", str(target), *(["--dry-run"] * dry_run)
    )
    assert result.exit_code == 1
    message = flat(result.stderr)
    assert "Refused:" in message and "1.9.11" in message
    assert "Install Cherry Studio 1.9.12 (v1), open it once" in message
    assert not target.exists() and not target.with_name("out.sqlite.report.json").exists()


def test_the_refusal_is_machine_readable_with_json(userdata: Path, tmp_path: Path) -> None:
    (userdata / "version.log").unlink()
    result = run(
        "migrate", "--from-profile", str(userdata), "--target", str(tmp_path / "out.sqlite"), "--json"
    )
    assert result.exit_code == 1
    blocked = json.loads(result.stdout)
    assert blocked["outcome"] == "blocked"
    assert blocked["versionCheck"]["reason"] == "no_version_log"
    assert blocked["versionCheck"]["details"] == {"requiredVersion": "1.9.12"}
    assert "version.log" in blocked["error"] and str(userdata) in blocked["error"]


def test_inspect_shows_the_data_and_the_version_check_without_refusing(userdata: Path) -> None:
    result = run("inspect", "--from-profile", str(userdata), "--json")
    assert result.exit_code == 0, result.output
    inventory = json.loads(result.stdout)
    assert inventory["dexieTables"]["message_blocks"]["records"] == 3
    assert inventory["versionCheck"] == {
        "outcome": "pass",
        "reason": None,
        "previousVersion": "1.9.12",
        "details": {},
        "notices": [],
    }
    write_version_log(userdata, "1.9.0")
    human = flat(run("inspect", "--from-profile", str(userdata)).stdout)
    assert "Version check: blocked (v1_too_old)" in human and "message_blocks" in human
