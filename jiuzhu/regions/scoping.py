"""Subtree filters on region codes. Pure apart from building a Q object.

Codes are digit strings and every descendant's code starts with its ancestor's code, so the
subtree of `prefix` is exactly the codes in [prefix, prefix + ":"): ":" sorts right after "9".
A range on a btree index works the same on SQLite and PostgreSQL (LIKE 'x%' does not use an
index on either without special collations).
"""

from __future__ import annotations

from django.db.models import Q

SUBTREE_UPPER_SENTINEL = ":"


def subtree_q(prefix: str, code_field: str = "code") -> Q:
    """Q for every row whose region code lies in the subtree of `prefix` ("" = everything)."""
    if not prefix:
        return Q()
    return Q(**{f"{code_field}__gte": prefix, f"{code_field}__lt": prefix + SUBTREE_UPPER_SENTINEL})


def is_within(code: str, prefix: str) -> bool:
    return code.startswith(prefix)
