from __future__ import annotations

import base64
from typing import Any

from cherry_migrate.migrators.chat.blocks import (
    PromotedImage,
    attach_references,
    block_to_parts,
    media_type_for,
)


def parts(block: dict[str, Any], images: Any = None) -> list[dict[str, Any]]:
    return block_to_parts(
        {"id": "blk", "messageId": "m", "createdAt": "2025-01-01T00:00:00Z", **block}, images
    ).parts


class RecordingSink:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []

    def promote(self, data: str, media_type: str | None) -> PromotedImage | None:
        self.calls.append((data, media_type))
        if data.endswith("!!"):
            return None
        return PromotedImage(f"fe-{len(self.calls)}", f"file:///files/fe-{len(self.calls)}.png", "image/png")


def test_main_text_is_a_done_text_part_without_block_metadata():
    block = {"type": "main_text", "content": "Hello", "metadata": {"x": 1}, "status": "success"}
    assert parts(block) == [{"type": "text", "text": "Hello", "state": "done"}]


def test_thinking_carries_its_duration():
    assert parts({"type": "thinking", "content": "hmm", "thinking_millsec": 5000.0}) == [
        {
            "type": "reasoning",
            "text": "hmm",
            "state": "done",
            "providerMetadata": {"cherry": {"thinkingMs": 5000}},
        }
    ]
    assert parts({"type": "thinking", "content": "hmm"}) == [
        {"type": "reasoning", "text": "hmm", "state": "done"}
    ]


MCP_RAW = {
    "id": "raw-id",
    "tool": {"id": "t", "name": "web_search", "type": "mcp", "serverId": "s1", "serverName": "search"},
    "arguments": {"query": "raw"},
    "status": "done",
    "response": {"content": [{"type": "text", "text": "result"}]},
    "toolCallId": "call-raw",
}


def test_tool_with_raw_mcp_response():
    block = {
        "type": "tool",
        "toolId": "call-1",
        "toolName": "web_search",
        "arguments": {"query": "test"},
        "content": {"content": [{"type": "text", "text": "block"}], "isError": False},
        "metadata": {"rawMcpToolResponse": MCP_RAW},
    }
    assert parts(block) == [
        {
            "type": "dynamic-tool",
            "toolName": "search: web_search",
            "toolCallId": "call-1",
            "input": {"query": "test"},
            "state": "output-available",
            "output": {"content": [{"type": "text", "text": "result"}]},
            "providerMetadata": {
                "cherry": {"tool": {"type": "mcp", "serverId": "s1", "serverName": "search"}}
            },
        }
    ]


def test_tool_falls_back_to_raw_fields_and_ids():
    raw = {**MCP_RAW, "tool": {"name": "fetch", "type": "weird"}}
    (part,) = parts({"type": "tool", "metadata": {"rawMcpToolResponse": raw}})
    assert part["toolName"] == "fetch"
    assert part["toolCallId"] == "call-raw"
    assert part["input"] == {"query": "raw"}
    assert "providerMetadata" not in part  # an invalid tool type is omitted, nothing else to say
    no_ids = {key: value for key, value in raw.items() if key not in ("toolCallId", "id")}
    assert parts({"type": "tool", "metadata": {"rawMcpToolResponse": no_ids}})[0]["toolCallId"] == "blk"


def test_tool_without_raw_response_uses_block_fields():
    block = {"type": "tool", "toolId": "c", "toolName": "calc", "arguments": {"x": 1}, "content": "2"}
    assert parts(block) == [
        {
            "type": "dynamic-tool",
            "toolName": "calc",
            "toolCallId": "c",
            "input": {"x": 1},
            "state": "output-available",
            "output": "2",
        }
    ]


def test_tool_errors_become_output_error():
    flagged = {"type": "tool", "toolId": "c", "toolName": "f", "content": {"isError": True, "content": []}}
    (part,) = parts(flagged)
    assert (part["state"], part["errorText"]) == ("output-error", '{"isError":true,"content":[]}')
    raw_error = {**MCP_RAW, "status": "error", "response": "connection refused"}
    (part,) = parts({"type": "tool", "toolId": "c", "metadata": {"rawMcpToolResponse": raw_error}})
    assert (part["state"], part["errorText"]) == ("output-error", "connection refused")
    assert "output" not in part


def test_image_link_and_stored_file():
    assert parts({"type": "image", "url": "https://x.test/a.webp?s=1"}) == [
        {"type": "file", "mediaType": "image/webp", "url": "https://x.test/a.webp?s=1"}
    ]
    file = {"id": "f1", "path": "/data/Files/f1.jpg", "ext": ".jpg", "origin_name": "photo.jpg"}
    assert parts({"type": "image", "file": file}) == [
        {
            "type": "file",
            "mediaType": "image/jpeg",
            "url": "file:///data/Files/f1.jpg",
            "filename": "photo.jpg",
            "providerMetadata": {"cherry": {"fileEntryId": "f1"}},
        }
    ]


def test_inline_images_are_promoted_and_mirrored_metadata_deduplicated():
    png = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n....").decode()
    raw = base64.b64encode(b"\xff\xd8\xff....").decode()
    sink = RecordingSink()
    block = {
        "type": "image",
        "url": png,
        "metadata": {"generateImageResponse": {"type": "base64", "images": [png, raw, "bad!!"]}},
    }
    assert parts(block, sink) == [
        {
            "type": "file",
            "mediaType": "image/png",
            "url": "file:///files/fe-1.png",
            "providerMetadata": {"cherry": {"fileEntryId": "fe-1"}},
        },
        {
            "type": "file",
            "mediaType": "image/png",
            "url": "file:///files/fe-2.png",
            "providerMetadata": {"cherry": {"fileEntryId": "fe-2"}},
        },
        {"type": "file", "mediaType": "image/png", "url": "data:image/png;base64,bad!!"},
    ]
    assert sink.calls == [(png, "image/png"), (raw, "image/png"), ("bad!!", "image/png")]


