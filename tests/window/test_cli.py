"""``cherry-migrate window`` as a user starts it: a subprocess whose first stdout line is the URL."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx


def test_window_command_prints_the_url_first_and_stops_on_shutdown(tmp_path: Path) -> None:
    target = tmp_path / "new" / "v2.sqlite"
    process = subprocess.Popen(
        [sys.executable, "-m", "cherry_migrate", "window", "--demo", "--target", str(target), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        match = re.fullmatch(r"(http://127\.0\.0\.1:\d+)/\?token=([A-Za-z0-9_-]{40,})", url)
        assert match, url
        origin, token = match.groups()
        with httpx.Client(base_url=origin, timeout=10) as client:
            assert client.get("/api/state").status_code == 401
            auth = {"Authorization": f"Bearer {token}"}
            state = client.get("/api/state", headers=auth).json()
            assert state["stage"] == "introduction"
            assert state["target"]["path"] == str(target.resolve())
            assert client.get("/").text.startswith("<!doctype html>")
            assert client.post("/api/shutdown", headers=auth, json={}).status_code == 200
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_window_command_reports_a_missing_source(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cherry_migrate",
            "window",
            "--source",
            str(tmp_path / "nowhere"),
            "--target",
            str(tmp_path / "v2.sqlite"),
            "--no-browser",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "does not exist" in " ".join(result.stderr.split())
