"""MiniAppMigrator: Redux ``minapps`` + ``custom-minapps.json`` → ``mini_app`` (+ logo files)."""

from cherry_migrate.migrators.mini_app.migrator import MiniAppMigrator

__all__ = ["MiniAppMigrator"]