def test_inline_images_stay_inline_without_a_sink():
    png = "data:image/gif;base64,R0lGODlh"
    assert parts({"type": "image", "url": png}) == [{"type": "file", "mediaType": "image/gif", "url": png}]


def test_url_mode_metadata_only_adds_links_not_already_present():
    block = {
        "type": "image",
        "url": "https://x.test/1.png",
        "metadata": {
            "generateImageResponse": {"type": "url", "images": ["https://x.test/1.png", "https://x.test/2"]}
        },
    }
    assert [p["url"] for p in parts(block)] == ["https://x.test/1.png", "https://x.test/2"]


def test_file_block():
    file = {"id": "f2", "path": "/d/f2.pdf", "ext": ".pdf", "origin_name": "doc.pdf", "size": 3}
    assert parts({"type": "file", "file": file}) == [
        {
            "type": "file",
            "mediaType": "application/pdf",
            "url": "file:///d/f2.pdf",
            "filename": "doc.pdf",
            "providerMetadata": {"cherry": {"fileEntryId": "f2"}},
        }
    ]
    assert block_to_parts({"type": "file"}).empty


def test_data_parts():
    assert parts({"type": "error", "error": {"name": "AbortError", "message": "paused", "stack": "s"}}) == [
        {"type": "data-error", "data": {"name": "AbortError", "message": "paused"}}
    ]
    assert parts({"type": "error"}) == [{"type": "data-error", "data": {"name": None, "message": None}}]
    assert parts(
        {"type": "translation", "content": "你好", "targetLanguage": "zh", "sourceBlockId": "b0"}
    ) == [
        {
            "type": "data-translation",
            "data": {"content": "你好", "targetLanguage": "zh", "sourceBlockId": "b0"},
        }
    ]
    assert parts({"type": "video", "url": "https://v.test/v.mp4", "filePath": ""}) == [
        {"type": "data-video", "data": {"url": "https://v.test/v.mp4"}}
    ]
    assert parts({"type": "compact", "content": "sum", "compactedContent": "long"}) == [
        {"type": "data-compact", "data": {"content": "sum", "compactedContent": "long"}}
    ]
    assert parts({"type": "code", "content": "print(1)", "language": "python"}) == [
        {"type": "data-code", "data": {"content": "print(1)", "language": "python"}}
    ]


def test_citations_become_source_urls_and_references():
    block: dict[str, Any] = {
        "type": "citation",
        "response": {
            "source": "websearch",
            "results": {"query": "q", "results": [{"title": "T1", "url": "https://a"}, {"title": "no url"}]},
        },
        "knowledge": [{"id": 1, "content": "fact", "sourceUrl": "kb://1", "type": "note", "file": None}],
        "memories": [{"id": "m1", "memory": "likes tea", "score": 0.5}],
    }
    result = block_to_parts(block)
    assert result.parts == [
        {"type": "source-url", "sourceId": "citation-0", "url": "https://a", "title": "T1"}
    ]
    assert result.references == [
        {
            "category": "citation",
            "citationType": "web",
            "content": {"results": block["response"]["results"], "source": "websearch"},
        },
        {
            "category": "citation",
            "citationType": "knowledge",
            "content": [{"id": 1, "content": "fact", "sourceUrl": "kb://1", "type": "note"}],
        },
        {
            "category": "citation",
            "citationType": "memory",
            "content": [{"id": "m1", "memory": "likes tea", "score": 0.5}],
        },
    ]
    array_results = {
        "type": "citation",
        "response": {"source": "openrouter", "results": ["r1", {"url": "https://b"}]},
    }
    assert block_to_parts(array_results).parts == [
        {"type": "source-url", "sourceId": "citation-1", "url": "https://b"}
    ]


def test_references_go_on_the_first_text_part_or_a_new_one():
    refs = [{"category": "citation", "citationType": "web", "content": {}}]
    with_text = [
        {"type": "reasoning", "text": "r"},
        {"type": "text", "text": "a"},
        {"type": "text", "text": "b"},
    ]
    attach_references(with_text, refs)
    assert with_text[1] == {"type": "text", "text": "a", "providerMetadata": {"cherry": {"references": refs}}}
    assert "providerMetadata" not in with_text[2]
    without_text: list[dict[str, Any]] = [{"type": "source-url", "url": "u"}]
    attach_references(without_text, refs)
    assert without_text[1] == {
        "type": "text",
        "text": "",
        "state": "done",
        "providerMetadata": {"cherry": {"references": refs}},
    }


def test_unknown_and_untyped_blocks_give_nothing():
    assert block_to_parts({"type": "unknown"}).empty
    assert block_to_parts({"type": 3}).empty
    assert block_to_parts({}).empty


def test_media_type_for_extensions():
    assert media_type_for(".PNG", "x") == "image/png"
    assert (
        media_type_for("docx", "x")
        == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert media_type_for(".weird", "fallback") == "fallback"
    assert media_type_for(None, "fallback") == "fallback"
