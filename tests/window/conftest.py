"""Fixtures for the migration window: profile copies, sessions, an authenticated API client."""

from __future__ import annotations

import functools
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cherry_migrate.core.engine import MigrationEngine
from cherry_migrate.sampledata import demo_profile_path
from cherry_migrate.sources.resolve import open_sources
from cherry_migrate.window import logbuffer
from cherry_migrate.window.app import create_app
from cherry_migrate.window.logbuffer import RingBufferHandler
from cherry_migrate.window.security import AccessPolicy
from cherry_migrate.window.session import MigrationSession

PORT = 48123
TOKEN = "test-token-0123456789"
BASE_URL = f"http://127.0.0.1:{PORT}"


def wait_for(predicate: Callable[[], object], timeout: float = 30.0, interval: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


def copy_demo(destination: Path) -> Path:
    shutil.copytree(demo_profile_path(), destination)
    return destination


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled demo export folder."""
    return copy_demo(tmp_path / "profile")


@pytest.fixture
def log_buffer() -> Iterator[RingBufferHandler]:
    handler = logbuffer.install()
    yield handler
    logbuffer.uninstall(handler)


def make_session(
    source: Path | None,
    target: Path,
    *,
    engine: MigrationEngine | None = None,
    log_buffer: RingBufferHandler | None = None,
    wait_for_inventory: bool = True,
) -> MigrationSession:
    """A session over ``source`` (None: the bundled demo profile), as the CLI builds it."""
    opener = functools.partial(open_sources, source=source, demo=source is None)
    session = MigrationSession(opener, target, engine=engine, log_buffer=log_buffer)
    if wait_for_inventory:
        session.wait_for_inventory(30)
    return session


@dataclass
class ApiHarness:
    client: TestClient
    session: MigrationSession
    shutdowns: list[bool] = field(default_factory=list)

    def post(self, path: str, json: object | None = None) -> dict:
        response = self.client.post(f"/api/{path}", json=json)
        assert response.status_code < 300, response.text
        return response.json()

    def state(self) -> dict:
        return self.client.get("/api/state").json()


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Callable[..., ApiHarness]]:
    """``harness(source=None, engine=None)``: an app over a new session, with a client that sends the
    token and the right Host."""
    made: list[ApiHarness] = []

    def build(
        source: Path | None = None,
        *,
        engine: MigrationEngine | None = None,
        log_buffer: RingBufferHandler | None = None,
        target: Path | None = None,
    ) -> ApiHarness:
        session = make_session(
            source, target or tmp_path / "out" / "v2.sqlite", engine=engine, log_buffer=log_buffer
        )
        shutdowns: list[bool] = []
        app = create_app(session, AccessPolicy(TOKEN, PORT), on_shutdown=lambda: shutdowns.append(True))
        client = TestClient(app, base_url=BASE_URL, headers={"Authorization": f"Bearer {TOKEN}"})
        result = ApiHarness(client, session, shutdowns)
        made.append(result)
        return result

    yield build
    for item in made:
        if item.session.busy is not None:
            item.session.shutdown(cancel=True)
        item.client.close()
