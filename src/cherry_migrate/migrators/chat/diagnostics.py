"""Counters of one chat migration (reported by ``validate``) and the warnings they give rise to.

Warnings name record ids and counts only, never message content, paths or file names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

MAX_SAMPLE_IDS = 10


@dataclass
class ChatCounters:
    topics_written: int = 0
    topics_skipped: int = 0
    metadata_only_topics: int = 0
    """Redux topic entries without a Dexie row (their messages are gone, e.g. after IndexedDB loss)."""
    pinned_topics: int = 0
    orphaned_assistant_topics: int = 0
    """Topics written with ``assistant_id`` NULL: owner unknown, deleted, or not migrated."""
    topics_without_timestamps: int = 0
    messages_written: int = 0
    messages_skipped: int = 0
    renamed_message_ids: int = 0
    promoted_to_root: int = 0
    messages_with_missing_blocks: int = 0
    missing_block_refs: int = 0
    unknown_model_refs: int = 0
    images_promoted: int = 0
    images_undecodable: int = 0
    file_refs_inserted: int = 0
    file_refs_dangling: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class SampledIds:
    """A count with the first few ids, for one warning line."""

    count: int = 0
    ids: list[str] = field(default_factory=list)

    def add(self, record_id: str) -> None:
        self.count += 1
        if len(self.ids) < MAX_SAMPLE_IDS:
            self.ids.append(record_id)

    def describe(self) -> str:
        more = ", …" if self.count > len(self.ids) else ""
        return f"{', '.join(self.ids)}{more}"


@dataclass
class ChatFindings:
    """What the run noticed, for warnings (ids only), and the topic prompts it hands on."""

    messages_missing_blocks: SampledIds = field(default_factory=SampledIds)
    unknown_models: SampledIds = field(default_factory=SampledIds)
    dangling_file_refs: SampledIds = field(default_factory=SampledIds)
    orphaned_topics: SampledIds = field(default_factory=SampledIds)
    untimed_topics: SampledIds = field(default_factory=SampledIds)
    renamed_messages: SampledIds = field(default_factory=SampledIds)
    prompt_candidates: list[dict[str, Any]] = field(default_factory=list)
