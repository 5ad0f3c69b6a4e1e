"""One SQL condition typed by a user (`archiver export --where`), checked before it is put
inside a statement as `WHERE (...)`.

Pasted as it is, "1=1) UNION SELECT ... --" would close the parenthesis and end the statement
with a query of its own. A condition is kept only when, outside its string literals and quoted
names, it holds no `;` and no comment, its parentheses never close more than they opened and all
close by its end, and a word that starts or joins a query (SELECT, UNION, ...) appears only
inside parentheses, as a subquery: `id IN (SELECT article_id FROM comments)` stays possible.
What it may read is the read-only connection's business (see store._read_only_authorizer).
"""

from __future__ import annotations

import re
import sqlite3

MAX_CHARS = 2_000
# Words that, outside parentheses, would make the condition a query or a clause of its own.
_STATEMENT_WORDS = {
    "select", "union", "intersect", "except", "with", "values", "from", "where", "group",
    "having", "order", "limit", "offset", "window", "attach", "detach", "pragma", "vacuum",
    "insert", "update", "delete", "replace", "create", "drop", "alter", "returning",
}  # fmt: skip
# A string literal, a quoted name, or one character of anything else.
_TOKEN = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|--|/\*|\w+|.""", re.S
)


class ConditionError(ValueError):
    """A --where that is not one condition, worded for the user."""


def _refuse(text: str, why: str) -> ConditionError:
    shown = text if len(text) <= 80 else text[:79] + "…"
    return ConditionError(f"--where must be one SQL condition: {why} in {shown!r}")


def check_condition(text: str) -> str:
    """`text` when it is one condition that cannot close the statement around it; else
    ConditionError saying what is wrong. Whether its columns exist is for SQLite to say."""
    if not text.strip():
        raise _refuse(text, "it is empty")
    if len(text) > MAX_CHARS:
        raise _refuse(text, f"it is longer than {MAX_CHARS} characters")
    depth = 0
    for token in _TOKEN.findall(text):
        first = token[0]
        if first in "'\"`[" and len(token) > 1 or token.isspace():
            continue  # a literal or a quoted name: anything may be inside
        if first in "'\"`[":
            raise _refuse(text, f"a quote {first} is not closed")
        if token in ("--", "/*", ";"):
            raise _refuse(text, f"{token!r} is not allowed")
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
            if depth < 0:
                raise _refuse(text, "a ')' closes more than was opened")
        elif depth == 0 and token.lower() in _STATEMENT_WORDS:
            raise _refuse(text, f"{token.upper()} is only allowed inside a (subquery)")
    if depth:
        raise _refuse(text, "a '(' is not closed")
    if not sqlite3.complete_statement(f"SELECT 1 WHERE ({text});"):
        raise _refuse(text, "it does not end")
    return text
