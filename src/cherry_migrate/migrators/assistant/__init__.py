"""Assistants: Redux assistants, presets and the default assistant → assistant and its links."""

from cherry_migrate.migrators.assistant.migrator import AssistantMigrator

__all__ = ["AssistantMigrator"]
