"""The outbox's delivery: claim what is due, send it through a ``Sender``, record the outcome.

Nothing here knows Telegram: the application hands in a ``Sender`` (see ``bot.sending``) that
renders each message and maps its API's errors to the ones in ``bot.outbox.sender``.
"""
