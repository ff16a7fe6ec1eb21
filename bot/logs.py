"""Logging that never shows the bot token or what residents typed."""

from __future__ import annotations

import logging

_NOISY = ("httpx", "httpcore", "apscheduler", "aiohttp.access", "alembic")


class RedactFilter(logging.Filter):
    """Replace secrets in every record, including exception texts."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        redacted = self._redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = self._redact(text)
            record.exc_info = None
        return True

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def setup_logging(level: int = logging.INFO, secrets: list[str] | None = None) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactFilter(secrets or []))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, and Telegram URLs contain the token.
    for name in _NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
    # At DEBUG, python-telegram-bot logs request parameters: residents' names and phones.
    logging.getLogger("telegram").setLevel(max(level, logging.INFO))
