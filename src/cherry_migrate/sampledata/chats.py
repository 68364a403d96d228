"""Topics and their messages, streamed into ``topics.json`` and ``message_blocks.json``.

Memory stays flat whatever the size: a topic row is written piece by piece (its opening, then one
message at a time), and each block is written as soon as it is built.

Ordering: topics are written in plan order (ascending ids, see :mod:`.topics`); block ids come from
:meth:`IdFactory.ordered`, so both files are in ascending primary-key order as the Dexie exporter
writes them.
"""

from __future__ import annotations

import random
from typing import Any

from .blocks import WEB_SEARCH_SOURCES, Block, BlockFactory
from .ids import BASE_TIME_MS, DAY_MS, IdFactory, iso
from .output import ArrayStream, dumps
from .providers import Model, ProviderCatalog, model_ref
from .texts import question
from .topics import SCRIPT_SIZES, TopicPlan

# The profile's activity is spread over this span whatever its size, so large profiles get denser.
SPAN_MS = 600 * DAY_MS
_NATURAL_STEP_MS = 120_000

# (tag, block kinds in display order, weight)
_ASSISTANT_PATTERNS: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("plain", ("main_text",), 6),
    ("reasoning", ("thinking", "main_text"), 12),
    ("web_search", ("thinking", "builtin_tool", "main_text", "citation_web"), 14),
    ("tools", ("thinking", "tool", "tool", "main_text"), 18),
    ("agentic", ("thinking", "tool", "tool", "thinking", "tool", "tool", "tool", "main_text"), 22),
    ("agentic_code", ("thinking", "tool", "tool", "tool", "main_text", "code"), 8),
    ("tool_error", ("tool", "tool_error", "main_text"), 3),
    ("knowledge", ("thinking", "main_text", "citation_knowledge"), 5),
    ("translated", ("main_text", "translation"), 4),
    ("image", ("image_generated",), 3),
    ("error", ("error",), 2),
    ("partial_error", ("main_text", "error"), 2),
    ("stopped", ("unknown",), 1),
    ("video", ("video",), 1),
    ("compact", ("compact",), 1),
)
_PATTERN_KINDS = {tag: kinds for tag, kinds, _ in _ASSISTANT_PATTERNS}
_PATTERN_TAGS = [tag for tag, _, _ in _ASSISTANT_PATTERNS]
_PATTERN_WEIGHTS = [weight for _, _, weight in _ASSISTANT_PATTERNS]

_USER_PATTERNS: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("text", ("main_text",), 72),
    ("file", ("main_text", "file"), 15),
    ("image", ("main_text", "image_upload"), 10),
    ("attachments", ("main_text", "file", "image_upload", "file"), 3),
)
_USER_KINDS = {tag: kinds for tag, kinds, _ in _USER_PATTERNS}
_USER_TAGS = [tag for tag, _, _ in _USER_PATTERNS]
_USER_WEIGHTS = [weight for _, _, weight in _USER_PATTERNS]

# Patterns forced first, so that every block type appears even in the smallest profile.
_SHOWCASE_ASSISTANT = (
    "tools",
    "tool_error",
    "web_search",
    "knowledge",
    "translated",
    "agentic_code",
    "image",
    "error",
    "stopped",
    "video",
    "compact",
)
_SHOWCASE_USER = ("attachments",)

# Internal block kinds that are variants of a stored block type.
_BLOCK_TYPES = {
    "citation_web": "citation",
    "citation_knowledge": "citation",
    "tool_error": "tool",
    "builtin_tool": "tool",
    "image_generated": "image",
}

_INTERRUPTED_STATUSES = ("processing", "pending", "searching", "sending")


