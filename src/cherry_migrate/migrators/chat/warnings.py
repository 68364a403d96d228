"""The warning lines of a chat migration: counts and a few record ids, never content or paths."""

from __future__ import annotations

from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.chat.diagnostics import ChatCounters, ChatFindings
from cherry_migrate.migrators.chat.references import SharedReferences

_MISSING_KEY_EFFECT = {
    shared_keys.ASSISTANT_IDS: (
        "no assistant list from the assistant migrator: topics are not linked to assistants"
    ),
    shared_keys.USER_MODEL_IDS: (
        "no model list from the provider migrator: model references were kept unchecked when well-formed"
    ),
    shared_keys.FILE_ENTRY_IDS: (
        "no file list from the file migrator: attachments of stored files were not linked to file entries"
    ),
}


def missing_key_warnings(references: SharedReferences) -> list[str]:
    return [f"Chats: {_MISSING_KEY_EFFECT[key]}." for key in references.missing_keys]


def findings_warnings(counters: ChatCounters, findings: ChatFindings) -> list[str]:
    lines: list[str] = []
    if findings.orphaned_topics.count:
        lines.append(
            f"Chats: {findings.orphaned_topics.count} topic(s) have no migrated assistant and were kept "
            f"without one: {findings.orphaned_topics.describe()}."
        )
    if findings.untimed_topics.count:
        lines.append(
            f"Chats: {findings.untimed_topics.count} topic(s) had no readable timestamps and were dated to "
            f"the migration: {findings.untimed_topics.describe()}."
        )
    if findings.renamed_messages.count:
        lines.append(
            f"Chats: {findings.renamed_messages.count} message(s) had a missing or duplicate id "
            f"and got a new one: {findings.renamed_messages.describe()}."
        )
    if findings.messages_missing_blocks.count:
        lines.append(
            f"Chats: {findings.messages_missing_blocks.count} message(s) reference "
            f"{counters.missing_block_refs} block(s) that do not exist: "
            f"{findings.messages_missing_blocks.describe()}."
        )
    if findings.unknown_models.count:
        lines.append(
            f"Chats: {findings.unknown_models.count} message(s) name a model that was not migrated; "
            f"their model link was cleared: {findings.unknown_models.describe()}."
        )
    if findings.dangling_file_refs.count:
        lines.append(
            f"Chats: {findings.dangling_file_refs.count} attachment(s) point to files that were not "
            f"migrated; the message keeps the attachment but no file link: "
            f"{findings.dangling_file_refs.describe()}."
        )
    if counters.images_undecodable:
        lines.append(
            f"Chats: {counters.images_undecodable} inline image(s) could not be decoded and stay inline."
        )
    return lines
