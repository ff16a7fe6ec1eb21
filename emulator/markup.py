"""Validation of ``reply_markup`` the way Telegram checks it, and the button type tests read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from emulator.errors import bad_request

# Fields of InlineKeyboardButton of which exactly one must be present besides ``text``.
INLINE_ACTIONS = (
    "callback_data",
    "url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "login_url",
    "web_app",
    "callback_game",
    "pay",
    "copy_text",
)
_REPLY_REQUESTS = (
    "request_contact",
    "request_location",
    "request_poll",
    "web_app",
    "request_users",
    "request_chat",
)
MAX_CALLBACK_DATA_BYTES = 64
MAX_BUTTONS = 100
MAX_PLACEHOLDER = 64


@dataclass(frozen=True)
class Button:
    """An inline keyboard button as a user sees it."""

    text: str
    callback_data: str | None = None
    url: str | None = None


def _check_url(url: Any) -> None:
    if not isinstance(url, str) or not url:
        raise bad_request("BUTTON_URL_INVALID")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "tg") or not (parts.netloc or parts.scheme == "tg"):
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def _check_text(button: dict[str, Any], where: str) -> None:
    text = button.get("text")
    if not isinstance(text, str):
        raise bad_request(f'can\'t parse {where} button: Field "text" must be of type String')
    if not text.strip():
        raise bad_request("BUTTON_TEXT_INVALID")


def _rows(markup: dict[str, Any], key: str, kind: str) -> list[list[Any]]:
    rows = markup.get(key)
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(f'field "{key}" of the {kind} should be an Array of Arrays')
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    return rows


def _validate_inline(markup: dict[str, Any]) -> dict[str, Any]:
    rows = _rows(markup, "inline_keyboard", "InlineKeyboardMarkup")
    for row in rows:
        for button in row:
            if not isinstance(button, dict):
                raise bad_request("InlineKeyboardButton should be an Object")
            _check_text(button, "inline keyboard")
            actions = [name for name in INLINE_ACTIONS if name in button]
            if not actions:
                raise bad_request(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
            if len(actions) > 1:
                raise bad_request(
                    "can't parse inline keyboard button: exactly one of the optional fields "
                    f"must be used, got {', '.join(actions)}"
                )
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not (
                    1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
                ):
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button:
                _check_url(button["url"])
    return {"inline_keyboard": [[dict(button) for button in row] for row in rows]}


def _validate_reply_keyboard(markup: dict[str, Any]) -> dict[str, Any]:
    rows = _rows(markup, "keyboard", "ReplyKeyboardMarkup")
    normalized: list[list[dict[str, Any]]] = []
    for row in rows:
        out_row: list[dict[str, Any]] = []
        for button in row:
            item = {"text": button} if isinstance(button, str) else button
            if not isinstance(item, dict):
                raise bad_request("KeyboardButton should be a String or an Object")
            _check_text(item, "keyboard")
            requests = [name for name in _REPLY_REQUESTS if item.get(name)]
            if len(requests) > 1:
                raise bad_request(
                    f"can't parse keyboard button: only one of {', '.join(requests)} is allowed"
                )
            out_row.append(dict(item))
        if out_row:
            normalized.append(out_row)
    if not normalized:
        raise bad_request("keyboard must be non-empty")
    placeholder = markup.get("input_field_placeholder")
    if placeholder is not None and (
        not isinstance(placeholder, str) or len(placeholder) > MAX_PLACEHOLDER
    ):
        raise bad_request("input field placeholder is too long")
    return {**markup, "keyboard": normalized}


def parse_reply_markup(raw: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Validate a ``reply_markup`` parameter (JSON string or object) and return it as a dict.

    ``inline_only`` is for edit methods, which accept only inline keyboards.
    """
    if raw is None or raw == "":
        return None
    markup: Any = raw
    if isinstance(raw, str):
        try:
            markup = json.loads(raw)
        except ValueError as exc:
            raise bad_request("can't parse reply keyboard markup JSON object") from exc
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return _validate_inline(markup)
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        return _validate_reply_keyboard(markup)
    if "remove_keyboard" in markup:
        if markup["remove_keyboard"] is not True:
            raise bad_request('field "remove_keyboard" must be true')
        return dict(markup)
    if "force_reply" in markup:
        if markup["force_reply"] is not True:
            raise bad_request('field "force_reply" must be true')
        return dict(markup)
    raise bad_request("object expected as reply markup")


def inline_buttons(markup: dict[str, Any] | None) -> list[list[Button]]:
    """The inline keyboard of a validated markup as ``Button`` rows (empty if none)."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [
        [
            Button(
                text=button["text"],
                callback_data=button.get("callback_data"),
                url=button.get("url"),
            )
            for button in row
        ]
        for row in markup["inline_keyboard"]
    ]


def is_inline(markup: dict[str, Any] | None) -> bool:
    """Whether a validated markup is an inline keyboard (the only kind echoed in messages)."""
    return bool(markup) and "inline_keyboard" in (markup or {})
