"""The newcomer's first look: the demo plays the whole resident story."""

from __future__ import annotations

from bot.config import Config
from bot.demo import run_demo


async def test_the_demo_shows_a_registration_a_waiting_list_and_a_promotion(config: Config) -> None:
    transcript = await run_demo(config)
    assert "5 sample events imported" in transcript
    lines = transcript.splitlines()
    order = [
        "Олена Петренко: [натискає «✍️ Записатися»]",
        "Бот → Олена Петренко (редагує #6): ✅ Ви записані!",  # the consent question, now the card
        "Микола Шевчук: /start event_1",
        "Бот → Микола Шевчук (редагує #8): ⏳ Усі місця зайняті, тож ви в черзі під номером 1. Якщо місце звільниться, я запишу вас і повідомлю.",
        "Олена Петренко: [натискає «❌ Скасувати №1»]",
        "Бот → Микола Шевчук: 🎉 Звільнилося місце, і тепер ви записані на «Навчаємось вираховувати субсидію».",
    ]
    positions = [lines.index(line) for line in order]
    assert positions == sorted(positions)
