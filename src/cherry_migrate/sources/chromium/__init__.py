"""Read a Chromium/Electron profile's IndexedDB and localStorage straight from disk.

Public entry points: :class:`IndexedDBReader`, :class:`LocalStorageReader`,
:func:`read_persist_value` and :func:`to_json_compatible`. See ``README.md`` in this folder.
"""

from .errors import (
    ChromiumCorruptionError,
    ChromiumDecodeError,
    ChromiumNotFoundError,
    ChromiumReadError,
    ReadIssue,
)
from .indexeddb import DatabaseInfo, IndexedDBReader, IndexInfo, ObjectStoreInfo
from .js_types import (
    UNDEFINED,
    JsArray,
    JsArrayBufferView,
    JsBigInt,
    JsBlob,
    JsBoxed,
    JsDate,
    JsError,
    JsFile,
    JsFileList,
    JsMap,
    JsRegExp,
    JsSet,
    JsUndefined,
)
from .json_compat import JsonConversionError, to_json_compatible
from .local_storage import LocalStorageReader, read_persist_value

__all__ = [
    "UNDEFINED",
    "ChromiumCorruptionError",
    "ChromiumDecodeError",
    "ChromiumNotFoundError",
    "ChromiumReadError",
    "DatabaseInfo",
    "IndexInfo",
    "IndexedDBReader",
    "JsArray",
    "JsArrayBufferView",
    "JsBigInt",
    "JsBlob",
    "JsBoxed",
    "JsDate",
    "JsError",
    "JsFile",
    "JsFileList",
    "JsMap",
    "JsRegExp",
    "JsSet",
    "JsUndefined",
    "JsonConversionError",
    "LocalStorageReader",
    "ObjectStoreInfo",
    "ReadIssue",
    "read_persist_value",
    "to_json_compatible",
]
