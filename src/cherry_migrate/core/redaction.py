"""Keeping secrets out of logs, reports and diagnostics.

Two nets: values a migrator has seen in a secret-bearing field are registered and masked wherever they
appear in text (``SecretRegistry``), and mappings are scrubbed by key name (``scrub_mapping``) before
they are serialised for a person to read.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from typing import Any

MASK = "«redacted»"
SECRET_KEY_PATTERN = re.compile(
    r"(api[_-]?keys?|secret|secret[_-]?key|token|password|passwd|pass|passphrase|authorization"
    r"|access[_-]?key|credentials?|cookie)$",
    re.IGNORECASE,
)
"""A key name that holds a secret: the secret word ends the name (``apiKey``, ``webdavPass``,
``notion.token``, ``x-api-key``), so names that merely contain one (``tokenflux_paintings``,
``maxTokens``, ``passThrough``) are not taken for secrets."""
_MIN_SECRET_LENGTH = 4


class SecretRegistry:
    """Secret values seen during a run; ``redact`` replaces every occurrence in a text."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def add(self, value: object) -> None:
        if isinstance(value, str) and len(value.strip()) >= _MIN_SECRET_LENGTH:
            with self._lock:
                if value not in self._values:
                    self._values.add(value)
                    self._pattern = None

    def add_from_mapping(self, data: object) -> None:
        """Register every string held under a secret-looking key, at any depth."""
        if isinstance(data, Mapping):
            for key, value in data.items():
                if isinstance(key, str) and SECRET_KEY_PATTERN.search(key):
                    self._add_all_strings(value)
                else:
                    self.add_from_mapping(value)
        elif isinstance(data, list):
            for item in data:
                self.add_from_mapping(item)

    def _add_all_strings(self, value: object) -> None:
        if isinstance(value, str):
            for part in re.split(r"[,\s]+", value):
                self.add(part)
            self.add(value)
        elif isinstance(value, Mapping):
            for v in value.values():
                self._add_all_strings(v)
        elif isinstance(value, list):
            for v in value:
                self._add_all_strings(v)

    def redact(self, text: str) -> str:
        with self._lock:
            if not self._values:
                return text
            if self._pattern is None:
                ordered = sorted(self._values, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(v) for v in ordered))
            pattern = self._pattern
        return pattern.sub(MASK, text)


def scrub_mapping(data: Any) -> Any:
    """A copy of ``data`` with every string under a secret-looking key replaced by a mask."""
    if isinstance(data, Mapping):
        return {k: (MASK if _is_secret_value(k, v) else scrub_mapping(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [scrub_mapping(v) for v in data]
    return data


def _is_secret_value(key: object, value: object) -> bool:
    """A non-empty string (or list of strings) under a secret-looking key; containers are walked."""
    if not (isinstance(key, str) and SECRET_KEY_PATTERN.search(key)):
        return False
    if isinstance(value, str):
        return bool(value)
    return isinstance(value, list) and any(isinstance(v, str) and v for v in value)


class RedactingFilter(logging.Filter):
    """Rewrites each log record's message with the registry's secrets masked."""

    def __init__(self, registry: SecretRegistry) -> None:
        super().__init__()
        self.registry = registry

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.registry.redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True
