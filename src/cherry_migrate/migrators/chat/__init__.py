"""Chats: Dexie topics and message blocks, with Redux topic metadata, into the v2 message tree."""

from cherry_migrate.migrators.chat.migrator import ChatMigrator

__all__ = ["ChatMigrator"]
