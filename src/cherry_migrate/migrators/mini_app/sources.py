"""Gathering v1 mini-apps: the Redux ``minapps`` lists plus ``Data/Files/custom-minapps.json``.

v1 keeps the complete records of custom apps (with their logos) in ``custom-minapps.json`` and strips
logos from Redux, which only says where each app is listed. The file is written before Redux is
updated, so it is the authority on which custom apps still exist when it was read whole:

* a custom app in the file but in no Redux list is restored as enabled, after the enabled list;
* a Redux record marked ``Custom`` that a complete file no longer holds was deleted in v1 and is
  skipped (``custom_app_deleted``);
* a custom app's data comes from the file, overlaid on its Redux record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cherry_migrate.core.accounting import Ledger
from cherry_migrate.core.errors import SourceDataError
from cherry_migrate.migrators.mappings.mini_app import (
    MINI_APP_ID,
    STATUS_PRIORITY,
    MiniAppFields,
    legacy_safe_app_id,
    mini_app_fields,
)
from cherry_migrate.sources.json_file import load_json_file

CUSTOM_APPS_FILE = "custom-minapps.json"
CUSTOM_APPS_KIND = "file:custom-minapps.json"


def list_kind(status: str) -> str:
    return f"redux:minapps.{status}"


@dataclass
class CustomApps:
    """The valid records of ``custom-minapps.json`` by id, in file order."""

    apps: dict[str, dict[str, Any]] = field(default_factory=dict)
    authoritative: bool = False
    """True when the file was read whole and every entry was valid."""
    warnings: list[str] = field(default_factory=list)


def read_custom_apps(files_dir: Path | None, ledger: Ledger) -> CustomApps:
    """Read the side file. Unlike the main sources it is optional (v1 itself shrugs off a broken one),
    so an unreadable file is a warning, never a failed run; it is never renamed or touched."""
    result = CustomApps()
    path = files_dir / CUSTOM_APPS_FILE if files_dir is not None else None
    if path is not None and path.is_symlink():
        # Following it could read a file outside the legacy data folder.
        result.warnings.append(
            f"{CUSTOM_APPS_FILE} is a symbolic link and was ignored; custom app logos are lost."
        )
        return result
    if path is None or not path.is_file():
        return result
    try:
        data, _ = load_json_file(path)
    except SourceDataError as exc:
        result.warnings.append(f"{CUSTOM_APPS_FILE} was ignored: {exc.problem}; custom app logos are lost.")
        return result
    if not isinstance(data, list):
        result.warnings.append(
            f"{CUSTOM_APPS_FILE} was ignored: it holds a {type(data).__name__}, not a list."
        )
        return result
    valid = True
    for index, entry in enumerate(data):
        ledger.read(CUSTOM_APPS_KIND)
        app_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(app_id, str) or not app_id:
            ledger.skip(CUSTOM_APPS_KIND, "missing_id", f"#{index}")
            valid = False
        elif app_id in result.apps:
            ledger.skip(
                CUSTOM_APPS_KIND, "duplicate_id", app_id, detail="the first record with this id is kept"
            )
        else:
            result.apps[app_id] = entry
    result.authoritative = valid
    return result


@dataclass(frozen=True)
class PlannedApp:
    app_id: str
    status: str
    custom: bool
    fields: MiniAppFields


@dataclass(frozen=True)
class _Candidate:
    status: str
    kind: str
    position: str
    record: Any


class MiniAppPlanner:
    """Turns the lists and the side file into one row per app, recording every source record."""

    def __init__(self, ledger: Ledger, custom_apps: CustomApps) -> None:
        self.ledger = ledger
        self.custom = custom_apps
        self.remapped: dict[str, str] = {}
        self._custom_accounted: set[str] = set()

    def plan(self, state: Mapping[str, Any]) -> list[PlannedApp]:
        candidates = self._candidates(state)
        taken = {
            c.record["id"]
            for c in candidates
            if isinstance(c.record, dict)
            and isinstance(c.record.get("id"), str)
            and MINI_APP_ID.match(c.record["id"])
        }
        planned: dict[str, PlannedApp] = {}
        for candidate in candidates:
            app = self._plan_one(candidate, taken)
            if app is None:
                continue
            if app.app_id not in planned:
                planned[app.app_id] = app
            self._written(candidate)
        return list(planned.values())

    def _candidates(self, state: Mapping[str, Any]) -> list[_Candidate]:
        lists = {status: self._list(state.get(status), status) for status in STATUS_PRIORITY}
        listed_ids = {r.get("id") for records in lists.values() for r in records if isinstance(r, dict)}
        candidates: list[_Candidate] = []
        for status in STATUS_PRIORITY:
            kind = list_kind(status)
            candidates += [_Candidate(status, kind, f"{status}[{i}]", r) for i, r in enumerate(lists[status])]
            if status == "enabled":
                candidates += [
                    _Candidate("enabled", CUSTOM_APPS_KIND, app_id, record)
                    for app_id, record in self.custom.apps.items()
                    if app_id not in listed_ids
                ]
        return candidates

    def _list(self, value: Any, status: str) -> list[Any]:
        if value is None:
            return []
        if isinstance(value, list):
            return value
        kind = list_kind(status)
        self.ledger.read(kind)
        self.ledger.skip(kind, "not_a_list", status, detail=f"expected a list, found {type(value).__name__}")
        return []

    def _plan_one(self, candidate: _Candidate, taken: set[str]) -> PlannedApp | None:
        if candidate.kind != CUSTOM_APPS_KIND:
            self.ledger.read(candidate.kind)
        record = candidate.record
        legacy_id = record.get("id") if isinstance(record, dict) else None
        if not isinstance(legacy_id, str) or not legacy_id:
            self._skip(candidate, "missing_id", candidate.position)
            return None
        sidecar = self.custom.apps.get(legacy_id)
        if sidecar is None and record.get("type") == "Custom" and self.custom.authoritative:
            self._skip(candidate, "custom_app_deleted", legacy_id, f"no longer in {CUSTOM_APPS_FILE}")
            return None
        custom = sidecar is not None or record.get("type") == "Custom"
        source = {**record, **sidecar} if sidecar is not None else record
        app_id = legacy_id
        if not MINI_APP_ID.match(legacy_id):
            if not custom:
                self._skip(candidate, "invalid_id", legacy_id, "v2 accepts letters, digits, '_' and '-'")
                return None
            app_id = self.remapped.get(legacy_id) or legacy_safe_app_id(legacy_id, taken)
            self.remapped[legacy_id] = app_id
        fields = mini_app_fields(source, app_id, custom)
        if fields is None:
            self._skip(candidate, "missing_name_or_url", legacy_id)
            return None
        return PlannedApp(app_id=app_id, status=candidate.status, custom=custom, fields=fields)

    def _written(self, candidate: _Candidate) -> None:
        self.ledger.written(candidate.kind)
        self._account_custom(candidate, None)

    def _skip(self, candidate: _Candidate, reason: str, record_id: str, detail: str | None = None) -> None:
        self.ledger.skip(candidate.kind, reason, record_id, detail=detail)
        self._account_custom(candidate, (reason, record_id, detail))

    def _account_custom(self, candidate: _Candidate, skipped: tuple[str, str, str | None] | None) -> None:
        """A side-file record that backs a Redux record shares its fate, once."""
        if candidate.kind == CUSTOM_APPS_KIND or not isinstance(candidate.record, dict):
            return
        app_id = candidate.record.get("id")
        if not isinstance(app_id, str) or app_id not in self.custom.apps or app_id in self._custom_accounted:
            return
        self._custom_accounted.add(app_id)
        if skipped is None:
            self.ledger.written(CUSTOM_APPS_KIND)
        else:
            reason, record_id, detail = skipped
            self.ledger.skip(CUSTOM_APPS_KIND, reason, record_id, detail=detail)
