"""Logging that never shows the bot token or what residents typed."""

from __future__ import annotations

import logging

_NOISY = ("httpx", "httpcore", "apscheduler", "aiohttp.access", "alembic")
# Loggers that print personal data at DEBUG; they never go below INFO.
_PERSONAL = ("telegram", "aiosqlite", "asyncpg")


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
    # At DEBUG these log what residents sent and what the database holds: python-telegram-bot
    # its request parameters, aiosqlite every statement with its values (asyncpg logs none
    # today, but is held too). Names and phones stay out of the log.
    for name in _PERSONAL:
        logging.getLogger(name).setLevel(max(level, logging.INFO))
    # SQLAlchemy logs statements at INFO and result rows at DEBUG; it holds itself at WARNING
    # on import unless someone set a level, so say so here rather than rely on import order.
    logging.getLogger("sqlalchemy").setLevel(max(level, logging.WARNING))
