"""Keys of ``context.shared_data``: the hand-offs between migrators (upstream's sharedData table).

Each constant documents its producer, its value type and its consumers. A consumer that finds a key
missing while it has references to resolve reports those references as skipped with a reason; it never
re-reads the producer's source.
"""

from __future__ import annotations

MCP_SERVER_ID_MAP = "mcp_server_id_map"
"""McpServerMigrator → dict[legacy server id, new uuid]; always set (empty when there are none).
Consumers: AssistantMigrator (assistant_mcp_server)."""

USER_MODEL_IDS = "user_model_ids"
"""ProviderModelMigrator → set[str] of migrated ``provider::model`` ids.
Consumers: AssistantMigrator, ChatMigrator (unknown model references become NULL + warning)."""

USER_PROVIDER_IDS = "user_provider_ids"
"""ProviderModelMigrator → set[str] of migrated provider ids."""

KNOWLEDGE_BASE_ID_REMAP = "knowledge_base_id_remap"
"""KnowledgeMigrator → dict[legacy base id, new base uuid]. Consumer: AssistantMigrator."""

KNOWLEDGE_ITEM_ID_REMAP = "knowledge_item_id_remap"
"""KnowledgeMigrator → dict[legacy item id, new item id] (a directory maps to its container item)."""

ASSISTANT_IDS = "assistant_ids"
"""AssistantMigrator → set[str] of assistant ids actually migrated (legacy ``default`` under its new id).
Consumers: ChatMigrator, PromptMigrator."""

LEGACY_ASSISTANT_ID_REMAP = "legacy_assistant_id_remap"
"""AssistantMigrator → dict[str, str], e.g. {'default': new uuid}. Consumers: ChatMigrator, PromptMigrator."""

ASSISTANT_SNAPSHOTS = "assistant_snapshots"
"""AssistantMigrator → dict[assistant id, dict] small snapshot (id, name, emoji/avatar) stored on
assistant-role messages by ChatMigrator."""

FILE_ENTRY_IDS = "file_entry_ids"
"""FileMigrator → set[str] of file_entry ids present in the target. Consumer: ChatMigrator (file refs)."""

TOPIC_PROMPT_CANDIDATES = "topic_prompt_candidates"
"""ChatMigrator → list[dict] of non-empty v1 topic prompts, each ``{topic_id, name, assistant_id (the
owner's legacy id), prompt, created_at, updated_at}`` (times in ms). Consumer: PromptMigrator."""
