"""ProviderModelMigrator on hand-built Redux ``llm`` and Dexie ``settings`` fixtures, real v2 target."""

from __future__ import annotations

import base64
import json
import logging
import sqlite3
from typing import Any

import pytest

from cherry_migrate.db.connection import foreign_key_violations
from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.mappings.pinned_models import parse_pinned_model
from cherry_migrate.migrators.provider_model.migrator import ProviderModelMigrator
from tests.conftest import FIXED_NOW_MS

NOW = FIXED_NOW_MS
KEY_1 = "sk-proj-FIRSTsecretKEY0001"
KEY_2 = "sk-proj-SECONDsecretKEY0002"
HEADER_SECRET = "Bearer hdr-SECRET-token-777"
AWS_SECRET = "aws-SECRET-access-key-999"
AWS_API_KEY = "bedrock-SECRET-api-key-555"
PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nVERTEX-SECRET\n-----END PRIVATE KEY-----\n"
SECRETS = (KEY_1, KEY_2, HEADER_SECRET, AWS_SECRET, AWS_API_KEY, PRIVATE_KEY)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
GATEWAY = "3f1c2f5e-8b8a-4d3e-9a55-2f1d7c1d0e11"


def model(model_id: Any, **extra: Any) -> dict[str, Any]:
    return {"id": model_id, "provider": "x", "name": f"{model_id} name", "group": "g", **extra}


def llm_slice() -> dict[str, Any]:
    providers: list[Any] = [
        {
            "id": "openai",
            "type": "openai-response",
            "name": "OpenAI",
            "apiKey": f"{KEY_1}, {KEY_2}",
            "apiHost": "https://api.openai.com",
            "enabled": True,
            "serviceTier": "auto",
            "apiOptions": {"isSupportServiceTier": True},
            "models": [
                model(
                    "gpt-4o",
                    capabilities=[
                        {"type": "vision", "isUserSelected": True},
                        {"type": "function_calling", "isUserSelected": False},
                        {"type": "web_search"},
                        {"type": "hologram"},
                    ],
                    type=["function_calling"],
                    pricing={
                        "input_per_million_tokens": 2.5,
                        "output_per_million_tokens": 10,
                        "currencySymbol": "$",
                    },
                ),
                model("gpt-4o", name="duplicate"),
                {"name": "no id"},
                "not a model",
                model(
                    "text-embedding-3-small",
                    type=["embedding"],
                    pricing={"input_per_million_tokens": 0, "output_per_million_tokens": 0},
                ),
                model(
                    "gpt-image-1",
                    endpoint_type="image-generation",
                    pricing={
                        "input_per_million_tokens": 1,
                        "output_per_million_tokens": 2,
                        "currencySymbol": "€",
                    },
                ),
                model("o1", supported_text_delta=False, name="  "),
            ],
        },
        "not a provider",
        {"name": "Nameless", "models": [model("a"), model("b")]},
        {"id": "cherryai", "name": "Cherry AI", "enabled": False, "models": [model("qwen")]},
        {"id": "tokenflux", "name": "TokenFlux", "type": "openai", "models": [model("flux")]},
        {"id": "openai", "name": "OpenAI again", "models": [model("gpt-4o"), model("o3-mini")]},
        {
            "id": GATEWAY,
            "type": "new-api",
            "name": "My Gateway",
            "apiKey": "",
            "apiHost": "https://gw.example.com/v1",
            "anthropicApiHost": "https://gw.example.com/anthropic",
            "extra_headers": {"Authorization": HEADER_SECRET},
            "notes": "Team gateway",
            "rateLimit": 30,
            "apiOptions": {"isNotSupportStreamOptions": True},
            "isNotSupportDeveloperRole": True,
            "models": [model("deepseek-v3", supported_endpoint_types=["openai", "anthropic", "bogus"])],
        },
        {
            "id": "vertexai",
            "type": "vertexai",
            "name": "Vertex AI",
            "isVertex": True,
            "apiHost": "https://aiplatform.googleapis.com",
            "enabled": False,
            "models": [],
        },
        {"id": "aws-bedrock", "type": "aws-bedrock", "name": "AWS Bedrock", "apiKey": "", "models": "oops"},
        {"id": "azure-openai", "type": "azure-openai", "name": "Azure", "apiVersion": "2024-10-21"},
        {
            "id": "ollama",
            "type": "ollama",
            "name": "Ollama",
            "apiHost": "http://localhost:11434",
            "models": [model("llama3.2:3b")],
        },
        {"id": "anthropic", "type": "anthropic", "name": "Anthropic", "authType": "oauth"},
        {"id": "zai", "type": "openai", "name": "Z.ai", "isNotSupportArrayContent": True},
    ]
    return {
        "llm": {
            "providers": providers,
            "settings": {
                "ollama": {"keepAliveTime": 5},
                "vertexai": {
                    "serviceAccount": {"privateKey": PRIVATE_KEY, "clientEmail": "sa@demo.iam"},
                    "projectId": "demo-project",
                    "location": "us-central1",
                },
                "awsBedrock": {
                    "authType": "apiKey",
                    "apiKey": AWS_API_KEY,
                    "secretAccessKey": AWS_SECRET,
                    "region": "us-east-1",
                },
            },
        }
    }


