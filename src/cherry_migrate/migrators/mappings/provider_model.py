"""Rules for turning Redux ``llm.providers[]`` and their ``models[]`` into ``user_provider`` / ``user_model``
values (migrators.md §3.6; legacy shapes in legacy-sources.md §2.4.2).

Pure functions: no database, no logging. Anything dropped on the way is reported through a
:class:`WarningLog` by record id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cherry_migrate.core.ids import new_uuid4
from cherry_migrate.db.bulk import to_json
from cherry_migrate.migrators.common.coerce import (
    nonblank_str,
    opt_bool,
    opt_dict,
    opt_list,
    opt_number,
    opt_str,
    opt_str_dict,
)
from cherry_migrate.migrators.common.warning_log import WarningLog

MODEL_ID_SEPARATOR = "::"

CHERRYAI_PROVIDER_ID = "cherryai"
CHERRYAI_PROVIDER_NAME = "CherryAI"
CHERRYAI_API_BASE_URL = "https://api.cherry-ai.com"
CHERRYAI_DEFAULT_MODEL_ID = "qwen"
CHERRYAI_DEFAULT_MODEL_NAME = "Qwen"
CHERRYAI_DEFAULT_MODEL_GROUP = "Qwen"

RETIRED_PROVIDER_IDS = frozenset({"cephalon", "tokenflux"})
"""System providers v2 no longer offers; their rows and models are reported as skipped."""

# v2 endpoint types (provider registry ``ENDPOINT_TYPE``).
OPENAI_CHAT_COMPLETIONS = "openai-chat-completions"
OPENAI_RESPONSES = "openai-responses"
ANTHROPIC_MESSAGES = "anthropic-messages"
GOOGLE_GENERATE_CONTENT = "google-generate-content"
OPENAI_IMAGE_GENERATION = "openai-image-generation"
JINA_RERANK = "jina-rerank"
OLLAMA_CHAT = "ollama-chat"
OPENAI_EMBEDDINGS = "openai-embeddings"
OPENAI_IMAGE_EDIT = "openai-image-edit"

ENDPOINT_BY_LEGACY_TYPE: dict[str, str] = {
    "openai": OPENAI_CHAT_COMPLETIONS,
    "openai-response": OPENAI_RESPONSES,
    "anthropic": ANTHROPIC_MESSAGES,
    "gemini": GOOGLE_GENERATE_CONTENT,
    "azure-openai": OPENAI_CHAT_COMPLETIONS,
    "vertexai": GOOGLE_GENERATE_CONTENT,
    "image-generation": OPENAI_IMAGE_GENERATION,
    "jina-rerank": JINA_RERANK,
    "new-api": OPENAI_CHAT_COMPLETIONS,
    "gateway": OPENAI_CHAT_COMPLETIONS,
    "ollama": OLLAMA_CHAT,
}
"""Legacy ``provider.type`` / model ``endpoint_type`` → v2 endpoint type."""

PROVIDER_TYPES_WITHOUT_DEFAULT_ENDPOINT = frozenset({"aws-bedrock"})

ADAPTER_FAMILY_BY_LEGACY_TYPE: dict[str, str] = {
    "openai": "openai-compatible",
    "openai-response": "open-responses",
    "anthropic": "anthropic",
    "gemini": "google",
    "new-api": "newapi",
    "gateway": "gateway",
    "ollama": "ollama",
}
"""Routing hint stored on endpoint configs, so custom providers keep the protocol v1 used for them."""

SYSTEM_PROVIDER_IDS = frozenset(
    {
        "cherryin", "silicon", "aihubmix", "ocoolai", "deepseek", "ppio", "alayanew", "qiniu", "dmxapi",
        "burncloud", "302ai", "lanyun", "ph8", "openrouter", "ollama", "ovms", "new-api", "lmstudio",
        "anthropic", "openai", "azure-openai", "gemini", "vertexai", "github", "copilot", "zhipu", "yi",
        "moonshot", "baichuan", "dashscope", "stepfun", "doubao", "infini", "minimax", "groq", "together",
        "fireworks", "nvidia", "grok", "hyperbolic", "mistral", "jina", "perplexity", "modelscope",
        "xirang", "hunyuan", "tencent-cloud-ti", "baidu-cloud", "gpustack", "voyageai", "aws-bedrock",
        "poe", "aionly", "longcat", "huggingface", "sophnet", "gateway", "cerebras", "mimo", "gitee-ai",
        "minimax-global", "zai", "opencode",
    }
)  # fmt: skip
"""Provider ids that have a v2 preset of the same name (after :data:`PRESET_PROVIDER_ALIASES`)."""

PRESET_PROVIDER_ALIASES: dict[str, str] = {"zai": "zhipu", "minimax-global": "minimax"}

PRESET_PROVIDER_BY_TYPE: dict[str, str] = {
    "azure-openai": "azure-openai",
    "aws-bedrock": "aws-bedrock",
    "vertexai": "vertexai",
    "vertex-anthropic": "vertexai",
    "ollama": "ollama",
}
"""Custom providers of these legacy types still inherit the preset of their protocol."""

KEEP_ALIVE_SETTINGS_KEY: dict[str, str] = {"ollama": "ollama", "lmstudio": "lmstudio", "gpustack": "gpustack"}

CAPABILITY_BY_LEGACY_TYPE: dict[str, str] = {
    "vision": "image-recognition",
    "reasoning": "reasoning",
    "function_calling": "function-call",
    "embedding": "embedding",
    "rerank": "rerank",
}
"""Legacy ModelType → v2 model capability. ``text`` and ``web_search`` have no v2 capability."""

CAPABILITIES_WITHOUT_V2_EQUIVALENT = frozenset({"text", "web_search"})

IMPLIED_CAPABILITY_BY_ENDPOINT: dict[str, str] = {
    JINA_RERANK: "rerank",
    OPENAI_EMBEDDINGS: "embedding",
    OPENAI_IMAGE_GENERATION: "image-generation",
    OPENAI_IMAGE_EDIT: "image-generation",
}
"""Endpoints that only serve one kind of model imply its capability."""

CURRENCY_BY_SYMBOL: dict[str, str] = {"": "USD", "$": "USD", "¥": "CNY", "￥": "CNY"}

_BARE_VERTEX_HOST = re.compile(
    r"^https?://([a-z0-9-]+-)?aiplatform\.googleapis\.com/?(v1(beta1)?/?)?$", re.IGNORECASE
)


def unique_model_id(provider_id: str, model_id: str) -> str:
    return f"{provider_id}{MODEL_ID_SEPARATOR}{model_id}"


@dataclass(frozen=True)
class ProviderValues:
    """``user_provider`` column values, JSON columns still as Python objects."""

    provider_id: str
    preset_provider_id: str | None
    name: str
    endpoint_configs: dict[str, dict[str, str]] | None
    default_chat_endpoint: str | None
    api_keys: list[dict[str, Any]]
    auth_config: dict[str, Any] | None
    provider_settings: dict[str, Any] | None
    is_enabled: bool


@dataclass(frozen=True)
class ModelValues:
    """``user_model`` column values, JSON columns still as Python objects."""

    id: str
    provider_id: str
    model_id: str
    name: str
    description: str | None
    group: str | None
    capabilities: list[str]
    endpoint_types: list[str] | None
    supports_streaming: bool
    pricing: dict[str, Any] | None


def resolve_preset_provider_id(provider_id: str, legacy_type: str | None) -> str | None:
    if provider_id in SYSTEM_PROVIDER_IDS:
        return PRESET_PROVIDER_ALIASES.get(provider_id, provider_id)
    return PRESET_PROVIDER_BY_TYPE.get(legacy_type or "")


def is_bare_vertex_host(host: str) -> bool:
    """The official Vertex host, which v2 derives by itself (keeping it would pin a default)."""
    return bool(_BARE_VERTEX_HOST.match(host.strip()))


def split_api_keys(value: object) -> list[str]:
    """v1 keeps several keys comma-separated in one ``apiKey`` string."""
    if not isinstance(value, str):
        return []
    return [key.strip() for key in value.split(",") if key.strip()]


def _is_aws_bedrock(provider_id: str, legacy_type: str | None) -> bool:
    return provider_id == "aws-bedrock" or legacy_type == "aws-bedrock"


def _is_azure_openai(provider_id: str, legacy_type: str | None) -> bool:
    return provider_id == "azure-openai" or legacy_type == "azure-openai"


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _endpoint_configs(
    legacy: dict[str, Any], legacy_type: str | None, endpoint: str | None
) -> dict[str, dict[str, str]] | None:
    configs: dict[str, dict[str, str]] = {}
    api_host = nonblank_str(legacy.get("apiHost"))
    if (
        api_host
        and endpoint is not None
        and not (opt_bool(legacy.get("isVertex")) and is_bare_vertex_host(api_host))
    ):
        configs[endpoint] = {"baseUrl": api_host}
    anthropic_host = nonblank_str(legacy.get("anthropicApiHost"))
    if anthropic_host:
        configs.setdefault(ANTHROPIC_MESSAGES, {})["baseUrl"] = anthropic_host
    family = ADAPTER_FAMILY_BY_LEGACY_TYPE.get(legacy_type or "")
    if family:
        # v1 relays of Anthropic's protocol were often typed 'openai': that endpoint keeps its own protocol.
        for key, config in configs.items():
            if key != ANTHROPIC_MESSAGES:
                config.setdefault("adapterFamily", family)
    return configs or None


def _api_keys(provider_id: str, legacy: dict[str, Any], settings: dict[str, Any]) -> list[dict[str, Any]]:
    aws = opt_dict(settings.get("awsBedrock")) or {}
    if _is_aws_bedrock(provider_id, opt_str(legacy.get("type"))) and aws.get("authType") == "apiKey":
        keys = split_api_keys(aws.get("apiKey"))
    else:
        keys = split_api_keys(legacy.get("apiKey"))
    return [{"id": new_uuid4(), "key": key, "isEnabled": True} for key in keys]


def _auth_config(provider_id: str, legacy: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    legacy_type = opt_str(legacy.get("type"))
    if opt_bool(legacy.get("isVertex")):
        vertex = opt_dict(settings.get("vertexai")) or {}
        account = opt_dict(vertex.get("serviceAccount"))
        credentials = (
            _without_none(
                {
                    "privateKey": opt_str(account.get("privateKey")),
                    "clientEmail": opt_str(account.get("clientEmail")),
                }
            )
            if account is not None
            else None
        )
        return _without_none(
            {
                "type": "iam-gcp",
                "project": opt_str(vertex.get("projectId")) or "",
                "location": opt_str(vertex.get("location")) or "",
                "credentials": credentials,
            }
        )
    if _is_aws_bedrock(provider_id, legacy_type):
        aws = opt_dict(settings.get("awsBedrock")) or {}
        region = opt_str(aws.get("region")) or ""
        if aws.get("authType") == "apiKey":
            return {"type": "api-key-aws", "region": region}
        return _without_none(
            {
                "type": "iam-aws",
                "region": region,
                "accessKeyId": opt_str(aws.get("accessKeyId")),
                "secretAccessKey": opt_str(aws.get("secretAccessKey")),
            }
        )
    if _is_azure_openai(provider_id, legacy_type):
        return {"type": "iam-azure", "apiVersion": opt_str(legacy.get("apiVersion")) or ""}
    cherry_in = opt_dict(settings.get("cherryIn")) or {}
    access, refresh = opt_str(cherry_in.get("accessToken")), opt_str(cherry_in.get("refreshToken"))
    if provider_id == "cherryin" and (access or refresh):
        return _without_none(
            {"type": "oauth", "clientId": "", "accessToken": access, "refreshToken": refresh}
        )
    if legacy.get("authType") == "oauth":
        # v1's Anthropic web login is gone in v2; the user pastes a key instead.
        if provider_id == "anthropic" or legacy_type == "anthropic":
            return {"type": "api-key"}
        return {"type": "oauth", "clientId": ""}
    return {"type": "api-key"}


def _api_features(legacy: dict[str, Any]) -> dict[str, bool]:
    """v1's ``isNotSupport*`` flags inverted into v2 feature flags (only the flags v1 recorded)."""
    options = opt_dict(legacy.get("apiOptions")) or {}

    def first_bool(*values: object) -> bool | None:
        return next((v for v in values if isinstance(v, bool)), None)

    def negated(value: bool | None) -> bool | None:
        return None if value is None else not value

    features = {
        "arrayContent": negated(
            first_bool(options.get("isNotSupportArrayContent"), legacy.get("isNotSupportArrayContent"))
        ),
        "streamOptions": negated(
            first_bool(options.get("isNotSupportStreamOptions"), legacy.get("isNotSupportStreamOptions"))
        ),
        "developerRole": first_bool(
            options.get("isSupportDeveloperRole"),
            negated(first_bool(legacy.get("isNotSupportDeveloperRole"))),
        ),
        "serviceTier": first_bool(
            options.get("isSupportServiceTier"), negated(first_bool(legacy.get("isNotSupportServiceTier")))
        ),
        "verbosity": negated(first_bool(options.get("isNotSupportVerbosity"))),
    }
    return {key: value for key, value in features.items() if value is not None}


