"""Helpers for the end-to-end fault, crash and security tests: running the CLI in a subprocess,
fingerprinting folders and reading what a run left beside its target."""
