"""v1 message blocks → v2 ``data.parts`` (AI SDK UIMessage parts plus Cherry's ``data-*`` parts).

Pure apart from the optional :class:`ImageSink`, which turns inline base64 images into files.

| v1 block    | v2 part(s)                                                                 |
| ----------- | -------------------------------------------------------------------------- |
| main_text   | ``text`` (state ``done``)                                                  |
| thinking    | ``reasoning`` + ``providerMetadata.cherry.thinkingMs``                     |
| tool        | ``dynamic-tool`` (``output-available`` / ``output-error``) + cherry.tool  |
| image       | ``file`` parts (stored file, link, or inline image promoted to a file)    |
| file        | ``file`` part with ``cherry.fileEntryId``                                  |
| error       | ``data-error {name, message}``                                             |
| translation | ``data-translation``                                                       |
| video       | ``data-video``                                                             |
| compact     | ``data-compact``                                                           |
| code        | ``data-code``                                                              |
| citation    | ``source-url`` parts + references (attached to the message's first text)  |
| unknown     | nothing                                                                    |

Block ids, statuses, timestamps and free-form metadata are not copied into parts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

from cherry_migrate.migrators.chat.stats import finite_number

Part = dict[str, Any]


@dataclass(frozen=True, slots=True)
class PromotedImage:
    file_entry_id: str
    url: str
    media_type: str


class ImageSink(Protocol):
    def promote(self, data: str, media_type: str | None) -> PromotedImage | None:
        """Store inline image data (a ``data:`` URL, or bare base64 of ``media_type``) as a file;
        None when it cannot be decoded."""
        ...


@dataclass(slots=True)
class BlockResult:
    parts: list[Part] = field(default_factory=list)
    references: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.parts and not self.references


KNOWN_BLOCK_TYPES = frozenset(
    {
        "main_text",
        "thinking",
        "tool",
        "image",
        "file",
        "error",
        "translation",
        "video",
        "compact",
        "code",
        "citation",
    }
)

DATA_URL = re.compile(r"data:([^;,]*)((?:;[^;,]*)*);base64,", re.IGNORECASE)
"""A base64 ``data:`` URL prefix; group 1 is the media type."""

_MEDIA_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "svg": "image/svg+xml",
    "bmp": "image/bmp",
    "ico": "image/x-icon",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain",
    "md": "text/markdown",
    "csv": "text/csv",
    "json": "application/json",
    "xml": "application/xml",
    "zip": "application/zip",
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "mp4": "video/mp4",
    "webm": "video/webm",
}


def block_to_parts(block: dict[str, Any], images: ImageSink | None = None) -> BlockResult:
    """The parts of one block (possibly none). Without ``images``, inline images stay data URLs."""
    block_type = block.get("type")
    mapper = _MAPPERS.get(block_type) if isinstance(block_type, str) else None
    return mapper(block, images) if mapper else BlockResult()


def attach_references(parts: list[Part], references: list[dict[str, Any]]) -> None:
    """Put citation references on the first text part, as v2 reads them. A message without text
    gets an empty text part to carry them, so knowledge and memory citations are not lost."""
    if not references:
        return
    for part in parts:
        if part.get("type") == "text":
            _cherry(part)["references"] = references
            return
    parts.append(
        {
            "type": "text",
            "text": "",
            "state": "done",
            "providerMetadata": {"cherry": {"references": references}},
        }
    )


def media_type_for(ext: Any, fallback: str) -> str:
    if not isinstance(ext, str) or not ext:
        return fallback
    return _MEDIA_TYPES.get(ext.lstrip(".").lower(), fallback)


# --- per block type -------------------------------------------------------------------------------


def _main_text(block: dict[str, Any], _: ImageSink | None) -> BlockResult:
    return BlockResult([{"type": "text", "text": _text(block.get("content")), "state": "done"}])


def _thinking(block: dict[str, Any], _: ImageSink | None) -> BlockResult:
    part: Part = {"type": "reasoning", "text": _text(block.get("content")), "state": "done"}
    thinking_ms = finite_number(block.get("thinking_millsec"))
    if thinking_ms is not None:
        part["providerMetadata"] = {"cherry": {"thinkingMs": thinking_ms}}
    return BlockResult([part])


def _tool(block: dict[str, Any], _: ImageSink | None) -> BlockResult:
    metadata = block.get("metadata")
    raw = metadata.get("rawMcpToolResponse") if isinstance(metadata, dict) else None
    raw = raw if isinstance(raw, dict) else None
    raw_tool = raw.get("tool") if raw else None
    raw_tool = raw_tool if isinstance(raw_tool, dict) else {}

    name = _first_text(block.get("toolName"), raw_tool.get("name")) or "unknown"
    server_name = _first_text(raw_tool.get("serverName"))
    content = block.get("content")
    arguments = block.get("arguments")
    if arguments is None and raw is not None:
        arguments = raw.get("arguments")
    output = raw.get("response") if raw is not None and raw.get("response") is not None else content
    failed = (isinstance(content, dict) and content.get("isError") is True) or (
        raw is not None and raw.get("status") == "error"
    )
    part: Part = {
        "type": "dynamic-tool",
        "toolName": f"{server_name}: {name}" if server_name else name,
        "toolCallId": _first_text(
            block.get("toolId"), raw and raw.get("toolCallId"), raw and raw.get("id"), block.get("id")
        ),
        "input": arguments if arguments is not None else {},
    }
    if failed:
        part["state"] = "output-error"
        part["errorText"] = output if isinstance(output, str) else _json_text(output)
    else:
        part["state"] = "output-available"
        part["output"] = output
    tool_meta = _tool_meta(raw_tool) if raw is not None else {}
    if tool_meta:
        part["providerMetadata"] = {"cherry": {"tool": tool_meta}}
    return BlockResult([part])


def _tool_meta(raw_tool: dict[str, Any]) -> dict[str, str]:
    meta: dict[str, str] = {}
    tool_type = raw_tool.get("type")
    if tool_type in ("mcp", "builtin", "provider"):
        meta["type"] = tool_type
    for key in ("serverId", "serverName"):
        value = raw_tool.get(key)
        if isinstance(value, str) and value:
            meta[key] = value
    return meta


def _image(block: dict[str, Any], images: ImageSink | None) -> BlockResult:
    parts: list[Part] = []
    seen: set[str] = set()
    url = block.get("url") if isinstance(block.get("url"), str) else ""
    if url:
        seen.add(url)
    file = block.get("file")
    if isinstance(file, dict) and (file.get("id") or file.get("path")):
        # An uploaded image: the stored file is the image; a link beside it wins as the url.
        part = _stored_file_part(file, "image/png")
        if url and not url.startswith("data:"):
            part["url"] = url
        parts.append(part)
    elif url:
        parts.append(_image_url_part(url, media_type_for(_url_ext(url), "image/png"), images))
    metadata = block.get("metadata")
    generated = metadata.get("generateImageResponse") if isinstance(metadata, dict) else None
    if isinstance(generated, dict) and isinstance(generated.get("images"), list):
        inline = generated.get("type") == "base64"
        for item in generated["images"]:
            if not isinstance(item, str) or not item or item in seen:
                continue
            seen.add(item)
            if inline and not item.startswith("data:"):
                parts.append(_inline_image_part(item, "image/png", images))
            else:
                parts.append(_image_url_part(item, media_type_for(_url_ext(item), "image/png"), images))
    return BlockResult(parts)


def _file(block: dict[str, Any], _: ImageSink | None) -> BlockResult:
    file = block.get("file")
    if not isinstance(file, dict):
        return BlockResult()
    return BlockResult([_stored_file_part(file, "application/octet-stream")])


def _error(block: dict[str, Any], _: ImageSink | None) -> BlockResult:
    error = block.get("error")
    error = error if isinstance(error, dict) else {}
    data = {"name": _optional_text(error.get("name")), "message": _optional_text(error.get("message"))}
    return BlockResult([{"type": "data-error", "data": data}])


def _translation(block: dict[str, Any], _: ImageSink | None) -> BlockResult:
    data: dict[str, Any] = {
        "content": _text(block.get("content")),
        "targetLanguage": _text(block.get("targetLanguage")),
    }
    for key in ("sourceLanguage", "sourceBlockId"):
        value = block.get(key)
        if isinstance(value, str) and value:
            data[key] = value
    return BlockResult([{"type": "data-translation", "data": data}])


def _video(block: dict[str, Any], _: ImageSink | None) -> BlockResult:
    data = {key: block[key] for key in ("url", "filePath") if isinstance(block.get(key), str) and block[key]}
    return BlockResult([{"type": "data-video", "data": data}])


def _compact(block: dict[str, Any], _: ImageSink | None) -> BlockResult:
    data = {"content": _text(block.get("content")), "compactedContent": _text(block.get("compactedContent"))}
    return BlockResult([{"type": "data-compact", "data": data}])


def _code(block: dict[str, Any], _: ImageSink | None) -> BlockResult:
    data = {"content": _text(block.get("content")), "language": _text(block.get("language"))}
    return BlockResult([{"type": "data-code", "data": data}])


def _citation(block: dict[str, Any], _: ImageSink | None) -> BlockResult:
    result = BlockResult()
    response = block.get("response")
    if isinstance(response, dict):
        results = response.get("results")
        for index, item in enumerate(_web_results(results)):
            url = item.get("url") if isinstance(item, dict) else None
            if isinstance(url, str) and url:
                source: Part = {"type": "source-url", "sourceId": f"citation-{index}", "url": url}
                title = item.get("title")
                if isinstance(title, str):
                    source["title"] = title
                result.parts.append(source)
        result.references.append(
            {
                "category": "citation",
                "citationType": "web",
                "content": {"results": results, "source": response.get("source")},
            }
        )
    for key, citation_type, fields in (
        ("knowledge", "knowledge", ("id", "content", "sourceUrl", "type", "file", "metadata")),
        ("memories", "memory", ("id", "memory", "hash", "createdAt", "updatedAt", "score", "metadata")),
    ):
        items = block.get(key)
        if isinstance(items, list) and items:
            content = [
                {name: item[name] for name in fields if item.get(name) is not None}
                if isinstance(item, dict)
                else item
                for item in items
            ]
            result.references.append(
                {"category": "citation", "citationType": citation_type, "content": content}
            )
    return result


def _web_results(results: Any) -> list[Any]:
    """The result list: most sources store an array; the built-in web search stores
    ``{query, results: [...]}``."""
    if isinstance(results, list):
        return results
    if isinstance(results, dict) and isinstance(results.get("results"), list):
        return list(results["results"])
    return []


_MAPPERS: dict[str, Callable[[dict[str, Any], ImageSink | None], BlockResult]] = {
    "main_text": _main_text,
    "thinking": _thinking,
    "tool": _tool,
    "image": _image,
    "file": _file,
    "error": _error,
    "translation": _translation,
    "video": _video,
    "compact": _compact,
    "code": _code,
    "citation": _citation,
}


# --- helpers --------------------------------------------------------------------------------------


def _stored_file_part(file: dict[str, Any], fallback_media_type: str) -> Part:
    """A file part for a v1 ``FileMetadata`` (files keep their id as v2 file_entry id)."""
    path = file.get("path")
    part: Part = {
        "type": "file",
        "mediaType": media_type_for(file.get("ext"), fallback_media_type),
        "url": f"file://{path}" if isinstance(path, str) and path else "",
    }
    filename = file.get("origin_name")
    if isinstance(filename, str) and filename:
        part["filename"] = filename
    file_id = file.get("id")
    if isinstance(file_id, str) and file_id:
        part["providerMetadata"] = {"cherry": {"fileEntryId": file_id}}
    return part


def _image_url_part(url: str, media_type: str, images: ImageSink | None) -> Part:
    match = DATA_URL.match(url)
    if match is None:
        return {"type": "file", "mediaType": media_type, "url": url}
    return _inline_image_part(url, match.group(1) or media_type, images)


def _inline_image_part(data: str, media_type: str, images: ImageSink | None) -> Part:
    promoted = images.promote(data, media_type) if images is not None else None
    if promoted is None:
        url = data if data.startswith("data:") else f"data:{media_type};base64,{data}"
        return {"type": "file", "mediaType": media_type, "url": url}
    return {
        "type": "file",
        "mediaType": promoted.media_type,
        "url": promoted.url,
        "providerMetadata": {"cherry": {"fileEntryId": promoted.file_entry_id}},
    }


def _url_ext(url: str) -> str | None:
    if url.startswith("data:"):
        return None
    tail = url.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    return tail.rsplit(".", 1)[-1] if "." in tail else None


def _cherry(part: Part) -> dict[str, Any]:
    metadata = part.setdefault("providerMetadata", {})
    cherry: dict[str, Any] = metadata.setdefault("cherry", {})
    return cherry


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return "" if value is None else _json_text(value)


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _first_text(*values: Any) -> str:
    for value in values:
        if isinstance(value, str) and value:
            return value
    return ""


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    try:
        return orjson.dumps(value).decode("utf-8")
    except TypeError:
        return str(value)
