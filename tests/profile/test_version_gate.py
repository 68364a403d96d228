"""The version gate for a data folder: core.version_policy with a required version.log."""

from __future__ import annotations

from pathlib import Path

import pytest

from cherry_migrate.core.version_policy import V1_REQUIRED_VERSION, BlockReason
from cherry_migrate.sources.profile import VersionBlockedError, check_profile_version, open_profile_folder
from tests.profile.synthetic import write_profile, write_version_log


@pytest.fixture
def userdata(tmp_path: Path) -> Path:
    return write_profile(tmp_path / "userdata", version=None)


@pytest.mark.parametrize(
    ("versions", "previous"),
    [
        (("1.9.12",), "1.9.12"),
        (("1.9.3", "1.9.13"), "1.9.13"),
        (("1.9.12", "2.0.0"), "1.9.12"),  # a retry after v2 first started: the last v1 counts
        (("2.0.0",), None),  # only the current version: a retry, passes as upstream
    ],
)
def test_supported_versions_pass(userdata: Path, versions: tuple[str, ...], previous: str | None) -> None:
    write_version_log(userdata, *versions)
    check = check_profile_version(open_profile_folder(userdata))
    assert not check.blocked and check.previous_version == previous


@pytest.mark.parametrize("version", ["1.9.11", "1.9.12-rc.1", "1.5.0"])
def test_older_versions_are_refused_naming_the_minimum_and_what_to_do(userdata: Path, version: str) -> None:
    write_version_log(userdata, version)
    with pytest.raises(VersionBlockedError) as raised:
        check_profile_version(open_profile_folder(userdata))
    assert raised.value.check.reason is BlockReason.V1_TOO_OLD
    message = str(raised.value)
    assert message.startswith(f"{userdata}: refused by the version check.")
    assert version in message and f"version {V1_REQUIRED_VERSION} or newer" in message
    assert "open it once so it upgrades your data, then run the migration again" in message


def test_a_folder_without_version_log_is_refused(userdata: Path) -> None:
    with pytest.raises(VersionBlockedError) as raised:
        check_profile_version(open_profile_folder(userdata))
    assert raised.value.check.reason is BlockReason.NO_VERSION_LOG
    assert f"open this data folder once with Cherry Studio {V1_REQUIRED_VERSION} or newer" in str(
        raised.value
    )
