"""A profile with secrets planted everywhere, made once per session (tests copy it to change it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.security.secret_profile import generate_secret_profile

SECRET_SEED = 7_200_001
SECRET_MESSAGES = 200


@pytest.fixture(scope="session")
def secret_profile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The export folder and its planted markers (marker → where)."""
    root = tmp_path_factory.mktemp("secret-profile") / "export"
    return root, generate_secret_profile(root, seed=SECRET_SEED, messages=SECRET_MESSAGES)
