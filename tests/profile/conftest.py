"""Where the Chromium-written sample profiles are, and writable or gate-ready views of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.profile.synthetic import write_version_log

REPO = Path(__file__).resolve().parents[2]
SHARED_PROFILES = REPO.parent / "shared" / "fixtures" / "chromium"
COMMITTED_PROFILES = REPO / "tests" / "fixtures" / "chromium_profiles"
"""Profiles written by real Chromium and committed as ``<name>/profile`` + ``<name>/export``."""


def committed_profiles() -> list[Path]:
    if not COMMITTED_PROFILES.is_dir():
        return []
    return sorted(
        p for p in COMMITTED_PROFILES.iterdir() if (p / "profile").is_dir() and (p / "export").is_dir()
    )


@pytest.fixture(scope="session")
def shared_profiles() -> Path:
    if not SHARED_PROFILES.is_dir():
        pytest.skip(
            f"Chromium sample profiles not found at {SHARED_PROFILES} (shared/ is not beside the repository)"
        )
    return SHARED_PROFILES


@pytest.fixture
def large_values(shared_profiles: Path) -> Path:
    return shared_profiles / "large-values"


@pytest.fixture
def writable_copy(tmp_path: Path):
    """A writable copy of a profile folder, for tests that damage files."""

    def copy(folder: Path) -> Path:
        target = tmp_path / f"copy-{folder.name}"
        shutil.copytree(folder, target)
        for path in [target, *target.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        return target

    return copy


EXPORT_ONLY = {
    "dexie_export",
    "redux_export",
    "localstorage_export",
    "migration_temp",
    "persist-cherry-studio.json",
}
"""What an export folder holds that a v1 data folder does not (there, the same data is in the stores)."""


def profile_cases() -> list[tuple[str, Path, Path]]:
    """(name, profile, export) of the shared ``large-values`` sample and of every committed profile."""
    shared = [("large-values", SHARED_PROFILES / "large-values", SHARED_PROFILES / "large-values" / "export")]
    return shared + [(p.name, p / "profile", p / "export") for p in committed_profiles()]


@pytest.fixture
def userdata_view(tmp_path: Path):
    """A complete v1 data folder made of symlinks (read in place, never copied): the Chromium stores of
    ``profile`` plus what the export folder keeps beside its exports (``config.json``, ``version.log``,
    ``Data/``), as a real userData folder holds them all. With ``version``, a ``version.log`` naming it
    is written when neither folder has one (the shared samples have none, which the gate refuses)."""

    def view(profile: Path, export: Path | None = None, *, version: str | None = None) -> Path:
        target = tmp_path / f"userdata-{len(list(tmp_path.glob('userdata-*')))}"
        target.mkdir()
        sources = [*profile.iterdir(), *(export.iterdir() if export is not None else ())]
        for child in sources:
            if child.name not in EXPORT_ONLY and child != export and not (target / child.name).exists():
                (target / child.name).symlink_to(child, target_is_directory=child.is_dir())
        if version is not None and not (target / "version.log").exists():
            write_version_log(target, version)
        return target

    return view
