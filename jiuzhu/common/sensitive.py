"""Encryption at rest and keyed hashing for ID and bank account numbers.

One 32-byte key (`JIUZHU_DATA_KEY`, base64) from the environment; HKDF derives the sub-keys: one
for AES-256-GCM (authenticated encryption, from the `cryptography` library), one for the
HMAC-SHA256 lookup hash (so finding a record by its exact ID number never needs decryption), and
one for Fernet, which wrote the values stored before AES-GCM and still reads them.

A value is stored as "v2." + base64url(12-byte random nonce + ciphertext and tag). AES-GCM
decrypts about five times faster than Fernet, which matters when a bank file for a province
decrypts a million account and ID numbers (ADR-003).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jiuzhu.common.masking import mask_account_number, mask_id_number


@dataclass(frozen=True)
class Sealed:
    """What the database keeps of a sensitive value."""

    ciphertext: str
    digest: str
    masked: str


class _Keys:
    def __init__(self, master: bytes) -> None:
        self.fernet = Fernet(base64.urlsafe_b64encode(self._derive(master, b"jiuzhu-fernet")))
        self.aead = AESGCM(self._derive(master, b"jiuzhu-aes-gcm"))
        self.hash_key = self._derive(master, b"jiuzhu-lookup-hash")

    @staticmethod
    def _derive(master: bytes, info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


@lru_cache(maxsize=4)
def _keys_for(encoded: str) -> _Keys:
    try:
        master = base64.urlsafe_b64decode(encoded.encode())
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("JIUZHU_DATA_KEY 不是有效的 base64 编码。") from exc
    if len(master) < 32:
        raise ImproperlyConfigured("JIUZHU_DATA_KEY 至少需要 32 字节。")
    return _Keys(master)


def _keys() -> _Keys:
    encoded = getattr(settings, "JIUZHU_DATA_KEY", "")
    if not encoded:
        raise ImproperlyConfigured("未设置 JIUZHU_DATA_KEY 环境变量。")
    return _keys_for(encoded)


def lookup_digest(value: str) -> str:
    """Keyed hash of a normalised value: equal values give equal digests, nothing else leaks."""
    return hmac.new(_keys().hash_key, value.encode(), hashlib.sha256).hexdigest()


_V2 = "v2."


def encrypt(value: str) -> str:
    nonce = os.urandom(12)
    sealed = _keys().aead.encrypt(nonce, value.encode(), None)
    return _V2 + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(ciphertext: str) -> str:
    keys = _keys()
    try:
        if ciphertext.startswith(_V2):
            raw = base64.urlsafe_b64decode(ciphertext[len(_V2) :])
            return keys.aead.decrypt(raw[:12], raw[12:], None).decode()
        return keys.fernet.decrypt(ciphertext.encode()).decode()  # written before AES-GCM
    except (InvalidToken, InvalidTag, ValueError) as exc:
        raise ImproperlyConfigured("无法解密：数据密钥与加密时不一致。") from exc


def decrypt_many(ciphertexts: list[str]) -> list[str]:
    """`decrypt` for many values at once ("" stays ""): the keys are looked up once, which is most of
    the cost per value when a bank file decrypts a million of them."""
    keys = _keys()
    aead, fernet, a2b = keys.aead, keys.fernet, binascii.a2b_base64
    plain = []
    try:
        for ciphertext in ciphertexts:
            if not ciphertext:
                plain.append("")
            elif ciphertext.startswith(_V2):
                raw = a2b(ciphertext[3:].replace("-", "+").replace("_", "/"))
                plain.append(aead.decrypt(raw[:12], raw[12:], None).decode())
            else:
                plain.append(fernet.decrypt(ciphertext.encode()).decode())
    except (InvalidToken, InvalidTag, ValueError, binascii.Error) as exc:
        raise ImproperlyConfigured("无法解密：数据密钥与加密时不一致。") from exc
    return plain


def seal_id_number(normalised: str) -> Sealed:
    return Sealed(encrypt(normalised), lookup_digest(normalised), mask_id_number(normalised))


def seal_account_number(normalised: str) -> Sealed:
    return Sealed(encrypt(normalised), lookup_digest(normalised), mask_account_number(normalised))


_FILE_MAGIC = b"JZF2"


def seal_bytes(content: bytes) -> bytes:
    """A whole file encrypted with the data key (AES-GCM): magic, nonce, ciphertext and tag."""
    nonce = os.urandom(12)
    return _FILE_MAGIC + nonce + _keys().aead.encrypt(nonce, content, None)


def unseal_bytes(sealed: bytes) -> bytes:
    """The file `seal_bytes` encrypted; ImproperlyConfigured when the key or the bytes are wrong."""
    if not sealed.startswith(_FILE_MAGIC):
        raise ImproperlyConfigured("无法解密：文件不是本系统加密保存的。")
    head = len(_FILE_MAGIC)
    try:
        return _keys().aead.decrypt(sealed[head : head + 12], sealed[head + 12 :], None)
    except InvalidTag as exc:
        raise ImproperlyConfigured("无法解密：数据密钥与加密时不一致，或文件已损坏。") from exc


_STREAM_MAGIC = b"JZS1"
STREAM_CHUNK = 1 << 20


def seal_stream(source: BinaryIO, target: BinaryIO) -> int:
    """Encrypt a file of any size a megabyte at a time (AES-GCM with the data key); the bytes read.
    Each chunk is [length, nonce, ciphertext and tag], bound to its position and to whether it is
    the last, so chunks cannot be reordered, dropped or the file cut short unnoticed."""
    aead = _keys().aead
    target.write(_STREAM_MAGIC)
    total, index = 0, 0
    chunk = source.read(STREAM_CHUNK)
    while True:
        following = source.read(STREAM_CHUNK) if chunk else b""
        last = not following
        nonce = os.urandom(12)
        sealed = aead.encrypt(nonce, chunk, _chunk_label(index, last))
        target.write(len(sealed).to_bytes(4, "big") + nonce + sealed)
        total += len(chunk)
        if last:
            return total
        chunk, index = following, index + 1


def unseal_stream(source: BinaryIO) -> Iterator[bytes]:
    """The plain chunks of a file `seal_stream` wrote; ImproperlyConfigured if it was altered."""
    aead = _keys().aead
    if source.read(len(_STREAM_MAGIC)) != _STREAM_MAGIC:
        raise ImproperlyConfigured("无法解密：文件不是本系统加密保存的。")
    index = 0
    while True:
        head = source.read(16)
        if len(head) < 16:
            raise ImproperlyConfigured("无法解密：文件不完整。")
        sealed = source.read(int.from_bytes(head[:4], "big"))
        for last in (False, True):
            try:
                plain = aead.decrypt(head[4:], sealed, _chunk_label(index, last))
            except InvalidTag:
                continue
            yield plain
            if last:
                return
            break
        else:
            raise ImproperlyConfigured("无法解密：数据密钥与加密时不一致，或文件已损坏。")
        index += 1


def _chunk_label(index: int, last: bool) -> bytes:
    return index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


class SealedReader(io.RawIOBase):
    """A sealed file read as a plain binary stream (for csv and the table readers)."""

    def __init__(self, source: BinaryIO) -> None:
        self._chunks = unseal_stream(source)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
            if not self._buffer:
                continue
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size
