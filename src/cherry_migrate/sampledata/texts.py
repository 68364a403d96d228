"""Small text corpora and builders for chat content, names and notes.

Mixed English, Chinese and emoji so that readers meet multi-byte UTF-8 everywhere; no lone surrogates
(the JSON would not be valid UTF-8).
"""

from __future__ import annotations

import random

TOPIC_NAMES = (
    "Refactor the billing service",
    "周末去杭州的行程规划",
    "Explain Rust lifetimes",
    "SQL window functions",
    "Draft a cover letter",
    "论文摘要润色",
    "Kubernetes ingress 502",
    "Bedtime story for Mia 🌙",
    "Compare vector databases",
    "Regex for ISO dates",
    "翻译产品发布会演讲稿",
    "Sourdough starter troubleshooting",
    "Learn Japanese particles は vs が",
    "React useEffect cleanup",
    "Quarterly OKR brainstorm",
    "Python asyncio deadlock",
    "家庭理财：基金定投",
    "Write unit tests for parser",
    "Marathon training plan",
    "Summarise meeting notes",
    "CSS grid vs flexbox",
    "Prompt engineering tips",
    "Docker image too large",
    "量子计算入门",
    "Tax questions (freelance)",
)

USER_QUESTIONS = (
    "Can you explain how this works step by step?",
    "帮我把下面这段话翻译成英文，语气正式一点。",
    "Why does my code throw `TypeError: cannot read properties of undefined`?",
    "Give me three alternatives and compare them in a table.",
    "用简单的语言解释一下这个概念。",
    "What are the trade-offs here? Be concise.",
    "Rewrite this paragraph so that it sounds friendlier 😊",
    "Write a Python function that does this, with type hints.",
    "能不能再详细一点？尤其是第二步。",
    "Summarise the attached document in five bullet points.",
    "Is there a faster way to do this for 10 million rows?",
    "What would you recommend for a small team?",
    "请检查一下这段 SQL 有没有性能问题。",
    "Draw me a watercolor fox in a snowy forest.",
    "Continue.",
)

ANSWER_OPENERS = (
    "Sure! Here is a breakdown.",
    "好的，下面分几步说明。",
    "Short answer: yes, but with a caveat.",
    "There are a few ways to approach this.",
    "这是一个很常见的问题。",
    "Great question — let's walk through it.",
)

ANSWER_SENTENCES = (
    "The key idea is to keep the hot path free of allocations.",
    "首先需要确认输入数据的格式是否一致。",
    "In practice this matters only when the dataset no longer fits in memory.",
    "You can verify the result with a quick benchmark before committing to it.",
    "这种做法的缺点是维护成本会随着规模增长。",
    "Most teams start with the simple version and optimise later.",
    "Note that the behaviour differs between versions 2 and 3.",
    "如果需要更高的精度，可以考虑使用 `Decimal`。",
    "The error usually means the object was released before the callback ran.",
    "A table makes the comparison easier to scan.",
    "This follows from the definition: $e^{i\\pi} + 1 = 0$.",
    "Keep an eye on the memory usage when the batch size grows.",
)

CODE_SNIPPETS = (
    (
        "python",
        "def chunks(items, size):\n    for start in range(0, len(items), size):\n"
        "        yield items[start:start + size]\n",
    ),
    (
        "typescript",
        "export function debounce<T extends (...args: never[]) => void>(fn: T, ms = 200) {\n"
        "  let timer: ReturnType<typeof setTimeout> | undefined\n"
        "  return (...args: Parameters<T>) => {\n    clearTimeout(timer)\n"
        "    timer = setTimeout(() => fn(...args), ms)\n  }\n}\n",
    ),
    (
        "sql",
        "SELECT user_id, SUM(amount) OVER (PARTITION BY user_id ORDER BY created_at) AS running\n"
        "FROM payments\nWHERE created_at >= DATE '2024-01-01';\n",
    ),
    ("bash", "docker build --no-cache -t demo/app:latest . && docker image ls demo/app\n"),
    (
        "rust",
        "fn longest<'a>(x: &'a str, y: &'a str) -> &'a str {\n    if x.len() > y.len() { x } else { y }\n}\n",
    ),
)

