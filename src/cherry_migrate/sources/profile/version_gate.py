"""The version gate for a v1 data folder: ``core.version_policy`` applied as upstream's app does.

A data folder read directly is the live v1 ``userData``, so a missing ``version.log`` blocks
(``require_version_log=True``), as ``core.version_policy`` prescribes for real data folders: v1 writes
that file on every launch, so a folder without it was never opened by a v1 recent enough to migrate
(or is not a v1 folder). Export folders, put together by hand, only get a notice; that is
``--source``'s business, not this module's.
"""

from __future__ import annotations

from pathlib import Path

from cherry_migrate.core.errors import MigrationError
from cherry_migrate.core.version_policy import (
    V1_REQUIRED_VERSION,
    BlockReason,
    VersionCheck,
    evaluate_version,
    explain,
)
from cherry_migrate.sources.base import LegacySources


class VersionBlockedError(MigrationError):
    """The data folder's v1 version cannot be migrated by this tool; the message says what to do."""

    def __init__(self, folder: Path | None, check: VersionCheck) -> None:
        self.check = check
        where = f"{folder}: " if folder is not None else ""
        super().__init__(f"{where}refused by the version check. {describe_block(check)}")


def describe_block(check: VersionCheck) -> str:
    """What blocked and what to do, for a data folder (``version_policy.explain`` for the rest)."""
    assert check.reason is not None
    if check.reason is BlockReason.NO_VERSION_LOG:
        return (
            "The folder has no version.log, so the Cherry Studio version that last used it is unknown. "
            f"Migration needs data from Cherry Studio {V1_REQUIRED_VERSION} or newer: open this data "
            f"folder once with Cherry Studio {V1_REQUIRED_VERSION} or newer (v1; that writes version.log), "
            "close it, then run the migration again."
        )
    return explain(check.reason, check.details)


def check_profile_version(sources: LegacySources) -> VersionCheck:
    """The gate's verdict for a data folder opened with ``open_profile_folder``; raises
    :class:`VersionBlockedError` when it blocks."""
    check, _ = evaluate_version(sources.version_log, require_version_log=True)
    if check.blocked:
        raise VersionBlockedError(sources.root, check)
    return check
