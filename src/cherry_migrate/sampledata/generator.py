"""Seeded generator of Cherry Studio v1 export folders, at any scale.

``generate_export(out_dir, seed=..., messages=...)`` writes::

    out_dir/
      redux_export/<slice>.json      one file per Redux slice (or persist-cherry-studio.json, see below)
      dexie_export/<table>.json      topics, message_blocks, files, knowledge_notes, settings,
                                     translate_history, translate_languages, quick_phrases
      localstorage_export/localStorage.json
      config.json                    electron-store (tab-indented, as electron-store writes it)
      version.log                    last line: 1.9.12
      Data/Files/<id><ext>           physical files of the ``files`` rows (a few are missing)
      Data/Files/custom-minapps.json custom mini apps with their logos
      Data/Notes/**/*.md             notes; ``note.notesPath`` points at the same tree (see below)

No legacy knowledge vector stores (``Data/KnowledgeBase``) and no ``agents.db`` are written.
``messages`` must be at least :data:`MIN_MESSAGES`.

With ``raw_persist=True`` the Redux state is written instead as ``persist-cherry-studio.json`` at the
root: the raw ``persist:cherry-studio`` localStorage value, an object whose values are the slices'
JSON text plus ``_persist``.

Conventions:

* Same seed and size give byte-identical output. Chat activity starts after 2024-06-11T09:00:00.000Z
  and spreads over about 600 days whatever the size (uploads and the version log start a little
  earlier).
* Dexie files are compact JSON arrays in ascending primary-key order. Message-block ids are
  time-ordered UUIDv7 (v1 used v4) so the streamed table needs no sort; every other id is a UUIDv4.
* Absolute paths (``files[].path``, ``note.notesPath``, starred/expanded note paths) point into the
  fictitious v1 userData folder :data:`LEGACY_USER_DATA`; the export folder stands in for it, i.e.
  ``<LEGACY_USER_DATA>/Data/Files/x`` is ``<out_dir>/Data/Files/x``.
* Secrets are fake and recognisable: ``sk-demo-…``, ``ghp_demo…``, ``demo-…``.
* ``messages`` is exact: ``topics.json`` holds that many message objects (duplicates included).

Tricky cases, present at every size (``ProfileSummary.tricky`` maps each name to an id):

``multi_model_ask``
    User message answered by three models (``mentions``); the replies share ``askId``.
``multi_model_fold_selected``
    The reply of that group with ``foldSelected: true`` (``multiModelMessageStyle: 'fold'``).
``deleted_ask_answer``
    Assistant message whose ``askId`` names a user message that no longer exists.
``orphan_topic``
    Dexie topic without Redux metadata whose messages carry the id of a deleted assistant.
``deleted_assistant``
    That deleted assistant's id (found in no Redux list).
``pinned_empty_topic``
    Topic pinned in Redux whose Dexie row has no messages.
``empty_topic``
    Unpinned topic with the default name, no prompt and no messages (the migrator skips it).
``redux_only_topic``
    Topic metadata in Redux with no Dexie row (IndexedDB lost, upstream #15423).
``duplicate_message_id``
    Id shared by two assistant messages of the same topic (answers to different questions).
``message_with_missing_block``
    Message whose ``blocks`` list a block id absent from ``message_blocks``.
``missing_block``
    That absent block id.
``orphan_block``
    Block whose ``messageId`` matches no message.
``topic_id_mismatch``
    Message whose ``topicId`` differs from the topic row that holds it.
``clear_marker``
    Message with ``type: 'clear'`` and no blocks (a context boundary).
``default_assistant``
    ``'default'``: the id of both ``defaultAssistant`` and ``assistants[0]``.
``duplicate_assistant``
    Id that appears twice in ``assistants.assistants`` (the second copy has other field values).
``unknown_model_assistant``
    Assistant whose ``model``/``defaultModel`` exists in no provider.
``kb_missing_embedding_model``
    Knowledge base whose embedding model and its provider are both gone.
``kb_resurrectable_embedding_model``
    Knowledge base whose embedding model is gone but whose provider still exists.
``missing_physical_file``
    ``files`` row whose ``Data/Files/<id><ext>`` does not exist.

Every block type (``unknown`` … ``compact``) appears at least once; ``ProfileSummary.block_types``
counts them. Other realism: regenerated answers (two replies to one ``askId``), interrupted
statuses (``processing``, ``pending``, ``searching``, legacy ``sending``), paused and failed answers,
tool calls that failed, citations in eight WebSearchSource shapes, Redux note items lighter than their
``knowledge_notes`` rows, paintings placeholders, pinned mini apps also listed as enabled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .assistants import DEFAULT_ASSISTANT_ID, assistants_slice, build_roster
from .blocks import BlockFactory
from .chats import ChatWriter
from .files import LEGACY_USER_DATA, FileStore
from .ids import IdFactory, ProfileRandom
from .knowledge import build_knowledge
from .library import (
    build_mcp,
    build_minapps,
    build_paintings,
    painting_count,
    write_custom_minapps,
    write_notes,
)
from .output import ExportWriter, dumps
from .providers import ProviderCatalog, build_catalog, llm_slice
from .slices import (
    code_tools_slice,
    memory_slice,
    nutstore_slice,
    ocr_slice,
    openclaw_slice,
    preprocess_slice,
    selection_slice,
    settings_slice,
    shortcuts_list,
    translate_slice,
    websearch_slice,
)
from .tables import (
    config_json,
    local_storage,
    quick_phrases,
    settings_rows,
    translate_history,
    translate_languages,
    version_log,
    write_sorted,
)
from .topics import TopicPlan, attach_topic_metadata, plan_topics, topic_count

__all__ = ["LEGACY_USER_DATA", "MIN_MESSAGES", "PERSIST_VERSION", "ProfileSummary", "generate_export"]

MIN_MESSAGES = 40
PERSIST_VERSION = 207
PERSIST_FILE = "persist-cherry-studio.json"


@dataclass(frozen=True)
class ProfileSummary:
    """What a generated export folder contains.

    ``dexie_rows`` counts rows per ``dexie_export`` table. ``assistants`` counts the entries of
    ``assistants.assistants`` (the duplicate included, ``defaultAssistant`` not); ``mini_apps`` counts
    distinct ids; ``paintings`` includes the empty placeholder records; ``topics`` counts Dexie topic
    rows (``redux_topics`` the metadata entries in Redux).
    """

    seed: int
    messages: int
    blocks: int
    topics: int
    redux_topics: int
    files: int
    knowledge_notes: int
    settings_rows: int
    translate_history: int
    translate_languages: int
    quick_phrases: int
    assistants: int
    presets: int
    providers: int
    models: int
    knowledge_bases: int
    knowledge_items: int
    mcp_servers: int
    paintings: int
    mini_apps: int
    notes: int
    total_bytes: int
    dexie_rows: dict[str, int] = field(default_factory=dict)
    redux_slices: tuple[str, ...] = ()
    block_types: dict[str, int] = field(default_factory=dict)
    tricky: dict[str, str] = field(default_factory=dict)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _prepare_dir(out_dir: Path) -> None:
    if out_dir.exists() and any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty")
    out_dir.mkdir(parents=True, exist_ok=True)


def generate_export(out_dir: Path, *, seed: int, messages: int, raw_persist: bool = False) -> ProfileSummary:
    """Write a v1 export folder with ``messages`` chat messages into the empty or new ``out_dir``."""
    if messages < MIN_MESSAGES:
        raise ValueError(f"messages must be at least {MIN_MESSAGES} to hold every tricky case")
    _prepare_dir(out_dir)
    rng = ProfileRandom(seed)
    ids = IdFactory(rng)
    writer = ExportWriter(out_dir)

    catalog = build_catalog(rng, ids, _clamp(10 + messages // 15_000, 10, 65))
    files = FileStore(rng, ids, writer)
    files.create(_clamp(messages // 200, 10, 5_000))
    mcp = build_mcp(rng, ids, _clamp(6 + messages // 25_000, 6, 30))
    knowledge = build_knowledge(rng, ids, catalog, files, _clamp(3 + messages // 10_000, 4, 20))
    bases = knowledge.slice["bases"]
    roster = build_roster(rng, ids, catalog, _clamp(5 + messages // 20_000, 5, 30), mcp["servers"], bases)
    plans, tricky = plan_topics(rng, ids, messages, roster)

    factory = BlockFactory(rng, ids, files, mcp["servers"], [b["id"] for b in bases])
    chats, topic_rows, block_rows = _stream_chats(rng, ids, writer, factory, catalog, plans, messages)
    attach_topic_metadata(roster, plans)

    paintings = build_paintings(rng, ids, files, _clamp(messages // 300, 6, 80))
    minapps = build_minapps(rng)
    write_custom_minapps(writer, minapps)
    note, note_count = write_notes(rng, writer, _clamp(messages // 1_000, 6, 40))
    settings = settings_slice(rng, ids)
    slices: dict[str, Any] = {
        "assistants": assistants_slice(roster),
        "codeTools": code_tools_slice(catalog),
        "nutstore": nutstore_slice(ids),
        "paintings": paintings,
        "llm": llm_slice(catalog, ids, roster.assistants[1]["id"]),
        "settings": settings,
        "shortcuts": {"shortcuts": shortcuts_list()},
        "knowledge": knowledge.slice,
        "minapps": minapps.slice,
        "websearch": websearch_slice(ids, catalog),
        "mcp": mcp,
        "memory": memory_slice(ids, catalog),
        "selectionStore": selection_slice(roster.assistants[1]["id"]),
        "preprocess": preprocess_slice(ids),
        "translate": translate_slice(),
        "ocr": ocr_slice(ids),
        "note": note,
        "openclaw": openclaw_slice(catalog),
    }
    _write_redux(writer, slices, raw_persist=raw_persist)

    rows = _write_small_tables(rng, ids, writer, files, knowledge.notes, catalog, messages)
    rows.update(topics=topic_rows, message_blocks=block_rows)
    writer.write_bytes("localstorage_export/localStorage.json", local_storage())
    writer.write_electron_store("config.json", config_json(ids, settings["language"], settings["theme"]))
    writer.write_bytes("version.log", version_log())

    tricky.update(chats.tricky)
    tricky.update(
        deleted_assistant=roster.deleted_id,
        default_assistant=DEFAULT_ASSISTANT_ID,
        duplicate_assistant=roster.duplicate_id,
        unknown_model_assistant=roster.unknown_model_id,
        kb_missing_embedding_model=knowledge.missing_model_base_id,
        kb_resurrectable_embedding_model=knowledge.resurrectable_model_base_id,
        missing_physical_file=files.missing_id,
    )
    return ProfileSummary(
        seed=seed,
        messages=chats.message_count,
        blocks=block_rows,
        topics=topic_rows,
        redux_topics=sum(1 for p in plans if p.slot is not None),
        files=rows["files"],
        knowledge_notes=rows["knowledge_notes"],
        settings_rows=rows["settings"],
        translate_history=rows["translate_history"],
        translate_languages=rows["translate_languages"],
        quick_phrases=rows["quick_phrases"],
        assistants=len(roster.assistants),
        presets=len(roster.presets),
        providers=len(catalog.providers),
        models=catalog.model_count,
        knowledge_bases=len(bases),
        knowledge_items=knowledge.item_count,
        mcp_servers=len(mcp["servers"]),
        paintings=painting_count(paintings),
        mini_apps=minapps.distinct_count,
        notes=note_count,
        total_bytes=writer.bytes_written,
        dexie_rows=dict(sorted(rows.items())),
        redux_slices=tuple(slices),
        block_types=dict(sorted(chats.block_types.items())),
        tricky=dict(sorted(tricky.items())),
    )


def _stream_chats(
    rng: ProfileRandom,
    ids: IdFactory,
    writer: ExportWriter,
    factory: BlockFactory,
    catalog: ProviderCatalog,
    plans: list[TopicPlan],
    messages: int,
) -> tuple[ChatWriter, int, int]:
    """Stream ``topics.json`` and ``message_blocks.json``; returns the writer and both row counts."""
    dexie_plans = [p for p in plans if p.in_dexie]
    with (
        writer.array("dexie_export/topics.json") as topics_out,
        writer.array("dexie_export/message_blocks.json") as blocks_out,
    ):
        chats = ChatWriter(
            rng,
            ids,
            factory,
            catalog,
            topics_out,
            blocks_out,
            messages=messages,
            topic_total=topic_count(messages),
        )
        for index, plan in enumerate(dexie_plans):
            chats.write_topic(plan, dexie_plans[(index + 1) % len(dexie_plans)].id)
    return chats, topics_out.count, blocks_out.count


def _write_small_tables(
    rng: ProfileRandom,
    ids: IdFactory,
    writer: ExportWriter,
    files: FileStore,
    knowledge_notes: list[dict[str, Any]],
    catalog: ProviderCatalog,
    messages: int,
) -> dict[str, int]:
    """The Dexie tables other than topics and blocks; returns their row counts."""
    history = translate_history(rng, ids, _clamp(messages // 100, 6, 2_000))
    phrases = quick_phrases(rng, ids, _clamp(4 + messages // 2_000, 5, 100))
    return {
        "files": files.write(),
        "knowledge_notes": write_sorted(writer, "knowledge_notes", knowledge_notes),
        "settings": write_sorted(writer, "settings", settings_rows(rng, catalog)),
        "translate_history": write_sorted(writer, "translate_history", history),
        "translate_languages": write_sorted(writer, "translate_languages", translate_languages()),
        "quick_phrases": write_sorted(writer, "quick_phrases", phrases),
    }


def _write_redux(writer: ExportWriter, slices: dict[str, Any], *, raw_persist: bool) -> None:
    """One ``redux_export/<slice>.json`` per slice, or the raw two-level persist value."""
    if not raw_persist:
        for name, value in slices.items():
            writer.write_json(f"redux_export/{name}.json", value)
        return
    persisted = {name: dumps(value).decode() for name, value in slices.items()}
    persisted["_persist"] = dumps({"version": PERSIST_VERSION, "rehydrated": True}).decode()
    writer.write_json(PERSIST_FILE, persisted)
