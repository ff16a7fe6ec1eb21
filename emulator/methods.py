"""Bot API methods: each validates like Telegram and changes the emulated state.

Every refusal is an ``ApiError`` with Telegram's status and wording, so PTB maps it to the same
exception class (``BadRequest``, ``Forbidden``, ``Conflict``...) as in production.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from emulator.errors import ApiError, bad_request
from emulator.files import MAX_DOCUMENT_BYTES, MAX_PHOTO_BYTES, StoredFile, image_size
from emulator.html import FormattedText, HtmlParseError, parse_html, trim, utf16_len
from emulator.markup import inline_buttons, is_inline, parse_reply_markup
from emulator.messages import CallbackAnswer, SentFile, SimMessage
from emulator.params import Params
from emulator.state import BotState, Webhook
from emulator.transcript import BOT
from emulator.users import SimUser

Handler = Callable[[BotState, Params], Awaitable[Any]]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
MAX_COMMANDS = 100
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
BLOCKED = "Forbidden: bot was blocked by the user"
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
LANGUAGE_CODE = re.compile(r"^([a-z]{2})?$")
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
SCOPE_TYPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)

# Lower-case name -> (canonical name, handler); Telegram matches method names case-insensitively.
METHODS: dict[str, tuple[str, Handler]] = {}


def api_method(name: str) -> Callable[[Handler], Handler]:
    """Register a handler under its Bot API method name."""

    def register(handler: Handler) -> Handler:
        METHODS[name.lower()] = (name, handler)
        return handler

    return register


# --- shared checks ---------------------------------------------------------------------------


def chat_user(state: BotState, params: Params, *, sending: bool) -> SimUser:
    """The user whose private chat ``chat_id`` names; 400 if unknown, 403 if blocked."""
    raw = params.get_str("chat_id")
    if raw is None or raw == "":
        raise bad_request("chat_id is empty")
    try:
        chat_id = int(raw)
    except ValueError:
        raise bad_request("chat not found") from None
    user = state.users.get(chat_id)
    if user is None or not user.chat.started:
        raise bad_request("chat not found")
    if sending and user.blocked:
        raise ApiError(403, BLOCKED)
    return user


def _explicit_entities(raw: Any, text: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise bad_request("can't parse entities: entities must be an Array")
    total = utf16_len(text)
    entities: list[dict[str, Any]] = []
    for entity in raw:
        if not isinstance(entity, dict) or not isinstance(entity.get("type"), str):
            raise bad_request("can't parse entities: entity must be an Object with a type")
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int):
            raise bad_request("can't parse entities: offset and length must be Integers")
        if offset < 0 or length <= 0 or offset + length > total:
            raise bad_request("can't parse entities: entity is outside of the text")
        entities.append(dict(entity))
    return entities


def formatted(params: Params, raw: str, entities_field: str) -> FormattedText:
    """Parse text per ``parse_mode`` (or explicit entities) and trim it like Telegram."""
    explicit = params.get_json(entities_field)
    parse_mode = params.get_str("parse_mode") or ""
    if explicit is not None:
        result = FormattedText(raw, _explicit_entities(explicit, raw))
    elif parse_mode == "":
        result = FormattedText(raw)
    elif parse_mode.lower() == "html":
        try:
            result = parse_html(raw)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    elif parse_mode.lower() in ("markdown", "markdownv2"):
        raise bad_request(f"unsupported parse mode in emulator: {parse_mode}")
    else:
        raise bad_request("unsupported parse_mode")
    return trim(result)


def message_text(params: Params) -> tuple[str, FormattedText]:
    """The raw and parsed ``text`` of sendMessage/editMessageText, with Telegram's limits."""
    raw = params.require_str("text", "message text is empty")
    text = formatted(params, raw, "entities")
    if not text.text:
        raise bad_request("message text is empty")
    if len(text.text) > MAX_TEXT:
        # Telegram counts Unicode characters here (entities use UTF-16 units).
        raise bad_request("message is too long")
    return raw, text


