"""The diagnostics ZIP a user can hand to support: what happened, without secrets or contents.

Upstream's bundle copied logs unredacted and users posted it publicly (#18129, #20301). Ours holds
only facts a support engineer needs, each file passed through three nets:

1. ``scrub_mapping``: every value under a secret-looking key (``apiKey``, ``token``, ``password``…);
2. the secret registry: every secret value found in the legacy settings, wherever it appears in text;
3. patterns: key formats (``sk-…``, ``ghp_…``, JWTs, ``Bearer …``, ``password=…``, credentials in
   URLs), long quoted text (could be a message), and the home folder (shortened to ``~``).

A final pattern check runs over each serialised file. ``manifest.json`` lists every file with its
size and checksum and states how many items each net removed.

Files: ``manifest.json``; ``environment.json`` (tool, Python, SQLite and OS versions, stage, version
check); ``counts.json`` (inventory counts, per-migrator status, the recent steps, totals);
``report.json`` (the run report beside the target, when there is one); ``log.txt`` (recent log lines).
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import sqlite3
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from cherry_migrate import __version__
from cherry_migrate.core.errors import MigrationError
from cherry_migrate.core.redaction import MASK, SECRET_KEY_PATTERN, SecretRegistry, scrub_mapping
from cherry_migrate.sources.base import KeyValueSource, LegacySources

FORMAT_VERSION = 1
TEXT_REMOVED = "«text removed»"
LONG_QUOTE = 80
"""Quoted text longer than this is treated as possible user content (a message, a prompt)."""
MAX_LOG_LINE = 2000

_NOT_MASKED = rf"(?![\"']?{re.escape(MASK)})"
SECRET_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    "keyValueAssignments": (
        re.compile(
            r"(?i)\b(api[_-]?keys?|apikey|access[_-]?token|auth[_-]?token|token|secret|client[_-]?secret"
            r"|password|passwd|pwd)\b([\"']?\s*[:=]\s*)"
            + _NOT_MASKED
            + r"(\"[^\"\n]*\"|'[^'\n]*'|[^\s\"',;&]{3,})"
        ),
        rf"\1\2{MASK}",
    ),
    "bearerTokens": (
        re.compile(r"(?i)\b(bearer|basic)\s+" + _NOT_MASKED + r"[A-Za-z0-9._~+/=-]{8,}"),
        rf"\1 {MASK}",
    ),
    "urlCredentials": (
        re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^\s/@:]+:[^\s/@]+@", re.IGNORECASE),
        rf"\1{MASK}@",
    ),
    "providerKeys": (
        re.compile(
            r"\b(?:sk-[A-Za-z0-9_-]{8,}|sk_[A-Za-z0-9_]{8,}|gh[pousr]_[A-Za-z0-9_]{8,}|github_pat_[A-Za-z0-9_]{8,}"
            r"|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{20,}|xox[abprs]-[A-Za-z0-9-]{8,}|hf_[A-Za-z0-9]{16,})"
        ),
        MASK,
    ),
    "jwts": (re.compile(r"\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}"), MASK),
}
_MIN = LONG_QUOTE + 1
_LONG_QUOTED = re.compile(
    rf"\"[^\"\n]{{{_MIN},}}\"|(?<![\w])'[^'\n]{{{_MIN},}}'(?![\w])|“[^”\n]{{{_MIN},}}”|「[^」\n]{{{_MIN},}}」"
)

NEVER_INCLUDED = [
    "API keys, tokens, passwords and other credentials",
    "message, note, prompt and translation contents",
    "the legacy data, its exports and the v2 database",
]


@dataclass
class DiagnosticsInput:
    """What the bundle describes; every field is sanitised before it is written."""

    stage: str
    report_file: Path | None
    environment: dict[str, Any]
    counts: dict[str, Any]
    log_lines: list[str]
    secrets: SecretRegistry
    home: Path | None = field(default_factory=Path.home)


@dataclass(frozen=True)
class DiagnosticsResult:
    path: Path
    manifest: dict[str, Any]


class Sanitizer:
    """Applies the nets of the module docstring and counts what each removed."""

    def __init__(self, secrets: SecretRegistry, home: Path | None) -> None:
        self.secrets = secrets
        self.home = str(home) if home is not None and len(str(home)) > 1 else None
        self.removed: Counter[str] = Counter()

    def text(self, text: str) -> str:
        before = text.count(MASK)
        text = self.secrets.redact(text)
        self.removed["knownSecretValues"] += text.count(MASK) - before
        for name, (pattern, replacement) in SECRET_PATTERNS.items():
            text, n = pattern.subn(replacement, text)
            self.removed[f"pattern:{name}"] += n
        text, n = _LONG_QUOTED.subn(lambda m: m.group(0)[0] + TEXT_REMOVED + m.group(0)[-1], text)
        self.removed["longQuotedText"] += n
        if self.home:
            self.removed["homeFolder"] += text.count(self.home)
            text = text.replace(self.home, "~")
        return text

    def data(self, value: Any) -> Any:
        """A sanitised copy of a JSON-like value: secret keys scrubbed, then every string cleaned."""
        before = _count_masks(value)
        scrubbed = scrub_mapping(value)
        self.removed["valuesUnderSecretKeys"] += _count_masks(scrubbed) - before
        return self._walk(scrubbed)

    def _walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.text(str(k)): self._walk(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._walk(v) for v in value]
        return value

    def final_check(self, text: str) -> str:
        """The last net over a whole serialised file; anything it still finds is masked and counted.
        (``key = value`` assignments were handled string by string: over JSON text, replacing a
        quoted value could break the document.)"""
        checked = self.secrets.redact(text)
        for name, (pattern, replacement) in SECRET_PATTERNS.items():
            if name != "keyValueAssignments":
                checked = pattern.sub(replacement, checked)
        if checked != text:
            self.removed["finalCheck"] += max(1, checked.count(MASK) - text.count(MASK))
        return checked


def _count_masks(value: Any) -> int:
    if isinstance(value, str):
        return int(value == MASK)
    if isinstance(value, Mapping):
        return sum(_count_masks(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(_count_masks(v) for v in value)
    return 0


def collect_secrets(sources: LegacySources) -> SecretRegistry:
    """The secret values of the legacy settings (Redux slices, config.json, localStorage, Dexie
    settings). Unreadable slices are passed over; the pattern net still applies to them."""
    registry = SecretRegistry()
    for category in sources.redux.categories():
        try:
            _register_secrets(registry, _expand_json(sources.redux.get_category(category)))
        except (MigrationError, OSError, ValueError):
            continue
    stores: Iterable[KeyValueSource] = (sources.electron_store, sources.local_storage, sources.dexie_settings)
    for store in stores:
        keys = store.keys()
        _register_secrets(registry, {key: _expand_json(store.get(key)) for key in keys})
    return registry


def _register_secrets(registry: SecretRegistry, data: Any) -> None:
    """Register values held directly under a secret-looking key: a string, a list of strings, or a
    flat mapping of strings (``apiKeys: {provider: key}``). A key that merely contains such a word
    and holds records (``tokenflux_paintings: [...]``) is walked like any other, so prompts and ids
    in it are not mistaken for secrets and masked all over the bundle."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            if isinstance(key, str) and SECRET_KEY_PATTERN.search(key) and _is_secret_leaf(value):
                registry.add_from_mapping({key: value})
            else:
                _register_secrets(registry, value)
    elif isinstance(data, list):
        for item in data:
            _register_secrets(registry, item)


