"""cherry-migrate: Cherry Studio v1 → v2 data migration."""

__version__ = "0.1.0"