def png_url(data: bytes = PNG) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


def settings_rows() -> list[dict[str, Any]]:
    return [
        {
            "id": "pinned:models",
            "value": [
                '{"id":"gpt-4o","provider":"openai"}',
                {"id": "o3-mini", "provider": "openai"},
                "openai/gpt-4o",
                "ollama::llama3.2:3b",
                "nonsense",
                42,
                "cherryai::some-old-model",
                "ghost::model",
                f"{GATEWAY}/deepseek-v3",
            ],
        },
        {"id": "image://provider-openai", "value": png_url()},
        {"id": "image://provider-ghost", "value": png_url()},
        {"id": "image://provider-ollama", "value": "/assets/images/providers/ollama.png"},
        {"id": "image://provider-azure-openai", "value": "data:image/png;base64,@@@"},
        {"id": "image://avatar", "value": png_url()},
    ]


def run(ctx: Any) -> tuple[ProviderModelMigrator, Any, Any, Any]:
    migrator = ProviderModelMigrator()
    migrator.reset()
    prepared = migrator.prepare(ctx)
    executed = migrator.execute(ctx)
    validated = migrator.validate(ctx)
    return migrator, prepared, executed, validated


def dict_rows(db: sqlite3.Connection, sql: str, *params: Any) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


@pytest.fixture
def migrated(make_context: Any) -> tuple[Any, ProviderModelMigrator, Any, Any, Any]:
    ctx = make_context(redux=llm_slice(), dexie={"settings": settings_rows()})
    return (ctx, *run(ctx))


def test_metadata() -> None:
    assert (ProviderModelMigrator.id, ProviderModelMigrator.order) == ("provider_model", 1.75)