def _is_secret_leaf(value: Any) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return all(isinstance(v, str) for v in value)
    if isinstance(value, Mapping):
        return all(isinstance(v, str) for v in value.values())
    return False


def _expand_json(value: Any) -> Any:
    """Parse JSON text found inside values (localStorage and persist values nest JSON as strings)."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return _expand_json(orjson.loads(value))
        except orjson.JSONDecodeError:
            return value
    if isinstance(value, Mapping):
        return {k: _expand_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_json(v) for v in value]
    return value


def environment_facts() -> dict[str, Any]:
    return {
        "tool": {"name": "cherry-migrate", "version": __version__},
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": {"system": platform.system(), "release": platform.release(), "machine": platform.machine()},
    }


def default_diagnostics_path(directory: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return directory / f"cherry-migrate-diagnostics-{stamp}.zip"


def _read_report(path: Path | None) -> Any:
    if path is None or not path.is_file():
        return None
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {"unreadable": True}


def write_diagnostics(destination: Path, data: DiagnosticsInput) -> DiagnosticsResult:
    """Write the bundle to ``destination`` (through a ``.partial`` file, renamed when complete)."""
    sanitizer = Sanitizer(data.secrets, data.home)
    documents: list[tuple[str, str, str]] = []

    def add_json(name: str, description: str, value: Any) -> None:
        text = orjson.dumps(sanitizer.data(value), option=orjson.OPT_INDENT_2).decode()
        documents.append((name, description, sanitizer.final_check(text)))

    add_json(
        "environment.json",
        "Versions of the tool, Python, SQLite and the OS; the window's stage and version check.",
        {**environment_facts(), "stage": data.stage, **data.environment},
    )
    add_json("counts.json", "Record counts of the legacy data and per-migrator status.", data.counts)
    report = _read_report(data.report_file)
    if report is not None:
        add_json(
            "report.json", "The run report written beside the target (counts, skip reasons, ids).", report
        )
    log_text = "\n".join(sanitizer.text(line[:MAX_LOG_LINE]) for line in data.log_lines)
    documents.append(("log.txt", "Recent log lines of this session.", sanitizer.final_check(log_text + "\n")))

    manifest = {
        "formatVersion": FORMAT_VERSION,
        "generatedAt": datetime.now().astimezone().isoformat(timespec="seconds"),
        "tool": {"name": "cherry-migrate", "version": __version__},
        "files": [
            {
                "name": name,
                "bytes": len(text.encode()),
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
                "contents": description,
            }
            for name, description, text in documents
        ],
        "removed": {
            "description": "Items replaced by «redacted» or «text removed», by the net that caught them.",
            "counts": dict(sorted((k, v) for k, v in sanitizer.removed.items() if v)),
        },
        "neverIncluded": NEVER_INCLUDED,
    }
    manifest_text = sanitizer.final_check(orjson.dumps(manifest, option=orjson.OPT_INDENT_2).decode())

    partial = destination.with_name(destination.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", manifest_text)
            for name, _, text in documents:
                archive.writestr(name, text)
        os.replace(partial, destination)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    return DiagnosticsResult(destination, manifest)
