"""Rules for v1 painting records (Redux ``paintings``, legacy-sources §2.4.8) → ``painting`` rows and
their file references (migrators.md §3.14, upstream ``PaintingMappings``).

The v2 ``painting`` table keeps provider, model and prompt; the generated images (``files``) become
``output`` references and the images a record was made from (``imageFiles``, ``imageFile``, ``mask``)
``input`` references. Provider-specific generation settings have no column in the target schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cherry_migrate.core.timestamps import to_epoch_ms

PROVIDER_BY_NAMESPACE: dict[str, str] = {
    "siliconflow_paintings": "silicon",
    "dmxapi_paintings": "dmxapi",
    "tokenflux_paintings": "tokenflux",
    "zhipu_paintings": "zhipu",
    "aihubmix_image_generate": "aihubmix",
    "aihubmix_image_remix": "aihubmix",
    "aihubmix_image_edit": "aihubmix",
    "aihubmix_image_upscale": "aihubmix",
    "openai_image_generate": "new-api",
    "openai_image_edit": "new-api",
    "ovms_paintings": "ovms",
    "ppio_draw": "ppio",
    "ppio_edit": "ppio",
}
"""Every v1 namespace, in the order paintings are laid out, with its provider id."""

RECORD_PROVIDER_NAMESPACES = frozenset({"openai_image_generate", "openai_image_edit"})
"""Namespaces shared by OpenAI-compatible providers: the record's own ``providerId`` wins."""

KEPT_KEYS = frozenset(
    {"id", "providerId", "model", "prompt", "files", "urls", "imageFile", "imageFiles", "mask", "ppioMask"}
)
"""Keys whose content reaches the target; ``urls`` are v1's expiring links to the same images."""

TASK_KEYS = ("taskId", "generationId")

RUNTIME_KEYS = frozenset({"status", "ppioStatus"})
"""Where a v1 generation job stood when the app last ran: state, not a setting worth reporting."""


@dataclass(frozen=True)
class FileRef:
    file_id: str
    role: str


@dataclass
class PaintingPlan:
    id: str
    provider_id: str
    model_id: str | None
    prompt: str
    created_at: int | None
    refs: list[FileRef] = field(default_factory=list)
    inline_images: list[str] = field(default_factory=list)
    """Inputs v1 held only inline (an object URL or base64 mask): reason codes, one per image."""
    has_settings: bool = False
    """Whether the record carries generation settings the target cannot hold."""


def plan_painting(namespace: str, record: Mapping[str, Any]) -> PaintingPlan | str:
    """The painting's row and references, or the reason code it is skipped for."""
    painting_id = _text(record.get("id"))
    if painting_id is None:
        return "missing_id"
    provider = PROVIDER_BY_NAMESPACE[namespace]
    if namespace in RECORD_PROVIDER_NAMESPACES:
        provider = _text(record.get("providerId")) or provider
    raw_prompt = record.get("prompt")
    prompt = raw_prompt if isinstance(raw_prompt, str) else ""
    outputs = _file_ids(record.get("files"))
    plan = PaintingPlan(
        id=painting_id,
        provider_id=provider,
        model_id=f"{provider}::{model}" if (model := _text(record.get("model"))) else None,
        prompt=prompt,
        created_at=min((t for t in (_created_at(f) for f in _list(record.get("files"))) if t), default=None),
        refs=[FileRef(file_id, "output") for file_id in outputs],
        has_settings=any(
            key not in KEPT_KEYS and key not in TASK_KEYS and key not in RUNTIME_KEYS for key in record
        ),
    )
    _add_inputs(record, plan)
    has_task = any(_text(record.get(key)) for key in TASK_KEYS)
    if not prompt.strip() and not plan.refs and not has_task:
        return "empty_placeholder"
    return plan


def _add_inputs(record: Mapping[str, Any], plan: PaintingPlan) -> None:
    image_files = record.get("imageFiles")
    if isinstance(image_files, list):
        plan.refs += [FileRef(file_id, "input") for file_id in _file_ids(image_files)]
    else:
        image_file = record.get("imageFile")
        if (file_id := _file_id(image_file)) is not None:
            plan.refs.append(FileRef(file_id, "input"))
        elif _text(image_file):
            plan.inline_images.append("inline_input_image")
    if (mask_id := _file_id(record.get("mask"))) is not None:
        plan.refs.append(FileRef(mask_id, "input"))
    elif _text(record.get("ppioMask")):
        plan.inline_images.append("inline_mask")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _file_ids(value: Any) -> list[str]:
    return [file_id for item in _list(value) if (file_id := _file_id(item)) is not None]


def _file_id(value: Any) -> str | None:
    return _text(value.get("id")) if isinstance(value, Mapping) else None


def _created_at(value: Any) -> int | None:
    return to_epoch_ms(value.get("created_at")) if isinstance(value, Mapping) else None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None
