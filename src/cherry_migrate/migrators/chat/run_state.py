"""Everything one chat migration run shares between its parts."""

from __future__ import annotations

from dataclasses import dataclass, field

from cherry_migrate.core.accounting import Ledger
from cherry_migrate.migrators.chat.block_index import BlockIndex
from cherry_migrate.migrators.chat.diagnostics import ChatCounters, ChatFindings
from cherry_migrate.migrators.chat.images import InlineImageWriter
from cherry_migrate.migrators.chat.references import SharedReferences
from cherry_migrate.migrators.chat.writer import ChatWriter


@dataclass
class ChatRun:
    index: BlockIndex
    writer: ChatWriter
    images: InlineImageWriter
    references: SharedReferences
    ledger: Ledger
    now_ms: int
    counters: ChatCounters = field(default_factory=ChatCounters)
    findings: ChatFindings = field(default_factory=ChatFindings)
