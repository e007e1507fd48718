from __future__ import annotations

import base64
import logging
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from jiuzhu.common.logging import MaskSensitiveFilter
from jiuzhu.common.masking import mask_account_number, mask_id_number, mask_in_text
from jiuzhu.common.money import MoneyFormatError, fen_to_yuan_text, round_to_fen, yuan_to_fen
from jiuzhu.common.sensitive import decrypt, decrypt_many, encrypt, lookup_digest, seal_id_number


@pytest.mark.parametrize(
    ("text", "fen"),
    [("1234.56", 123456), ("0.1", 10), ("170", 17000), ("1,234.5", 123450), ("-3.20", -320), (" 72 ", 7200)],
)
def test_yuan_to_fen(text, fen):
    assert yuan_to_fen(text) == fen


@pytest.mark.parametrize("text", ["1.234", "abc", "", "1e3", "12..3", "¥5"])
def test_yuan_to_fen_refuses_bad_amounts(text):
    with pytest.raises(MoneyFormatError):
        yuan_to_fen(text)


def test_fen_to_yuan_text_and_rounding():
    assert fen_to_yuan_text(4580500) == "45,805.00"
    assert fen_to_yuan_text(-5) == "-0.05"
    assert round_to_fen(Decimal("33333.5")) == 33334
    assert round_to_fen(Decimal("33333.4999")) == 33333


def test_masks():
    assert mask_id_number("530381199001011234") == "530381********1234"
    assert mask_account_number("6228480012345678901") == "6228***********8901"
    assert mask_in_text("申请人 53038119900101123X 账号 6228480012345678901") == (
        "申请人 530381********123X 账号 622848*********8901"
    )
    assert mask_in_text("电话 13800001111") == "电话 13800001111"


def test_log_filter_masks_id_numbers():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "查询 %s 失败", ("53038119900101123X",), None)
    MaskSensitiveFilter().filter(record)
    assert record.getMessage() == "查询 530381********123X 失败"


def test_encryption_round_trip_and_keyed_hash():
    sealed = seal_id_number("53038119900101123X")
    assert "53038119900101123X" not in sealed.ciphertext
    assert decrypt(sealed.ciphertext) == "53038119900101123X"
    assert sealed.digest == lookup_digest("53038119900101123X") != lookup_digest("530381199001011231")
    assert encrypt("x") != encrypt("x")  # random IV: equal values do not give equal ciphertexts


def test_values_are_aes_gcm_and_values_written_with_fernet_still_read():
    from jiuzhu.common.sensitive import _keys

    ciphertext = encrypt("6228480012345678901")
    assert ciphertext.startswith("v2.")
    raw = bytearray(base64.urlsafe_b64decode(ciphertext[3:]))
    raw[14] ^= 0x01  # one bit of the encrypted value
    tampered = "v2." + base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(ImproperlyConfigured):  # authenticated: a changed byte is refused
        decrypt(tampered)
    older = _keys().fernet.encrypt(b"6228480012345678901").decode()  # how the first version stored it
    assert decrypt(older) == "6228480012345678901"
    assert decrypt_many([ciphertext, "", older]) == ["6228480012345678901", "", "6228480012345678901"]
    with pytest.raises(ImproperlyConfigured):
        decrypt_many([ciphertext, tampered])


def test_a_different_key_gives_different_digests_and_cannot_decrypt():
    ciphertext = encrypt("6228480012345678901")
    digest = lookup_digest("6228480012345678901")
    with override_settings(JIUZHU_DATA_KEY="b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktMTI="):
        assert lookup_digest("6228480012345678901") != digest
        with pytest.raises(ImproperlyConfigured):
            decrypt(ciphertext)


def test_missing_or_short_key_is_a_configuration_error():
    with override_settings(JIUZHU_DATA_KEY=""), pytest.raises(ImproperlyConfigured):
        encrypt("x")
    with override_settings(JIUZHU_DATA_KEY="c2hvcnQ="), pytest.raises(ImproperlyConfigured):
        encrypt("x")
