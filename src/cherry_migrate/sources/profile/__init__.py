"""A Cherry Studio v1 data folder read directly (no export step): finding it, opening it as
``LegacySources`` and the version gate. See ``README.md`` in this folder."""

from cherry_migrate.sources.profile.adapter import ProfileDexie
from cherry_migrate.sources.profile.locate import Environment, LocatedProfile, find_profile
from cherry_migrate.sources.profile.open_profile import open_profile_folder
from cherry_migrate.sources.profile.version_gate import (
    VersionBlockedError,
    check_profile_version,
    describe_block,
)

__all__ = [
    "Environment",
    "LocatedProfile",
    "ProfileDexie",
    "VersionBlockedError",
    "check_profile_version",
    "describe_block",
    "find_profile",
    "open_profile_folder",
]
