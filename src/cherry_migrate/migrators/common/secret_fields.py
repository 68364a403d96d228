"""Registering the values of free-form string maps (environment variables, HTTP headers) as secrets.

Their keys are arbitrary (``DIFY_KEY``, ``X-Api-Key``), so the registry's key-name rule misses some; but
registering every value would also mask words such as ``true`` or ``Cherry Studio`` in every log line.
A value is taken as a secret when its key names a credential, or when it looks like a token: long and
without spaces.
"""

from __future__ import annotations

import re

from cherry_migrate.core.redaction import SecretRegistry

_CREDENTIAL_KEY = re.compile(r"key|auth|pass|secret|token|cred|cookie|session|signature", re.IGNORECASE)
TOKEN_MIN_LENGTH = 12


def looks_secret(key: str, value: str) -> bool:
    if _CREDENTIAL_KEY.search(key):
        return True
    return len(value) >= TOKEN_MIN_LENGTH and not any(c.isspace() for c in value)


def register_string_map(values: dict[str, str] | None, secrets: SecretRegistry) -> None:
    """Register the secret-looking values of ``values``; a ``Bearer <token>`` value registers both."""
    for key, value in (values or {}).items():
        if looks_secret(key, value):
            secrets.add(value)
            for part in value.split():
                secrets.add(part)
