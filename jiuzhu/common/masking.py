"""Masking of identifiers for lists, exports and logs. Pure, no Django."""

from __future__ import annotations

import re


def mask_id_number(value: str) -> str:
    """`530381199001011234` -> `530381********1234` (first 6 and last 4 kept)."""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_account_number(value: str) -> str:
    """`6228480012345678901` -> `6228***********8901` (first 4 and last 4 kept)."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


# An ID number (18 or 15 characters) or a long digit run such as a bank account, in free text.
_SENSITIVE_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8,12})(\d{3}[0-9Xx]|\d{4})(?![0-9A-Za-z])")


def mask_in_text(text: str) -> str:
    """Mask every ID-like or account-like digit run inside free text (for logs)."""
    return _SENSITIVE_RE.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)
