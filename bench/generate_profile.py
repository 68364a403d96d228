"""Generate a Cherry Studio v1 export folder of any size and print what it contains.

Example::

    python -m bench.generate_profile --messages 1000000 --seed 7 bench/out/heavy
"""

from __future__ import annotations

import argparse
import time
from dataclasses import asdict
from pathlib import Path

from cherry_migrate.sampledata import generate_export


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="new or empty folder to write the export into")
    parser.add_argument(
        "--messages", type=int, default=10_000, help="number of chat messages (default 10000)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--raw-persist",
        action="store_true",
        help="write the Redux state as persist-cherry-studio.json instead of redux_export/",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    summary = generate_export(
        args.out_dir, seed=args.seed, messages=args.messages, raw_persist=args.raw_persist
    )
    elapsed = time.perf_counter() - started

    for name, value in asdict(summary).items():
        if isinstance(value, dict):
            print(f"{name}:")
            for key, item in value.items():
                print(f"  {key}: {item}")
        elif isinstance(value, tuple):
            print(f"{name}: {', '.join(value)}")
        else:
            print(f"{name}: {value}")
    print(f"elapsed: {elapsed:.1f}s ({summary.total_bytes / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
