"""Checks for single values typed by contributors: text, dates, web addresses, mailboxes, slugs.

Each check returns the cleaned value, or raises `Invalid` with a message that says what to do.
Shared by the case-study validator and the reference-data loader.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit

from hub.load import chars


class Invalid(ValueError):
    """A value that fails a check; the message is shown to the contributor."""


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: "$" would accept a trailing newline
MAX_SLUG = 80
# Names Windows reserves for devices: a page with such a name cannot be checked out there.
WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{n}" for n in range(10)] + [f"lpt{n}" for n in range(10)]
)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")  # ASCII digits only: "\d" also matches "２" and "٢"
# A conservative mailbox: no "?", "&", "=" or "%" that could add headers to a mailto: link.
_MAILBOX = re.compile(r"^[A-Za-z0-9._+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# Characters never allowed in a web address as typed (they end or break a Markdown link).
_URL_FORBIDDEN = re.compile(r"[\s<>\"'`\\{}|^]")


def text(value: str, *, one_line: bool, max_length: int, escapes: bool = True) -> str:
    """Plain text as typed: only characters `chars` allows, trimmed, within the limit, with
    something visible. `escapes=False` skips the look at each character in a value that cannot
    hold any its file did not (a YAML value not in double quotes, from a file checked whole)."""
    hidden = chars.first_refused(value) if escapes else None
    if hidden:
        raise Invalid(f"contains a character that is not allowed: {hidden}")
    cleaned = value.strip()
    if "\n" in cleaned:
        cleaned = "\n".join(line.rstrip() for line in cleaned.split("\n"))
    if not cleaned:
        raise Invalid("is empty; write the text, or remove the field if it is optional")
    if not chars.visible(cleaned):
        raise Invalid(
            "shows nothing (it holds only blank or invisible characters); write the text, or remove the field if "
            "it is optional"
        )
    if one_line and "\n" in cleaned:
        raise Invalid("must be on one line; remove the line break (use '>' only for long text fields)")
    shown = len(cleaned) - cleaned.count("\n")  # what readers see: a line or paragraph break is no character
    if max_length and shown > max_length:
        raise Invalid(f"is {shown} characters long; the limit is {max_length}, so shorten it")
    return cleaned


_PERIOD = re.compile(r"^([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?\Z")


def period(value: str, *, days: bool) -> tuple[int, int | None, int | None]:
    """A year, a month (YYYY-MM) or, with `days`, a date (YYYY-MM-DD): (year, month, day)."""
    value = value.strip()
    found = _PERIOD.match(value)
    forms = "YYYY, YYYY-MM or YYYY-MM-DD (for example 2017 or 2017-11)" if days else "YYYY or YYYY-MM (2014 or 2014-09)"
    if found is None or (found.group(3) and not days):
        raise Invalid(f"'{value}' is not written {forms}")
    year, month, day = (int(part) if part else None for part in found.groups())
    assert year is not None
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        raise Invalid(f"'{value}' is not a real {'date' if day else 'month'}; check the month and day") from None
    if year < 1900:
        raise Invalid(f"'{value}' is too long ago for a case study; check the year")
    return year, month, day


# What YAML reads as no value, true or false, or a number when it is not in quotes. The loader
# keeps every value as the text typed, so `title: null` would publish the word "null": a text
# field that is only one of these was most likely not meant as text.
_NOT_TEXT = re.compile(
    r"^(?:~|null|true|false|yes|no|on|off|y|n"
    r"|[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)(?:e[-+]?[0-9]+)?|[-+]?\.(?:inf|nan)|0x[0-9a-f_]+|0o[0-7_]+)\Z",
    re.IGNORECASE,
)


def plain_text(value: str) -> None:
    """Refuse a value typed without quotes that YAML reads as no value, true or false, or a number."""
    if _NOT_TEXT.match(value.strip()):
        raise Invalid(
            f"is written {value.strip()}, which YAML reads as {_not_text_kind(value.strip())}, not text; "
            f'put it in quotes ("{value.strip()}") if you mean those words'
        )


def _not_text_kind(value: str) -> str:
    lower = value.lower()
    if lower in ("~", "null"):
        return "no value"
    if lower in ("true", "false", "yes", "no", "on", "off", "y", "n"):
        return "true or false"
    return "a number"


EARLIEST = date(2000, 1, 1)  # no case study was published on the hub before this


def iso_date(value: str) -> date:
    value = value.strip()
    if not _DATE.match(value):
        raise Invalid(f"'{value}' is not a date written YYYY-MM-DD (for example 2026-03-31)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"'{value}' is not a real date; check the day and month") from None


def https_url(value: str, *, http: bool = False) -> str:
    """An https address with a real host name: no credentials, spaces or link-breaking
    characters; with `http`, an http address too (old public pages, shown with a warning)."""
    value = value.strip()
    if _URL_FORBIDDEN.search(value):
        raise Invalid(f"'{value}' contains a space or a character not allowed in a web address; percent-encode it")
    try:
        parts = urlsplit(value)
    except ValueError:  # brackets that do not hold an IPv6 address: "https://example.gov.uk]/"
        raise Invalid(f"'{value}' has no valid host name (like www.example.gov.uk)") from None
    if parts.scheme.lower() != "https" and not (http and parts.scheme.lower() == "http"):
        other = "https:// (or http:// for an old page that has no https address)" if http else "https://"
        raise Invalid(f"'{value}' must start with {other} (other kinds of link are not accepted)")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise Invalid(f"'{value}' contains a user name or password; remove them from the address")
    try:
        host = (parts.hostname or "").rstrip(".")
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise Invalid(f"'{value}' has an invalid port number") from None
    if not _HOST.match(host):
        raise Invalid(f"'{value}' has no valid host name (like www.example.gov.uk)")
    return value


def mailbox(value: str) -> str:
    value = value.strip()
    if value.lower().startswith("mailto:"):
        raise Invalid(f"'{value}': write the address alone, without 'mailto:'")
    if not _MAILBOX.match(value) or ".." in value:
        raise Invalid(f"'{value}' is not an e-mail address like childrens.services@example.gov.uk")
    return value


def slug_problem(stem: str, what: str = "file name") -> str | None:
    """Why `stem` cannot be a page name, or None when it can; `what` names it in the message
    ("file name", "alias", "slug")."""
    if not SLUG.match(stem):
        return (
            f"{what} '{stem}' is not a valid slug: use lower-case letters a-z, digits and single hyphens"
            f" (for example '{suggest_slug(stem) or 'my-case-study'}')"
        )
    if len(stem) > MAX_SLUG:
        return f"{what} '{stem}' is {len(stem)} characters long; keep it to {MAX_SLUG}"
    if stem in WINDOWS_RESERVED or stem == "index":
        return f"{what} '{stem}' is reserved; choose a more descriptive name"
    return None


def suggest_slug(name: str) -> str:
    """A slug from a title or name: 'St. Helens' -> 'st-helens', 'Café & co' -> 'cafe-and-co'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    plain = plain.replace("&", " and ").replace("'", "")
    return "-".join(re.findall(r"[a-z0-9]+", plain))[:MAX_SLUG].strip("-")
