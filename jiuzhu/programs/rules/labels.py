"""Chinese labels in pure rules, without importing Django.

Rules return stable English codes with a Chinese label (the msgid). `gettext_noop` here only marks
a label for the message catalogue (makemessages looks for the name, not for Django's function);
the page, the API or the PDF shows it with Django's `gettext(label)`, so English users get the
translation. Labels with placeholders are rendered with `render_label`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Translate = Callable[[str], str]
LabelParams = tuple[tuple[str, str], ...]


def gettext_noop(message: str) -> str:
    """Mark `message` (Chinese) for the catalogue; return it unchanged."""
    return message


def no_translation(message: str) -> str:
    return message


def label_params(**params: object) -> LabelParams:
    """Placeholder values of a label as a hashable, JSON-friendly tuple of (name, text) pairs."""
    return tuple((name, str(value)) for name, value in params.items())


def render_label(label: str, params: Iterable[tuple[str, str]] = (), translate: Translate = no_translation) -> str:
    """Translate first, then interpolate (STYLE B10)."""
    text = translate(label)
    values = dict(params)
    return text % values if values else text
