"""NoteMigrator: the notes' starred and expanded state (Redux ``note``) → ``note`` rows."""

from cherry_migrate.migrators.note.migrator import NoteMigrator

__all__ = ["NoteMigrator"]
