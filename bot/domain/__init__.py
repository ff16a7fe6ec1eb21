"""Pure rules of the bot: no Telegram, no SQL, time passed in as ``now``."""
