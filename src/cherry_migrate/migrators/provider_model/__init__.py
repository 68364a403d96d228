"""ProviderModelMigrator: Redux ``llm.providers[]`` and their models → ``user_provider`` / ``user_model``;"""

from cherry_migrate.migrators.provider_model.migrator import ProviderModelMigrator

__all__ = ["ProviderModelMigrator"]
