"""One merged legacy assistant → the values of its v2 ``assistant`` row and its references.

Pure: nothing here reads ``shared_data`` or the target. References (MCP servers, knowledge bases, tags,
groups) are extracted with their legacy ids; the migrator resolves them in ``execute``. Dropped legacy
fields: ``type``, ``messages`` (preset examples), ``topics`` (chat migrator), ``content``/
``targetLanguage``, ``enableGenerateImage``, ``enableUrlContext``, ``knowledgeRecognition``,
``webSearchProviderId``, ``enableMemory``, ``regularPhrases`` (prompt migrator).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cherry_migrate.migrators.mappings.assistant_settings import sanitize_settings
from cherry_migrate.migrators.mappings.provider_model import (
    CHERRYAI_DEFAULT_MODEL_ID,
    CHERRYAI_PROVIDER_ID,
    MODEL_ID_SEPARATOR,
    unique_model_id,
)

UNNAMED_ASSISTANT = "Unnamed Assistant"
DEFAULT_EMOJI = "🌟"
CHERRYAI_DEFAULT_MODEL_REF = unique_model_id(CHERRYAI_PROVIDER_ID, CHERRYAI_DEFAULT_MODEL_ID)


def legacy_model_ref(model: Any) -> str | None:
    """``provider::model`` for a legacy ``{id, provider}`` model object, or None when it is not one.

    An id that already holds ``::`` is taken as a complete reference; a provider holding ``::`` makes
    the reference ambiguous and is refused. Any CherryAI model becomes the CherryAI default model that
    the provider migrator seeds (v1's own CherryAI models are not migrated).
    """
    if not isinstance(model, Mapping):
        return None
    provider, model_id = model.get("provider"), model.get("id")
    provider = provider.strip() if isinstance(provider, str) else ""
    model_id = model_id.strip() if isinstance(model_id, str) else ""
    if provider == CHERRYAI_PROVIDER_ID:
        return CHERRYAI_DEFAULT_MODEL_REF
    if not provider or not model_id:
        return None
    if MODEL_ID_SEPARATOR in model_id:
        ref = model_id
    elif MODEL_ID_SEPARATOR in provider:
        return None
    else:
        ref = unique_model_id(provider, model_id)
    return (
        CHERRYAI_DEFAULT_MODEL_REF if ref.startswith(f"{CHERRYAI_PROVIDER_ID}{MODEL_ID_SEPARATOR}") else ref
    )


@dataclass(frozen=True)
class Reference:
    """One entry of a reference list: its legacy value, or why it cannot be used."""

    position: int
    value: str | None
    skip_reason: str | None = None


@dataclass
class TransformedAssistant:
    legacy_id: str
    name: str
    prompt: str
    emoji: str
    description: str
    model_ref: str | None
    settings: dict[str, Any]
    mcp_servers: list[Reference] = field(default_factory=list)
    knowledge_bases: list[Reference] = field(default_factory=list)
    tags: list[Reference] = field(default_factory=list)
    groups: list[Reference] = field(default_factory=list)
    """Only the first usable group is kept (v2 has one group per assistant); the rest carry a reason."""
    invalid_settings: list[str] = field(default_factory=list)
    unknown_settings: list[str] = field(default_factory=list)
    wrong_type_fields: list[str] = field(default_factory=list)
    """Top-level fields whose value had the wrong type and was replaced by the default."""
    malformed_model: bool = False
    """A model object was present but none of them formed a ``provider::model`` reference."""


class _FieldReader:
    """Reads typed top-level fields, noting the names of those that hold the wrong type."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.wrong: list[str] = []

    def value(self, key: str, expected: type | tuple[type, ...]) -> Any:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, expected):
            return value
        self.wrong.append(key)
        return None


def _id_of_entry(entry: Any) -> str | None:
    """The id of a legacy ``mcpServers``/``knowledge_bases`` entry (a full object, or a bare id)."""
    raw = entry.get("id") if isinstance(entry, Mapping) else entry
    return raw if isinstance(raw, str) and raw.strip() else None


def _tag_name(entry: Any) -> str | None:
    return entry if isinstance(entry, str) and entry.strip() else None


def _references(
    entries: list[Any] | None, extract: Callable[[Any], str | None], invalid: str, duplicate: str
) -> list[Reference]:
    seen: set[str] = set()
    refs: list[Reference] = []
    for position, entry in enumerate(entries or []):
        value = extract(entry)
        if value is None:
            refs.append(Reference(position, None, invalid))
        elif value in seen:
            refs.append(Reference(position, value, duplicate))
        else:
            seen.add(value)
            refs.append(Reference(position, value))
    return refs


def _group_references(raw: Any) -> list[Reference]:
    entries = [raw] if isinstance(raw, str) else raw
    refs = _references(entries, _tag_name, "invalid_group", "duplicate_group")
    kept = False
    for index, ref in enumerate(refs):
        if ref.skip_reason is None:
            if kept:
                refs[index] = Reference(ref.position, ref.value, "extra_group")
            kept = True
    return refs


def _model_reference(data: Mapping[str, Any], settings: Mapping[str, Any]) -> tuple[str | None, bool]:
    """The first usable of ``model``, ``defaultModel`` and ``settings.defaultModel``; and whether a
    model object was present without forming a reference."""
    candidates = [data.get("model"), data.get("defaultModel"), settings.get("defaultModel")]
    present = [c for c in candidates if c is not None and c != {}]
    for candidate in present:
        ref = legacy_model_ref(candidate)
        if ref is not None:
            return ref, False
    return None, bool(present)


def transform_assistant(legacy_id: str, data: Mapping[str, Any]) -> TransformedAssistant:
    """The v2 values of one merged legacy assistant (see the module docstring for what is dropped)."""
    fields = _FieldReader(data)
    name = fields.value("name", str)
    prompt = fields.value("prompt", str)
    emoji = fields.value("emoji", str)
    description = fields.value("description", str)
    legacy_settings: dict[str, Any] = dict(fields.value("settings", Mapping) or {})
    mcp_entries = fields.value("mcpServers", list)
    kb_entries = fields.value("knowledge_bases", list)
    tag_entries = fields.value("tags", list)
    group_entries = fields.value("group", (list, str))
    # v1 kept these two on the assistant itself; v2 has them in the settings.
    for key in ("mcpMode", "enableWebSearch"):
        if data.get(key) is not None:
            legacy_settings[key] = data[key]
    sanitized = sanitize_settings(legacy_settings)
    model_ref, malformed_model = _model_reference(data, legacy_settings)
    return TransformedAssistant(
        legacy_id=legacy_id,
        name=name if name and name.strip() else UNNAMED_ASSISTANT,
        prompt=prompt or "",
        emoji=emoji if emoji and emoji.strip() else DEFAULT_EMOJI,
        description=description or "",
        model_ref=model_ref,
        settings=sanitized.settings,
        mcp_servers=_references(mcp_entries, _id_of_entry, "invalid_reference", "duplicate_reference"),
        knowledge_bases=_references(kb_entries, _id_of_entry, "invalid_reference", "duplicate_reference"),
        tags=_references(tag_entries, _tag_name, "invalid_tag", "duplicate_tag"),
        groups=_group_references(group_entries),
        invalid_settings=sanitized.invalid_keys,
        unknown_settings=sanitized.unknown_keys,
        wrong_type_fields=fields.wrong,
        malformed_model=malformed_model,
    )