def _provider_settings(
    provider_id: str, legacy: dict[str, Any], settings: dict[str, Any]
) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    keep_alive_key = KEEP_ALIVE_SETTINGS_KEY.get(provider_id)
    if keep_alive_key:
        keep_alive = opt_number((opt_dict(settings.get(keep_alive_key)) or {}).get("keepAliveTime"))
        if keep_alive is not None:
            values["keepAliveTime"] = keep_alive
    for source, target in (("serviceTier", "serviceTier"), ("verbosity", "verbosity"), ("notes", "notes")):
        text = nonblank_str(legacy.get(source))
        if text:
            values[target] = text
    rate_limit = opt_number(legacy.get("rateLimit"))
    if rate_limit is not None:
        values["rateLimit"] = rate_limit
    headers = opt_str_dict(legacy.get("extra_headers"))
    if headers:
        values["extraHeaders"] = headers
    cache = opt_dict(legacy.get("anthropicCacheControl"))
    if cache is not None:
        values["cacheControl"] = _without_none(
            {
                "enabled": True,
                "tokenThreshold": cache.get("tokenThreshold"),
                "cacheSystemMessage": cache.get("cacheSystemMessage"),
                "cacheLastNMessages": cache.get("cacheLastNMessages"),
            }
        )
    # The target schema has no api_features column: v1's request-shaping flags travel here.
    features = _api_features(legacy)
    if features:
        values["apiFeatures"] = features
    return values or None


