"""Uploads and downloads: what the bot sends, what residents send, and file_id reuse."""

from __future__ import annotations

import struct
import zlib

import pytest
import telegram
from telegram import InputFile
from telegram.error import BadRequest

from emulator import BotApiEmulator, SimUser
from emulator.files import image_size


def png(width: int, height: int) -> bytes:
    """A valid, tiny grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


CSV = "ім'я,телефон\nОлена,+380501234567\n".encode()


async def test_document_upload_round_trip(bot: telegram.Bot, resident: SimUser) -> None:
    sent = await bot.send_document(
        resident.id,
        InputFile(CSV, filename="учасники.csv"),
        caption="<b>Звіт</b> за березень",
        parse_mode="HTML",
    )
    assert sent.document is not None
    assert sent.document.file_name == "учасники.csv"
    assert sent.document.mime_type == "text/csv"
    assert sent.document.file_size == len(CSV)
    assert sent.caption == "Звіт за березень"
    assert sent.caption_entities[0].type == "bold"

    seen = await resident.next_reply(timeout=1)
    assert seen.document is not None
    assert (seen.document.file_name, seen.document.data) == ("учасники.csv", CSV)
    assert (seen.caption, seen.text, seen.kind) == (
        "Звіт за березень",
        "Звіт за березень",
        "document",
    )

    downloaded = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == CSV

    again = await bot.send_document(resident.id, sent.document.file_id)
    assert again.document is not None
    assert again.document.file_id == sent.document.file_id


async def test_photo_upload(bot: telegram.Bot, resident: SimUser) -> None:
    image = png(3, 2)
    assert image_size(image) == (3, 2)
    sent = await bot.send_photo(resident.id, image, caption="Афіша")
    assert [(p.width, p.height) for p in sent.photo] == [(3, 2)]
    seen = await resident.next_reply(timeout=1)
    assert seen.photo is not None and seen.photo.data == image
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await bot.send_photo(resident.id, b"not an image at all")
    with pytest.raises(BadRequest, match=r"(?i)can't use file of type photo as document"):
        await bot.send_document(resident.id, sent.photo[-1].file_id)


async def test_file_refusals(bot: telegram.Bot, resident: SimUser) -> None:
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(resident.id, "BQACnot-a-real-id")
    with pytest.raises(BadRequest, match=r"(?i)file must be non-empty"):
        await bot.send_document(resident.id, InputFile(b"", filename="empty.csv"))
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_document(resident.id, CSV, filename="a.csv", caption="x" * 1025)
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")


async def test_caption_edit(bot: telegram.Bot, resident: SimUser) -> None:
    sent = await bot.send_document(resident.id, CSV, filename="a.csv", caption="v1")
    edited = await bot.edit_message_caption(
        chat_id=resident.id, message_id=sent.message_id, caption="v2"
    )
    assert isinstance(edited, telegram.Message)
    assert edited.caption == "v2"
    with pytest.raises(BadRequest, match=r"(?i)there is no text in the message to edit"):
        await bot.edit_message_text("x", chat_id=resident.id, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_caption(
            chat_id=resident.id, message_id=sent.message_id, caption="v2"
        )


async def test_resident_document_is_downloadable(
    bot: telegram.Bot, emu: BotApiEmulator, resident: SimUser
) -> None:
    await bot.get_updates(offset=-1)
    sent = await resident.send_document(CSV, "import.csv", caption="імпорт")
    updates = await bot.get_updates(offset=-1, timeout=1)
    message = updates[-1].message
    assert message is not None and message.document is not None
    assert message.message_id == sent["message_id"]
    assert (message.document.file_name, message.document.mime_type) == ("import.csv", "text/csv")
    assert message.caption == "імпорт"
    file = await bot.get_file(message.document.file_id)
    assert file.file_path is not None and file.file_path.startswith(emu.base_file_url)
    assert bytes(await file.download_as_bytearray()) == CSV
    stored = emu.get_file(message.document.file_id)
    assert stored is not None and stored.data == CSV
