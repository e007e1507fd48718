"""Files of any size encrypted a megabyte at a time: read back whole, and refused when cut short,
reordered or read with another key."""

from __future__ import annotations

import io
import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from jiuzhu.common.sensitive import STREAM_CHUNK, SealedReader, seal_stream


def _roundtrip(data: bytes) -> bytes:
    sealed = io.BytesIO()
    assert seal_stream(io.BytesIO(data), sealed) == len(data)
    return io.BufferedReader(SealedReader(io.BytesIO(sealed.getvalue()))).read()


@pytest.mark.parametrize("size", [0, 1, STREAM_CHUNK - 1, STREAM_CHUNK, STREAM_CHUNK + 1, 3 * STREAM_CHUNK + 7])
def test_any_size_reads_back(size):
    data = os.urandom(size)
    assert _roundtrip(data) == data


def test_a_file_cut_short_or_reordered_is_refused():
    sealed = io.BytesIO()
    seal_stream(io.BytesIO(os.urandom(2 * STREAM_CHUNK + 5)), sealed)
    raw = sealed.getvalue()
    first = 4 + 16 + STREAM_CHUNK + 16  # magic, then [length, nonce, ciphertext, tag]
    for altered in (raw[:first], raw[:4] + raw[first : 2 * first - 4] + raw[4:first] + raw[2 * first - 4 :]):
        with pytest.raises(ImproperlyConfigured):
            io.BufferedReader(SealedReader(io.BytesIO(altered))).read()


def test_another_key_cannot_read_it(settings):
    sealed = io.BytesIO()
    seal_stream(io.BytesIO(b"510202195001011234"), sealed)
    settings.JIUZHU_DATA_KEY = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="
    with pytest.raises(ImproperlyConfigured, match="数据密钥"):
        io.BufferedReader(SealedReader(io.BytesIO(sealed.getvalue()))).read()