def transform_provider(
    provider_id: str, legacy: dict[str, Any], settings: dict[str, Any], warnings: WarningLog
) -> ProviderValues:
    """``legacy`` is one ``llm.providers[]`` entry with a valid id; ``settings`` is ``llm.settings``."""
    legacy_type = opt_str(legacy.get("type"))
    endpoint = ENDPOINT_BY_LEGACY_TYPE.get(legacy_type or "")
    if legacy_type and endpoint is None and legacy_type not in PROVIDER_TYPES_WITHOUT_DEFAULT_ENDPOINT:
        warnings.add(f"Provider type '{legacy_type}' has no v2 endpoint; endpoint left unset", provider_id)
    name = nonblank_str(legacy.get("name"))
    if name is None:
        warnings.add("Provider without a name; its id is used as the name", provider_id)
    enabled = opt_bool(legacy.get("enabled"))
    return ProviderValues(
        provider_id=provider_id,
        preset_provider_id=resolve_preset_provider_id(provider_id, legacy_type),
        name=name or provider_id,
        endpoint_configs=_endpoint_configs(legacy, legacy_type, endpoint),
        default_chat_endpoint=endpoint,
        api_keys=_api_keys(provider_id, legacy, settings),
        auth_config=_auth_config(provider_id, legacy, settings),
        provider_settings=_provider_settings(provider_id, legacy, settings),
        is_enabled=True if enabled is None else enabled,
    )


