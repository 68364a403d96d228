"""ChatMigrator: Dexie topics (messages embedded) and message blocks → topic, message, pin,
chat_message_file_ref (and file_entry for inline images).

Execute streams twice over the legacy data and never holds a whole table: first every block into
an on-disk scratch index, then the topics, 50 rows at a time, each resolved against the index and
written in one transaction with the message full-text index suspended (rebuilt once at the end).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.gc_tuning import fewer_collections
from cherry_migrate.core.types import ExecuteResult, PrepareResult, ValidateResult
from cherry_migrate.db.fts import message_fts_bulk_load
from cherry_migrate.db.transaction import transaction
from cherry_migrate.migrators.base import BaseMigrator
from cherry_migrate.migrators.chat.block_index import BlockIndex
from cherry_migrate.migrators.chat.block_source import BLOCKS_TABLE, LOAD_BATCH, account_blocks, index_blocks
from cherry_migrate.migrators.chat.diagnostics import ChatCounters
from cherry_migrate.migrators.chat.images import InlineImageWriter
from cherry_migrate.migrators.chat.pipeline import TopicPipeline
from cherry_migrate.migrators.chat.references import SharedReferences
from cherry_migrate.migrators.chat.run_state import ChatRun
from cherry_migrate.migrators.chat.topics import collect_topic_meta
from cherry_migrate.migrators.chat.validation import validate_chat
from cherry_migrate.migrators.chat.warnings import findings_warnings, missing_key_warnings
from cherry_migrate.migrators.chat.writer import ChatWriter
from cherry_migrate.migrators.shared_keys import TOPIC_PROMPT_CANDIDATES

TOPICS_TABLE = "topics"
TOPIC_BATCH = 50
TOPIC_BATCH_MESSAGES = 2000
"""A batch of topic rows also ends once it holds this many messages, so memory follows this number
rather than the size of the user's topics (a larger topic is a batch of its own)."""
PREPARE_SAMPLE = 5
SCRATCH_FILE = "chat-blocks.sqlite"
BLOCK_PROGRESS_EVERY = 50_000

# Progress bands within this migrator.
_BLOCKS_BAND = (0.0, 20.0)
_TOPICS_BAND = (20.0, 95.0)


