"""PromptMigrator: quick phrases, assistants' regular phrases and topic prompts → ``prompt`` (+"""

from cherry_migrate.migrators.prompt.migrator import PromptMigrator

__all__ = ["PromptMigrator"]
