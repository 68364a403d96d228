"""Choosing the legacy data from command-line style options."""

from __future__ import annotations

from pathlib import Path

from cherry_migrate.core.errors import MigrationError
from cherry_migrate.sources.base import LegacySources
from cherry_migrate.sources.export_folder import open_export_folder


def open_sources(*, source: Path | None = None, demo: bool = False) -> LegacySources:
    """Exactly one of ``source`` (an export folder) or ``demo`` (the bundled sample profile)."""
    if (source is not None) + demo != 1:
        raise MigrationError("Say where the legacy data is: give exactly one of --source or --demo.")
    if demo:
        from cherry_migrate.sampledata import demo_profile_path

        sources = open_export_folder(demo_profile_path())
        sources.description = "bundled sample v1 profile (--demo)"
        return sources
    assert source is not None
    return open_export_folder(source)
