"""Pinyin initials of Chinese names, for search (e.g. 张三丰 -> "zsf"). Uses pypinyin."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=65536)
def _initial(char: str) -> str:
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    letters = lazy_pinyin(char, style=Style.FIRST_LETTER, errors="ignore")
    return letters[0].lower() if letters and letters[0] else ""


def name_initials(name: str) -> str:
    return "".join(_initial(c) for c in name.strip())
