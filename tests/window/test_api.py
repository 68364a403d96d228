"""The window's HTTP API: access rules, the state machine, runs, cancel, use-defaults, diagnostics."""

from __future__ import annotations

import hashlib
import logging
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.engine import MigrationEngine
from cherry_migrate.core.status import read_status_from_db
from cherry_migrate.window.logbuffer import RingBufferHandler

from ..core.fakes import Script, ScriptedMigrator
from .conftest import PORT, TOKEN, ApiHarness

POST_ENDPOINTS = [
    "language",
    "proceed",
    "back",
    "backup",
    "backup/skip",
    "start",
    "retry",
    "cancel",
    "use-defaults",
    "diagnostics",
    "close-request",
    "close-cancel",
    "finish",
    "shutdown",
]


class Gate:
    """Holds a scripted migrator in its first batch until released (or the run is cancelled)."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.release = threading.Event()

    def __call__(self, ctx: MigrationContext, batch: int) -> None:
        if batch == 0:
            self.reached.set()
            while not self.release.wait(0.01):
                ctx.cancel.raise_if_cancelled()


def gated_engine(gate: Gate) -> MigrationEngine:
    return MigrationEngine(
        [
            ScriptedMigrator("first", 1, Script(rows=6, batches=3, on_batch=gate)),
            ScriptedMigrator("second", 2),
        ]
    )


def confirm_backup(api: ApiHarness) -> None:
    api.post("proceed")
    api.post("backup/skip")


# ---- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/state"),
        ("GET", "/api/events"),
        ("POST", "/api/start"),
        ("POST", "/api/shutdown"),
        ("GET", "/api/no-such-endpoint"),
        ("DELETE", "/api/state"),
        ("GET", "/api/"),
        ("GET", "/api"),
        ("OPTIONS", "/api/start"),
    ],
)
def test_api_without_token_is_401_whatever_the_path(
    harness: Callable[..., ApiHarness], method: str, path: str
) -> None:
    api = harness()
    for headers in ({"Authorization": ""}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        response = api.client.request(method, path, headers=headers)
        assert response.status_code == 401, (headers, response.text)
        assert response.json()["error"] == "unauthorized"
    query = api.client.request(method, f"{path}?token={TOKEN}", headers={"Authorization": ""})
    assert query.status_code == 401  # the token is accepted in the header only
    assert api.state()["stage"] == "introduction"


def test_page_needs_no_token_but_sets_strict_headers(harness: Callable[..., ApiHarness]) -> None:
    api = harness()
    for path in ("/", "/static/app.js", "/static/app.css", "/i18n/en.json", "/i18n/zh-CN.json"):
        response = api.client.get(path, headers={"Authorization": ""})
        assert response.status_code == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
    assert api.client.get("/static/../app.py").status_code == 404
    assert api.client.get("/i18n/fr.json").status_code == 404
    assert api.client.get("/api/state").headers["cache-control"] == "no-store"
    assert api.client.get("/docs").status_code == 404
    assert api.client.get("/openapi.json").status_code == 404


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", f"http://127.0.0.1:{PORT + 1}", f"https://127.0.0.1:{PORT}"]
)
def test_foreign_origin_is_rejected(harness: Callable[..., ApiHarness], origin: str) -> None:
    api = harness()
    for method, path in (("GET", "/api/state"), ("POST", "/api/proceed")):
        response = api.client.request(method, path, headers={"Origin": origin})
        assert response.status_code == 403
        assert response.json()["error"] == "forbidden_origin"
    assert api.state()["stage"] == "introduction"


@pytest.mark.parametrize("origin", [f"http://127.0.0.1:{PORT}", f"http://localhost:{PORT}"])
def test_own_origin_is_accepted(harness: Callable[..., ApiHarness], origin: str) -> None:
    api = harness()
    assert api.client.post("/api/proceed", headers={"Origin": origin}).status_code == 200


def test_cross_site_fetch_metadata_is_rejected(harness: Callable[..., ApiHarness]) -> None:
    api = harness()
    assert api.client.post("/api/proceed", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert api.client.post("/api/proceed", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200


@pytest.mark.parametrize(
    "host", ["evil.example", f"evil.example:{PORT}", f"127.0.0.1:{PORT + 1}", "127.0.0.1", f"0.0.0.0:{PORT}"]
)
def test_wrong_host_is_rejected(harness: Callable[..., ApiHarness], host: str) -> None:
    api = harness()
    for path in ("/api/state", "/"):
        response = api.client.get(path, headers={"Host": host})
        assert response.status_code == 403
        assert response.json()["error"] == "forbidden_host"
    assert api.client.get("/api/state", headers={"Host": f"localhost:{PORT}"}).status_code == 200


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_state_changing_endpoints_refuse_get(harness: Callable[..., ApiHarness], endpoint: str) -> None:
    api = harness()
    assert api.client.get(f"/api/{endpoint}").status_code == 405
    assert api.state()["stage"] == "introduction"
    assert api.shutdowns == []


# ---- flow -----------------------------------------------------------------------------------------


def test_demo_state_describes_source_target_and_inventory(harness: Callable[..., ApiHarness]) -> None:
    state = harness().state()
    assert state["stage"] == "introduction"
    assert state["versionCheck"]["outcome"] == "pass"
    assert state["versionCheck"]["previousVersion"] == "1.9.12"
    assert state["language"] == "en" and state["languageSource"] == "legacy"
    assert state["inventory"]["dexieTables"]["topics"]["records"] > 0
    assert state["source"]["dataLocation"].endswith("demo")
    assert state["target"]["path"].endswith("v2.sqlite")
    assert state["target"]["exists"] is False
    assert state["defaultBackupPath"].endswith(".zip")


def test_start_needs_a_confirmed_backup(harness: Callable[..., ApiHarness]) -> None:
    api = harness()
    response = api.client.post("/api/start")
    assert response.status_code == 409
    assert response.json()["error"] == "backup_not_confirmed"
    api.post("proceed")
    assert api.client.post("/api/start").json()["error"] == "backup_not_confirmed"
    assert api.post("back")["stage"] == "introduction"
    assert api.client.post("/api/back").status_code == 409


def test_full_run_through_the_api(harness: Callable[..., ApiHarness]) -> None:
    api = harness(engine=MigrationEngine([ScriptedMigrator("one", 1, Script(rows=4, skip=1))]))
    confirm_backup(api)
    state = api.state()
    assert state["stage"] == "backup_confirmed" and state["backup"]["state"] == "existing"
    assert api.client.post("/api/start").status_code == 202
    api.session.join_worker(30)
    state = api.state()
    assert state["stage"] == "completed"
    (migrator,) = state["result"]["migrators"]
    assert (migrator["written"], migrator["skipped"]) == (4, 1)
    assert migrator["skipReasonTotals"] == {"test_reason": 1}
    assert state["target"]["status"] == "completed"
    assert state["progress"]["overallProgress"] == 100
    assert api.client.post("/api/start").json()["error"] == "wrong_stage"
    assert api.client.post("/api/use-defaults").status_code == 409
    assert api.post("finish")["closing"] is True
    assert api.shutdowns == [True]


def test_second_start_and_use_defaults_are_refused_during_a_run(harness: Callable[..., ApiHarness]) -> None:
    gate = Gate()
    api = harness(engine=gated_engine(gate))
    confirm_backup(api)
    api.post("start")
    assert gate.reached.wait(30)
    for endpoint in ("start", "retry", "use-defaults", "diagnostics", "backup", "proceed"):
        response = api.client.post(f"/api/{endpoint}")
        assert response.status_code == 409, endpoint
        assert response.json()["error"] == "already_running", endpoint
        assert "already running" in response.json()["message"]
    assert api.post("close-request") == {"needsConfirmation": True, "stage": "migration"}
    refused = api.client.post("/api/shutdown", json={"cancel": False})
    assert refused.status_code == 409 and refused.json()["error"] == "confirmation_required"
    gate.release.set()
    api.session.join_worker(30)
    assert api.state()["stage"] == "completed"
    assert api.post("close-request")["needsConfirmation"] is False


def test_native_window_close_asks_the_page_during_a_run(harness: Callable[..., ApiHarness]) -> None:
    gate = Gate()
    api = harness(engine=gated_engine(gate))
    assert api.session.request_close_from_window() is True
    confirm_backup(api)
    api.post("start")
    assert gate.reached.wait(30)
    assert api.session.request_close_from_window() is False
    assert api.state()["confirmClose"] is True
    api.post("close-cancel")
    assert api.state()["confirmClose"] is False
    gate.release.set()
    api.session.join_worker(30)
    assert api.session.request_close_from_window() is True


def test_cancel_leaves_the_target_untouched_and_retry_runs_again(
    harness: Callable[..., ApiHarness], tmp_path: Path
) -> None:
    target = tmp_path / "out" / "v2.sqlite"
    target.parent.mkdir()
    assert MigrationEngine([]).use_defaults(target).success
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    gate = Gate()
    api = harness(engine=gated_engine(gate), target=target)
    assert api.state()["target"]["status"] == "completed"
    confirm_backup(api)
    api.post("start")
    assert gate.reached.wait(30)
    api.post("cancel")
    api.session.join_worker(30)
    state = api.state()
    assert state["stage"] == "error" and state["cancelled"] is True
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert api.client.post("/api/cancel").json()["error"] == "nothing_to_cancel"
    gate.release.set()
    api.post("retry")
    api.session.join_worker(30)
    assert api.state()["stage"] == "completed"
    assert hashlib.sha256(target.read_bytes()).hexdigest() != before


def test_shutdown_with_cancel_stops_the_run(harness: Callable[..., ApiHarness]) -> None:
    gate = Gate()
    api = harness(engine=gated_engine(gate))
    confirm_backup(api)
    api.post("start")
    assert gate.reached.wait(30)
    state = api.post("shutdown", {"cancel": True})
    assert state["closing"] is True and state["stage"] == "error" and state["cancelled"] is True
    assert api.shutdowns == [True]
    assert not Path(state["target"]["path"]).exists()
    assert api.client.post("/api/proceed").json()["error"] == "closing"


def test_failed_run_shows_error_and_retry_after_fixing_the_file(
    harness: Callable[..., ApiHarness], demo_copy: Path
) -> None:
    mcp = demo_copy / "redux_export" / "mcp.json"
    original = mcp.read_bytes()
    mcp.write_text('{"servers": [', encoding="utf-8")
    api = harness(demo_copy)
    confirm_backup(api)
    api.post("start")
    api.session.join_worker(60)
    state = api.state()
    assert state["stage"] == "error" and state["cancelled"] is False
    assert "mcp.json" in state["lastError"]
    failed = [m for m in state["progress"]["migrators"] if m["status"] == "failed"]
    assert len(failed) == 1
    mcp.write_bytes(original)
    api.post("retry")
    api.session.join_worker(60)
    assert api.state()["stage"] == "completed"


def test_use_defaults_marks_completed_without_importing(harness: Callable[..., ApiHarness]) -> None:
    api = harness()
    state = api.post("use-defaults")
    assert state["stage"] == "completed"
    assert state["result"]["importedLegacyData"] is False
    status = read_status_from_db(Path(state["target"]["path"]))
    assert status is not None and status["status"] == "completed" and status.get("skipped") is True
    assert api.client.post("/api/use-defaults").json()["error"] == "already_completed"


def test_version_block_allows_only_defaults_diagnostics_and_close(
    harness: Callable[..., ApiHarness], demo_copy: Path
) -> None:
    (demo_copy / "version.log").write_text("1.9.3|darwin|production|true|normal|2025-05-07T09:00:00.000Z\n")
    api = harness(demo_copy)
    state = api.state()
    assert state["stage"] == "version_incompatible"
    check = state["versionCheck"]
    assert check["reason"] == "v1_too_old"
    assert check["details"] == {"previousVersion": "1.9.3", "requiredVersion": "1.9.12"}
    assert "1.9.12" in check["explanations"]["v1_too_old"]["en"]
    assert "1.9.12" in check["explanations"]["v1_too_old"]["zh-CN"]
    assert api.client.post("/api/start").json()["error"] == "version_blocked"
    assert api.client.post("/api/proceed").json()["error"] == "wrong_stage"
    assert api.post("diagnostics")["path"].endswith(".zip")
    assert api.post("use-defaults")["stage"] == "completed"


def test_missing_version_log_is_a_notice_not_a_block(
    harness: Callable[..., ApiHarness], demo_copy: Path
) -> None:
    (demo_copy / "version.log").unlink()
    state = harness(demo_copy).state()
    assert state["stage"] == "introduction"
    assert state["versionCheck"]["notices"] == ["no_version_log"]
    assert set(state["versionCheck"]["explanations"]["no_version_log"]) == {"en", "zh-CN"}


# ---- backup ---------------------------------------------------------------------------------------


def test_backup_zip_beside_the_target(harness: Callable[..., ApiHarness], tmp_path: Path) -> None:
    api = harness()
    api.post("proceed")
    assert api.client.post("/api/backup", json={}).status_code == 202
    api.session.join_worker(30)
    state = api.state()
    assert state["stage"] == "backup_confirmed"
    backup = state["backup"]
    assert backup["state"] == "created"
    path = Path(backup["path"])
    assert path.parent == tmp_path / "out"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert "demo/version.log" in names and "cherry-migrate-backup.json" in names
    assert len(names) == backup["files"] + 1
    assert not list(path.parent.glob("*.partial"))
    assert api.post("back")["stage"] == "backup_required"


def test_backup_refuses_the_legacy_folder(harness: Callable[..., ApiHarness], demo_copy: Path) -> None:
    api = harness(demo_copy)
    api.post("proceed")
    for bad in (str(demo_copy / "backup.zip"), str(demo_copy / "Data" / "x.zip"), "relative.zip"):
        response = api.client.post("/api/backup", json={"path": bad})
        assert response.status_code == 400, bad
        assert response.json()["error"] == "bad_backup_path"
    assert not (demo_copy / "backup.zip").exists()
    assert api.state()["stage"] == "backup_required"


# ---- events and language ------------------------------------------------------------------------


def test_events_start_with_a_snapshot_and_follow_changes(harness: Callable[..., ApiHarness]) -> None:
    api = harness()
    with api.client.stream("GET", "/api/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        first = _next_event(lines)
        assert first["stage"] == "introduction"
        api.post("proceed")
        second = _next_event(lines)
        assert second["stage"] == "backup_required" and second["seq"] > first["seq"]
        api.session.broker.close()
        assert "event: end" in list(lines)


def _next_event(lines: object) -> dict:
    for line in lines:  # type: ignore[attr-defined]
        if line.startswith("data: "):
            return orjson.loads(line[6:])
    raise AssertionError("stream ended")


def test_language_from_legacy_settings_then_browser_then_user(
    harness: Callable[..., ApiHarness], demo_copy: Path
) -> None:
    settings = demo_copy / "redux_export" / "settings.json"
    settings.write_text(settings.read_text(encoding="utf-8").replace('"en-US"', '"zh-TW"'), encoding="utf-8")
    assert harness(demo_copy).state()["language"] == "zh-CN"

    settings.write_text(settings.read_text(encoding="utf-8").replace('"zh-TW"', '"ja-JP"'), encoding="utf-8")
    config = demo_copy / "config.json"
    config.write_text(config.read_text(encoding="utf-8").replace('"en-US"', '"fr-FR"'), encoding="utf-8")
    api = harness(demo_copy)
    state = api.client.get(
        "/api/state", headers={"Accept-Language": "de;q=0.9, zh-CN;q=0.8, en;q=0.5"}
    ).json()
    assert (state["language"], state["languageSource"]) == ("zh-CN", "browser")
    assert api.post("language", {"language": "en"})["languageSource"] == "user"
    assert api.client.post("/api/language", json={"language": "fr"}).status_code == 400


# ---- diagnostics ----------------------------------------------------------------------------------

PLANTED_KEY = "sk-PLANTEDKEY4f9a8b7c6d5e4f3a2b1c"
PLANTED_CUSTOM = "plantedcustomsecret-7Q3xVv9"
PLANTED_PASSWORD = "hunter2-planted-pw"
PLANTED_MESSAGE = "PLANTED PRIVATE MESSAGE about my medical appointment on Tuesday, please keep this secret"


def plant_secrets(profile: Path) -> None:
    llm = profile / "redux_export" / "llm.json"
    data = orjson.loads(llm.read_bytes())
    data["providers"][0]["apiKey"] = PLANTED_KEY
    data["providers"][1]["apiKey"] = PLANTED_CUSTOM
    llm.write_bytes(orjson.dumps(data))
    config = profile / "config.json"
    data = orjson.loads(config.read_bytes())
    data["webdavPassword"] = PLANTED_PASSWORD
    config.write_bytes(orjson.dumps(data))
    blocks = profile / "dexie_export" / "message_blocks.json"
    data = orjson.loads(blocks.read_bytes())
    data[0]["content"] = PLANTED_MESSAGE
    blocks.write_bytes(orjson.dumps(data))


def test_diagnostics_hold_no_secrets_or_message_text(
    harness: Callable[..., ApiHarness], demo_copy: Path, log_buffer: RingBufferHandler
) -> None:
    plant_secrets(demo_copy)
    (demo_copy / "redux_export" / "mcp.json").write_text("{broken", encoding="utf-8")
    api = harness(demo_copy, log_buffer=log_buffer)
    leaky = logging.getLogger("cherry_migrate.test")
    leaky.warning("provider key %s failed; password=%s", PLANTED_CUSTOM, PLANTED_PASSWORD)
    leaky.warning('could not parse block "%s"', PLANTED_MESSAGE)
    leaky.warning("calling https://user:%s@example.com with Bearer %s", PLANTED_PASSWORD, PLANTED_KEY)
    confirm_backup(api)
    api.post("start")
    api.session.join_worker(60)
    assert api.state()["stage"] == "error"

    saved = api.post("diagnostics")
    path = Path(saved["path"])
    assert path.parent == Path(api.state()["target"]["path"]).parent
    assert api.state()["diagnosticsPath"] == str(path)
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    assert set(contents) == {"manifest.json", "environment.json", "counts.json", "report.json", "log.txt"}
    everything = b"\n".join(contents.values())
    for marker in (PLANTED_KEY, PLANTED_CUSTOM, PLANTED_PASSWORD, PLANTED_MESSAGE, "PLANTED PRIVATE"):
        assert marker.encode() not in everything, marker
    assert b"hunter2" not in everything and b"PLANTEDKEY" not in everything
    assert b"mcp.json" in contents["environment.json"]  # the error is there, only without secrets
    assert b"\xc2\xabredacted\xc2\xbb" in contents["log.txt"]

    manifest = orjson.loads(contents["manifest.json"])
    listed = {entry["name"]: entry for entry in manifest["files"]}
    assert set(listed) == set(contents) - {"manifest.json"}
    for name, entry in listed.items():
        assert entry["bytes"] == len(contents[name])
        assert entry["sha256"] == hashlib.sha256(contents[name]).hexdigest()
        assert entry["contents"]
    removed = manifest["removed"]["counts"]
    assert removed["knownSecretValues"] >= 3
    assert removed["longQuotedText"] >= 1
    assert any("message" in item for item in manifest["neverIncluded"])
    environment = orjson.loads(contents["environment.json"])
    assert {"python", "sqlite", "os", "tool"} <= set(environment)
    counts = orjson.loads(contents["counts.json"])
    assert counts["inventory"]["dexieTables"]["message_blocks"]["records"] > 0
