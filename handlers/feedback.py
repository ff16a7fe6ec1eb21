"""Answers to the question after an event: a rating, a comment, or «don't ask me again»."""

from __future__ import annotations

from bot.services import feedback
from handlers import callbacks
from handlers import feedback_views as views
from handlers.common import Reply


@callbacks.FEEDBACK_RATE.handles
async def on_rate(reply: Reply, event_id: int, rating: str) -> None:
    d = reply.deps
    event, comment_asked = await reply.write(
        feedback.rate, telegram_id=reply.user.id, event_id=event_id, rating=int(rating), now=d.now()
    )
    await reply.show(
        views.thanks(reply.tr, event, int(rating), comment_asked=comment_asked),
        views.after_rating(reply.tr),
    )


@callbacks.FEEDBACK_OFF.handles
async def on_stop(reply: Reply) -> None:
    await reply.write(feedback.stop_asking, telegram_id=reply.user.id)
    await reply.show(views.stopped(reply.tr))


async def on_comment(reply: Reply, text: str) -> bool:
    """The text as the comment on the event rated last; False when none was awaited."""
    event = await reply.write(feedback.comment, telegram_id=reply.user.id, text=text)
    if event is None:
        return False
    await reply.send(views.comment_thanks(reply.tr, event))
    return True
