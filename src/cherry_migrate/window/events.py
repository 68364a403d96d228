"""Fan-out of state snapshots to Server-Sent-Event streams.

Snapshots are published from worker threads (the engine's progress callback, the backup writer) and
consumed by asyncio handlers, so each subscriber is an ``asyncio.Queue`` fed through its loop's
``call_soon_threadsafe``. A slow reader never blocks a run: when its queue is full the oldest
snapshot is dropped (each snapshot is complete, so only intermediate steps are lost).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from dataclasses import dataclass, field
from typing import Any

QUEUE_SIZE = 64

Event = dict[str, Any] | None
"""A snapshot, or None: the stream ends (the server is shutting down)."""


@dataclass(eq=False)
class Subscription:
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Event] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))

    def _put(self, event: Event) -> None:
        """Runs on the subscriber's loop."""
        if self.queue.full():
            self.queue.get_nowait()
        self.queue.put_nowait(event)

    def deliver(self, event: Event) -> None:
        with contextlib.suppress(RuntimeError):  # a closed loop: the reader is gone
            self.loop.call_soon_threadsafe(self._put, event)

    async def next(self, timeout: float) -> tuple[bool, Event]:
        """``(True, event)``, or ``(False, None)`` when nothing came within ``timeout`` seconds."""
        try:
            return True, await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return False, None


class EventBroker:
    def __init__(self) -> None:
        self._subscribers: set[Subscription] = set()
        self._lock = threading.Lock()
        self._closed = False

    def subscribe(self) -> Subscription:
        """Call from the event loop that will read the subscription."""
        subscription = Subscription(asyncio.get_running_loop())
        with self._lock:
            if self._closed:
                subscription.deliver(None)
            else:
                self._subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscribers.discard(subscription)

    def publish(self, event: dict[str, Any]) -> None:
        with self._lock:
            targets = list(self._subscribers)
        for subscription in targets:
            subscription.deliver(event)

    def close(self) -> None:
        """End every stream; later subscribers get an ended stream at once."""
        with self._lock:
            self._closed = True
            targets = list(self._subscribers)
            self._subscribers.clear()
        for subscription in targets:
            subscription.deliver(None)

    @property
    def subscriber_count(self) -> int:
        with self._lock:
            return len(self._subscribers)