def test_providers_rows(migrated: Any) -> None:
    ctx, _migrator, prepared, executed, validated = migrated
    assert prepared.item_count == 13
    assert executed.success and validated.success, validated.errors
    rows = dict_rows(ctx.db, "SELECT * FROM user_provider ORDER BY order_key")
    assert [r["provider_id"] for r in rows] == [
        "cherryai",
        "openai",
        GATEWAY,
        "vertexai",
        "aws-bedrock",
        "azure-openai",
        "ollama",
        "anthropic",
        "zai",
    ]
    by_id = {r["provider_id"]: r for r in rows}
    cherry = by_id["cherryai"]
    assert cherry["preset_provider_id"] == "cherryai" and cherry["name"] == "CherryAI"
    assert json.loads(cherry["endpoint_configs"]) == {
        "openai-chat-completions": {"baseUrl": "https://api.cherry-ai.com"}
    }
    assert cherry["is_enabled"] == 0  # v1's CherryAI was disabled

    openai = by_id["openai"]
    assert openai["preset_provider_id"] == "openai"
    assert openai["default_chat_endpoint"] == "openai-responses"
    assert json.loads(openai["endpoint_configs"]) == {
        "openai-responses": {"baseUrl": "https://api.openai.com", "adapterFamily": "open-responses"}
    }
    keys = json.loads(openai["api_keys"])
    assert [(k["key"], k["isEnabled"]) for k in keys] == [(KEY_1, True), (KEY_2, True)]
    assert all(len(k["id"]) == 36 for k in keys)
    assert json.loads(openai["auth_config"]) == {"type": "api-key"}
    assert json.loads(openai["provider_settings"]) == {
        "serviceTier": "auto",
        "apiFeatures": {"serviceTier": True},
    }
    assert (openai["is_enabled"], openai["logo_key"], openai["created_at"]) == (1, None, NOW)

    gateway = by_id[GATEWAY]
    assert gateway["preset_provider_id"] is None
    assert gateway["default_chat_endpoint"] == "openai-chat-completions"
    assert json.loads(gateway["endpoint_configs"]) == {
        "openai-chat-completions": {"baseUrl": "https://gw.example.com/v1", "adapterFamily": "newapi"},
        "anthropic-messages": {"baseUrl": "https://gw.example.com/anthropic"},
    }
    assert json.loads(gateway["api_keys"]) == []
    assert json.loads(gateway["provider_settings"]) == {
        "notes": "Team gateway",
        "rateLimit": 30,
        "extraHeaders": {"Authorization": HEADER_SECRET},
        "apiFeatures": {"streamOptions": False, "developerRole": False},
    }

    vertex = by_id["vertexai"]
    assert vertex["endpoint_configs"] is None  # the bare official host means "default"
    assert json.loads(vertex["auth_config"]) == {
        "type": "iam-gcp",
        "project": "demo-project",
        "location": "us-central1",
        "credentials": {"privateKey": PRIVATE_KEY, "clientEmail": "sa@demo.iam"},
    }
    assert vertex["is_enabled"] == 0

    bedrock = by_id["aws-bedrock"]
    assert [k["key"] for k in json.loads(bedrock["api_keys"])] == [AWS_API_KEY]
    assert json.loads(bedrock["auth_config"]) == {"type": "api-key-aws", "region": "us-east-1"}
    assert bedrock["default_chat_endpoint"] is None
    assert json.loads(by_id["azure-openai"]["auth_config"]) == {
        "type": "iam-azure",
        "apiVersion": "2024-10-21",
    }
    assert json.loads(by_id["ollama"]["provider_settings"]) == {"keepAliveTime": 5}
    assert json.loads(by_id["anthropic"]["auth_config"]) == {"type": "api-key"}
    assert by_id["zai"]["preset_provider_id"] == "zhipu"
    assert json.loads(by_id["zai"]["provider_settings"]) == {"apiFeatures": {"arrayContent": False}}