THINKING_SNIPPETS = (
    "The user wants a comparison. I should list criteria first, then fill the table.",
    "用户的问题其实有两层：概念解释和实际操作。先解释概念。",
    "Let me check the edge cases: empty input, a single element, and duplicates.",
    "I need to be careful about the time zone; the dates are in UTC.",
)

ASSISTANT_NAMES = (
    ("Code Reviewer", "🧑‍💻"),
    ("翻译官", "🌐"),
    ("Writing Coach", "✍️"),
    ("Data Analyst", "📊"),
    ("旅行助手", "🧳"),
    ("Math Tutor", "📐"),
    ("Product Manager", "📋"),
    ("Chef", "🍳"),
    ("Legal Helper", "⚖️"),
    ("Shell Expert", "🐚"),
    ("心理咨询师", "🫶"),
    ("Marketing Copywriter", "📣"),
)

SYSTEM_PROMPTS = (
    "You are a meticulous senior engineer. Point out bugs first, then style.",
    "你是一名专业翻译，请保持原文格式，不要添加解释。",
    "You are a patient tutor. Ask a guiding question before giving the answer.",
    "Answer briefly. Use tables when comparing options.",
    "",
)

NOTE_TITLES = (
    "Reading list",
    "会议纪要 2024-07",
    "Ideas for the side project",
    "Recipes",
    "Interview prep",
    "旅行清单",
    "Home lab setup",
    "Weekly review",
)

QUICK_PHRASES = (
    ("Polish", "Please polish the following text and keep its meaning:\n\n"),
    ("总结", "请用三句话总结以下内容：\n\n"),
    ("Explain like I'm five", "Explain the following as if I were five years old: "),
    ("Code review", "Review this code for bugs, security issues and readability:\n\n```\n\n```"),
    ("Translate → EN", "Translate into natural English: "),
)

TRANSLATE_PAIRS = (
    (
        "今天天气很好，我们去公园散步吧。",
        "The weather is lovely today, let's take a walk in the park.",
        "zh-cn",
        "en-us",
    ),
    ("Please find the attached invoice.", "请查收附件中的发票。", "en-us", "zh-cn"),
    ("お疲れ様でした。", "Thank you for your hard work.", "ja-jp", "en-us"),
    ("Das ist nicht mein Problem.", "That's not my problem.", "de-de", "en-us"),
    ("The meeting has been moved to Friday.", "会议改到周五了。", "en-us", "zh-cn"),
    ("¿Dónde está la estación?", "Where is the station?", "es-es", "en-us"),
)


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(ANSWER_SENTENCES) for _ in range(sentences))


def answer_markdown(rng: random.Random) -> str:
    """A markdown answer of a few hundred characters: opener, paragraphs, sometimes a list or code."""
    parts = [rng.choice(ANSWER_OPENERS), paragraph(rng, rng.randint(1, 3))]
    shape = rng.random()
    if shape < 0.25:
        parts.append("\n".join(f"{i}. {rng.choice(ANSWER_SENTENCES)}" for i in range(1, rng.randint(3, 5))))
    elif shape < 0.45:
        language, code = rng.choice(CODE_SNIPPETS)
        parts.append(f"```{language}\n{code}```")
    elif shape < 0.55:
        parts.append(
            "| option | pros | cons |\n| --- | --- | --- |\n| A | simple | slow |\n| B | fast | complex |"
        )
    return "\n\n".join(parts)


def question(rng: random.Random) -> str:
    return rng.choice(USER_QUESTIONS)


def note_markdown(rng: random.Random, title: str) -> str:
    lines = [f"# {title}", ""]
    for _ in range(rng.randint(2, 5)):
        lines.append(f"- {rng.choice(ANSWER_SENTENCES)}")
    lines += ["", paragraph(rng, 2), ""]
    return "\n".join(lines)
