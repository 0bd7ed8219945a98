"""The tokenizer of the asset selection syntax, and the error every malformed selection raises.

Tokens follow Dagster's lexer: the longest match wins, and ``and``/``or``/``not`` (also upper-case)
beat a word of the same length. A word is ``[A-Za-z_][A-Za-z0-9_/]*``; one containing ``*`` is a
WILDCARD; ``"..."`` is QUOTED (no backslashes or line breaks inside); ``<null>`` is NULL.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from headwater.errors import HeadwaterError

_SHOWN_WIDTH = 100  # characters of the selection shown above the caret


class InvalidAssetSelectionError(HeadwaterError):
    """A selection string is not valid selection syntax (Dagster: DagsterInvalidAssetSelectionError).

    ``text``, ``position`` (0-based index into ``text``) and ``expected`` say where and what.
    """

    def __init__(self, problem: str, *, text: str, position: int, expected: str | None = None) -> None:
        self.text = text
        self.position = position
        self.expected = expected
        self.problem = problem
        super().__init__(_render(problem, text, position))


def _render(problem: str, text: str, position: int) -> str:
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    column = position - line_start
    where = f"column {column + 1}"
    if "\n" in text:
        where = f"line {text.count(chr(10), 0, position) + 1}, {where}"
    shown = line.replace("\t", " ").replace("\r", " ")
    caret = column
    if len(shown) > _SHOWN_WIDTH:  # show a window around the problem
        start = max(0, min(column - _SHOWN_WIDTH // 2, len(shown) - _SHOWN_WIDTH))
        head = "..." if start > 0 else ""
        tail = "..." if start + _SHOWN_WIDTH < len(shown) else ""
        shown = head + shown[start : start + _SHOWN_WIDTH] + tail
        caret = column - start + len(head)
    return f"Invalid asset selection at {where}: {problem}\n    {shown}\n    {' ' * caret}^"


class Token(NamedTuple):
    kind: str  # WORD, WILDCARD, QUOTED, NULL, DIGITS, AND, OR, NOT, or the punctuation itself; EOF
    text: str
    start: int


_WORD = re.compile(r"[A-Za-z_*][A-Za-z0-9_*/]*")
_DIGITS = re.compile(r"[0-9]+")
_KEYWORDS = {"and": "AND", "AND": "AND", "or": "OR", "OR": "OR", "not": "NOT", "NOT": "NOT"}
_PUNCTUATION = frozenset("*+:()=,")


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; longest match wins, keywords beat words of the same length."""
    tokens: list[Token] = []
    pos, end = 0, len(text)
    while pos < end:
        char = text[pos]
        if char in " \t\r\n":
            pos += 1
            continue
        if char == '"':
            close = pos + 1
            while close < end and text[close] not in '"\\\r\n':
                close += 1
            if close >= end or text[close] != '"':
                problem = "this quoted string is not closed"
                if close < end:
                    problem = "quoted strings cannot contain backslashes or line breaks"
                raise InvalidAssetSelectionError(problem, text=text, position=pos, expected="'\"'")
            tokens.append(Token("QUOTED", text[pos + 1 : close], pos))
            pos = close + 1
            continue
        if text.startswith("<null>", pos):
            tokens.append(Token("NULL", "<null>", pos))
            pos += 6
            continue
        match = _WORD.match(text, pos) or _DIGITS.match(text, pos)
        if match is not None and match.group() != "*":
            word = match.group()
            if word[0].isdigit():
                kind = "DIGITS"
            elif "*" in word:
                kind = "WILDCARD"
            else:
                kind = _KEYWORDS.get(word, "WORD")
            tokens.append(Token(kind, word, pos))
            pos = match.end()
            continue
        if char in _PUNCTUATION:
            tokens.append(Token(char, char, pos))
            pos += 1
            continue
        raise InvalidAssetSelectionError(
            f'unexpected character {char!r}; quote values that contain it, e.g. key:"my-asset"',
            text=text,
            position=pos,
        )
    tokens.append(Token("EOF", "", end))
    return tokens
