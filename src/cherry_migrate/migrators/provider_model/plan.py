"""What ProviderModelMigrator will write, decided from the legacy sources, with every record accounted.

Providers and models come from Redux ``llm``; pins and logos from the Dexie ``settings`` table. Each
source record lands in the ledger as written or skipped (reason codes below) before anything is written.

Provider skip reasons: ``invalid_provider`` (not an object), ``missing_id``, ``managed_provider``
(v1's CherryAI: v2 seeds its own), ``retired_provider`` (no longer offered by v2),
``duplicate_provider`` (a later record with an id already seen; its models are merged into the first).
Model skip reasons: ``invalid_model``, ``missing_id``, ``duplicate_model`` (same id twice under one
provider), ``provider_skipped`` / ``managed_provider`` / ``retired_provider`` (its provider was not
migrated).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cherry_migrate.core.accounting import Ledger
from cherry_migrate.core.redaction import SecretRegistry
from cherry_migrate.migrators.common.coerce import nonblank_str, opt_bool, opt_dict, opt_list, opt_str_dict
from cherry_migrate.migrators.common.secret_fields import register_string_map
from cherry_migrate.migrators.common.warning_log import WarningLog
from cherry_migrate.migrators.mappings.pinned_models import parse_pinned_model, pinned_entries
from cherry_migrate.migrators.mappings.provider_model import (
    CHERRYAI_DEFAULT_MODEL_ID,
    CHERRYAI_PROVIDER_ID,
    RETIRED_PROVIDER_IDS,
    ModelValues,
    ProviderValues,
    split_api_keys,
    transform_model,
    transform_provider,
    unique_model_id,
)

PROVIDERS_KIND = "redux:llm.providers"
MODELS_KIND = "redux:llm.providers.models"
PINS_KIND = "dexie:settings[pinned:models]"
LOGOS_KIND = "dexie:settings[image://provider-*]"
LOGO_KEY_PREFIX = "image://provider-"


@dataclass
class ProviderPlan:
    """Providers in legacy order, each with its models in legacy order."""

    providers: list[ProviderValues] = field(default_factory=list)
    models: dict[str, list[ModelValues]] = field(default_factory=dict)
    providers_with_keys: set[str] = field(default_factory=set)
    cherryai_enabled: bool = True
    warnings: WarningLog = field(default_factory=WarningLog)

    @property
    def model_count(self) -> int:
        return sum(len(models) for models in self.models.values())

    def model_ids(self) -> set[str]:
        return {model.id for models in self.models.values() for model in models}


@dataclass(frozen=True)
class LegacyLlm:
    providers: list[Any]
    settings: dict[str, Any]


def read_llm(llm: object, warnings: WarningLog) -> LegacyLlm:
    """The provider list and ``llm.settings`` of the Redux ``llm`` slice (empty when absent)."""
    slice_ = opt_dict(llm)
    if slice_ is None:
        if llm is not None:
            warnings.add("Redux 'llm' slice is not an object; no providers migrated")
        return LegacyLlm([], {})
    providers = opt_list(slice_.get("providers"))
    if providers is None and slice_.get("providers") is not None:
        warnings.add("Redux 'llm.providers' is not a list; no providers migrated")
    return LegacyLlm(providers or [], opt_dict(slice_.get("settings")) or {})


def register_llm_secrets(llm: LegacyLlm, secrets: SecretRegistry) -> None:
    """API keys, OAuth tokens, cloud credentials and custom headers are never to appear in any log."""
    secrets.add_from_mapping(llm.settings)
    vertex = opt_dict(llm.settings.get("vertexai")) or {}
    secrets.add((opt_dict(vertex.get("serviceAccount")) or {}).get("privateKey"))
    for provider in llm.providers:
        if not isinstance(provider, dict):
            continue
        secrets.add_from_mapping(provider)
        for key in split_api_keys(provider.get("apiKey")):
            secrets.add(key)
        register_string_map(opt_str_dict(provider.get("extra_headers")), secrets)


def count_models(provider: object) -> int:
    return len(opt_list(provider.get("models")) or []) if isinstance(provider, dict) else 0


class _ProviderCollector:
    def __init__(self, llm: LegacyLlm, ledger: Ledger) -> None:
        self.llm = llm
        self.ledger = ledger
        self.plan = ProviderPlan()
        self._by_id: dict[str, ProviderValues] = {}
        self._model_ids: dict[str, set[str]] = {}

    def _skip_models(self, provider: object, reason: str, provider_label: str) -> None:
        n = count_models(provider)
        if n:
            self.ledger.read(MODELS_KIND, n)
            self.ledger.skip(MODELS_KIND, reason, f"{provider_label}::*", n=n)

    def add_provider(self, index: int, legacy: object) -> None:
        self.ledger.read(PROVIDERS_KIND)
        label = f"#{index}"
        if not isinstance(legacy, dict):
            self.ledger.skip(
                PROVIDERS_KIND, "invalid_provider", label, detail="provider record is not an object"
            )
            return
        provider_id = nonblank_str(legacy.get("id"))
        if provider_id is None:
            self.ledger.skip(PROVIDERS_KIND, "missing_id", label)
            self._skip_models(legacy, "provider_skipped", label)
            return
        if provider_id == CHERRYAI_PROVIDER_ID:
            self.ledger.skip(
                PROVIDERS_KIND, "managed_provider", provider_id, detail="v2 seeds its own CherryAI"
            )
            self._skip_models(legacy, "managed_provider", provider_id)
            enabled = opt_bool(legacy.get("enabled"))
            self.plan.cherryai_enabled = True if enabled is None else enabled
            return
        if provider_id in RETIRED_PROVIDER_IDS:
            self.ledger.skip(PROVIDERS_KIND, "retired_provider", provider_id, detail="provider retired in v2")
            self._skip_models(legacy, "retired_provider", provider_id)
            return
        if provider_id in self._by_id:
            self.ledger.skip(
                PROVIDERS_KIND,
                "duplicate_provider",
                provider_id,
                detail="models merged into the first record",
            )
        else:
            values = transform_provider(provider_id, legacy, self.llm.settings, self.plan.warnings)
            self._by_id[provider_id] = values
            self.plan.providers.append(values)
            self.plan.models[provider_id] = []
            self._model_ids[provider_id] = set()
            if values.api_keys:
                self.plan.providers_with_keys.add(provider_id)
            self.ledger.written(PROVIDERS_KIND)
        self._add_models(provider_id, legacy)

    def _add_models(self, provider_id: str, legacy: dict[str, Any]) -> None:
        models = opt_list(legacy.get("models"))
        if models is None:
            if legacy.get("models") is not None:
                self.plan.warnings.add("Provider 'models' is not a list; no models migrated", provider_id)
            return
        seen = self._model_ids[provider_id]
        for index, model in enumerate(models):
            self.ledger.read(MODELS_KIND)
            label = f"{provider_id}#{index}"
            if not isinstance(model, dict):
                self.ledger.skip(MODELS_KIND, "invalid_model", label, detail="model record is not an object")
                continue
            model_id = nonblank_str(model.get("id"))
            if model_id is None:
                self.ledger.skip(MODELS_KIND, "missing_id", label)
                continue
            if model_id in seen:
                self.ledger.skip(MODELS_KIND, "duplicate_model", unique_model_id(provider_id, model_id))
                continue
            seen.add(model_id)
            self.plan.models[provider_id].append(
                transform_model(provider_id, model_id, model, self.plan.warnings)
            )
            self.ledger.written(MODELS_KIND)


def plan_providers(llm: LegacyLlm, ledger: Ledger) -> ProviderPlan:
    collector = _ProviderCollector(llm, ledger)
    for index, legacy in enumerate(llm.providers):
        collector.add_provider(index, legacy)
    return collector.plan


def plan_pins(value: object, model_ids: set[str], ledger: Ledger, warnings: WarningLog) -> list[str]:
    """Unique model ids to pin, in legacy order.

    Skip reasons: ``unparseable_pin``, ``unknown_model`` (not among the migrated models),
    ``duplicate_pin``. Every pin of a CherryAI model goes to v2's managed default model.
    """
    entries = pinned_entries(value)
    if entries is None:
        if value is not None:
            warnings.add("Dexie setting 'pinned:models' is not a list; no model pins migrated")
        return []
    cherryai_default = unique_model_id(CHERRYAI_PROVIDER_ID, CHERRYAI_DEFAULT_MODEL_ID)
    pinned: list[str] = []
    for index, entry in enumerate(entries):
        ledger.read(PINS_KIND)
        parsed = parse_pinned_model(entry)
        if parsed is None:
            ledger.skip(PINS_KIND, "unparseable_pin", f"#{index}")
            continue
        provider_id, model_id = parsed
        target = (
            cherryai_default
            if provider_id == CHERRYAI_PROVIDER_ID
            else unique_model_id(provider_id, model_id)
        )
        if target not in model_ids:
            ledger.skip(PINS_KIND, "unknown_model", target, detail="pinned model was not migrated")
        elif target in pinned:
            ledger.skip(PINS_KIND, "duplicate_pin", target)
        else:
            pinned.append(target)
            ledger.written(PINS_KIND)
    return pinned
