"""Opening an export folder: the layout upstream's migration window writes, plus config.json.

```
<folder>/
  redux_export/<slice>.json              (or persist-cherry-studio.json: the raw persist value)
  dexie_export/<table>.json
  localstorage_export/localStorage.json  (optional)
  config.json                            (optional: electron-store)
  version.log                            (optional)
  Data/Files/…, Data/Notes/…             (optional: physical files)
```
A v1 data folder that still holds upstream's ``migration_temp/`` staging is accepted too: the exports
are read from there and the physical files and config.json from the data folder itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cherry_migrate.core.errors import SourceDataError, SourceNotFoundError
from cherry_migrate.sources.base import DictKeyValueSource, LegacySources, ReduxState
from cherry_migrate.sources.dexie_export import DexieExportDir
from cherry_migrate.sources.json_file import load_json_file
from cherry_migrate.sources.redux import ReduxExportDir, ReduxPersistValue

RAW_PERSIST_FILE = "persist-cherry-studio.json"


def open_export_folder(folder: Path) -> LegacySources:
    folder = folder.expanduser()
    if not folder.is_dir():
        raise SourceNotFoundError(f"The legacy data folder {folder} does not exist or is not a folder.")
    exports = folder / "migration_temp" if (folder / "migration_temp").is_dir() else folder
    redux = _open_redux(exports, folder)
    dexie_dir = exports / "dexie_export"
    if not dexie_dir.is_dir() and redux is None:
        raise SourceNotFoundError(
            f"{folder} holds no legacy export: expected 'redux_export/' (or '{RAW_PERSIST_FILE}') "
            "and 'dexie_export/'."
        )
    warnings: list[str] = []
    if redux is None:
        warnings.append("No Redux state found (redux_export/ or persist value); settings use defaults.")
        redux = ReduxExportDir(exports / "redux_export")
    if not dexie_dir.is_dir():
        warnings.append("No dexie_export/ folder found; there are no chats, files or notes to migrate.")
    dexie = DexieExportDir(dexie_dir)
    settings_rows = dexie.read_table("settings") if dexie.table_exists("settings") else []
    version_log = folder / "version.log"
    return LegacySources(
        description=f"export folder {folder}",
        redux=redux,
        dexie=dexie,
        dexie_settings=DictKeyValueSource(
            _settings_to_mapping(settings_rows, dexie.location("settings"), warnings),
            location=dexie.location("settings"),
        ),
        local_storage=DictKeyValueSource(
            _read_local_storage(exports / "localstorage_export" / "localStorage.json"),
            location="localStorage.json",
        ),
        electron_store=DictKeyValueSource(_read_config(folder / "config.json"), location="config.json"),
        root=folder,
        version_log=version_log if version_log.is_file() else None,
        warnings=warnings,
    )


def _open_redux(exports: Path, folder: Path) -> ReduxState | None:
    if (exports / "redux_export").is_dir():
        return ReduxExportDir(exports / "redux_export")
    for candidate in (exports / RAW_PERSIST_FILE, folder / RAW_PERSIST_FILE):
        if candidate.is_file():
            return ReduxPersistValue.from_file(candidate)
    return None


def _settings_to_mapping(rows: list[Any], location: str, warnings: list[str]) -> dict[str, Any]:
    """Dexie ``settings`` rows ``{id, value}`` as a mapping; malformed rows are reported, not fatal."""
    settings: dict[str, Any] = {}
    malformed = 0
    for row in rows:
        if isinstance(row, dict) and isinstance(row.get("id"), str):
            settings.setdefault(row["id"], row.get("value"))
        else:
            malformed += 1
    if malformed:
        warnings.append(f"{location}: {malformed} settings row(s) without a string id were ignored.")
    return settings


def _read_local_storage(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    entries, _ = load_json_file(path)
    if not isinstance(entries, list):
        raise SourceDataError(
            path, f"expected a JSON array of {{key, value}}, found {type(entries).__name__}"
        )
    result: dict[str, Any] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
            raise SourceDataError(path, "entry is not an object with a string 'key'", record=f"#{index}")
        result[entry["key"]] = entry.get("value")
    return result


def _read_config(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    config, _ = load_json_file(path)
    if not isinstance(config, dict):
        raise SourceDataError(path, f"expected a JSON object, found {type(config).__name__}")
    return config
