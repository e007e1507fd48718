"""Jiuzhu (救助): social assistance management for civil-affairs offices."""

__version__ = "0.1.0"
