"""Run the fuzz tests (``tests/fuzz``) for much longer than the normal suite does.

Example::

    python -m bench.fuzz_long --examples 20000 --seed 12345

Every fuzz test then draws ``--examples`` inputs, slow ones proportionally fewer (the suite draws
about 200). Without ``--seed`` hypothesis picks a random one and prints it with any failure; a
failing input is also saved in hypothesis' example database (``.hypothesis/``), so the next normal
run of the suite tries it first. Extra arguments after ``--`` go to pytest (``-- -k json_stream -x``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from tests.fuzz.strategies import EXAMPLES_ENV

FUZZ_TESTS = "tests/fuzz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20_000, help="inputs per test (default 20000)")
    parser.add_argument("--seed", type=int, help="hypothesis seed, to repeat a run")
    parser.add_argument("pytest_args", nargs="*", help="passed on to pytest")
    args = parser.parse_args(argv)
    command = [
        sys.executable,
        "-m",
        "pytest",
        FUZZ_TESTS,
        "-q",
        "--timeout=0",
        "--hypothesis-show-statistics",
    ]
    if args.seed is not None:
        command.append(f"--hypothesis-seed={args.seed}")
    # A fresh interpreter: pytest must import hypothesis itself to rewrite its assertions.
    env = {**os.environ, EXAMPLES_ENV: str(args.examples)}
    return subprocess.run([*command, *args.pytest_args], env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
