"""Generated profiles for the fault and crash tests, made once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cherry_migrate.migrators.registry import all_migrators
from cherry_migrate.sampledata import generate_export

CRASH_MESSAGES_ENV = "CHERRY_MIGRATE_CRASH_MESSAGES"
CRASH_SEED = 7_100_001
FAULT_SEED = 7_100_002
FAULT_MESSAGES = 2_000


def chat_migrator_registered() -> bool:
    return any(m.id == "chat" for m in all_migrators())


def crash_messages() -> int:
    """Size of the crash-test profile: ``$CHERRY_MIGRATE_CRASH_MESSAGES`` when set; else the issue's
    100k messages once chats are migrated (a run then lasts long enough for 20 distinct kill moments),
    and 20k before (the run is dominated by the other migrators, whose work does not grow with chats)."""
    configured = os.environ.get(CRASH_MESSAGES_ENV)
    if configured:
        return int(configured)
    return 100_000 if chat_migrator_registered() else 20_000


@pytest.fixture(scope="session")
def crash_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("crash-profile") / "export"
    generate_export(root, seed=CRASH_SEED, messages=crash_messages())
    return root


@pytest.fixture(scope="session")
def fault_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small profile with files to copy, for the fault tests (each copies it where it needs it)."""
    root = tmp_path_factory.mktemp("fault-profile") / "export"
    generate_export(root, seed=FAULT_SEED, messages=FAULT_MESSAGES)
    return root
