"""Cooperative cancellation: migrators check the token between batches, so a cancel stops a run within
about one batch."""

from __future__ import annotations

import threading

from cherry_migrate.core.errors import MigrationCancelledError


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise MigrationCancelledError()
