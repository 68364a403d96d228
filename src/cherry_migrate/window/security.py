"""Who may talk to the window's API.

The server listens on 127.0.0.1 only, but any local program and any web page the user visits can
reach 127.0.0.1. So, before routing:

* every request under ``/api/`` must carry the per-launch token (``Authorization: Bearer …``);
  without it the answer is 401, whatever the path (existing or not);
* the ``Host`` header must be ``127.0.0.1:PORT`` or ``localhost:PORT`` (defeats DNS rebinding: a
  page on ``evil.example`` that re-resolves to 127.0.0.1 still sends its own host name);
* an ``Origin`` header, when present, must be this app's own origin, and a browser's
  ``Sec-Fetch-Site`` must not be ``cross-site`` (a foreign page cannot drive the API even with a
  stolen token);
* state-changing endpoints are POST only (declared so in ``app``; GET on them answers 405).

The page itself (``/``, ``/static/…``, ``/i18n/…``) holds no secret; it gets the token from the URL
the launcher printed and sends it as a header. Host is checked there too.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import orjson

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

API_PREFIX = "/api/"
LOOPBACK_NAMES = ("127.0.0.1", "localhost")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    ),
]


def new_token() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class AccessPolicy:
    token: str
    port: int

    @property
    def allowed_hosts(self) -> frozenset[str]:
        return frozenset(f"{name}:{self.port}" for name in LOOPBACK_NAMES)

    @property
    def allowed_origins(self) -> frozenset[str]:
        return frozenset(f"http://{host}" for host in self.allowed_hosts)

    def token_ok(self, header: str | None) -> bool:
        if not header:
            return False
        scheme, _, value = header.partition(" ")
        return scheme.lower() == "bearer" and secrets.compare_digest(
            value.strip().encode(), self.token.encode()
        )

    def check(self, path: str, headers: dict[str, str]) -> tuple[int, str, str] | None:
        """None when the request may pass, else (status, error code, message)."""
        is_api = path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/")
        if is_api and not self.token_ok(headers.get("authorization")):
            return 401, "unauthorized", "Missing or wrong session token."
        if headers.get("host", "").lower() not in self.allowed_hosts:
            return 403, "forbidden_host", "Requests must be addressed to this computer's migration window."
        origin = headers.get("origin")
        if origin is not None and origin.lower() not in self.allowed_origins:
            return 403, "forbidden_origin", "Requests from other web pages are not accepted."
        if is_api and headers.get("sec-fetch-site") == "cross-site":
            return 403, "forbidden_origin", "Requests from other web pages are not accepted."
        return None


class GuardMiddleware:
    """Pure ASGI middleware (runs before routing, works with streaming responses)."""

    def __init__(self, app: ASGIApp, policy: AccessPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        refusal = self.policy.check(scope.get("path", ""), headers)
        if refusal is not None:
            status, code, message = refusal
            await _send_json(send, status, {"error": code, "message": message})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *SECURITY_HEADERS]
                if scope.get("path", "").startswith(API_PREFIX):
                    message["headers"].append((b"cache-control", b"no-store"))
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _send_json(send: Send, status: int, body: dict[str, str]) -> None:
    payload = orjson.dumps(body)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        (b"cache-control", b"no-store"),
        *SECURITY_HEADERS,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
