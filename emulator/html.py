"""Telegram's HTML parse mode: the tag subset, entity offsets in UTF-16, and its error messages.

Stricter than Telegram in one way on purpose: a ``&`` that does not start one of the supported
character references is an error (Telegram keeps it as text), because in a bot that almost always
means a value was interpolated without ``html.escape``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Tags that map straight to an entity type, with no attributes that matter.
_SIMPLE_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
SUPPORTED_TAGS: frozenset[str] = frozenset({*_SIMPLE_TAGS, "a", "span", "tg-emoji", "blockquote"})

_NAMED_REFERENCES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_REFERENCE = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|([A-Za-z][A-Za-z0-9]*));")
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.\-]+")


class HtmlParseError(ValueError):
    """Markup Telegram would refuse; the message is the part after ``can't parse entities:``."""


@dataclass(frozen=True)
class FormattedText:
    """Plain text plus Bot API ``MessageEntity`` dicts (offsets and lengths in UTF-16 units)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of entity offsets and lengths."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass
class _OpenTag:
    name: str
    byte_offset: int
    start: int
    entity: dict[str, Any] | None


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8", "surrogatepass"))


def _decode_reference(source: str, index: int) -> tuple[str, int]:
    """Decode the character reference starting at ``source[index] == "&"``."""
    match = _REFERENCE.match(source, index)
    at = _byte_offset(source, index)
    if match is None:
        raise HtmlParseError(
            f'Unescaped "&" at byte offset {at}: write it as "&amp;" '
            "(the emulator refuses bare ampersands)"
        )
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        if name not in _NAMED_REFERENCES:
            raise HtmlParseError(f'Unsupported HTML entity "&{name};" at byte offset {at}')
        return _NAMED_REFERENCES[name], match.end()
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code <= 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise HtmlParseError(f"Invalid numeric character reference at byte offset {at}")
    return chr(code), match.end()


def _decode_text(source: str, start: int, end: int) -> str:
    """Decode character references in ``source[start:end]`` (an attribute value)."""
    parts: list[str] = []
    index = start
    while index < end:
        amp = source.find("&", index, end)
        if amp < 0:
            parts.append(source[index:end])
            break
        parts.append(source[index:amp])
        value, index = _decode_reference(source, amp)
        parts.append(value)
    return "".join(parts)


def _parse_attributes(source: str, index: int, tag: str, at: int) -> tuple[dict[str, str], int]:
    """Read attributes from ``index`` up to and including ``>``; return them and the next index."""
    size = len(source)
    attributes: dict[str, str] = {}
    while True:
        while index < size and source[index].isspace():
            index += 1
        if index >= size:
            raise HtmlParseError(f"Unclosed start tag at byte offset {at}")
        if source[index] == ">":
            return attributes, index + 1
        name_start = index
        while index < size and not source[index].isspace() and source[index] not in "=>":
            index += 1
        if index >= size:
            raise HtmlParseError(f"Unclosed start tag at byte offset {at}")
        name = source[name_start:index].lower()
        if not name:
            raise HtmlParseError(f'Empty attribute name in the tag "{tag}" at byte offset {at}')
        while index < size and source[index].isspace():
            index += 1
        if index >= size:
            raise HtmlParseError(f"Unclosed start tag at byte offset {at}")
        if source[index] != "=":
            attributes[name] = ""
            continue
        index += 1
        while index < size and source[index].isspace():
            index += 1
        if index >= size:
            raise HtmlParseError(f"Unclosed start tag at byte offset {at}")
        quote = source[index]
        if quote in "'\"":
            end = source.find(quote, index + 1)
            if end < 0:
                raise HtmlParseError(f"Unclosed start tag at byte offset {at}")
            attributes[name] = _decode_text(source, index + 1, end)
            index = end + 1
        else:
            match = _NAME_TOKEN.match(source, index)
            token_end = match.end() if match else index
            if token_end >= size:
                raise HtmlParseError(f"Unclosed start tag at byte offset {at}")
            if not source[token_end].isspace() and source[token_end] != ">":
                raise HtmlParseError(
                    f"Unexpected end of name token at byte offset {_byte_offset(source, index)}"
                )
            attributes[name] = source[index:token_end].lower()
            index = token_end


def _entity_for(
    tag: str, attributes: dict[str, str], at: int, stack: list[_OpenTag], position: int
) -> dict[str, Any] | None:
    """The entity a start tag opens (``None`` when it only annotates its parent)."""
    if tag == "a":
        href = attributes.get("href", "")
        if not href:
            raise HtmlParseError(f'Tag "a" must have a non-empty "href" at byte offset {at}')
        return {"type": "text_link", "url": href}
    if tag == "span":
        if attributes.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
        return {"type": "spoiler"}
    if tag == "tg-emoji":
        emoji_id = attributes.get("emoji-id", "")
        if not emoji_id.isdigit():
            raise HtmlParseError(
                f'Tag "tg-emoji" must have a numeric "emoji-id" attribute at byte offset {at}'
            )
        return {"type": "custom_emoji", "custom_emoji_id": emoji_id}
    if tag == "blockquote":
        kind = "expandable_blockquote" if "expandable" in attributes else "blockquote"
        return {"type": kind}
    if tag == "code":
        language_class = attributes.get("class", "")
        parent = stack[-1] if stack else None
        if (
            language_class.startswith("language-")
            and parent is not None
            and parent.name == "pre"
            and parent.entity is not None
            and "language" not in parent.entity
            and parent.start == position
        ):
            # <pre><code class="language-x"> is one pre entity with a language.
            parent.entity["language"] = language_class.removeprefix("language-")
            return None
    return {"type": _SIMPLE_TAGS[tag]}


def _close_tag(
    source: str,
    index: int,
    *,
    at: int,
    stack: list[_OpenTag],
    position: int,
    entities: list[dict[str, Any]],
) -> int:
    """Handle the end tag at ``index``: pop its start tag, emit the entity; return next index."""
    size = len(source)
    if not stack:
        raise HtmlParseError(f"Unexpected end tag at byte offset {at}")
    end = index + 2
    while end < size and not source[end].isspace() and source[end] != ">":
        end += 1
    name = source[index + 2 : end].lower()
    while end < size and source[end].isspace():
        end += 1
    if end >= size or source[end] != ">":
        raise HtmlParseError(f"Unclosed end tag at byte offset {at}")
    top = stack[-1]
    if name != top.name:
        raise HtmlParseError(
            f'Unmatched end tag at byte offset {at}, expected "</{top.name}>", found "</{name}>"'
        )
    stack.pop()
    length = position - top.start
    if top.entity is not None and length > 0:
        entities.append({**top.entity, "offset": top.start, "length": length})
    return end + 1


def parse_html(source: str) -> FormattedText:
    """Parse Telegram HTML into plain text and entities, or raise ``HtmlParseError``."""
    size = len(source)
    out: list[str] = []
    position = 0
    stack: list[_OpenTag] = []
    entities: list[dict[str, Any]] = []
    index = 0
    while index < size:
        char = source[index]
        if char == "&":
            value, index = _decode_reference(source, index)
            out.append(value)
            position += utf16_len(value)
            continue
        if char != "<":
            out.append(char)
            position += 2 if ord(char) > 0xFFFF else 1
            index += 1
            continue
        at = _byte_offset(source, index)
        if source.startswith("</", index):
            index = _close_tag(
                source, index, at=at, stack=stack, position=position, entities=entities
            )
            continue
        end = index + 1
        while end < size and not source[end].isspace() and source[end] != ">":
            end += 1
        if end >= size:
            raise HtmlParseError(f"Unclosed start tag at byte offset {at}")
        tag = source[index + 1 : end].lower()
        if tag not in SUPPORTED_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {at}')
        attributes, index = _parse_attributes(source, end, tag, at)
        entity = _entity_for(tag, attributes, at, stack, position)
        stack.append(_OpenTag(tag, at, position, entity))
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return FormattedText("".join(out), entities)


def trim(formatted: FormattedText) -> FormattedText:
    """Strip leading and trailing whitespace as Telegram does, moving entities with the text."""
    text = formatted.text
    stripped_left = text.lstrip()
    shift = utf16_len(text) - utf16_len(stripped_left)
    result = stripped_left.rstrip()
    total = utf16_len(result)
    entities: list[dict[str, Any]] = []
    for entity in formatted.entities:
        start = max(0, entity["offset"] - shift)
        end = min(total, entity["offset"] + entity["length"] - shift)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return FormattedText(result, entities)