def _endpoint_types(legacy: dict[str, Any], model_key: str, warnings: WarningLog) -> list[str] | None:
    supported = opt_list(legacy.get("supported_endpoint_types"))
    single = nonblank_str(legacy.get("endpoint_type"))
    sources = supported if supported is not None else ([single] if single else [])
    mapped: list[str] = []
    for value in sources:
        if not isinstance(value, str) or not value.strip():
            continue
        endpoint = ENDPOINT_BY_LEGACY_TYPE.get(value.strip().lower())
        if endpoint is None:
            warnings.add(f"Unknown model endpoint type '{value}' dropped", model_key)
        elif endpoint not in mapped:
            mapped.append(endpoint)
    return mapped or None


def _capabilities(
    legacy: dict[str, Any], endpoint_types: list[str] | None, model_key: str, warnings: WarningLog
) -> list[str]:
    """v1 ``capabilities`` (with ``isUserSelected``) and the older ``type`` list, as v2 capabilities.

    A capability the user switched off (``isUserSelected: false``) wins over any other mention and is
    not re-added by the endpoint either.
    """
    entries: list[tuple[object, object]] = [(kind, True) for kind in opt_list(legacy.get("type")) or []]
    for item in opt_list(legacy.get("capabilities")) or []:
        if isinstance(item, dict):
            entries.append((item.get("type"), item.get("isUserSelected")))
    disabled = {
        CAPABILITY_BY_LEGACY_TYPE[kind]
        for kind, selected in entries
        if isinstance(kind, str) and kind in CAPABILITY_BY_LEGACY_TYPE and selected is False
    }
    mapped: list[str] = []
    for kind, _selected in entries:
        if not isinstance(kind, str):
            continue
        capability = CAPABILITY_BY_LEGACY_TYPE.get(kind)
        if capability is None:
            if kind not in CAPABILITIES_WITHOUT_V2_EQUIVALENT:
                warnings.add(f"Unknown model capability '{kind}' dropped", model_key)
            continue
        if capability not in disabled and capability not in mapped:
            mapped.append(capability)
    implied = IMPLIED_CAPABILITY_BY_ENDPOINT.get(endpoint_types[0]) if endpoint_types else None
    if implied and implied not in disabled and implied not in mapped:
        mapped.append(implied)
    return mapped