def caption_text(params: Params) -> tuple[str, FormattedText]:
    """The raw and parsed caption (may be empty) with the 1024-character limit."""
    raw = params.get_str("caption") or ""
    caption = formatted(params, raw, "caption_entities")
    if len(caption.text) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return raw, caption


def _check_link_preview(params: Params) -> None:
    options = params.get_json("link_preview_options")
    if options is not None and not isinstance(options, dict):
        raise bad_request("can't parse link preview options JSON object")


def reply_to(state: BotState, user: SimUser, params: Params) -> int | None:
    """The message a new message replies to, checked to exist unless allowed not to."""
    target: int | None
    allow_missing = params.get_bool("allow_sending_without_reply")
    parameters = params.get_json("reply_parameters")
    if parameters is not None:
        if not isinstance(parameters, dict) or not isinstance(parameters.get("message_id"), int):
            raise bad_request("can't parse reply parameters JSON object")
        target = parameters["message_id"]
        allow_missing = bool(parameters.get("allow_sending_without_reply", allow_missing))
    else:
        target = params.get_int("reply_to_message_id")
    if target is None:
        return None
    if state.reply_target(user, target) is None:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return target


def new_message(user: SimUser, raw: str, text: FormattedText, params: Params) -> SimMessage:
    """A bot message with common fields filled from the request."""
    return SimMessage(
        message_id=user.chat.next_message_id(),
        chat_id=user.id,
        date=int(time.time()),
        html=raw,
        text=text.text,
        entities=text.entities,
        parse_mode=params.get_str("parse_mode"),
    )


def apply_markup(message: SimMessage, markup: dict[str, Any] | None) -> None:
    """Attach a validated reply markup to a message."""
    message.reply_markup = markup
    message.buttons = inline_buttons(markup)
    if markup is not None and "keyboard" in markup:
        message.reply_keyboard = markup["keyboard"]


def bot_message(user: SimUser, params: Params, missing: str) -> SimMessage:
    """An existing bot message named by ``message_id``."""
    message_id = params.get_int("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = user.chat.bot_messages.get(message_id)
    if message is None or message.deleted:
        if message_id in user.chat.user_messages:
            raise bad_request("message can't be edited")
        raise bad_request(missing)
    return message


def _no_inline_messages(params: Params) -> None:
    if params.has("inline_message_id"):
        raise bad_request("inline messages are not supported by the emulator")


def current_inline(message: SimMessage) -> dict[str, Any] | None:
    """The message's inline keyboard (reply keyboards are not part of a message's content)."""
    return message.reply_markup if is_inline(message.reply_markup) else None


# --- bot, updates, webhook -----------------------------------------------------------------


@api_method("getMe")
async def get_me(state: BotState, params: Params) -> Any:
    return {
        **state.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@api_method("getUpdates")
async def get_updates(state: BotState, params: Params) -> Any:
    if state.webhook is not None:
        raise ApiError(409, WEBHOOK_ACTIVE)
    allowed = params.get_json("allowed_updates")
    if allowed is not None and (
        not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed)
    ):
        raise bad_request("can't parse allowed_updates JSON array")
    return await state.updates.get(
        offset=params.get_int("offset", 0) or 0,
        limit=params.get_int("limit", 100) or 100,
        wait=params.get_float("timeout", 0.0) or 0.0,
        allowed_updates=allowed,
    )


@api_method("setWebhook")
async def set_webhook(state: BotState, params: Params) -> Any:
    url = params.get_str("url") or ""
    if params.get_bool("drop_pending_updates"):
        state.updates.drop_pending()
    if not url:
        state.webhook = None
        return True
    local = url.startswith(("http://127.0.0.1:", "http://localhost:")) and state.local_webhooks
    if not url.startswith("https://") and not local:
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.get_str("secret_token")
    if secret is not None and not SECRET_TOKEN.match(secret):
        raise bad_request("bad webhook: secret token contains unallowed characters")
    allowed = params.get_json("allowed_updates")
    state.webhook = Webhook(url, secret, allowed if isinstance(allowed, list) else None)
    return True


@api_method("deleteWebhook")
async def delete_webhook(state: BotState, params: Params) -> Any:
    if params.get_bool("drop_pending_updates"):
        state.updates.drop_pending()
    state.webhook = None
    return True


@api_method("getWebhookInfo")
async def get_webhook_info(state: BotState, params: Params) -> Any:
    info: dict[str, Any] = {
        "url": state.webhook.url if state.webhook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates.pending),
    }
    if state.webhook is not None and state.webhook.allowed_updates is not None:
        info["allowed_updates"] = state.webhook.allowed_updates
    return info


