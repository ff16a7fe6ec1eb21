"""Telegram adapters: read the update, call one service, render the result or the error."""