def _pricing(legacy: dict[str, Any], model_key: str, warnings: WarningLog) -> dict[str, Any] | None:
    pricing = opt_dict(legacy.get("pricing"))
    if pricing is None:
        return None
    input_price = opt_number(pricing.get("input_per_million_tokens"))
    output_price = opt_number(pricing.get("output_per_million_tokens"))
    if input_price is None or output_price is None or (input_price == 0 and output_price == 0):
        return None  # v1 wrote 0/0 for "not set"
    symbol = opt_str(pricing.get("currencySymbol"))
    currency = CURRENCY_BY_SYMBOL.get((symbol or "").strip())
    if currency is None:
        warnings.add("Model pricing in a currency v2 cannot represent dropped", model_key)
        return None
    return {
        "input": {"perMillionTokens": input_price, "currency": currency},
        "output": {"perMillionTokens": output_price, "currency": currency},
    }


def transform_model(
    provider_id: str, model_id: str, legacy: dict[str, Any], warnings: WarningLog
) -> ModelValues:
    """``legacy`` is one ``models[]`` entry with a valid id, migrated under ``provider_id``."""
    key = unique_model_id(provider_id, model_id)
    endpoint_types = _endpoint_types(legacy, key, warnings)
    streaming = opt_bool(legacy.get("supported_text_delta"))
    return ModelValues(
        id=key,
        provider_id=provider_id,
        model_id=model_id,
        name=nonblank_str(legacy.get("name")) or model_id,
        description=opt_str(legacy.get("description")),
        group=opt_str(legacy.get("group")),
        capabilities=_capabilities(legacy, endpoint_types, key, warnings),
        endpoint_types=endpoint_types,
        supports_streaming=True if streaming is None else streaming,
        pricing=_pricing(legacy, key, warnings),
    )


