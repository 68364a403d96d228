"""Every file location a run uses, computed once from the target and the legacy data folder.

The run never writes beside the legacy data: all its files live next to the target database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class MigrationPaths:
    target: Path
    """The v2 database file that a completed run creates or replaces."""
    legacy_root: Path | None
    """The v1 data folder (or export folder) that holds ``Data/Files`` and friends; read only."""

    @property
    def run_tag(self) -> str:
        return f"{os.getpid()}"

    @property
    def staging_db(self) -> Path:
        """The database the run builds; swapped over ``target`` only after every check passed."""
        return self.target.with_name(f".{self.target.name}.migrating-{self.run_tag}")

    @property
    def staging_files_dir(self) -> Path:
        """Files the run creates (promoted inline images, avatars, logos) before they are committed."""
        return self.target.with_name(f".{self.target.name}.files-{self.run_tag}")

    @property
    def scratch_dir(self) -> Path:
        """Scratch space for on-disk indexes a migrator needs during the run (removed afterwards). Never
        use an in-memory or TEMP table for data that grows with the profile."""
        return self.target.with_name(f".{self.target.name}.scratch-{self.run_tag}")

    @property
    def staging_report(self) -> Path:
        """A completed run's report, written just before the swap and renamed to ``report_file`` just
        after it."""
        return self.target.with_name(f".{self.target.name}.report-{self.run_tag}")

    @property
    def target_files_dir(self) -> Path:
        """Where v2 keeps file_entry files: ``Files`` beside the database (``Data/Files`` in a profile)."""
        return self.target.parent / "Files"

    @property
    def legacy_files_dir(self) -> Path | None:
        return self.legacy_root / "Data" / "Files" if self.legacy_root else None

    @property
    def legacy_notes_dir(self) -> Path | None:
        return self.legacy_root / "Data" / "Notes" if self.legacy_root else None

    @property
    def report_file(self) -> Path:
        """JSON run report; also where a failed run's status lives, since the target is untouched."""
        return self.target.with_name(f"{self.target.name}.report.json")

    @property
    def lock_file(self) -> Path:
        return self.target.with_name(f".{self.target.name}.lock")

    def stale_staging(self) -> list[Path]:
        """Leftovers of runs that were killed (their pid suffix differs from ours)."""
        kinds = ("migrating", "files", "scratch", "report")
        prefixes = tuple(f".{self.target.name}.{kind}-" for kind in kinds)
        if not self.target.parent.is_dir():
            return []
        return [p for p in self.target.parent.iterdir() if p.name.startswith(prefixes)]
