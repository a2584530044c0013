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
    if max_length and len(cleaned) > max_length:
        raise Invalid(f"is {len(cleaned)} characters long; the limit is {max_length}, so shorten it")
    return cleaned


def iso_date(value: str) -> date:
    value = value.strip()
    if not _DATE.match(value):
        raise Invalid(f"'{value}' is not a date written YYYY-MM-DD (for example 2026-03-31)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"'{value}' is not a real date; check the day and month") from None


def https_url(value: str) -> str:
    """An https address with a real host name: no credentials, spaces or link-breaking characters."""
    value = value.strip()
    if _URL_FORBIDDEN.search(value):
        raise Invalid(f"'{value}' contains a space or a character not allowed in a web address; percent-encode it")
    try:
        parts = urlsplit(value)
    except ValueError:  # brackets that do not hold an IPv6 address: "https://example.gov.uk]/"
        raise Invalid(f"'{value}' has no valid host name (like www.example.gov.uk)") from None
    if parts.scheme.lower() != "https":
        raise Invalid(f"'{value}' must start with https:// (other kinds of link are not accepted)")
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
