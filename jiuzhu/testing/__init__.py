"""Shared test fixtures and builders (imported by conftest.py; not used by application code)."""
