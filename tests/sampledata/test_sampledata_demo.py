"""The bundled demo profile and the bench script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cherry_migrate.sampledata import DEMO_MESSAGES, DEMO_SEED, demo_profile_path, generate_export

from .profile_data import all_files


def test_demo_profile_is_current_generator_output(tmp_path: Path):
    demo = demo_profile_path()
    assert (demo / "dexie_export" / "topics.json").is_file()
    generate_export(tmp_path / "demo", seed=DEMO_SEED, messages=DEMO_MESSAGES)
    assert all_files(demo) == all_files(tmp_path / "demo"), (
        "run regenerate_demo() after changing the generator"
    )


def test_demo_profile_stays_small():
    size = sum(p.stat().st_size for p in demo_profile_path().rglob("*") if p.is_file())
    assert size < 1_500_000


def test_bench_script_prints_the_summary(tmp_path: Path):
    script = Path(__file__).resolve().parents[2] / "bench" / "generate_profile.py"
    args = ["--messages", "100", "--seed", "2", "--raw-persist", str(tmp_path / "out")]
    result = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, check=True)
    assert "messages: 100" in result.stdout and "tricky:" in result.stdout
    assert (tmp_path / "out" / "persist-cherry-studio.json").is_file()
