"""Junk updates for flood tests: what a bot on a public username receives from strangers,
broken clients and Telegram itself — random and huge texts, random and oversized button
data, update kinds the bot never asked for, odd but schema-valid fields.

Every update is one the Bot API could send (python-telegram-bot parses each of them);
kinds outside the bot's ``allowed_updates`` are queued as if created before the bot set
them, which Telegram documents may still be delivered.
"""

from __future__ import annotations

import random
import string
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from emulator.server import BotApiEmulator
from emulator.users import SimUser

HUGE_TEXT = 100 * 1024  # characters in a "huge" text
_ALPHABET = (
    string.ascii_letters
    + string.digits
    + string.punctuation
    + " \t\n"
    + "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВГҐДЕЄЖЗИІЇЙ’"
    + "😀👍🎉🔥❤️‍🔥\u200b\u200d\u202e\ufeff\u0301"
)


def _text(rng: random.Random, low: int = 1, high: int = 200) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(low, high)))


class JunkMaker:
    """Builds and queues junk updates from ``users`` (simulated users of ``emu``; their
    private chats are opened, so the bot's answers to them are accepted)."""

    def __init__(self, emu: BotApiEmulator, users: list[SimUser], rng: random.Random) -> None:
        if not users:
            raise ValueError("junk needs at least one simulated user")
        self.emu = emu
        self.state = emu.state
        self.users = users
        self.rng = rng
        self.kinds: list[tuple[Callable[[SimUser], Any], int]] = [
            (self.text, 20),
            (self.huge_text, 1),
            (self.command, 6),
            (self.deep_link, 4),
            (self.bad_entities, 3),
            (self.sticker, 2),
            (self.location, 2),
            (self.contact, 2),
            (self.document, 2),
            (self.group_message, 3),
            (self.button, 14),
            (self.oversized_button, 4),
            (self.edited_message, 5),
            (self.channel_post, 4),
            (self.inline_query, 4),
            (self.chosen_inline_result, 2),
            (self.poll, 3),
            (self.poll_answer, 3),
            (self.reaction, 3),
            (self.reaction_count, 2),
            (self.join_request, 2),
            (self.chat_member, 2),
            (self.group_membership, 2),
            (self.shipping_query, 1),
            (self.pre_checkout_query, 1),
            (self.unknown_kind, 2),
        ]

    async def push(self, count: int) -> Counter[str]:
        """Queue ``count`` junk updates; how many of each kind."""
        makers = [maker for maker, _ in self.kinds]
        weights = [weight for _, weight in self.kinds]
        made: Counter[str] = Counter()
        for maker in self.rng.choices(makers, weights, k=count):
            user = self.rng.choice(self.users)
            made[maker.__name__] += 1
            await maker(user)
        return made

    # --- helpers -------------------------------------------------------------------------

    def _message(self, user: SimUser, **content: Any) -> dict[str, Any]:
        user.chat.started = True
        return {
            "message_id": user.chat.next_message_id(),
            "from": user.to_json(),
            "chat": user.chat_json(),
            "date": int(time.time()),
            **content,
        }

    async def _queue(self, kind: str, payload: dict[str, Any]) -> None:
        await self.emu.push_update(kind, payload)

    def _group(self) -> dict[str, Any]:
        return {"id": -(10**12) - self.rng.randint(1, 10**6), "type": "supergroup", "title": "x"}

    def _channel(self) -> dict[str, Any]:
        return {"id": -(10**12) - self.rng.randint(1, 10**6), "type": "channel", "title": "x"}

    # --- messages in the private chat ----------------------------------------------------

    async def text(self, user: SimUser) -> None:
        await self._queue("message", self._message(user, text=_text(self.rng)))

    async def huge_text(self, user: SimUser) -> None:
        await self._queue(
            "message", self._message(user, text=_text(self.rng, HUGE_TEXT, HUGE_TEXT))
        )

    async def command(self, user: SimUser) -> None:
        name = self.rng.choice(
            ["start", "help", "events", "my", "report", "staff", "attendance", "status", "x" * 32]
        )
        text = f"/{name} {_text(self.rng, 0, 40)}"
        entity = {"type": "bot_command", "offset": 0, "length": len(name) + 1}
        await self._queue("message", self._message(user, text=text, entities=[entity]))

    async def deep_link(self, user: SimUser) -> None:
        payload = self.rng.choice(
            [
                f"event_{self.rng.randint(-(10**20), 10**20)}",
                f"event_{_text(self.rng, 1, 20)}",
                f"staff_{_text(self.rng, 1, 64)}",
                "event_",
                _text(self.rng, 1, 64),
            ]
        )
        entity = {"type": "bot_command", "offset": 0, "length": 6}
        await self._queue(
            "message", self._message(user, text=f"/start {payload}", entities=[entity])
        )

    async def bad_entities(self, user: SimUser) -> None:
        """Entities that point past the text or overlap: schema-valid, meaningless."""
        text = _text(self.rng, 1, 20)
        entities = [
            {"type": "bot_command", "offset": 0, "length": 500},
            {"type": "bold", "offset": 3, "length": 2},
            {"type": "text_link", "offset": 10**6, "length": 10, "url": "http://127.0.0.1/"},
        ]
        await self._queue("message", self._message(user, text=text, entities=entities))

    async def sticker(self, user: SimUser) -> None:
        sticker = {
            "file_id": _text(self.rng, 10, 30),
            "file_unique_id": "s",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        await self._queue("message", self._message(user, sticker=sticker))

    async def location(self, user: SimUser) -> None:
        where = {"latitude": self.rng.uniform(-90, 90), "longitude": self.rng.uniform(-180, 180)}
        await self._queue("message", self._message(user, location=where))

    async def contact(self, user: SimUser) -> None:
        """Someone else's contact, or one with a junk phone number."""
        contact = {
            "phone_number": self.rng.choice(["+380501234567", _text(self.rng, 1, 40), "0"]),
            "first_name": _text(self.rng, 1, 30),
            "user_id": self.rng.choice([user.id, user.id + 1, 10**15]),
        }
        await self._queue("message", self._message(user, contact=contact))

    async def document(self, user: SimUser) -> None:
        document = {
            "file_id": _text(self.rng, 10, 30),
            "file_unique_id": "d",
            "file_name": self.rng.choice(["events.csv", "x.exe", _text(self.rng, 1, 60)]),
            "mime_type": "application/octet-stream",
            "file_size": 2**40,
        }
        await self._queue("message", self._message(user, document=document))

    async def group_message(self, user: SimUser) -> None:
        message = self._message(user, text=f"/start {_text(self.rng, 0, 30)}")
        message["chat"] = self._group()
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": 6}]
        await self._queue("message", message)

    # --- buttons -------------------------------------------------------------------------

    async def button(self, user: SimUser) -> None:
        """Random data, or a real prefix with junk values, on a message that may not exist."""
        data = self.rng.choice(
            [
                _text(self.rng, 1, 30),
                f"ev:{self.rng.randint(-(10**18), 10**18)}",
                f"reg:{_text(self.rng, 1, 20)}",
                ":::",
                "",
            ]
        )
        await user.press_raw(self.rng.randint(1, 10**9), data.encode()[:64].decode(errors="ignore"))

    async def oversized_button(self, user: SimUser) -> None:
        await user.press_raw(self.rng.randint(1, 10**9), _text(self.rng, 65, 400))

    # --- kinds the bot never asked for ---------------------------------------------------

    async def edited_message(self, user: SimUser) -> None:
        message = self._message(user, text=_text(self.rng), edit_date=int(time.time()))
        await self._queue("edited_message", message)

    async def channel_post(self, user: SimUser) -> None:
        post = {
            "message_id": self.rng.randint(1, 10**6),
            "chat": self._channel(),
            "date": int(time.time()),
            "text": f"/start {_text(self.rng)}",
        }
        await self._queue(self.rng.choice(["channel_post", "edited_channel_post"]), post)

    async def inline_query(self, user: SimUser) -> None:
        query = {
            "id": str(self.rng.getrandbits(63)),
            "from": user.to_json(),
            "query": _text(self.rng, 0, 256),
            "offset": "",
        }
        await self._queue("inline_query", query)

    async def chosen_inline_result(self, user: SimUser) -> None:
        chosen = {"result_id": "1", "from": user.to_json(), "query": _text(self.rng, 0, 50)}
        await self._queue("chosen_inline_result", chosen)

    async def poll(self, user: SimUser) -> None:
        poll = {
            "id": str(self.rng.getrandbits(63)),
            "question": _text(self.rng, 1, 300),
            "options": [{"text": _text(self.rng, 1, 100), "voter_count": 3, "persistent_id": "0"}],
            "total_voter_count": 3,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": False,
            "members_only": False,
        }
        await self._queue("poll", poll)

    async def poll_answer(self, user: SimUser) -> None:
        answer = {
            "poll_id": "1",
            "user": user.to_json(),
            "option_ids": [0, 7, 10**6],
            "option_persistent_ids": ["0", "7", "x"],
        }
        await self._queue("poll_answer", answer)

    async def reaction(self, user: SimUser) -> None:
        reaction = {
            "chat": user.chat_json(),
            "message_id": self.rng.randint(1, 10**6),
            "user": user.to_json(),
            "date": int(time.time()),
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "👍"}],
        }
        await self._queue("message_reaction", reaction)

    async def reaction_count(self, user: SimUser) -> None:
        counts = {
            "chat": self._group(),
            "message_id": 1,
            "date": int(time.time()),
            "reactions": [{"type": {"type": "emoji", "emoji": "🔥"}, "total_count": 10**6}],
        }
        await self._queue("message_reaction_count", counts)

    async def join_request(self, user: SimUser) -> None:
        request = {
            "chat": self._group(),
            "from": user.to_json(),
            "user_chat_id": user.id,
            "date": int(time.time()),
        }
        await self._queue("chat_join_request", request)

    def _member_change(
        self, user: SimUser, chat: dict[str, Any], who: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "chat": chat,
            "from": user.to_json(),
            "date": int(time.time()),
            "old_chat_member": {"status": "left", "user": who},
            "new_chat_member": {"status": "member", "user": who},
        }

    async def chat_member(self, user: SimUser) -> None:
        await self._queue("chat_member", self._member_change(user, self._group(), user.to_json()))

    async def group_membership(self, user: SimUser) -> None:
        """The bot added to a group by a stranger (a my_chat_member the bot does ask for)."""
        bot_user = self.state.bot_user
        await self._queue("my_chat_member", self._member_change(user, self._group(), bot_user))

    async def shipping_query(self, user: SimUser) -> None:
        address = {
            "country_code": "UA",
            "state": "",
            "city": _text(self.rng, 1, 20),
            "street_line1": "",
            "street_line2": "",
            "post_code": "0",
        }
        query = {
            "id": "1",
            "from": user.to_json(),
            "invoice_payload": _text(self.rng, 1, 30),
            "shipping_address": address,
        }
        await self._queue("shipping_query", query)

    async def pre_checkout_query(self, user: SimUser) -> None:
        query = {
            "id": "1",
            "from": user.to_json(),
            "currency": "UAH",
            "total_amount": 10**9,
            "invoice_payload": _text(self.rng, 1, 30),
        }
        await self._queue("pre_checkout_query", query)

    async def unknown_kind(self, user: SimUser) -> None:
        """A kind a later Bot API version may add: unknown to this bot's library."""
        await self._queue("future_update_kind", {"from": user.to_json(), "x": _text(self.rng)})
