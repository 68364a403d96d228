"""Every migrator that runs, in upstream's registry order; the engine sorts them by ``order``."""

from __future__ import annotations

from cherry_migrate.migrators.base import BaseMigrator


def all_migrators() -> list[BaseMigrator]:
    return []
