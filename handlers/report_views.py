"""/report's choice of a branch: the question and its buttons (every value escaped)."""

from __future__ import annotations

from datetime import date
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import Config
from bot.i18n import Translator
from handlers import callbacks

ALL_BRANCHES = "*"


def branch_question(tr: Translator, period: str) -> str:
    """ "Звіт за 01.01.2026 – 31.12.2026: за яку філію?"."""
    return tr.gettext("{period}: which branch is it for?").format(period=escape(period))


def branch_buttons(
    config: Config, tr: Translator, first: date, last: date, program_id: int | None
) -> InlineKeyboardMarkup:
    """A button per configured branch, then «All branches»."""
    days = (first.isoformat().replace("-", ""), last.isoformat().replace("-", ""), program_id or 0)

    def button(text: str, choice: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text, callback_data=callbacks.REPORT_BRANCH.data(choice, *days))

    rows = [[button(branch.name(tr.language), branch.key)] for branch in config.branches]
    rows.append([button(tr.gettext("All branches"), ALL_BRANCHES)])
    return InlineKeyboardMarkup(rows)
