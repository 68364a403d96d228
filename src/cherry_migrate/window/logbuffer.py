"""The last lines logged by this process, kept in memory for the diagnostics bundle."""

from __future__ import annotations

import logging
import threading
from collections import deque

DEFAULT_CAPACITY = 1000
LOGGER_NAME = "cherry_migrate"


class RingBufferHandler(logging.Handler):
    """Keeps the newest ``capacity`` formatted records; older ones fall off."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, level: int = logging.INFO) -> None:
        super().__init__(level)
        self._lines: deque[str] = deque(maxlen=capacity)
        self._guard = threading.Lock()
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # a bad format string must not break the run that logged it
            self.handleError(record)
            return
        with self._guard:
            self._lines.append(line)

    def lines(self) -> list[str]:
        with self._guard:
            return list(self._lines)


def install(capacity: int = DEFAULT_CAPACITY) -> RingBufferHandler:
    """Attach a buffer to the package logger and let the package's INFO records through. The root
    handlers (the console) are pinned to the root level first, so the console shows what it did
    before."""
    root = logging.getLogger()
    for console in root.handlers:
        if console.level == logging.NOTSET:
            console.setLevel(root.getEffectiveLevel())
    handler = RingBufferHandler(capacity)
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)
    return handler


def uninstall(handler: RingBufferHandler) -> None:
    logging.getLogger(LOGGER_NAME).removeHandler(handler)