PROVIDER_COLUMNS = (
    "provider_id",
    "preset_provider_id",
    "name",
    "logo_key",
    "endpoint_configs",
    "default_chat_endpoint",
    "api_keys",
    "auth_config",
    "provider_settings",
    "is_enabled",
    "order_key",
    "created_at",
    "updated_at",
)
MODEL_COLUMNS = (
    "id",
    "provider_id",
    "model_id",
    "name",
    "description",
    "group",
    "capabilities",
    "endpoint_types",
    "supports_streaming",
    "pricing",
    "is_enabled",
    "is_hidden",
    "order_key",
    "created_at",
    "updated_at",
)


def _json_or_none(value: object) -> str | None:
    return None if value is None else to_json(value)


def provider_row(values: ProviderValues, order_key: str, now_ms: int) -> tuple[object, ...]:
    """A ``user_provider`` row in :data:`PROVIDER_COLUMNS` order. The logo is a file ref, not a key."""
    return (
        values.provider_id,
        values.preset_provider_id,
        values.name,
        None,
        _json_or_none(values.endpoint_configs),
        values.default_chat_endpoint,
        to_json(values.api_keys),
        _json_or_none(values.auth_config),
        _json_or_none(values.provider_settings),
        int(values.is_enabled),
        order_key,
        now_ms,
        now_ms,
    )


def model_row(values: ModelValues, order_key: str, now_ms: int) -> tuple[object, ...]:
    """A ``user_model`` row in :data:`MODEL_COLUMNS` order: custom (no preset), enabled, visible."""
    return (
        values.id,
        values.provider_id,
        values.model_id,
        values.name,
        values.description,
        values.group,
        to_json(values.capabilities),
        _json_or_none(values.endpoint_types),
        int(values.supports_streaming),
        _json_or_none(values.pricing),
        1,
        0,
        order_key,
        now_ms,
        now_ms,
    )


def cherryai_provider_values(enabled: bool) -> ProviderValues:
    """The managed CherryAI provider v2 always has (v1's own copy of it is not migrated)."""
    return ProviderValues(
        provider_id=CHERRYAI_PROVIDER_ID,
        preset_provider_id=CHERRYAI_PROVIDER_ID,
        name=CHERRYAI_PROVIDER_NAME,
        endpoint_configs={OPENAI_CHAT_COMPLETIONS: {"baseUrl": CHERRYAI_API_BASE_URL}},
        default_chat_endpoint=OPENAI_CHAT_COMPLETIONS,
        api_keys=[],
        auth_config=None,
        provider_settings=None,
        is_enabled=enabled,
    )


def cherryai_default_model_values() -> ModelValues:
    return ModelValues(
        id=unique_model_id(CHERRYAI_PROVIDER_ID, CHERRYAI_DEFAULT_MODEL_ID),
        provider_id=CHERRYAI_PROVIDER_ID,
        model_id=CHERRYAI_DEFAULT_MODEL_ID,
        name=CHERRYAI_DEFAULT_MODEL_NAME,
        description=None,
        group=CHERRYAI_DEFAULT_MODEL_GROUP,
        capabilities=[],
        endpoint_types=None,
        supports_streaming=True,
        pricing=None,
    )
