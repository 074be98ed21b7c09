"""Checks of single values that case files give as text: dates, URLs (as IRIs), free text.

Each check returns its value or raises ValueError with a message for people; the record models
(:mod:`graph.model.records`) run them as pydantic validators.

>>> check_date("2023-02"), date_bounds("2024-02")
('2023-02', ('2024-02-01', '2024-02-29'))
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import Any

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_URL = re.compile(r"^(https?)://([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.IGNORECASE | re.DOTALL)
_PORT = re.compile(r"^[0-9]{0,5}$")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# ASCII an IRI may hold outside its host (RFC 3987: iunreserved, sub-delims, ":", "@", "/", "%", "?")
_IRI_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/%?")
# invisible characters that reorder or hide what a reader sees (bidirectional controls)
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")



def as_date_text(value: Any) -> Any:
    # YAML reads 2023 as an int and 2023-07-26 as a date; the contract is ISO text.
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return f"{value:04d}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    return value


@functools.lru_cache(maxsize=65536)  # a million claims name a few thousand distinct dates (a bad one is not kept)
def check_date(value: str | None) -> str | None:
    """Check an ISO date of year, year-month or full precision.

    >>> check_date("2023-02")
    '2023-02'
    >>> check_date("2023-02-30")
    Traceback (most recent call last):
    ...
    ValueError: '2023-02-30' is not a valid date (YYYY, YYYY-MM or YYYY-MM-DD)
    """
    if value is None:
        return None
    m = _DATE.match(value)
    try:
        if not m:
            raise ValueError
        year, month, day = (int(g) if g else 1 for g in m.groups())
        dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{value!r} is not a valid date (YYYY, YYYY-MM or YYYY-MM-DD)") from None
    return value


@functools.lru_cache(maxsize=65536)  # a million claims name a few thousand distinct dates
def date_bounds(value: str) -> tuple[str, str]:
    """The first and last day a partial date stands for, as ISO text.

    >>> date_bounds("2024-02")
    ('2024-02-01', '2024-02-29')
    """
    parts = value.split("-")
    if len(parts) == 3:
        return value, value
    year = int(parts[0])
    if len(parts) == 1:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    month = int(parts[1])
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return f"{year:04d}-{month:02d}-01", (nxt - dt.timedelta(days=1)).isoformat()


OPEN_END = "open"  # how a case file says that a claim has not ended (``end: open``)


def as_end_text(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() == OPEN_END:
        return OPEN_END  # kept until the claim is complete, then moved to ``open_end``
    return as_date_text(value)


def check_end(value: str | None) -> str | None:
    if value == OPEN_END:
        return value
    try:
        return check_date(value)
    except ValueError as exc:
        raise ValueError(f"{exc}; 'open' when it has not ended") from None


def is_false(value: Any) -> bool:
    return value is False


def check_url(value: str | None) -> str | None:
    """Only absolute http(s) URLs that are valid IRIs (RFC 3987) are allowed.

    A `javascript:` link must never reach a page, and every URL becomes an IRI of the RDF
    exports: one that an RDF parser refuses would break every export after validation passed.

    >>> check_url("https://example.org/a%20b?q=1#top")
    'https://example.org/a%20b?q=1#top'
    >>> check_url("https://example.org/a|b")
    Traceback (most recent call last):
    ...
    ValueError: 'https://example.org/a|b' is not a valid URL: '|' is not allowed (percent-encode it as %7C)
    """
    if value is None:
        return None
    m = _URL.match(value)
    if not m:
        raise ValueError(f"{value!r} is not an http(s) URL")
    problem = _iri_problem(*m.groups()[1:])
    if problem:
        raise ValueError(f"{value!r} is not a valid URL: {problem}")
    return value


def _iri_problem(authority: str, path: str, query: str | None, fragment: str | None) -> str | None:
    """What makes the parts of an http(s) URL an invalid IRI, or None."""
    userinfo, _, hostport = authority.rpartition("@")
    host, port = hostport, ""
    if hostport.startswith("["):  # an IP literal: [v6 address], then an optional port
        close = hostport.find("]")
        if close < 0 or not re.fullmatch(r"[0-9A-Fa-f:.vV]+", hostport[1:close]):
            return "the host in [brackets] is not an IP address"
        host, rest = hostport[: close + 1], hostport[close + 1:]
        if rest and not rest.startswith(":"):
            return "unexpected text after the host"
        port = rest[1:]
    elif ":" in hostport:
        host, port = hostport.rsplit(":", 1)
    if not host:
        return "it has no host"
    if not _PORT.match(port) or (port and int(port) > 65535):
        return f"the port {port!r} is not a number from 0 to 65535"
    for part, in_query in ((userinfo, False), (host if not host.startswith("[") else "", False), (path, False),
                           (query or "", True), (fragment or "", False)):
        for ch in part:
            if not _iri_char(ch, in_query):
                return f"{ch!r} is not allowed (percent-encode it as {_percent(ch)})"
        if _BAD_PERCENT.search(part):
            return "'%' must begin a percent-escape of two hex digits (write %25 for a percent sign)"
    return None


def _iri_char(ch: str, in_query: bool) -> bool:
    """Whether an IRI may hold ``ch`` (ucschar, and iprivate in a query)."""
    if ch in _IRI_ASCII:
        return True
    o = ord(ch)
    if o < 0xA0 or ch in BIDI_CONTROLS:
        return False
    if in_query and (0xE000 <= o <= 0xF8FF or o >= 0xF0000 and (o & 0xFFFF) <= 0xFFFD):
        return True
    return (o <= 0xD7FF or 0xF900 <= o <= 0xFDCF or 0xFDF0 <= o <= 0xFFEF
            or (0x10000 <= o < 0xE0000 or 0xE1000 <= o < 0xF0000) and (o & 0xFFFF) <= 0xFFFD)


def _percent(ch: str) -> str:
    return "".join(f"%{b:02X}" for b in ch.encode("utf-8"))


# C0 and C1 controls, DEL and the bidirectional controls: they hide or reorder text on a
# terminal or a page (an RLO makes "exe.txt" read "txt.exe"); multi-line text keeps tab and newline
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS))
_BAD_IN_TEXT = re.compile(f"[{_CONTROLS}]")
_BAD_IN_LINE = re.compile(f"[\t\n{_CONTROLS}]")


def _control_problem(value: str, pattern: re.Pattern[str]) -> None:
    m = pattern.search(value)
    if m:
        ch = m.group()
        raise ValueError(f"holds the control character U+{ord(ch):04X}"
                         f"{' (' + unicodedata.name(ch) + ')' if unicodedata.name(ch, '') else ''} at position "
                         f"{m.start() + 1}: remove it")


def check_text(value: str | None) -> str | None:
    """Multi-line text: no control characters but tab and newline.

    >>> check_text("Line one\\nline two")
    'Line one\\nline two'
    >>> check_text("evil\\u202etxt.exe")
    Traceback (most recent call last):
    ...
    ValueError: holds the control character U+202E (RIGHT-TO-LEFT OVERRIDE) at position 5: remove it
    """
    if value is not None:
        _control_problem(value, _BAD_IN_TEXT)
    return value


def check_line(value: str | None) -> str | None:
    """One line of text (a name, a title): no control characters at all, not even a newline."""
    if value is not None:
        _control_problem(value, _BAD_IN_LINE)
    return value