def test_model_rows(migrated: Any) -> None:
    ctx, *_ = migrated
    rows = dict_rows(ctx.db, "SELECT * FROM user_model ORDER BY provider_id, order_key")
    by_id = {r["id"]: r for r in rows}
    assert [r["id"] for r in rows if r["provider_id"] == "openai"] == [
        "openai::gpt-4o",
        "openai::text-embedding-3-small",
        "openai::gpt-image-1",
        "openai::o1",
        "openai::o3-mini",
    ]
    assert set(by_id) == {
        "cherryai::qwen",
        "openai::gpt-4o",
        "openai::text-embedding-3-small",
        "openai::gpt-image-1",
        "openai::o1",
        "openai::o3-mini",
        f"{GATEWAY}::deepseek-v3",
        "ollama::llama3.2:3b",
    }
    gpt = by_id["openai::gpt-4o"]
    assert (gpt["model_id"], gpt["name"], gpt["group"], gpt["preset_model_id"]) == (
        "gpt-4o",
        "gpt-4o name",
        "g",
        None,
    )
    # function calling was switched off by the user: it beats the older `type` list
    assert json.loads(gpt["capabilities"]) == ["image-recognition"]
    assert json.loads(gpt["pricing"]) == {
        "input": {"perMillionTokens": 2.5, "currency": "USD"},
        "output": {"perMillionTokens": 10, "currency": "USD"},
    }
    assert (gpt["supports_streaming"], gpt["is_enabled"], gpt["is_hidden"], gpt["endpoint_types"]) == (
        1,
        1,
        0,
        None,
    )
    embedding = by_id["openai::text-embedding-3-small"]
    assert json.loads(embedding["capabilities"]) == ["embedding"]
    assert embedding["pricing"] is None  # 0/0 means "not set" in v1
    image = by_id["openai::gpt-image-1"]
    assert json.loads(image["endpoint_types"]) == ["openai-image-generation"]
    assert json.loads(image["capabilities"]) == ["image-generation"]
    assert image["pricing"] is None  # euro pricing cannot be represented
    o1 = by_id["openai::o1"]
    assert (o1["name"], o1["supports_streaming"]) == ("o1", 0)
    deepseek = by_id[f"{GATEWAY}::deepseek-v3"]
    assert json.loads(deepseek["endpoint_types"]) == ["openai-chat-completions", "anthropic-messages"]
    seeded = by_id["cherryai::qwen"]
    assert (seeded["name"], seeded["group"], json.loads(seeded["capabilities"])) == ("Qwen", "Qwen", [])


def test_ledger_accounts_for_every_record(migrated: Any) -> None:
    _ctx, migrator, *_ = migrated
    ledger = migrator.ledger.to_dict()
    providers = ledger["redux:llm.providers"]
    assert (providers["read"], providers["written"], providers["skipped"]) == (13, 8, 5)
    assert {reason: (b["count"], b["ids"]) for reason, b in providers["skipReasons"].items()} == {
        "invalid_provider": (1, ["#1"]),
        "missing_id": (1, ["#2"]),
        "managed_provider": (1, ["cherryai"]),
        "retired_provider": (1, ["tokenflux"]),
        "duplicate_provider": (1, ["openai"]),
    }
    models = ledger["redux:llm.providers.models"]
    assert (models["read"], models["written"], models["skipped"]) == (15, 7, 8)
    assert {reason: (b["count"], b["ids"]) for reason, b in models["skipReasons"].items()} == {
        "duplicate_model": (2, ["openai::gpt-4o", "openai::gpt-4o"]),
        "missing_id": (1, ["openai#2"]),
        "invalid_model": (1, ["openai#3"]),
        "provider_skipped": (2, ["#2::*"]),
        "managed_provider": (1, ["cherryai::*"]),
        "retired_provider": (1, ["tokenflux::*"]),
    }
    assert migrator.ledger.unbalanced() == {}


def test_pins(migrated: Any) -> None:
    ctx, migrator, *_ = migrated
    pins = dict_rows(ctx.db, "SELECT * FROM pin ORDER BY order_key")
    assert [p["entity_id"] for p in pins] == [
        "openai::gpt-4o",
        "openai::o3-mini",
        "ollama::llama3.2:3b",
        "cherryai::qwen",
        f"{GATEWAY}::deepseek-v3",
    ]
    assert {p["entity_type"] for p in pins} == {"model"}
    assert all(p["created_at"] == NOW for p in pins)
    ledger = migrator.ledger.to_dict()["dexie:settings[pinned:models]"]
    assert (ledger["read"], ledger["written"]) == (9, 5)
    assert {reason: b["ids"] for reason, b in ledger["skipReasons"].items()} == {
        "duplicate_pin": ["openai::gpt-4o"],
        "unparseable_pin": ["#4", "#5"],
        "unknown_model": ["ghost::model"],
    }


