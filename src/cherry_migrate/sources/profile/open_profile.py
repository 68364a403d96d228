"""Opening a Cherry Studio v1 data folder (Electron ``userData``) as ``LegacySources``, read straight
from Chromium's files: no export step, no running app, nothing written.

What is read, and how it matches the export folder that upstream's migration window would write:

* Redux: the ``persist:cherry-studio`` localStorage value (two-level JSON, ``ReduxPersistValue``), from
  the ``file://`` origin of the packaged app, or the development origin when only that has it;
* localStorage: every other key of that origin, each value ``JSON.parse``d when it parses and kept as
  a string otherwise (as upstream's LocalStorageExporter did), lone surrogates replaced;
* Dexie: the ``CherryStudio`` database of origin ``file__0`` only (``CherryStudio_SideQuestions`` is
  not migrated, as upstream), and of it only the tables upstream's exporter writes. Another live store
  (left by an old schema version, or added by a newer app) is ignored; when it holds records a warning
  says so. Rows come through :class:`~.adapter.ProfileDexie`;
* Dexie ``settings`` rows as the ``dexie_settings`` mapping; ``config.json`` (electron-store);
  ``version.log``; physical files under ``Data/`` (the folder is the run's ``root``).

Missing parts are warnings, as for an export folder; a folder with neither ``IndexedDB/`` nor
``Local Storage/`` is refused. Chromium's SQLite storage backends (off by default, never used by
Electron builds so far) are refused with a clear message rather than read as empty.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cherry_migrate.core.errors import SourceDataError, SourceNotFoundError
from cherry_migrate.sources.base import DexieTables, DictKeyValueSource, LegacySources
from cherry_migrate.sources.chromium import (
    ChromiumNotFoundError,
    ChromiumReadError,
    IndexedDBReader,
    LocalStorageReader,
)
from cherry_migrate.sources.chromium.local_storage import (
    CHERRY_STUDIO_ORIGINS,
    LOCAL_STORAGE_PATH,
    PERSIST_KEY,
)
from cherry_migrate.sources.export_folder import _read_config, _settings_to_mapping
from cherry_migrate.sources.memory import InMemoryDexie
from cherry_migrate.sources.profile.adapter import ProfileDexie, unreadable
from cherry_migrate.sources.profile.locate import INDEXEDDB_DIR, LOCAL_STORAGE_DIR, VERSION_LOG
from cherry_migrate.sources.redux import ReduxPersistValue
from cherry_migrate.sources.text_fixes import fix_surrogates

DEXIE_DATABASE = "CherryStudio"
IDB_ORIGIN = "file__0"
EXPORTED_TABLES = (
    "topics",
    "files",
    "knowledge_notes",
    "message_blocks",
    "settings",
    "translate_history",
    "quick_phrases",
    "translate_languages",
)
"""The tables upstream's DexieExporter writes (legacy-sources §1.11)."""


def open_profile_folder(folder: Path) -> LegacySources:
    """Open ``folder`` (a v1 ``userData`` folder) read-only. Raises SourceNotFoundError when it is not
    one, SourceDataError when its storage cannot be read at all."""
    folder = folder.expanduser()
    if not folder.is_dir():
        raise SourceNotFoundError(f"The v1 data folder {folder} does not exist or is not a folder.")
    _refuse_other_layouts(folder)
    warnings: list[str] = []
    persist, local_storage, origin = _read_local_storage(folder, warnings)
    dexie = _open_dexie(folder, warnings)
    settings_rows = dexie.read_table("settings") if dexie.table_exists("settings") else []
    version_log = folder / VERSION_LOG
    return LegacySources(
        description=f"Cherry Studio v1 data folder {folder}",
        redux=ReduxPersistValue(
            persist or "{}", location=f"{folder / LOCAL_STORAGE_PATH} (key {PERSIST_KEY}, origin {origin})"
        ),
        dexie=dexie,
        dexie_settings=DictKeyValueSource(
            _settings_to_mapping(settings_rows, dexie.location("settings"), warnings),
            location=dexie.location("settings"),
        ),
        local_storage=DictKeyValueSource(local_storage, location=f"localStorage of {origin}"),
        electron_store=DictKeyValueSource(_read_config(folder / "config.json"), location="config.json"),
        root=folder,
        version_log=version_log if version_log.is_file() else None,
        warnings=warnings,
    )


