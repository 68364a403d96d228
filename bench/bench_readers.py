"""Reader throughput and memory: stream a large generated Dexie table export and a Redux slice.

    .venv/bin/python -m bench.bench_readers --table-mb 1024

Writes a ``message_blocks.json``-shaped table of about ``--table-mb`` MB into a temporary folder,
then measures, each in a fresh process: streaming it with the project's reader (records/s, MB/s,
peak RSS) and, side by side, loading it whole with orjson (what a non-streaming reader does).
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path
from typing import Any

import orjson

from bench.measure import baseline_rss_mb, emit, measure


def write_table(path: Path, target_mb: int, seed: int) -> int:
    rng = random.Random(seed)
    words = ["migration", "assistant", "topic", "message", "block", "知识库", "模型", "emoji 😀", "data"]
    target = target_mb * 1024 * 1024
    written = rows = 0
    with path.open("wb") as out:
        out.write(b"[")
        while written < target:
            text = " ".join(rng.choice(words) for _ in range(rng.randint(20, 400)))
            row = {
                "id": f"blk-{rows:012d}",
                "messageId": f"msg-{rows // 3:012d}",
                "type": "main_text",
                "createdAt": "2025-03-01T10:00:00.000Z",
                "status": "success",
                "content": text,
            }
            data = (b"," if rows else b"") + orjson.dumps(row)
            out.write(data)
            written += len(data)
            rows += 1
        out.write(b"]")
    return rows


def stream_table(path: str) -> dict[str, Any]:
    from cherry_migrate.sources.json_stream import JsonArrayFile

    count = chars = 0
    for batch in JsonArrayFile(Path(path)).batches(500):
        count += len(batch)
        chars += sum(len(r["content"]) for r in batch)
    return {"records": count}


def load_whole(path: str) -> dict[str, Any]:
    rows = orjson.loads(Path(path).read_bytes())
    return {"records": len(rows)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--table-mb", type=int, default=1024)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--skip-whole-load", action="store_true", help="skip the orjson whole-file comparison"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cherry-bench-") as tmp:
        table = Path(tmp) / "message_blocks.json"
        rows = write_table(table, args.table_mb, args.seed)
        size_mb = table.stat().st_size / 1024 / 1024
        results = [{"step": "baseline (import only)", "peak_rss_mb": round(baseline_rss_mb(), 1)}]
        steps = [("stream with JsonArrayFile (ijson)", stream_table)]
        if not args.skip_whole_load:
            steps.append(("load whole with orjson", load_whole))
        for name, fn in steps:
            figures = measure(fn, str(table))
            results.append(
                {
                    "step": name,
                    "table_mb": round(size_mb, 1),
                    "records": figures["records"],
                    "wall_s": round(figures["wall_s"], 2),
                    "records_per_s": round(rows / figures["wall_s"]),
                    "mb_per_s": round(size_mb / figures["wall_s"], 1),
                    "peak_rss_mb": round(figures["peak_rss_mb"], 1),
                }
            )
        emit(results)


if __name__ == "__main__":
    main()
