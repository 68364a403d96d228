"""PreferencesMigrator: v1 settings (Redux slices, electron-store, Dexie settings) → the ``preference``"""

from cherry_migrate.migrators.preferences.migrator import PreferencesMigrator

__all__ = ["PreferencesMigrator"]