class ChatWriter:
    """Writes topic rows and blocks; collects the ids of the tricky cases it creates."""

    def __init__(
        self,
        rng: random.Random,
        ids: IdFactory,
        blocks: BlockFactory,
        catalog: ProviderCatalog,
        topics_out: ArrayStream,
        blocks_out: ArrayStream,
        *,
        messages: int,
        topic_total: int,
    ) -> None:
        self._rng = rng
        self._ids = ids
        self._factory = blocks
        self._chat_models = catalog.chat_models
        self._topics_out = topics_out
        self._blocks_out = blocks_out
        self._clock = BASE_TIME_MS
        self._step_scale = min(1.0, 0.7 * SPAN_MS / (max(messages, 1) * _NATURAL_STEP_MS))
        self._topic_gap_ms = max(60_000, int(0.3 * SPAN_MS / max(topic_total, 1)))
        self._pending_assistant = list(_SHOWCASE_ASSISTANT)
        self._pending_user = list(_SHOWCASE_USER)
        self._topic: TopicPlan
        self._written_in_topic = 0
        self._other_topic_id = ""
        self.message_count = 0
        self.block_types: dict[str, int] = {}
        self.tricky: dict[str, str] = {}

    # -- streams -----------------------------------------------------------------------------------

    def _emit_message(self, message: dict[str, Any]) -> None:
        data = dumps(message)
        self._topics_out.write_raw(b"," + data if self._written_in_topic else data)
        self._written_in_topic += 1
        self.message_count += 1

    def _emit_block(self, block: Block) -> None:
        self._blocks_out.append(dumps(block))
        self.block_types[block["type"]] = self.block_types.get(block["type"], 0) + 1

    # -- topics ------------------------------------------------------------------------------------

    def write_topic(self, plan: TopicPlan, other_topic_id: str) -> None:
        rng = self._rng
        self._topic = plan
        self._other_topic_id = other_topic_id
        self._written_in_topic = 0
        self._clock += rng.randint(60_000, 2 * self._topic_gap_ms)
        plan.created_ms = self._clock
        self._topics_out.begin_element()
        self._topics_out.write_raw(b'{"id":' + dumps(plan.id) + b',"messages":[')
        scripted = list(plan.scripted)
        reserved = sum(SCRIPT_SIZES[s] for s in scripted)
        turns = 0
        while self._written_in_topic < plan.budget or scripted:
            free = plan.budget - self._written_in_topic - reserved
            if scripted and (turns >= 1 or free < 2):
                script = scripted.pop(0)
                reserved -= SCRIPT_SIZES[script]
                self._scripted_turn(script)
            else:
                self._random_turn(free)
            turns += 1
        self._topics_out.write_raw(b"]}")
        plan.updated_ms = (
            self._clock if self._written_in_topic else plan.created_ms + rng.randint(1_000, 60_000)
        )

    # -- turns -------------------------------------------------------------------------------------

    def _random_turn(self, free: int) -> None:
        rng = self._rng
        if free == 1:
            if rng.random() < 0.5:
                self._clear_marker()
            else:
                self._user()  # a question still waiting for its answer
            return
        roll = rng.random()
        if free >= 4 and roll < 0.06:
            self._multi_model(rng.randint(2, min(3, free - 1)), fold=rng.random() < 0.5)
            return
        if free >= 3 and roll < 0.09:
            ask = self._user()
            self._assistant(ask)
            self._assistant(ask)  # a regenerated answer: two replies to the same question
            return
        ask = self._user()
        self._assistant(ask)

    def _scripted_turn(self, script: str) -> None:
        ids = self._ids
        if script == "multi_model":
            ask_id, selected = self._multi_model(3, fold=True)
            self.tricky["multi_model_ask"] = ask_id
            self.tricky["multi_model_fold_selected"] = selected
        elif script == "deleted_ask":
            # The user message this answers was deleted; only its id survives in askId.
            self.tricky["deleted_ask_answer"] = self._assistant(ids.uuid4())
        elif script == "duplicate_id":
            first = self._assistant(self._user())
            self._assistant(self._user(), msg_id=first)
            self.tricky["duplicate_message_id"] = first
        elif script == "missing_block":
            ask = self._user()
            self.tricky["message_with_missing_block"] = self._assistant(ask, missing_block=True)
        elif script == "topic_id_mismatch":
            self.tricky["topic_id_mismatch"] = self._assistant(self._user(), topic_id=self._other_topic_id)
        elif script == "clear_marker":
            self.tricky["clear_marker"] = self._clear_marker()
        else:
            self.tricky["orphan_block"] = self._orphan_block()

    def _multi_model(self, count: int, *, fold: bool) -> tuple[str, str]:
        """A question sent to several models at once; in fold style one reply is ``foldSelected``."""
        rng = self._rng
        models = [self._topic.model, *rng.sample(self._chat_models, count - 1)]
        ask = self._user(mentions=[model_ref(m) for m in models])
        style = "fold" if fold else rng.choice(("horizontal", "vertical", "grid"))
        selected_index = rng.randrange(count) if fold else -1
        selected = ""
        for index, model in enumerate(models):
            extra: dict[str, Any] = {"multiModelMessageStyle": style}
            if index == selected_index:
                extra["foldSelected"] = True
            reply = self._assistant(ask, model=model, extra=extra)
            if index == selected_index:
                selected = reply
        return ask, selected

    # -- messages ----------------------------------------------------------------------------------

    def _step(self, low: int, high: int) -> int:
        return max(1, int(self._rng.randint(low, high) * self._step_scale))

    def _message_head(
        self, msg_id: str, role: str, created: int, topic_id: str | None = None
    ) -> dict[str, Any]:
        return {
            "id": msg_id,
            "role": role,
            "assistantId": self._topic.assistant_id,
            "topicId": topic_id or self._topic.id,
            "createdAt": iso(created),
        }

    def _user(self, *, mentions: list[Model] | None = None) -> str:
        rng, ids, factory = self._rng, self._ids, self._factory
        self._clock += self._step(15_000, 225_000)
        created = self._clock
        pending = self._pending_user
        tag = pending.pop(0) if pending else rng.choices(_USER_TAGS, _USER_WEIGHTS)[0]
        kinds = _USER_KINDS[tag]
        msg_id = ids.uuid4()
        block_ids = [ids.ordered(created) for _ in kinds]
        message = self._message_head(msg_id, "user", created)
        message["status"] = "success"
        message["blocks"] = block_ids
        if mentions:
            message["mentions"] = mentions
        if rng.random() < 0.01:
            message["type"] = "text"  # leftover legacy value
        for kind, block_id in zip(kinds, block_ids, strict=True):
            if kind == "main_text":
                block = factory.main_text(factory.base(block_id, msg_id, kind, created), question(rng))
            elif kind == "file":
                block = factory.file(factory.base(block_id, msg_id, kind, created))
            else:
                block = factory.uploaded_image(factory.base(block_id, msg_id, "image", created))
            self._emit_block(block)
        self._emit_message(message)
        return msg_id

    def _clear_marker(self) -> str:
        """A "new context" marker: no blocks, kept by the migrator as a context boundary."""
        self._clock += self._step(5_000, 60_000)
        msg_id = self._ids.uuid4()
        message = self._message_head(msg_id, "user", self._clock)
        message.update(status="success", type="clear", blocks=[])
        self._emit_message(message)
        return msg_id

    def _orphan_block(self) -> str:
        """A block whose message no longer exists anywhere."""
        block_id = self._ids.ordered(self._clock)
        block = self._factory.base(block_id, self._ids.uuid4(), "main_text", self._clock)
        self._emit_block(self._factory.main_text(block, "Left behind after its message was deleted."))
        return block_id

    def _pattern(self) -> tuple[str, ...]:
        if self._pending_assistant:
            return _PATTERN_KINDS[self._pending_assistant.pop(0)]
        return _PATTERN_KINDS[self._rng.choices(_PATTERN_TAGS, _PATTERN_WEIGHTS)[0]]

    def _assistant(
        self,
        ask_id: str,
        *,
        model: Model | None = None,
        msg_id: str | None = None,
        extra: dict[str, Any] | None = None,
        missing_block: bool = False,
        topic_id: str | None = None,
    ) -> str:
        rng, ids = self._rng, self._ids
        model = model or self._topic.model
        kinds = ("main_text",) if missing_block else self._pattern()
        created = self._clock + rng.randint(200, 2_500)
        msg_id = msg_id or ids.uuid4()
        block_times = [created + 150 * (i + 1) + rng.randint(0, 4_000) * i for i in range(len(kinds))]
        block_ids = [ids.ordered(t) for t in block_times]
        if missing_block:
            absent = ids.ordered(block_times[-1] + 1)
            block_ids.append(absent)
            self.tricky["missing_block"] = absent
        finished = block_times[-1] + rng.randint(500, 20_000)
        self._clock = finished

        status = self._assistant_status(kinds)
        message = self._message_head(msg_id, "assistant", created, topic_id)
        message["updatedAt"] = iso(finished)
        message["status"] = status
        message["askId"] = ask_id
        message["modelId"] = model["id"]
        message["model"] = model
        message["blocks"] = block_ids
        thinking_ms = self._write_blocks(kinds, block_ids, block_times, msg_id, model, status)
        if status in ("success", "paused"):
            message["usage"], message["metrics"] = self._usage(finished - created, thinking_ms)
        if extra:
            message.update(extra)
        if rng.random() < 0.3:
            message["traceId"] = ids.hex(32)
        if rng.random() < 0.05:
            message["useful"] = True
        if rng.random() < 0.05:
            message["providerMetadata"] = {"openai": {"responseId": "resp_" + ids.hex(24)}}
        self._emit_message(message)
        return msg_id

    def _assistant_status(self, kinds: tuple[str, ...]) -> str:
        if kinds[-1] == "error":
            return "error"
        if kinds == ("unknown",):
            return "paused"
        roll = self._rng.random()
        if roll < 0.02:
            return "paused"
        if roll < 0.03:
            return self._rng.choice(_INTERRUPTED_STATUSES)
        return "success"

    def _usage(self, duration: int, thinking_ms: int) -> tuple[dict[str, Any], dict[str, Any]]:
        rng = self._rng
        prompt, completion = rng.randint(20, 6_000), rng.randint(10, 2_500)
        usage: dict[str, Any] = {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }
        metrics: dict[str, Any] = {
            "completion_tokens": completion,
            "time_completion_millsec": duration,
            "time_first_token_millsec": rng.randint(150, 3_000),
        }
        if thinking_ms:
            usage["thoughts_tokens"] = rng.randint(50, 1_500)
            metrics["time_thinking_millsec"] = thinking_ms
        if rng.random() < 0.2:
            usage["cost"] = round(rng.uniform(0.0001, 0.05), 6)
        if rng.random() < 0.1:
            usage["prompt_tokens_details"] = {"cached_tokens": prompt // 2}
        return usage, metrics

    def _write_blocks(
        self,
        kinds: tuple[str, ...],
        block_ids: list[str],
        times: list[int],
        msg_id: str,
        model: Model,
        status: str,
    ) -> int:
        """Build and stream the blocks of one assistant message; returns the thinking time."""
        rng, factory = self._rng, self._factory
        text_id = next((b for k, b in zip(kinds, block_ids, strict=False) if k == "main_text"), "")
        citation = next(
            ((k, b) for k, b in zip(kinds, block_ids, strict=False) if k.startswith("citation")), None
        )
        searched = citation is not None or "image_generated" in kinds
        source = rng.choice(WEB_SEARCH_SOURCES) if searched else ""
        query = question(rng) if searched else ""
        thinking_ms = 0
        for kind, block_id, created in zip(kinds, block_ids, times, strict=False):
            block_type = _BLOCK_TYPES.get(kind, kind)
            block = factory.base(block_id, msg_id, block_type, created)
            if kind == "main_text":
                factory.main_text(block, factory.answer(), model=model)
                if status == "paused":
                    block["status"] = "paused"
                if citation is not None:
                    citation_kind, citation_id = citation
                    if citation_kind == "citation_web":
                        block["content"] += " [1] [2]"
                        block["citationReferences"] = [
                            {"citationBlockId": citation_id, "citationBlockSource": source}
                        ]
                    else:
                        block["knowledgeBaseIds"] = factory.knowledge_base_ids()
                        block["citationReferences"] = [{"citationBlockId": citation_id}]
                if rng.random() < 0.3:
                    block["updatedAt"] = iso(created + rng.randint(500, 10_000))
            elif kind == "thinking":
                factory.thinking(block)
                thinking_ms += block["thinking_millsec"]
            elif kind in ("tool", "tool_error"):
                factory.tool(block, failed=kind == "tool_error")
            elif kind == "builtin_tool":
                factory.builtin_tool(block)
            elif kind == "citation_web":
                factory.web_citation(block, query, source)
            elif kind == "citation_knowledge":
                factory.knowledge_citation(block)
            elif kind == "translation":
                factory.translation(block, text_id)
            elif kind == "code":
                factory.code(block)
            elif kind == "image_generated":
                factory.generated_image(block, query)
            elif kind == "error":
                factory.error(block)
            elif kind == "video":
                factory.video(block)
            elif kind == "compact":
                factory.compact(block)
            else:  # unknown: the streaming placeholder left behind when the user stopped at once
                block["status"] = "processing"
            self._emit_block(block)
        return thinking_ms
