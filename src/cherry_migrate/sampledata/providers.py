"""LLM providers and models (Redux ``llm`` slice, legacy-sources §2.4.2)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from .ids import IdFactory

Model = dict[str, Any]

# (model id, display name, group, kinds). kinds: chat | vision | reasoning | embedding | rerank | image
ModelSpec = tuple[str, str, str, tuple[str, ...]]

_OPENAI_MODELS: tuple[ModelSpec, ...] = (
    ("gpt-4o", "GPT-4o", "gpt-4o", ("chat", "vision")),
    ("gpt-4o-mini", "GPT-4o mini", "gpt-4o", ("chat", "vision")),
    ("text-embedding-3-small", "text-embedding-3-small", "Embedding", ("embedding",)),
    ("gpt-4.1", "GPT-4.1", "gpt-4.1", ("chat", "vision")),
    ("o4-mini", "o4-mini", "o4", ("chat", "reasoning")),
    ("o3-mini", "o3-mini", "o3", ("chat", "reasoning")),
    ("gpt-image-1", "GPT Image 1", "gpt-image", ("image",)),
    ("text-embedding-3-large", "text-embedding-3-large", "Embedding", ("embedding",)),
)
_ANTHROPIC_MODELS: tuple[ModelSpec, ...] = (
    ("claude-sonnet-4-20250514", "Claude Sonnet 4", "Claude 4", ("chat", "vision", "reasoning")),
    ("claude-3-5-haiku-20241022", "Claude Haiku 3.5", "Claude 3.5", ("chat",)),
    ("claude-opus-4-1-20250805", "Claude Opus 4.1", "Claude 4", ("chat", "vision", "reasoning")),
    ("claude-3-7-sonnet-20250219", "Claude Sonnet 3.7", "Claude 3.7", ("chat", "vision")),
)
_GEMINI_MODELS: tuple[ModelSpec, ...] = (
    ("gemini-2.5-flash", "Gemini 2.5 Flash", "Gemini 2.5", ("chat", "vision", "reasoning")),
    ("gemini-2.5-pro", "Gemini 2.5 Pro", "Gemini 2.5", ("chat", "vision", "reasoning")),
    ("gemini-embedding-001", "Gemini Embedding", "Embedding", ("embedding",)),
    ("gemini-2.0-flash", "Gemini 2.0 Flash", "Gemini 2.0", ("chat", "vision")),
    ("imagen-3.0-generate-002", "Imagen 3", "Imagen", ("image",)),
)
_DEEPSEEK_MODELS: tuple[ModelSpec, ...] = (
    ("deepseek-chat", "DeepSeek Chat", "DeepSeek", ("chat",)),
    ("deepseek-reasoner", "DeepSeek Reasoner", "DeepSeek", ("chat", "reasoning")),
)
_SILICON_MODELS: tuple[ModelSpec, ...] = (
    ("deepseek-ai/DeepSeek-V3", "DeepSeek V3", "deepseek-ai", ("chat",)),
    ("BAAI/bge-m3", "BAAI/bge-m3", "BAAI", ("embedding",)),
    ("BAAI/bge-reranker-v2-m3", "BAAI/bge-reranker-v2-m3", "BAAI", ("rerank",)),
    ("Qwen/Qwen2.5-72B-Instruct", "Qwen2.5 72B", "Qwen", ("chat",)),
    ("deepseek-ai/DeepSeek-R1", "DeepSeek R1", "deepseek-ai", ("chat", "reasoning")),
    ("black-forest-labs/FLUX.1-schnell", "FLUX.1 schnell", "FLUX", ("image",)),
    ("Qwen/QwQ-32B", "QwQ 32B", "Qwen", ("chat", "reasoning")),
    ("THUDM/GLM-4-9B-0414", "GLM-4 9B", "THUDM", ("chat",)),
)
_OLLAMA_MODELS: tuple[ModelSpec, ...] = (
    ("llama3.2:3b", "llama3.2:3b", "llama3.2", ("chat",)),
    ("nomic-embed-text:latest", "nomic-embed-text", "nomic", ("embedding",)),
    ("qwen2.5:7b", "qwen2.5:7b", "qwen2.5", ("chat",)),
    ("deepseek-r1:8b", "deepseek-r1:8b", "deepseek-r1", ("chat", "reasoning")),
    ("gemma3:4b", "gemma3:4b", "gemma3", ("chat", "vision")),
)
_OPENROUTER_MODELS: tuple[ModelSpec, ...] = (
    ("google/gemini-2.5-flash", "Gemini 2.5 Flash", "google", ("chat", "vision")),
    ("openai/gpt-4o-mini", "GPT-4o mini", "openai", ("chat", "vision")),
    ("meta-llama/llama-3.3-70b-instruct", "Llama 3.3 70B", "meta-llama", ("chat",)),
    ("deepseek/deepseek-chat-v3-0324:free", "DeepSeek V3 (free)", "deepseek", ("chat",)),
    ("mistralai/mistral-small-3.1-24b-instruct", "Mistral Small 3.1", "mistralai", ("chat",)),
)
_ZHIPU_MODELS: tuple[ModelSpec, ...] = (
    ("glm-4.5", "GLM-4.5", "GLM-4.5", ("chat", "reasoning")),
    ("glm-4-flash", "GLM-4-Flash", "GLM-4", ("chat",)),
    ("embedding-3", "Embedding-3", "Embedding", ("embedding",)),
    ("cogview-3-flash", "CogView-3-Flash", "CogView", ("image",)),
)
_BEDROCK_MODELS: tuple[ModelSpec, ...] = (
    ("anthropic.claude-3-5-sonnet-20241022-v2:0", "Claude 3.5 Sonnet v2", "Claude", ("chat", "vision")),
    ("amazon.nova-pro-v1:0", "Nova Pro", "Nova", ("chat",)),
)
_GENERIC_MODELS: tuple[ModelSpec, ...] = (
    ("deepseek-v3", "DeepSeek V3", "DeepSeek", ("chat",)),
    ("deepseek-r1", "DeepSeek R1", "DeepSeek", ("chat", "reasoning")),
    ("qwen-max", "Qwen Max", "Qwen", ("chat",)),
    ("qwen-plus", "Qwen Plus", "Qwen", ("chat",)),
    ("qwen-vl-max", "Qwen VL Max", "Qwen", ("chat", "vision")),
    ("glm-4-plus", "GLM-4-Plus", "GLM", ("chat",)),
    ("moonshot-v1-32k", "Moonshot v1 32k", "Moonshot", ("chat",)),
    ("kimi-k2-0711-preview", "Kimi K2", "Kimi", ("chat",)),
    ("llama-3.3-70b-versatile", "Llama 3.3 70B", "Llama", ("chat",)),
    ("mistral-large-latest", "Mistral Large", "Mistral", ("chat",)),
    ("gpt-4o", "GPT-4o", "GPT", ("chat", "vision")),
    ("claude-3-5-sonnet-20241022", "Claude 3.5 Sonnet", "Claude", ("chat", "vision")),
    ("grok-3-mini", "Grok 3 mini", "Grok", ("chat", "reasoning")),
    ("sonar-pro", "Sonar Pro", "Sonar", ("chat",)),
    ("doubao-seed-1-6-250615", "Doubao Seed 1.6", "Doubao", ("chat", "reasoning")),
    ("text-embedding-v3", "text-embedding-v3", "Embedding", ("embedding",)),
    ("jina-embeddings-v3", "jina-embeddings-v3", "Embedding", ("embedding",)),
    ("jina-reranker-v2-base-multilingual", "Jina Reranker v2", "Rerank", ("rerank",)),
)

# (id, name, type, apiHost, models or None for the generic pool). The first nine always appear.
_SYSTEM_PROVIDERS: tuple[tuple[str, str, str, str, tuple[ModelSpec, ...] | None], ...] = (
    ("openai", "OpenAI", "openai-response", "https://api.openai.com", _OPENAI_MODELS),
    ("anthropic", "Anthropic", "anthropic", "https://api.anthropic.com/", _ANTHROPIC_MODELS),
    ("gemini", "Gemini", "gemini", "https://generativelanguage.googleapis.com", _GEMINI_MODELS),
    ("deepseek", "DeepSeek", "openai", "https://api.deepseek.com", _DEEPSEEK_MODELS),
    ("silicon", "Silicon", "openai", "https://api.siliconflow.cn", _SILICON_MODELS),
    ("ollama", "Ollama", "ollama", "http://localhost:11434", _OLLAMA_MODELS),
    ("openrouter", "OpenRouter", "openai", "https://openrouter.ai/api/v1/", _OPENROUTER_MODELS),
    ("zhipu", "ZhiPu", "openai", "https://open.bigmodel.cn/api/paas/v4/", _ZHIPU_MODELS),
    ("aws-bedrock", "AWS Bedrock", "aws-bedrock", "", _BEDROCK_MODELS),
    ("azure-openai", "Azure OpenAI", "azure-openai", "https://demo-resource.openai.azure.com", None),
    ("vertexai", "Vertex AI", "vertexai", "", _GEMINI_MODELS[:2]),
    ("dashscope", "Bailian", "openai", "https://dashscope.aliyuncs.com/compatible-mode/v1/", None),
    ("moonshot", "Moonshot AI", "openai", "https://api.moonshot.cn", None),
    ("mistral", "Mistral", "mistral", "https://api.mistral.ai", None),
    ("groq", "Groq", "openai", "https://api.groq.com/openai", None),
    ("grok", "Grok", "openai", "https://api.x.ai", None),
    ("perplexity", "Perplexity", "openai", "https://api.perplexity.ai/", None),
    ("doubao", "Doubao", "openai", "https://ark.cn-beijing.volces.com/api/v3/", None),
    ("lmstudio", "LM Studio", "openai", "http://localhost:1234", None),
    ("new-api", "New API", "new-api", "http://localhost:3000", None),
    ("github", "GitHub Models", "openai", "https://models.github.ai/inference", None),
    ("jina", "Jina", "openai", "https://api.jina.ai", None),
    ("aihubmix", "AiHubMix", "openai", "https://aihubmix.com", None),
    ("ppio", "PPIO", "openai", "https://api.ppinfra.com/v3/openai/", None),
    ("dmxapi", "DMXAPI", "openai", "https://www.dmxapi.cn", None),
    ("tokenflux", "TokenFlux", "openai", "https://tokenflux.ai/v1/", None),
    ("cephalon", "Cephalon", "openai", "https://cephalon.cloud/user-center/v1/model", None),
    ("minimax", "MiniMax", "openai", "https://api.minimax.chat/v1/", None),
    ("stepfun", "StepFun", "openai", "https://api.stepfun.com", None),
    ("baichuan", "BAICHUAN AI", "openai", "https://api.baichuan-ai.com", None),
    ("yi", "Yi", "openai", "https://api.lingyiwanwu.com", None),
    ("hunyuan", "Hunyuan", "openai", "https://api.hunyuan.cloud.tencent.com", None),
    ("baidu-cloud", "Baidu Cloud", "openai", "https://qianfan.baidubce.com/v2/", None),
    ("modelscope", "ModelScope", "openai", "https://api-inference.modelscope.cn/v1/", None),
    ("together", "Together", "openai", "https://api.together.xyz", None),
    ("fireworks", "Fireworks", "openai", "https://api.fireworks.ai/inference", None),
    ("nvidia", "NVIDIA", "openai", "https://integrate.api.nvidia.com", None),
    ("hyperbolic", "Hyperbolic", "openai", "https://api.hyperbolic.xyz", None),
    ("poe", "Poe", "openai", "https://api.poe.com/v1/", None),
    ("voyageai", "VoyageAI", "openai", "https://api.voyageai.com", None),
    ("infini", "Infini", "openai", "https://cloud.infini-ai.com/maas", None),
    ("cherryin", "CherryIN", "openai", "https://open.cherryin.net", None),
    ("302ai", "302.AI", "openai", "https://api.302.ai", None),
    ("ocoolai", "ocoolAI", "openai", "https://api.ocoolai.com", None),
    ("qiniu", "Qiniu", "openai", "https://api.qnaigc.com", None),
    ("gpustack", "GPUStack", "openai", "http://localhost:80", None),
    ("xirang", "State Cloud Xirang", "openai", "https://wishub-x1.ctyun.cn", None),
    ("tencent-cloud-ti", "Tencent Cloud TI", "openai", "https://api.lkeap.cloud.tencent.com", None),
    ("lanyun", "LANYUN", "openai", "https://maas-api.lanyun.net", None),
    ("ph8", "PH8", "openai", "https://ph8.co", None),
    ("alayanew", "AlayaNew", "openai", "https://deepseek.alayanew.com", None),
    ("burncloud", "BurnCloud", "openai", "https://ai.burncloud.com", None),
    ("aionly", "AIOnly", "openai", "https://api.aiionly.com", None),
    ("longcat", "LongCat", "openai", "https://api.longcat.chat/openai", None),
    ("zai", "Z.ai", "openai", "https://api.z.ai/api/paas/v4/", None),
    ("sophnet", "SophNet", "openai", "https://www.sophnet.com/api/open-apis/v1", None),
    ("cerebras", "Cerebras AI", "openai", "https://api.cerebras.ai/v1", None),
    ("copilot", "GitHub Copilot", "openai", "https://api.githubcopilot.com/", None),
    ("ovms", "OpenVINO Model Server", "openai", "http://localhost:8000/v3/", None),
    ("ai-gateway", "AI Gateway", "openai", "https://ai-gateway.vercel.sh/v1/ai", None),
    ("minimax-global", "MiniMax Global", "openai", "https://api.minimax.io/v1/", None),
    ("cherryai", "CherryAI", "openai", "https://api.cherry-ai.com", None),
)

_FAKE_PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nDEMO-NOT-A-REAL-KEY\n-----END PRIVATE KEY-----\n"

# Custom providers are slotted in at these positions of the provider list.
_CUSTOM_SLOTS = (9, 24, 40, 56)


@dataclass
class ProviderCatalog:
    providers: list[dict[str, Any]]
    chat_models: list[Model] = field(default_factory=list)
    embedding_models: list[Model] = field(default_factory=list)
    rerank_models: list[Model] = field(default_factory=list)

    @property
    def model_count(self) -> int:
        return sum(len(p["models"]) for p in self.providers)

    def find(self, provider_id: str, model_id: str) -> Model:
        for provider in self.providers:
            if provider["id"] == provider_id:
                for model in provider["models"]:
                    if model["id"] == model_id:
                        return model
        raise KeyError(f"{provider_id}::{model_id}")


def make_model(provider_id: str, spec: ModelSpec) -> Model:
    model_id, name, group, _kinds = spec
    return {"id": model_id, "provider": provider_id, "name": name, "group": group}


def model_ref(model: Model) -> Model:
    """A copy of a model as v1 embeds it in assistants, messages and knowledge bases."""
    return dict(model)


def _decorate_model(rng: random.Random, model: Model, kinds: tuple[str, ...], provider_type: str) -> None:
    roll = rng.random()
    if "embedding" in kinds:
        model["type"] = ["embedding"]
    elif "rerank" in kinds:
        model["type"] = ["rerank"]
    elif roll < 0.2:
        model["capabilities"] = [{"type": "function_calling", "isUserSelected": True}]
        if "vision" in kinds:
            model["capabilities"].append({"type": "vision", "isUserSelected": True})
    elif roll < 0.25:
        model["capabilities"] = [{"type": "web_search", "isUserSelected": False}]
    if rng.random() < 0.3 and "chat" in kinds:
        model["pricing"] = {
            "input_per_million_tokens": rng.choice((0.15, 0.5, 2.5, 3)),
            "output_per_million_tokens": rng.choice((0.6, 2, 10, 15)),
            "currencySymbol": rng.choice(("$", "¥")),
        }
    if provider_type == "new-api":
        model["endpoint_type"] = rng.choice(("openai", "anthropic", "gemini"))
    if rng.random() < 0.1:
        model["owned_by"] = model["group"].lower()


def _provider_models(
    rng: random.Random, provider_id: str, ptype: str, specs: tuple[ModelSpec, ...] | None
) -> list[tuple[Model, tuple[str, ...]]]:
    if specs is None:
        count = rng.randint(2, 8)
        chosen = rng.sample(_GENERIC_MODELS, count)
    else:
        # The first three entries of a fixed list are always kept: embedding/rerank models used
        # by knowledge bases live there.
        keep = min(len(specs), 3)
        extra = rng.randint(0, len(specs) - keep)
        chosen = list(specs[:keep]) + rng.sample(specs[keep:], extra)
    models = []
    for spec in chosen:
        model = make_model(provider_id, spec)
        _decorate_model(rng, model, spec[3], ptype)
        models.append((model, spec[3]))
    return models


def _provider_row(
    rng: random.Random,
    ids: IdFactory,
    pid: str,
    name: str,
    ptype: str,
    host: str,
    *,
    enabled: bool,
    is_system: bool,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": pid,
        "name": name,
        "type": ptype,
        "apiKey": ids.fake_secret() if enabled and ptype not in ("ollama", "aws-bedrock") else "",
        "apiHost": host,
        "models": [],
        "isSystem": is_system,
        "enabled": enabled,
    }
    if pid == "openrouter" and enabled:
        row["apiKey"] = f"{ids.fake_secret()},{ids.fake_secret()}"
    if ptype == "azure-openai":
        row["apiVersion"] = "2024-10-21"
    if ptype == "vertexai":
        row["isVertex"] = True
    if pid in ("silicon", "aihubmix", "zhipu"):
        row["anthropicApiHost"] = host.rstrip("/") + "/anthropic"
    if pid == "openai":
        row["serviceTier"] = "auto"
        row["apiOptions"] = {"isSupportServiceTier": True}
    if pid == "deepseek":
        row["isNotSupportArrayContent"] = True
    if pid == "groq":
        row["rateLimit"] = 30
        row["serviceTier"] = "on_demand"
    if pid in ("cherryin", "copilot"):
        row["authType"] = "oauth"
        row["isAuthed"] = enabled
    if not is_system:
        row["notes"] = "Team gateway. Rotates keys monthly."
        row["extra_headers"] = {"X-Team": "demo", "X-Trace": "off"}
        row["apiOptions"] = {"isNotSupportStreamOptions": True, "isNotSupportDeveloperRole": True}
    return row


def build_catalog(rng: random.Random, ids: IdFactory, count: int) -> ProviderCatalog:
    """``count`` providers: system ones in catalogue order with custom gateways slotted in."""
    catalog = ProviderCatalog(providers=[])
    system = iter(_SYSTEM_PROVIDERS)
    custom_index = 0
    while len(catalog.providers) < count:
        position = len(catalog.providers)
        if position in _CUSTOM_SLOTS:
            custom_index += 1
            pid, name, ptype = ids.uuid4(), f"My Gateway {custom_index}", rng.choice(("openai", "new-api"))
            host, specs, is_system = f"https://llm-gw{custom_index}.example.com/v1", None, False
        else:
            spec = next(system, None)
            if spec is None:
                break
            pid, name, ptype, host, specs = spec
            is_system = True
        enabled = position < 9 or (rng.random() < 0.55)
        row = _provider_row(rng, ids, pid, name, ptype, host, enabled=enabled, is_system=is_system)
        for model, kinds in _provider_models(rng, pid, ptype, specs):
            row["models"].append(model)
            if not enabled:
                continue
            if "chat" in kinds:
                catalog.chat_models.append(model)
            if "embedding" in kinds:
                catalog.embedding_models.append(model)
            if "rerank" in kinds:
                catalog.rerank_models.append(model)
        catalog.providers.append(row)
    # One model that cannot stream text deltas (tests the supportsStreaming mapping).
    catalog.providers[2]["models"][-1]["supported_text_delta"] = False
    return catalog


def llm_slice(catalog: ProviderCatalog, ids: IdFactory, quick_assistant_id: str) -> dict[str, Any]:
    default = catalog.find("openai", "gpt-4o")
    return {
        "providers": catalog.providers,
        "defaultModel": model_ref(default),
        "topicNamingModel": model_ref(catalog.find("openai", "gpt-4o-mini")),
        "quickModel": model_ref(catalog.find("deepseek", "deepseek-chat")),
        "translateModel": model_ref(catalog.find("silicon", "deepseek-ai/DeepSeek-V3")),
        "quickAssistantId": quick_assistant_id,
        "settings": {
            "ollama": {"keepAliveTime": 5},
            "lmstudio": {"keepAliveTime": 0},
            "gpustack": {"keepAliveTime": 0},
            "vertexai": {
                "serviceAccount": {
                    "privateKey": _FAKE_PRIVATE_KEY,
                    "clientEmail": "demo-sa@demo-project.iam.gserviceaccount.com",
                },
                "projectId": "demo-project",
                "location": "us-central1",
            },
            "awsBedrock": {
                "authType": "iam",
                "accessKeyId": "AKIADEMO" + ids.hex(12).upper(),
                "secretAccessKey": "demo-secret-" + ids.hex(24),
                "apiKey": "",
                "region": "us-east-1",
            },
            "volcengine": {"accessKeyId": "", "secretAccessKey": "", "region": "cn-beijing"},
        },
    }
