"""Locates the Chromium-written sample profiles shared next to the repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "chromium"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    if not FIXTURES.is_dir():
        pytest.skip(
            f"Chromium sample profiles not found at {FIXTURES} (shared/ is not beside the repository)"
        )
    return FIXTURES


@pytest.fixture
def profile_copy(fixtures: Path, tmp_path: Path):
    """A writable copy of one sample profile, for tests that damage files."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(fixtures / name, target)
        for path in [target, *target.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        return target

    return copy
