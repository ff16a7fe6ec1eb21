"""hromada-bot: a Telegram bot for a public library's free trainings."""
