"""Telegram's HTML parse mode as the emulator implements it: what is accepted, what is refused."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.html import HtmlParseError, parse_html, trim, utf16_len


def ent(kind: str, offset: int, length: int, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "offset": offset, "length": length, **extra}


VALID: list[tuple[str, str, list[dict[str, Any]]]] = [
    ("plain text", "plain text", []),
    ("<b>bold</b>", "bold", [ent("bold", 0, 4)]),
    ("<strong>a</strong>", "a", [ent("bold", 0, 1)]),
    ("<i>a</i><em>b</em>", "ab", [ent("italic", 0, 1), ent("italic", 1, 1)]),
    ("<u>a</u><ins>b</ins>", "ab", [ent("underline", 0, 1), ent("underline", 1, 1)]),
    (
        "<s>a</s><strike>b</strike><del>c</del>",
        "abc",
        [ent("strikethrough", 0, 1), ent("strikethrough", 1, 1), ent("strikethrough", 2, 1)],
    ),
    ('<span class="tg-spoiler">x</span>', "x", [ent("spoiler", 0, 1)]),
    ("<tg-spoiler>x</tg-spoiler>", "x", [ent("spoiler", 0, 1)]),
    (
        '<a href="https://example.com/?a=1&amp;b=2">link</a>',
        "link",
        [ent("text_link", 0, 4, url="https://example.com/?a=1&b=2")],
    ),
    ("<a href='tg://user?id=5'>me</a>", "me", [ent("text_link", 0, 2, url="tg://user?id=5")]),
    ("<code>x = 1</code>", "x = 1", [ent("code", 0, 5)]),
    ("<pre>block</pre>", "block", [ent("pre", 0, 5)]),
    (
        '<pre><code class="language-python">print(1)</code></pre>',
        "print(1)",
        [ent("pre", 0, 8, language="python")],
    ),
    ('<code class="language-python">x</code>', "x", [ent("code", 0, 1)]),
    ("<blockquote>q</blockquote>", "q", [ent("blockquote", 0, 1)]),
    ("<blockquote expandable>q</blockquote>", "q", [ent("expandable_blockquote", 0, 1)]),
    (
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
        "👍",
        [ent("custom_emoji", 0, 2, custom_emoji_id="5368324170671202286")],
    ),
    ("&lt;&gt;&amp;&quot;&#39;&#x41;&#1028;", "<>&\"'AЄ", []),
    ("😀<b>x</b>", "😀x", [ent("bold", 2, 1)]),
    ("Привіт, <b>світе</b>", "Привіт, світе", [ent("bold", 8, 5)]),
    ("<B>x</B>", "x", [ent("bold", 0, 1)]),
    ("<b>a <i>b</i></b>", "a b", [ent("bold", 0, 3), ent("italic", 2, 1)]),
    ("<b></b>x", "x", []),
    ("a > b", "a > b", []),
    ("<b >x</b >", "x", [ent("bold", 0, 1)]),
    ("line1\nline2", "line1\nline2", []),
]

INVALID: list[tuple[str, str]] = [
    ("<br>", 'Unsupported start tag "br" at byte offset 0'),
    ("x <br/>", 'Unsupported start tag "br/" at byte offset 2'),
    ("<p>x</p>", 'Unsupported start tag "p" at byte offset 0'),
    ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
    ("a <b", "Unclosed start tag at byte offset 2"),
    ('<a href="x>y</a>', "Unclosed start tag at byte offset 0"),
    ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b><i>x</i>", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
    ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    ("x</b>", "Unexpected end tag at byte offset 1"),
    ("<b>x</b", "Unclosed end tag at byte offset 4"),
    ("Tom & Jerry", 'Unescaped "&" at byte offset 4'),
    ("a&b", 'Unescaped "&" at byte offset 1'),
    ("&amp", 'Unescaped "&" at byte offset 0'),
    ("&nbsp;", 'Unsupported HTML entity "&nbsp;" at byte offset 0'),
    ("&#0;", "Invalid numeric character reference at byte offset 0"),
    ("&#xD800;", "Invalid numeric character reference at byte offset 0"),
    ('<a href="https://x.org/?a=1&b=2">x</a>', 'Unescaped "&" at byte offset'),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
    ('<span class="bold">x</span>', 'Tag "span" must have class "tg-spoiler"'),
    ("<a>x</a>", 'Tag "a" must have a non-empty "href"'),
    ('<a href="">x</a>', 'Tag "a" must have a non-empty "href"'),
    ("<tg-emoji>x</tg-emoji>", 'Tag "tg-emoji" must have a numeric "emoji-id"'),
    ("<a href=x/y>x</a>", "Unexpected end of name token at byte offset 8"),
    ('<a ="x">y</a>', 'Empty attribute name in the tag "a" at byte offset 0'),
    ("Привіт <br>", 'Unsupported start tag "br" at byte offset 13'),
]


@pytest.mark.parametrize(("markup", "text", "entities"), VALID)
def test_valid_html(markup: str, text: str, entities: list[dict[str, Any]]) -> None:
    parsed = parse_html(markup)
    assert parsed.text == text
    assert parsed.entities == entities


@pytest.mark.parametrize(("markup", "reason"), INVALID)
def test_invalid_html(markup: str, reason: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(markup)
    assert reason in str(caught.value)


def test_unquoted_attribute_value_is_lowercased_name_token() -> None:
    assert parse_html("<blockquote expandable=YES>q</blockquote>").entities == [
        ent("expandable_blockquote", 0, 1)
    ]


def test_utf16_length_counts_surrogate_pairs() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("Їжак") == 4
    assert utf16_len("👍") == 2


def test_trim_strips_whitespace_and_moves_entities() -> None:
    trimmed = trim(parse_html("\n  <b> x </b>\n\n"))
    assert trimmed.text == "x"
    assert trimmed.entities == [ent("bold", 0, 1)]