# --- commands, menu button, descriptions -----------------------------------------------------


def _scope_key(state: BotState, params: Params) -> tuple[str, str]:
    scope = params.get_json("scope") or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in SCOPE_TYPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    if scope["type"] in ("chat", "chat_administrators", "chat_member") and "chat_id" not in scope:
        raise bad_request("chat_id is empty")
    language = params.get_str("language_code") or ""
    if not LANGUAGE_CODE.match(language):
        raise bad_request("invalid language code specified")
    canonical = ",".join(f"{k}={scope[k]}" for k in sorted(scope))
    return canonical, language


@api_method("setMyCommands")
async def set_my_commands(state: BotState, params: Params) -> Any:
    commands = params.get_json("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON array")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("too many commands specified")
    cleaned: list[dict[str, str]] = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("BotCommand should be an Object")
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not COMMAND_NAME.match(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": name, "description": description})
    key = _scope_key(state, params)
    scope = params.get_json("scope")
    if isinstance(scope, dict) and scope.get("type") == "chat":
        # Telegram refuses a chat's own commands for a chat the bot cannot see.
        user = state.users.get(scope["chat_id"]) if isinstance(scope["chat_id"], int) else None
        if user is None or not user.chat.started:
            raise bad_request("chat not found")
    state.commands[key] = cleaned
    return True


@api_method("getMyCommands")
async def get_my_commands(state: BotState, params: Params) -> Any:
    return state.commands.get(_scope_key(state, params), [])


@api_method("deleteMyCommands")
async def delete_my_commands(state: BotState, params: Params) -> Any:
    state.commands.pop(_scope_key(state, params), None)
    return True


def _menu_chat(state: BotState, params: Params) -> int | None:
    if not params.has("chat_id"):
        return None
    return chat_user(state, params, sending=False).id


@api_method("setChatMenuButton")
async def set_chat_menu_button(state: BotState, params: Params) -> Any:
    chat_id = _menu_chat(state, params)
    button = params.get_json("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in ("commands", "default", "web_app"):
        raise bad_request("can't parse menu button JSON object")
    if button["type"] == "web_app":
        web_app = button.get("web_app")
        if not button.get("text") or not isinstance(web_app, dict):
            raise bad_request("can't parse menu button JSON object")
        if not str(web_app.get("url", "")).startswith("https://"):
            raise bad_request("BUTTON_URL_INVALID")
    state.menu_buttons[chat_id] = button
    return True


@api_method("getChatMenuButton")
async def get_chat_menu_button(state: BotState, params: Params) -> Any:
    chat_id = _menu_chat(state, params)
    return state.menu_buttons.get(chat_id) or state.menu_buttons.get(None) or {"type": "default"}


async def _set_description(state: BotState, params: Params, kind: str, limit: int) -> bool:
    text = params.get_str(kind) or ""
    if len(text) > limit:
        raise bad_request(f"{kind} is too long")
    language = params.get_str("language_code") or ""
    state.descriptions[(kind, language)] = text
    return True


@api_method("setMyDescription")
async def set_my_description(state: BotState, params: Params) -> Any:
    return await _set_description(state, params, "description", 512)


@api_method("getMyDescription")
async def get_my_description(state: BotState, params: Params) -> Any:
    language = params.get_str("language_code") or ""
    return {"description": state.descriptions.get(("description", language), "")}


@api_method("setMyShortDescription")
async def set_my_short_description(state: BotState, params: Params) -> Any:
    return await _set_description(state, params, "short_description", 120)


@api_method("getMyShortDescription")
async def get_my_short_description(state: BotState, params: Params) -> Any:
    language = params.get_str("language_code") or ""
    return {"short_description": state.descriptions.get(("short_description", language), "")}


# --- chats -------------------------------------------------------------------------------------


@api_method("getChat")
async def get_chat(state: BotState, params: Params) -> Any:
    user = chat_user(state, params, sending=False)
    return {
        **user.chat_json(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


@api_method("sendChatAction")
async def send_chat_action(state: BotState, params: Params) -> Any:
    user = chat_user(state, params, sending=True)
    action = params.get_str("action") or ""
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    user.chat.chat_actions.append(action)
    return True


# --- messages ------------------------------------------------------------------------------


@api_method("sendMessage")
async def send_message(state: BotState, params: Params) -> Any:
    raw_chat = params.get_str("chat_id") or ""
    if raw_chat.startswith(("@", "-100")):
        return _post_to_channel(state, params, raw_chat)
    user = chat_user(state, params, sending=True)
    raw, text = message_text(params)
    markup = parse_reply_markup(params.values.get("reply_markup"))
    _check_link_preview(params)
    message = new_message(user, raw, text, params)
    message.reply_to_message_id = reply_to(state, user, params)
    apply_markup(message, markup)
    return await state.deliver(user, message)


def _post_to_channel(state: BotState, params: Params, chat_id: str) -> Any:
    channel = state.channel(chat_id)
    if channel is None:
        raise bad_request("chat not found")
    if not channel.bot_is_admin:
        raise bad_request("need administrator rights in the channel chat")
    _, text = message_text(params)
    markup = parse_reply_markup(params.values.get("reply_markup"), inline_only=True)
    _check_link_preview(params)
    return channel.post(text.text, text.entities, markup)


@api_method("editMessageText")
async def edit_message_text(state: BotState, params: Params) -> Any:
    _no_inline_messages(params)
    user = chat_user(state, params, sending=False)
    message = bot_message(user, params, "message to edit not found")
    if message.kind != "text":
        raise bad_request("there is no text in the message to edit")
    raw, text = message_text(params)
    markup = parse_reply_markup(params.values.get("reply_markup"), inline_only=True)
    _check_link_preview(params)
    if (
        text.text == message.text
        and text.entities == message.entities
        and markup == current_inline(message)
    ):
        raise bad_request(NOT_MODIFIED)
    message.html, message.text, message.entities = raw, text.text, text.entities
    message.parse_mode = params.get_str("parse_mode")
    # Telegram drops the inline keyboard when an edit does not repeat it.
    apply_markup(message, markup)
    return await state.record_edit(user, message)


@api_method("editMessageCaption")
async def edit_message_caption(state: BotState, params: Params) -> Any:
    _no_inline_messages(params)
    user = chat_user(state, params, sending=False)
    message = bot_message(user, params, "message to edit not found")
    if message.kind == "text":
        raise bad_request("there is no caption in the message to edit")
    raw, caption = caption_text(params)
    markup = parse_reply_markup(params.values.get("reply_markup"), inline_only=True)
    if (
        caption.text == (message.caption or "")
        and caption.entities == message.entities
        and markup == current_inline(message)
    ):
        raise bad_request(NOT_MODIFIED)
    message.html, message.text, message.entities = raw, caption.text, caption.entities
    message.caption = caption.text or None
    apply_markup(message, markup)
    return await state.record_edit(user, message)


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(state: BotState, params: Params) -> Any:
    _no_inline_messages(params)
    user = chat_user(state, params, sending=False)
    message = bot_message(user, params, "message to edit not found")
    markup = parse_reply_markup(params.values.get("reply_markup"), inline_only=True)
    if markup == current_inline(message):
        raise bad_request(NOT_MODIFIED)
    apply_markup(message, markup)
    return await state.record_edit(user, message)


@api_method("deleteMessage")
async def delete_message(state: BotState, params: Params) -> Any:
    user = chat_user(state, params, sending=False)
    message_id = params.get_int("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    if user.chat.user_messages.pop(message_id, None) is not None:
        return True
    message = user.chat.bot_messages.get(message_id)
    if message is None or message.deleted:
        raise bad_request("message to delete not found")
    await state.record_delete(user, message)
    return True


@api_method("answerCallbackQuery")
async def answer_callback_query(state: BotState, params: Params) -> Any:
    query_id = params.get_str("callback_query_id") or ""
    text = params.get_str("text")
    if text is not None and len(text) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")
    query = state.queries.get(query_id)
    if query is None or query.answer.done():
        raise bad_request(QUERY_INVALID)
    query.answer.set_result(
        CallbackAnswer(
            text=text,
            show_alert=params.get_bool("show_alert"),
            url=params.get_str("url"),
            cache_time=params.get_int("cache_time"),
        )
    )
    if text:
        user = state.users[query.user_id]
        state.transcript.add(BOT, "answer", text, user.id, chat_name=user.name)
    return True


# --- files -----------------------------------------------------------------------------------


def input_file(state: BotState, params: Params, field: str) -> StoredFile:
    """The file a send method names: an upload (also via ``attach://``) or a known file_id."""
    value = params.get_str(field)
    upload = params.files.get(field)
    if upload is None and value and value.startswith("attach://"):
        upload = params.files.get(value.removeprefix("attach://"))
        if upload is None:
            raise bad_request(f"wrong file identifier/HTTP URL specified: no part {value}")
    if upload is not None:
        if not upload.data:
            raise bad_request("file must be non-empty")
        if field == "photo":
            if len(upload.data) > MAX_PHOTO_BYTES:
                raise bad_request("PHOTO_INVALID_DIMENSIONS")
            size = image_size(upload.data)
            if size is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            return state.files.add(
                "photo",
                upload.data,
                upload.filename,
                upload.content_type,
                width=size[0],
                height=size[1],
            )
        if len(upload.data) > MAX_DOCUMENT_BYTES:
            raise ApiError(413, "Request Entity Too Large")
        return state.files.add("document", upload.data, upload.filename, upload.content_type)
    if not value:
        raise bad_request(f"there is no {field} in the request")
    stored = state.files.get(value)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if stored.kind != field:
        raise bad_request(f"can't use file of type {stored.kind.title()} as {field.title()}")
    return stored


async def _send_file(state: BotState, params: Params, field: str) -> Any:
    user = chat_user(state, params, sending=True)
    stored = input_file(state, params, field)
    raw, caption = caption_text(params)
    markup = parse_reply_markup(params.values.get("reply_markup"))
    message = new_message(user, raw, caption, params)
    message.caption = caption.text or None
    message.stored_file = stored
    sent = SentFile(stored.file_name, stored.mime_type, stored.data, stored.file_id)
    if field == "document":
        message.document = sent
    else:
        message.photo = sent
    message.reply_to_message_id = reply_to(state, user, params)
    apply_markup(message, markup)
    return await state.deliver(user, message)


@api_method("sendDocument")
async def send_document(state: BotState, params: Params) -> Any:
    return await _send_file(state, params, "document")


@api_method("sendPhoto")
async def send_photo(state: BotState, params: Params) -> Any:
    return await _send_file(state, params, "photo")


@api_method("getFile")
async def get_file(state: BotState, params: Params) -> Any:
    file_id = params.get_str("file_id") or ""
    stored = state.files.get(file_id)
    if stored is None:
        raise bad_request("invalid file_id")
    return stored.file_json()
