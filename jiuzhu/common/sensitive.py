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
import os
from dataclasses import dataclass
from functools import lru_cache

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