class ChatMigrator(BaseMigrator):
    id = "chat"
    name = "Chats"
    description = "Topics, messages and their blocks, pinned topics and message attachments"
    order = 4
    owned_tables = ("topic", "message", "chat_message_file_ref")

    def __init__(self) -> None:
        super().__init__()
        self._prepared_topics: int | None = None
        self._counters = ChatCounters()

    def reset(self) -> None:
        super().reset()
        self._prepared_topics = None
        self._counters = ChatCounters()

    # --- prepare ----------------------------------------------------------------------------------

    def prepare(self, ctx: MigrationContext) -> PrepareResult:
        """Count topics and look at a few; ``message_blocks`` is not read (it can be huge)."""
        dexie = ctx.sources.dexie
        warnings: list[str] = []
        if not dexie.table_exists(TOPICS_TABLE):
            warnings.append("No Dexie 'topics' table: there are no chats to migrate.")
            self._prepared_topics = 0
            return PrepareResult(success=True, item_count=0, warnings=warnings)
        if not dexie.table_exists(BLOCKS_TABLE):
            warnings.append("No Dexie 'message_blocks' table: messages will have no content and be skipped.")
        with fewer_collections():  # counting parses the whole table
            count = dexie.count(TOPICS_TABLE)
        for index, row in enumerate(dexie.sample(TOPICS_TABLE, PREPARE_SAMPLE)):
            if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not row.get("id"):
                warnings.append(f"Topic row #{index} has no id; it will be skipped.")
            elif not isinstance(row.get("messages"), list):
                warnings.append(f"Topic {row['id']} has no messages array.")
        self._prepared_topics = count
        return PrepareResult(success=True, item_count=count, warnings=warnings)

    # --- execute ----------------------------------------------------------------------------------

    def execute(self, ctx: MigrationContext) -> ExecuteResult:
        with fewer_collections():
            return self._execute(ctx)

    def _execute(self, ctx: MigrationContext) -> ExecuteResult:
        references = SharedReferences.from_shared_data(ctx.shared_data)
        metas = collect_topic_meta(ctx.sources.redux, self.ledger)
        run = ChatRun(
            index=BlockIndex(ctx.paths.scratch_dir / SCRATCH_FILE),
            writer=ChatWriter(ctx.db),
            images=InlineImageWriter(ctx.paths.staging_files_dir, ctx.paths.target_files_dir),
            references=references,
            ledger=self.ledger,
            now_ms=ctx.now_ms,
        )
        self._counters = run.counters
        try:
            self.report_progress(_BLOCKS_BAND[0], "Indexing message blocks")
            has_blocks = index_blocks(
                ctx.sources.dexie,
                run.index,
                self.ledger,
                ctx.cancel,
                self._report_blocks_indexed,
            )
            self.report_progress(_BLOCKS_BAND[1], "Message blocks indexed")
            pipeline = TopicPipeline(run, ctx.db, metas, ctx.cancel.raise_if_cancelled)
            with message_fts_bulk_load(ctx.db), transaction(ctx.db):
                self._migrate_topics(ctx, pipeline)
                pipeline.write_metadata_only_topics()
                run.writer.finish(ctx.now_ms)
            account_blocks(run.index, ctx.db, self.ledger)
        finally:
            run.index.close()
        run.counters.images_promoted = run.images.promoted
        run.counters.images_undecodable = run.images.undecodable
        ctx.shared_data[TOPIC_PROMPT_CANDIDATES] = run.findings.prompt_candidates
        warnings = missing_key_warnings(references) + findings_warnings(run.counters, run.findings)
        if not has_blocks and ctx.sources.dexie.table_exists(TOPICS_TABLE):
            warnings.append("No Dexie 'message_blocks' table: messages had no content.")
        for warning in warnings:
            self.logger.warning(ctx.secrets.redact(warning))
        self.report_progress(100.0, "Chats migrated")
        return ExecuteResult(success=True, processed_count=run.counters.topics_written, warnings=warnings)

    def _report_blocks_indexed(self, read: int) -> None:
        # The block count is unknown until the stream ends (counting would parse the file twice),
        # so this phase reports how far it got rather than a percentage.
        if read // BLOCK_PROGRESS_EVERY != (read - LOAD_BATCH) // BLOCK_PROGRESS_EVERY:
            self.report_progress(_BLOCKS_BAND[0], f"Indexed {read} message blocks")

    def _migrate_topics(self, ctx: MigrationContext, pipeline: TopicPipeline) -> None:
        low, high = _TOPICS_BAND
        done = 0
        messages = 0
        rows = ctx.sources.dexie.iter_rows(TOPICS_TABLE)
        for batch in topic_batches(rows, TOPIC_BATCH, TOPIC_BATCH_MESSAGES):
            messages += pipeline.process_batch(batch)
            done += len(batch)
            total = self._prepared_topics
            percent = low + (high - low) * min(1.0, done / total) if total else low
            self.report_progress(percent, f"Migrated {done} topics ({messages} messages)")
            ctx.cancel.raise_if_cancelled()

    # --- validate ---------------------------------------------------------------------------------

    def validate(self, ctx: MigrationContext) -> ValidateResult:
        return validate_chat(ctx.db, self.ledger, self._counters)


def topic_batches(rows: Iterable[Any], max_rows: int, max_messages: int) -> Iterator[list[Any]]:
    """``rows`` in order, in batches of at most ``max_rows`` that end as soon as they hold
    ``max_messages`` messages."""
    batch: list[Any] = []
    messages = 0
    for row in rows:
        batch.append(row)
        listed = row.get("messages") if isinstance(row, dict) else None
        messages += len(listed) if isinstance(listed, list) else 0
        if len(batch) >= max_rows or messages >= max_messages:
            yield batch
            batch, messages = [], 0
    if batch:
        yield batch
