"""Deciding every preference row, and what happened to each legacy value, before anything is written.

The plan holds one value per preference key that gets a row, in schema order, plus one ledger outcome
per legacy record:

* ``preferences:simple``: one record per simple mapping (id: the target key). Written when the legacy
  value, or the schema default when there was none, reached the row. Skipped with ``wrong_type`` (the
  legacy value does not fit the key's shape; the default is written instead), ``bad_avatar_data_url``
  (``''`` is written) or ``no_value_no_default`` (no row).
* ``preferences:complex``: one record per complex target key, with the same outcomes plus
  ``transform_failed``, and one record per legacy sub-item a transform left behind (id:
  ``<mapping id>/<item>``, reason from the transform, e.g. ``no_v2_equivalent``).

A legacy value counts as absent when it is missing or null, and an empty string counts as absent for a
key whose value is one of a fixed set (v1 wrote ``''`` for "not chosen"). A complex transform's null
for a key that cannot be null counts as absent too. Keys without a mapping get their schema default.
Warnings name keys, mapping ids and exception types, never values; values of secret-bearing keys are
registered with the run's secret registry as they are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cherry_migrate.core.ids import new_uuid4
from cherry_migrate.core.redaction import SECRET_KEY_PATTERN, SecretRegistry
from cherry_migrate.migrators.mappings.preference_tables import (
    ComplexMapping,
    PreferenceSpec,
    SimpleMapping,
    SourceRef,
)
from cherry_migrate.migrators.mappings.value_shape import allows_null, matches
from cherry_migrate.migrators.preferences.avatar import (
    AvatarImage,
    BadDataUrlError,
    decode_image_data_url,
    is_data_url,
)
from cherry_migrate.sources.base import LegacySources

SIMPLE_KIND = "preferences:simple"
COMPLEX_KIND = "preferences:complex"
AVATAR_KEY = "app.user.avatar"

_MISSING = object()


@dataclass(frozen=True)
class Outcome:
    """One ledger record: written when ``skip_reason`` is None."""

    kind: str
    record_id: str
    skip_reason: str | None = None
    detail: str | None = None


@dataclass
class PreferencePlan:
    values: dict[str, Any] = field(default_factory=dict)
    """Preference key → value, one row each, in schema order."""
    outcomes: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)
    """Keys whose value a mapping produced from the legacy data (a complex transform may also produce
    one from absent data, e.g. v1's own default where it differs from v2's)."""
    defaulted: list[str] = field(default_factory=list)
    """Mapped keys that had no usable legacy value and got their default."""
    schema_defaults: list[str] = field(default_factory=list)
    """Keys no mapping produces, written with their default."""
    without_value: list[str] = field(default_factory=list)
    """Keys with neither a legacy value nor a default: no row."""
    avatar: AvatarImage | None = None


def mapping_conflicts(
    specs: Mapping[str, PreferenceSpec], simple: Iterable[SimpleMapping], complex_: Iterable[ComplexMapping]
) -> list[str]:
    """Problems that make the mapping tables unusable: a key produced by both a simple and a complex
    mapping, by two complex mappings, or not in the schema."""
    simple_keys = {mapping.target_key for mapping in simple}
    problems: list[str] = []
    seen: set[str] = set()
    for mapping in complex_:
        for key in mapping.target_keys:
            if key in simple_keys:
                problems.append(f"{key} (simple and complex mapping {mapping.id})")
            elif key in seen:
                problems.append(f"{key} (two complex mappings, one is {mapping.id})")
            elif key not in specs:
                problems.append(f"{key} (complex mapping {mapping.id}; not a schema key)")
            seen.add(key)
    return problems


def read_legacy_value(sources: LegacySources, ref: SourceRef) -> Any:
    if ref.source == "redux":
        return sources.redux.get(ref.category or "", ref.key)
    store = {
        "electron_store": sources.electron_store,
        "dexie_settings": sources.dexie_settings,
        "local_storage": sources.local_storage,
    }[ref.source]
    return store.get(ref.key)


def build_plan(
    sources: LegacySources,
    secrets: SecretRegistry,
    specs: Mapping[str, PreferenceSpec],
    simple: Iterable[SimpleMapping],
    complex_: Iterable[ComplexMapping],
) -> PreferencePlan:
    """Read every mapped legacy value and decide every row. Reads only; never writes."""
    planner = _Planner(sources, secrets, specs)
    for mapping in simple:
        planner.apply_simple(mapping)
    for complex_mapping in complex_:
        planner.apply_complex(complex_mapping)
    return planner.finish()


class _Planner:
    def __init__(self, sources: LegacySources, secrets: SecretRegistry, specs: Mapping[str, PreferenceSpec]):
        self.sources = sources
        self.secrets = secrets
        self.specs = specs
        self.plan = PreferencePlan()
        self.handled: set[str] = set()

    def apply_simple(self, mapping: SimpleMapping) -> None:
        spec = self.specs[mapping.target_key]
        self.handled.add(spec.key)
        raw = read_legacy_value(self.sources, mapping.ref)
        self._register_secret(spec, raw, mapping.ref.key, whole=True)
        if _is_absent(spec, raw):
            self._default(spec, SIMPLE_KIND)
        elif not matches(spec.shape, raw):
            self._wrong_type(spec, SIMPLE_KIND, mapping.ref.label)
        elif spec.key == AVATAR_KEY and is_data_url(raw):
            self._avatar(spec, raw)
        else:
            self._mapped_value(spec, SIMPLE_KIND, raw)

    def apply_complex(self, mapping: ComplexMapping) -> None:
        self.handled.update(mapping.target_keys)
        raw = {name: read_legacy_value(self.sources, ref) for name, ref in mapping.sources.items()}
        self.secrets.add_from_mapping(raw)
        try:
            result = mapping.transform(raw)
        except Exception as exc:
            self.plan.warnings.append(
                f"Preference mapping '{mapping.id}' failed ({type(exc).__name__}); "
                f"{', '.join(mapping.target_keys)} keep their defaults."
            )
            for key in mapping.target_keys:
                self._skip(COMPLEX_KIND, key, "transform_failed", f"mapping {mapping.id}")
                self._set_default(self.specs[key])
            return
        for item in result.dropped:
            self._skip(COMPLEX_KIND, f"{mapping.id}/{item.item}", item.reason)
        undeclared = sorted(set(result.values) - set(mapping.target_keys))
        if undeclared:
            names = ", ".join(undeclared)
            self.plan.warnings.append(
                f"Preference mapping '{mapping.id}' produced undeclared keys {names}; ignored."
            )
        for key in mapping.target_keys:
            spec = self.specs[key]
            value = result.values.get(key, _MISSING)
            self._register_secret(spec, value, key, whole=False)
            if value is _MISSING or (value is None and not allows_null(spec.shape)):
                self._default(spec, COMPLEX_KIND)
            elif not matches(spec.shape, value):
                self._wrong_type(spec, COMPLEX_KIND, f"mapping {mapping.id}")
            else:
                self._mapped_value(spec, COMPLEX_KIND, value)

    def finish(self) -> PreferencePlan:
        for key, spec in self.specs.items():
            if key not in self.handled:
                if spec.has_default:
                    self.plan.values[key] = spec.default
                    self.plan.schema_defaults.append(key)
                else:
                    self.plan.without_value.append(key)
        self.plan.values = {key: self.plan.values[key] for key in self.specs if key in self.plan.values}
        return self.plan

    def _mapped_value(self, spec: PreferenceSpec, kind: str, value: Any) -> None:
        self.plan.values[spec.key] = value
        self.plan.mapped.append(spec.key)
        self.plan.outcomes.append(Outcome(kind, spec.key))

    def _default(self, spec: PreferenceSpec, kind: str) -> None:
        """No usable legacy value: the default is written, or the key is skipped without one."""
        if self._set_default(spec):
            self.plan.defaulted.append(spec.key)
            self.plan.outcomes.append(Outcome(kind, spec.key))
        else:
            self._skip(kind, spec.key, "no_value_no_default")

    def _wrong_type(self, spec: PreferenceSpec, kind: str, origin: str) -> None:
        self._skip(kind, spec.key, "wrong_type", f"{origin}: not a {spec.ts_type}")
        self.plan.warnings.append(
            f"Preference {spec.key} ({origin}): the legacy value is not a {spec.ts_type}; using the default."
        )
        self._set_default(spec)

    def _avatar(self, spec: PreferenceSpec, url: str) -> None:
        try:
            data, ext = decode_image_data_url(url)
        except BadDataUrlError as exc:
            self._skip(SIMPLE_KIND, spec.key, "bad_avatar_data_url", str(exc))
            self.plan.warnings.append(f"Preference {spec.key}: {exc}; the avatar was reset.")
            self.plan.values[spec.key] = ""
            return
        self.plan.avatar = AvatarImage(new_uuid4(), data, ext)
        self._mapped_value(spec, SIMPLE_KIND, self.plan.avatar.preference_value)

    def _set_default(self, spec: PreferenceSpec) -> bool:
        if not spec.has_default:
            self.plan.without_value.append(spec.key)
            return False
        self.plan.values[spec.key] = spec.default
        return True

    def _skip(self, kind: str, record_id: str, reason: str, detail: str | None = None) -> None:
        self.plan.outcomes.append(Outcome(kind, record_id, reason, detail))

    def _register_secret(self, spec: PreferenceSpec, value: object, source_key: str, *, whole: bool) -> None:
        """Register a secret-bearing value. ``whole``: every string in it is secret (a legacy value of
        a credential key, whatever its shape); otherwise only strings under secret-looking names (a
        structure such as provider overrides, whose hosts and ids are not secret)."""
        if value is None or value is _MISSING:
            return
        if spec.secret or SECRET_KEY_PATTERN.search(spec.key) or SECRET_KEY_PATTERN.search(source_key):
            if isinstance(value, str):
                self.secrets.add(value)
            else:
                self.secrets.add_from_mapping({"secret": value} if whole else value)


def _is_absent(spec: PreferenceSpec, value: object) -> bool:
    if value is None:
        return True
    choices = spec.shape.get("enum")
    return value == "" and choices is not None and "" not in choices
