from __future__ import annotations

import pytest

from cherry_migrate.sampledata import MIN_MESSAGES, ProfileSummary, generate_export

from .profile_data import Profile, load_profile

SEED = 11


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Profile, ProfileSummary]:
    """A mid-sized profile (600 messages)."""
    root = tmp_path_factory.mktemp("sample") / "export"
    summary = generate_export(root, seed=SEED, messages=600)
    return load_profile(root), summary


@pytest.fixture(scope="session")
def smallest(tmp_path_factory: pytest.TempPathFactory) -> tuple[Profile, ProfileSummary]:
    """The smallest profile the generator accepts."""
    root = tmp_path_factory.mktemp("smallest") / "export"
    summary = generate_export(root, seed=SEED + 1, messages=MIN_MESSAGES)
    return load_profile(root), summary


@pytest.fixture(params=["smallest", "generated"])
def any_profile(request: pytest.FixtureRequest) -> tuple[Profile, ProfileSummary]:
    return request.getfixturevalue(request.param)