def _refuse_other_layouts(folder: Path) -> None:
    if not (folder / INDEXEDDB_DIR).is_dir() and not (folder / LOCAL_STORAGE_DIR).is_dir():
        hint = (
            " It looks like an export folder: use --source for it."
            if any((folder / name).exists() for name in ("dexie_export", "redux_export", "migration_temp"))
            else ""
        )
        raise SourceNotFoundError(
            f"{folder} is not a Cherry Studio v1 data folder: it has neither 'IndexedDB/' nor "
            f"'Local Storage/'.{hint}"
        )
    sqlite_idb = folder / INDEXEDDB_DIR / IDB_ORIGIN
    if not (folder / INDEXEDDB_DIR / f"{IDB_ORIGIN}.indexeddb.leveldb").is_dir() and sqlite_idb.is_dir():
        raise SourceDataError(
            sqlite_idb, "IndexedDB is stored with Chromium's SQLite backend, which this tool cannot read"
        )
    if not (folder / LOCAL_STORAGE_PATH).is_dir() and (folder / "LocalStorage").is_file():
        raise SourceDataError(
            folder / "LocalStorage",
            "localStorage is stored with Chromium's SQLite backend, which this tool cannot read",
        )


def _read_local_storage(folder: Path, warnings: list[str]) -> tuple[str | None, dict[str, Any], str]:
    """The raw persist value, the other keys of the same origin, and that origin."""
    leveldb = folder / LOCAL_STORAGE_PATH
    if not leveldb.is_dir():
        warnings.append(f"No localStorage ({leveldb}): no Redux state, settings use defaults.")
        return None, {}, CHERRY_STUDIO_ORIGINS[0]
    try:
        with LocalStorageReader(leveldb) as reader:
            origin = next(
                (o for o in CHERRY_STUDIO_ORIGINS if reader.get(o, PERSIST_KEY) is not None),
                CHERRY_STUDIO_ORIGINS[0],
            )
            items = dict(reader.items(origin))
            warnings.extend(f"Local Storage: {issue}" for issue in reader.issues)
    except ChromiumReadError as exc:
        raise unreadable("localStorage", exc, leveldb) from exc
    persist = items.pop(PERSIST_KEY, None)
    if persist is None:
        warnings.append(f"No '{PERSIST_KEY}' in localStorage: no Redux state, settings use defaults.")
    others = {key: _json_parse_or_text(value) for key, value in items.items()}
    fixed, _ = fix_surrogates(others)
    return persist, fixed, origin


def _json_parse_or_text(text: str) -> Any:
    """``JSON.parse(text)`` when it parses, else the text itself (upstream's localStorage export)."""
    try:
        return json.loads(text, parse_constant=_not_json)
    except ValueError:
        return text


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _open_dexie(folder: Path, warnings: list[str]) -> DexieTables:
    """The ``CherryStudio`` database; an empty stand-in (and a warning) when there is none."""
    no_chats = "there are no chats, files or notes to migrate."
    if not (folder / INDEXEDDB_DIR / f"{IDB_ORIGIN}.indexeddb.leveldb").is_dir():
        warnings.append(f"No IndexedDB database folder in {folder / INDEXEDDB_DIR}; {no_chats}")
        return InMemoryDexie({})
    try:
        reader = IndexedDBReader.for_origin(folder, IDB_ORIGIN)
    except ChromiumReadError as exc:
        raise unreadable("IndexedDB", exc, folder / INDEXEDDB_DIR) from exc
    try:
        database = reader.database(DEXIE_DATABASE)
    except ChromiumNotFoundError:
        warnings.extend(f"IndexedDB: {issue}" for issue in reader.issues)
        reader.close()
        warnings.append(f"No '{DEXIE_DATABASE}' IndexedDB database in {reader.folder}; {no_chats}")
        return InMemoryDexie({})
    except ChromiumReadError as exc:
        reader.close()
        raise unreadable("IndexedDB", exc, reader.folder) from exc
    stores = [store.name for store in database.object_stores]
    dexie = ProfileDexie(reader, DEXIE_DATABASE, [s for s in stores if s in EXPORTED_TABLES], warnings)
    try:
        ignored = {s: reader.count(DEXIE_DATABASE, s) for s in stores if s not in EXPORTED_TABLES}
    except ChromiumReadError as exc:
        dexie.close()
        raise unreadable("IndexedDB", exc, reader.folder) from exc
    warnings.extend(
        f"IndexedDB store '{store}' of database '{DEXIE_DATABASE}' holds {records} record(s) that v1's "
        "exporter does not export; they are not migrated."
        for store, records in ignored.items()
        if records
    )
    return dexie
