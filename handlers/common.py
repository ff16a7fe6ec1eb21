"""What every handler gets: one session for the update, who is asking, and one way to answer.

``entry`` wraps each handler where ``bot/app.py`` registers it: it opens the update's
session, finds the person, their language and staff role in one statement, checks the
entry point's access, and turns a domain error into a polite message, once for all
handlers. A handler reads through ``reply.read`` and runs its use case with
``reply.write`` (one transaction, committed); it never opens a session itself.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import date
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import (
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
    User,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.deps import Deps, Unit
from bot.domain.errors import DomainError, OutsideBranchError
from bot.i18n import Translator
from bot.readable import Markup, ReadableUpdatesBot
from bot.services import people, staff_events, visitors
from bot.services.visitors import Visitor
from handlers import keyboards, render, staff_events_views
from handlers.access import Access, allows, refusal

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")
Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def deps(context: ContextTypes.DEFAULT_TYPE) -> Deps:
    result = context.bot_data["deps"]
    assert isinstance(result, Deps)
    return result


def today(d: Deps) -> date:
    """The library's date now (what staff mean by "today" in a typed date)."""
    return d.now().astimezone(d.config.library.timezone).date()


@dataclass
class Reply:
    """One update: who sent it, in which language, its session, and the answers to it.

    A button press must be answered exactly once (Telegram shows a spinner until then,
    and refuses a second answer); this keeps count.
    """

    update: Update
    context: ContextTypes.DEFAULT_TYPE
    deps: Deps
    user: User
    tr: Translator
    unit: Unit
    visitor: Visitor
    answered: bool = False
    # show() answers in a new message and leaves the pressed one as it is (see keep_pressed).
    keep: bool = False

    @property
    def _bot(self) -> ReadableUpdatesBot:
        return cast(ReadableUpdatesBot, self.context.bot)

    @property
    def chat_id(self) -> int:
        chat = self.update.effective_chat
        assert chat is not None
        return chat.id

    @property
    def is_admin(self) -> bool:
        return self.user.id in self.deps.config.staff.admins

    @property
    def is_staff(self) -> bool:
        return self.is_admin or self.visitor.staff_member

    @property
    def branch(self) -> str | None:
        """The branch whose events this staff member manages; None: every branch
        (administrators, staff of the whole library, and everyone when the configuration
        has no branches: a branch given before they were taken out means nothing now)."""
        if self.is_admin or not self.deps.config.branches:
            return None
        return self.visitor.staff_branch

    async def check_branch(self, event_id: int) -> None:
        """OutsideBranchError for an event this staff member does not manage (another
        branch's, or the library's as a whole, for a branch's staff); ``entry`` refuses it
        as a resident is refused a staff button. Buttons are checked before their handler
        runs; a typed command or answer that names an event calls this."""
        if self.branch is not None:
            await self.read(staff_events.check_branch, event_id, branch=self.branch)

    @property
    def args(self) -> list[str]:
        """The words after a command."""
        return list(self.context.args or [])

    async def read(
        self,
        query: Callable[Concatenate[AsyncSession, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run a service's query on the update's session."""
        return await self.unit.read(query, *args, **kwargs)

    async def write(
        self,
        use_case: Callable[Concatenate[AsyncSession, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run a service's use case in one transaction of the update's session, committed."""
        return await self.unit.write(use_case, *args, **kwargs)

    async def ack(self, text: str | None = None) -> None:
        """Stop the button's spinner, with an optional pop-up text. Every answer starts
        here: the update's database connection is given back before Telegram is asked."""
        await self.unit.release()
        query = self.update.callback_query
        if query is not None and not self.answered:
            self.answered = True
            await query.answer(text, show_alert=text is not None)

    async def send(
        self,
        text: str,
        markup: Markup | None = None,
        *,
        previews: bool = True,
        reply_to: int | None = None,
    ) -> int:
        """A new message (HTML), its id; ``previews=False`` for texts full of the bot's own
        links; ``reply_to`` quotes a message of the chat (sent anyway if it is gone)."""
        await self.ack()
        return await self._bot.send_text(
            self.chat_id,
            text,
            markup,
            link_preview_options=None if previews else LinkPreviewOptions(is_disabled=True),
            reply_parameters=None
            if reply_to is None
            else ReplyParameters(reply_to, allow_sending_without_reply=True),
        )

    async def send_file(
        self,
        data: bytes,
        filename: str,
        caption: str | None = None,
        *,
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """A file to download (a caption in HTML, buttons under it)."""
        await self.ack()
        await self.context.bot.send_document(
            self.chat_id,
            InputFile(data, filename=filename, attach=True),
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )

    async def send_venue(self, latitude: float, longitude: float, title: str, address: str) -> None:
        """A place on a map (Telegram's venue message; plain texts, not HTML)."""
        await self.ack()
        await self.context.bot.send_venue(
            self.chat_id, latitude=latitude, longitude=longitude, title=title, address=address
        )

    async def send_picture(self, data: bytes, filename: str) -> None:
        """A picture shown in the chat (the report's chart)."""
        await self.ack()
        await self.context.bot.send_photo(self.chat_id, InputFile(data, filename=filename))

    def deep_link(self, payload: str) -> str:
        """A t.me link that opens the bot with ``/start payload``."""
        return f"https://t.me/{self.context.bot.username}?start={payload}"

    def keep_pressed(self) -> None:
        """Leave the pressed message as it is (a summary to read on): what the button
        opens comes as a new message, and that one is redrawn by its own buttons."""
        self.keep = True

    async def show(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        """Redraw the message a button belongs to, or send a new one for a command (or
        after :meth:`keep_pressed`)."""
        query = self.update.callback_query
        if query is None or self.keep or not isinstance(query.message, Message):
            await self.send(text, markup)
            return
        await self.ack()
        try:
            await self._bot.edit_text(query.message.chat_id, query.message.message_id, text, markup)
        except BadRequest as exc:
            # Pressing the same button twice redraws the same content; that is fine.
            if "not modified" not in exc.message:
                raise

    async def clear_buttons(self) -> None:
        """Take the buttons off the message that was pressed (they have done their job)."""
        query = self.update.callback_query
        if query is None or not isinstance(query.message, Message):
            return
        await self.ack()
        try:
            await query.message.edit_reply_markup(reply_markup=None)
        except BadRequest as exc:
            if "not modified" not in exc.message:
                raise

    async def refuse(self, text: str) -> None:
        """Explain briefly why not: a pop-up on a button, else a message with the menu."""
        if self.update.callback_query is not None and not self.answered:
            await self.ack(text)
        else:
            await self.send(text, keyboards.main_menu(self.tr))

    async def tell(self, text: str) -> None:
        """A short answer: a pop-up on a button, a message for a command."""
        if self.update.callback_query is not None:
            await self.ack(text)
        else:
            await self.send(text)


def entry(
    handler: Callable[..., Awaitable[None]],
    *,
    access: Access = Access.ANYONE,
    values: Callable[[Update], tuple[Any, ...] | None] | None = None,
    writes: bool = False,
    event_at: int | None = None,
) -> Callback:
    """The PTB callback for a handler: one session for the update, who is asking, the
    access check, the button's typed values, and domain errors told politely.

    ``event_at``: which value is the event a staff button acts on; a branch's staff are
    refused another branch's event here, before the handler runs.
    ``writes`` takes the write lock before the first read, so that the look-up of the
    person and the use case share one transaction (SQLite cannot upgrade a read).
    """

    async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        assert user is not None  # every handler is registered for private chats only
        d = deps(context)
        unit = d.unit()
        try:
            if writes:
                await unit.begin_writing()
            visitor = await unit.read(visitors.identify, user.id)
            tr = (
                d.catalogs.get(visitor.language)
                if visitor.language
                else d.catalogs.for_telegram(user.language_code)
            )
            reply = Reply(update, context, d, user, tr, unit, visitor)
            if visitor.unreachable and update.my_chat_member is None:
                # Writing to the bot again means they can be reached: send what is still due.
                await unit.write(people.returned, user.id)
                d.poke()
            if not allows(access, staff=reply.is_staff, admin=reply.is_admin, branch=reply.branch):
                await reply.refuse(refusal(tr, access))
                return
            parsed = values(update) if values is not None else ()
            if parsed is None:  # the pattern matched, so this cannot happen; be safe
                await reply.refuse(render.not_available(tr))
                return
            try:
                if event_at is not None:
                    await reply.check_branch(parsed[event_at])
                await handler(reply, *parsed)
            except OutsideBranchError:
                await reply.refuse(refusal(tr, Access.STAFF))
            except DomainError as exc:
                await reply.refuse(error_text(reply.tr, exc, staff=access != Access.ANYONE))
        finally:
            await unit.close()

    # Named after the handler, so that logs, tests and PTB's warnings point at it.
    functools.update_wrapper(callback, handler, assigned=("__module__", "__name__", "__doc__"))
    return callback


def error_text(tr: Translator, exc: DomainError, *, staff: bool) -> str:
    """A domain error as the person who caused it should read it."""
    return staff_events_views.error(tr, exc) if staff else render.error(tr, exc)
