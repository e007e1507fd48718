"""Logging filter that masks ID and account numbers in every log line."""

from __future__ import annotations

import logging

from jiuzhu.common.masking import mask_in_text


class MaskSensitiveFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_in_text(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True
