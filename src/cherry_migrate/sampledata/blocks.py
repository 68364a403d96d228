"""Builders for the twelve ``message_blocks`` types (legacy-sources §1.5)."""

from __future__ import annotations

import random
from typing import Any

from .files import FileStore, png_data_url
from .ids import IdFactory, iso
from .library import MCP_TOOLS
from .providers import Model
from .texts import CODE_SNIPPETS, THINKING_SNIPPETS, answer_markdown, paragraph

Block = dict[str, Any]

_TOOL_ARGUMENTS = ("cherry-studio", "/Users/demo/notes.md", "Asia/Shanghai", "42")
WEB_SEARCH_SOURCES = (
    "websearch",
    "openai-response",
    "gemini",
    "anthropic",
    "ai-sdk",
    "openrouter",
    "zhipu",
    "perplexity",
)


def _search_results(rng: random.Random, ids: IdFactory, source: str, query: str) -> Any:
    """The results payload in the shape each WebSearchSource uses."""
    pages = [
        (f"Result {i + 1}: {query[:30]}", f"https://site{i + 1}.example.com/{ids.hex(6)}")
        for i in range(rng.randint(2, 4))
    ]
    if source == "websearch":
        return {
            "query": query,
            "results": [{"title": t, "content": paragraph(rng, 1), "url": u} for t, u in pages],
        }
    if source == "openai-response":
        return [
            {"type": "url_citation", "url": u, "title": t, "start_index": 0, "end_index": 42}
            for t, u in pages
        ]
    if source == "gemini":
        return {
            "webSearchQueries": [query],
            "groundingChunks": [{"web": {"uri": u, "title": t}} for t, u in pages],
        }
    if source == "anthropic":
        return [
            {
                "type": "web_search_result",
                "url": u,
                "title": t,
                "encrypted_content": ids.hex(24),
                "page_age": "2 days ago",
            }
            for t, u in pages
        ]
    if source == "ai-sdk":
        return [{"id": ids.hex(8), "url": u, "title": t} for t, u in pages]
    if source == "zhipu":
        return [
            {"refer": f"ref_{i}", "title": t, "link": u, "media": "example", "content": paragraph(rng, 1)}
            for i, (t, u) in enumerate(pages)
        ]
    return [u for _t, u in pages]  # openrouter / perplexity: plain URL strings


