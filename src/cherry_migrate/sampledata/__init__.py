"""Sample Cherry Studio v1 data: a seeded export-folder generator and the bundled demo profile.

The demo profile (``demo/`` beside this file) is ``generate_export`` output for seed
:data:`DEMO_SEED` and :data:`DEMO_MESSAGES` messages. After changing the generator, rebuild it with::

    python -c "from cherry_migrate.sampledata import regenerate_demo; regenerate_demo()"

See :mod:`cherry_migrate.sampledata.generator` for the folder layout and the list of tricky cases.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from .generator import LEGACY_USER_DATA, MIN_MESSAGES, ProfileSummary, generate_export

__all__ = [
    "DEMO_MESSAGES",
    "DEMO_SEED",
    "LEGACY_USER_DATA",
    "MIN_MESSAGES",
    "ProfileSummary",
    "demo_profile_path",
    "generate_export",
    "regenerate_demo",
]

DEMO_SEED = 20240611
DEMO_MESSAGES = 300


def demo_profile_path() -> Path:
    """The bundled demo export folder (read-only package data)."""
    path = Path(str(resources.files(__name__).joinpath("demo")))
    if not path.is_dir():
        raise FileNotFoundError(f"demo profile not found at {path}; is the package installed from a zip?")
    return path


def regenerate_demo() -> ProfileSummary:
    """Rebuild ``demo/`` in place (run from a source checkout, not an installed wheel)."""
    target = Path(__file__).parent / "demo"
    if target.exists():
        shutil.rmtree(target)
    return generate_export(target, seed=DEMO_SEED, messages=DEMO_MESSAGES)
