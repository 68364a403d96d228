"""Choosing the legacy data from command-line style options."""

from __future__ import annotations

from pathlib import Path

from cherry_migrate.core.errors import MigrationError
from cherry_migrate.sources.base import LegacySources
from cherry_migrate.sources.export_folder import open_export_folder


def open_sources(
    *,
    source: Path | None = None,
    demo: bool = False,
    from_profile: bool = False,
    profile_dir: Path | None = None,
) -> LegacySources:
    """Exactly one of ``source`` (an export folder), ``demo`` (the bundled sample profile) or
    ``from_profile`` (a v1 data folder read directly: ``profile_dir``, or the one found on this machine
    when it is None)."""
    if (source is not None) + demo + from_profile != 1:
        raise MigrationError(
            "Say where the legacy data is: give exactly one of --source, --demo or --from-profile."
        )
    if profile_dir is not None and not from_profile:
        raise MigrationError(f"A data folder ({profile_dir}) is only accepted after --from-profile.")
    if demo:
        from cherry_migrate.sampledata import demo_profile_path

        sources = open_export_folder(demo_profile_path())
        sources.description = "bundled sample v1 profile (--demo)"
        return sources
    if from_profile:
        return _open_profile(profile_dir)
    assert source is not None
    return open_export_folder(source)


def _open_profile(profile_dir: Path | None) -> LegacySources:
    from cherry_migrate.sources.profile import find_profile, open_profile_folder

    if profile_dir is not None:
        return open_profile_folder(profile_dir)
    located = find_profile()
    sources = open_profile_folder(located.path)
    sources.description += f" (found automatically: {located.how})"
    sources.warnings[:0] = located.notices
    return sources