def test_logos(migrated: Any) -> None:
    ctx, migrator, *_ = migrated
    refs = dict_rows(ctx.db, "SELECT * FROM provider_logo_file_ref")
    assert len(refs) == 1 and refs[0]["source_id"] == "openai"
    entry = dict_rows(ctx.db, "SELECT * FROM file_entry WHERE id = ?", refs[0]["file_entry_id"])[0]
    assert (entry["origin"], entry["name"], entry["ext"], entry["size"]) == (
        "internal",
        "provider-logo-openai",
        "png",
        len(PNG),
    )
    assert (ctx.paths.staging_files_dir / f"{entry['id']}.png").read_bytes() == PNG
    ledger = migrator.ledger.to_dict()["dexie:settings[image://provider-*]"]
    assert (ledger["read"], ledger["written"]) == (4, 1)
    assert {reason: b["ids"] for reason, b in ledger["skipReasons"].items()} == {
        "unknown_provider": ["ghost"],
        "not_data_url": ["ollama"],
        "invalid_image": ["azure-openai"],
    }
    for table in ("user_model", "provider_logo_file_ref"):
        assert foreign_key_violations(ctx.db, table)[0] == 0


def test_shared_data_and_warnings(migrated: Any) -> None:
    ctx, _migrator, _prepared, executed, _validated = migrated
    assert ctx.shared_data[shared_keys.USER_PROVIDER_IDS] == {
        "cherryai",
        "openai",
        GATEWAY,
        "vertexai",
        "aws-bedrock",
        "azure-openai",
        "ollama",
        "anthropic",
        "zai",
    }
    assert "cherryai::qwen" in ctx.shared_data[shared_keys.USER_MODEL_IDS]
    assert len(ctx.shared_data[shared_keys.USER_MODEL_IDS]) == 8
    assert "Provider 'models' is not a list; no models migrated: 'aws-bedrock'" in executed.warnings
    assert "Unknown model capability 'hologram' dropped: 'openai::gpt-4o'" in executed.warnings
    assert f"Unknown model endpoint type 'bogus' dropped: '{GATEWAY}::deepseek-v3'" in executed.warnings
    assert (
        "Model pricing in a currency v2 cannot represent dropped: 'openai::gpt-image-1'" in executed.warnings
    )


def test_no_secret_reaches_logs_warnings_or_ledger(
    make_context: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ctx = make_context(redux=llm_slice(), dexie={"settings": settings_rows()})
    migrator, prepared, executed, validated = run(ctx)
    visible = "\n".join(
        [caplog.text, *prepared.warnings, *executed.warnings, json.dumps(migrator.ledger.to_dict())]
        + [e.message for e in validated.errors]
    )
    assert "VERTEX-SECRET" not in visible
    for secret in SECRETS:
        assert secret not in visible
        assert ctx.secrets.redact(f"x {secret} y") == "x «redacted» y"


def test_empty_profile_seeds_cherryai_only(make_context: Any) -> None:
    ctx = make_context()
    _migrator, prepared, executed, validated = run(ctx)
    assert (prepared.item_count, executed.processed_count) == (0, 0)
    assert validated.success and validated.stats.source_count == 0
    assert [r[0] for r in ctx.db.execute("SELECT provider_id FROM user_provider")] == ["cherryai"]
    assert ctx.shared_data[shared_keys.USER_MODEL_IDS] == {"cherryai::qwen"}
    assert ctx.db.execute("SELECT is_enabled FROM user_provider").fetchone() == (1,)


def test_validate_detects_missing_rows(migrated: Any) -> None:
    ctx, migrator, *_ = migrated
    ctx.db.execute("DELETE FROM user_model WHERE id = 'openai::o1'")
    result = migrator.validate(ctx)
    assert not result.success
    assert [e.key for e in result.errors] == ["user_model_count_mismatch"]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('{"id":"gpt-4o","provider":"openai"}', ("openai", "gpt-4o")),
        ({"id": "m", "provider": "p"}, ("p", "m")),
        ("silicon/deepseek-ai/DeepSeek-V3", ("silicon", "deepseek-ai/DeepSeek-V3")),
        ("p::org/m", ("p", "org/m")),
        ('{"id":"m"}', None),
        ("{broken", None),
        ("plain", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_pinned_model(entry: Any, expected: Any) -> None:
    assert parse_pinned_model(entry) == expected
