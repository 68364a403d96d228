"""Ledger kinds of the chat migrator: one per source collection it reads."""

TOPICS_KIND = "dexie:topics"
MESSAGES_KIND = "dexie:topics.messages"
BLOCKS_KIND = "dexie:message_blocks"
FILE_REFS_KIND = "dexie:message_blocks.file_refs"
"""Distinct (message, file entry) references found in file and image parts."""
TOPIC_META_KIND = "redux:assistants.topics"