class BlockFactory:
    """Makes block rows; ``base`` fields first, in the order v1 writes them."""

    def __init__(
        self,
        rng: random.Random,
        ids: IdFactory,
        files: FileStore,
        mcp_servers: list[dict[str, Any]],
        knowledge_base_ids: list[str],
    ) -> None:
        self._rng = rng
        self._ids = ids
        self._files = files
        self._tool_servers = [s for s in mcp_servers if s["name"] in MCP_TOOLS]
        self._knowledge_base_ids = knowledge_base_ids
        self._tool_cache: dict[tuple[str, str], Block] = {}

    @staticmethod
    def base(block_id: str, message_id: str, kind: str, created: int, status: str = "success") -> Block:
        return {
            "id": block_id,
            "messageId": message_id,
            "type": kind,
            "createdAt": iso(created),
            "status": status,
        }

    def main_text(self, block: Block, content: str, *, model: Model | None = None) -> Block:
        block["content"] = content
        if model is not None and self._rng.random() < 0.1:
            block["model"] = dict(model)
        return block

    def thinking(self, block: Block) -> Block:
        rng = self._rng
        block["content"] = rng.choice(THINKING_SNIPPETS) + "\n\n" + paragraph(rng, rng.randint(1, 3))
        block["thinking_millsec"] = rng.randint(800, 45_000)
        return block

    def _mcp_tool(self, server: dict[str, Any], name: str, description: str, args: tuple[str, ...]) -> Block:
        """The MCPTool descriptor, built once per server and tool (blocks share the same object)."""
        key = (server["id"], name)
        tool = self._tool_cache.get(key)
        if tool is None:
            tool = {
                "id": f"{server['id']}-{name}",
                "serverId": server["id"],
                "serverName": server["name"],
                "name": name,
                "description": description,
                "inputSchema": {
                    "type": "object",
                    "properties": {a: {"type": "string"} for a in args},
                    "required": list(args),
                },
                "type": "mcp",
            }
            self._tool_cache[key] = tool
        return tool

    def tool(self, block: Block, *, failed: bool = False) -> Block:
        rng, ids = self._rng, self._ids
        server = rng.choice(self._tool_servers)
        name, description, arg_names = rng.choice(MCP_TOOLS[server["name"]])
        call_id = "call_" + ids.hex(24)
        arguments = {arg: rng.choice(_TOOL_ARGUMENTS) for arg in arg_names}
        tool = self._mcp_tool(server, name, description, arg_names)
        if failed:
            text = "Error: ENOENT: no such file or directory, open '/Users/demo/notes.md'"
        else:
            text = paragraph(rng, rng.randint(1, 2))
        result = {"content": [{"type": "text", "text": text}], "isError": failed}
        block.update(
            toolId=call_id,
            toolName=name,
            arguments=arguments,
            content=result,
            metadata={
                "rawMcpToolResponse": {
                    "id": call_id,
                    "tool": tool,
                    "arguments": arguments,
                    "status": "error" if failed else "done",
                    "response": result,
                    "toolCallId": call_id,
                }
            },
        )
        if failed:
            block["status"] = "error"
            block["error"] = {"name": "McpError", "message": text, "stack": None}
        return block

    def builtin_tool(self, block: Block) -> Block:
        """A built-in (non-MCP) tool call: ``NormalToolResponse`` with a ``BaseTool``."""
        call_id = "call_" + self._ids.hex(24)
        arguments = {"query": "latest release notes"}
        tool = {
            "id": "builtin_web_search",
            "name": "builtin_web_search",
            "description": "Search the web",
            "type": "builtin",
        }
        block.update(
            toolId=call_id,
            toolName="builtin_web_search",
            arguments=arguments,
            content="3 results found",
            metadata={
                "rawMcpToolResponse": {
                    "id": call_id,
                    "tool": tool,
                    "arguments": arguments,
                    "status": "done",
                    "response": "3 results found",
                    "toolCallId": call_id,
                }
            },
        )
        return block

    def generated_image(self, block: Block, prompt: str) -> Block:
        if self._rng.random() < 0.7:
            url = png_data_url(self._rng)
            response = {"type": "base64", "images": [url]}
        else:
            url = f"https://cdn.example.com/gen/{self._ids.hex(12)}.png"
            response = {"type": "url", "images": [url]}
        block["url"] = url
        block["metadata"] = {"prompt": prompt, "negativePrompt": "", "generateImageResponse": response}
        return block

    def uploaded_image(self, block: Block) -> Block:
        block["file"] = self._files.pick_image()
        return block

    def file(self, block: Block) -> Block:
        block["file"] = self._files.pick_document()
        return block

    def error(self, block: Block) -> Block:
        block["status"] = "error"
        block["error"] = {
            "name": "AI_APICallError",
            "message": "Rate limit reached for requests",
            "stack": "AI_APICallError: Rate limit reached for requests\n    at handleFetchResponse (a.js:1)",
            "url": "https://api.openai.com/v1/chat/completions",
            "statusCode": 429,
            "responseBody": '{"error":{"message":"Rate limit reached for requests","type":"requests"}}',
            "isRetryable": True,
            "data": {"error": {"message": "Rate limit reached for requests", "type": "requests"}},
        }
        return block

    def translation(self, block: Block, source_block_id: str) -> Block:
        rng = self._rng
        block["content"] = "翻译：" + paragraph(rng, 2)
        if rng.random() < 0.8:
            block.update(sourceBlockId=source_block_id, sourceLanguage="en-us", targetLanguage="zh-cn")
        else:
            block["targetLanguage"] = "unknown"
        return block

    def code(self, block: Block) -> Block:
        language, snippet = self._rng.choice(CODE_SNIPPETS)
        block.update(content=snippet, language=language)
        return block

    def video(self, block: Block) -> Block:
        if self._rng.random() < 0.5:
            block["url"] = f"https://cdn.example.com/video/{self._ids.hex(10)}.mp4"
        else:
            block["filePath"] = "/Users/demo/Movies/screen-recording.mp4"
        return block

    def compact(self, block: Block) -> Block:
        block.update(
            content="/compact",
            compactedContent="Summary of the conversation so far: " + paragraph(self._rng, 2),
        )
        return block

    def web_citation(self, block: Block, query: str, source: str) -> Block:
        block["response"] = {
            "results": _search_results(self._rng, self._ids, source, query),
            "source": source,
        }
        return block

    def knowledge_citation(self, block: Block) -> Block:
        rng = self._rng
        block["knowledge"] = [
            {
                "id": i + 1,
                "content": paragraph(rng, 1),
                "sourceUrl": f"https://docs.example.com/{i}",
                "type": "url",
            }
            for i in range(rng.randint(1, 3))
        ]
        if rng.random() < 0.5:
            block["knowledge"].append(
                {
                    "id": 9,
                    "content": paragraph(rng, 1),
                    "sourceUrl": "report.pdf",
                    "type": "file",
                    "file": self._files.pick_document(),
                }
            )
        if rng.random() < 0.4:
            block["memories"] = [
                {
                    "id": self._ids.uuid4(),
                    "memory": "Prefers answers in Chinese",
                    "hash": self._ids.hex(32),
                    "createdAt": block["createdAt"],
                    "score": 0.82,
                }
            ]
        return block

    def knowledge_base_ids(self) -> list[str]:
        return [self._rng.choice(self._knowledge_base_ids)]

    def answer(self) -> str:
        return answer_markdown(self._rng)
