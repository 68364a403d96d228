"""KnowledgeMigrator: Redux ``knowledge.bases[]`` with their items, plus the Dexie ``knowledge_notes``"""

from cherry_migrate.migrators.knowledge.migrator import KnowledgeMigrator

__all__ = ["KnowledgeMigrator"]
