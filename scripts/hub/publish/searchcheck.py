"""Before the site is published: is Pagefind's search index complete?

Pagefind exits 0 even when it could not write everything (a full disk leaves empty or cut-off
files), so `hub build` reads the index back the way Pagefind's search does before `site/` is
replaced: the entry file, the language's metadata, every page fragment, index chunk and filter
file (each gzip-compressed CBOR or JSON behind Pagefind's `pagefind_dcd` signature), and the
WebAssembly and script files. It then looks up the word every case study holds
(`catalogue.EVERY_CASE_STUDY`, written by overrides/main.html) and follows each hit to its page, which must be a
case study. The counts must match the built HTML: one indexed page per page that marks its
searchable body, one hit per case study.
"""

from __future__ import annotations

import gzip
import json
import struct
import zlib
from pathlib import Path
from typing import Any

from hub.model.catalogue import EVERY_CASE_STUDY

SIGNATURE = b"pagefind_dcd"
CASE_STUDY_WORD = EVERY_CASE_STUDY
_CASE_STUDY_MARK = f"<span hidden>{EVERY_CASE_STUDY}</span>".encode()
_BODY_MARK = b"data-pagefind-body"


class Incomplete(Exception):
    """The index is not what the built pages need; the message says what is wrong."""


def _cbor(data: bytes, at: int = 0) -> tuple[Any, int]:
    """One CBOR item (the subset Pagefind writes: integers, strings, arrays, maps, simple values)
    starting at `at`; the item and where the next one starts."""
    try:
        first = data[at]
    except IndexError:
        raise Incomplete("an index file ends early") from None
    major, info, at = first >> 5, first & 31, at + 1
    if info < 24:
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        if at + size > len(data):
            raise Incomplete("an index file ends early")
        value = int.from_bytes(data[at : at + size], "big") if info != 27 else struct.unpack(">Q", data[at : at + 8])[0]
        at += size
    else:
        raise Incomplete("an index file holds data Pagefind does not write")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        if at + value > len(data):
            raise Incomplete("an index file ends early")
        raw = data[at : at + value]
        return (raw.decode("utf-8") if major == 3 else raw), at + value
    if major in (4, 5):
        items = []
        for _ in range(value * (2 if major == 5 else 1)):
            item, at = _cbor(data, at)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2], strict=True))), at
    if major == 7:
        return {20: False, 21: True, 22: None}.get(value, value), at
    raise Incomplete("an index file holds data Pagefind does not write")


def _read(path: Path) -> bytes:
    """A Pagefind file's content: gzip-decompressed, after its signature."""
    try:
        data = gzip.decompress(path.read_bytes())
    except FileNotFoundError:
        raise Incomplete(f"{path.name} is missing") from None
    except (OSError, EOFError, zlib.error):
        raise Incomplete(f"{path.name} is empty or cut off") from None
    if not data.startswith(SIGNATURE):
        raise Incomplete(f"{path.name} is not a Pagefind file")
    return data[len(SIGNATURE) :]


def _decoded(path: Path) -> Any:
    data = _read(path)
    value, end = _cbor(data)
    if end != len(data):
        raise Incomplete(f"{path.name} holds more than one value")
    return value


def expected(pages: list[Path]) -> tuple[int, int]:
    """How many of the built `pages` the index must hold, and how many are case studies."""
    indexed = studies = 0
    for page in pages:
        html = page.read_bytes()
        indexed += _BODY_MARK in html
        studies += _CASE_STUDY_MARK in html
    return indexed, studies


def check(folder: Path, indexed: int, studies: int) -> None:
    """Raise `Incomplete` unless the index in `folder`/pagefind holds `indexed` pages and finds
    the `studies` case studies by their common word."""
    index = folder / "pagefind"
    for name in ("pagefind.js", "pagefind-worker.js"):
        if not (index / name).is_file() or (index / name).stat().st_size == 0:
            raise Incomplete(f"{name} is missing or empty")
    try:
        entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
        languages = entry["languages"]
    except (OSError, ValueError, KeyError, TypeError):
        raise Incomplete("pagefind-entry.json is missing, empty or cut off") from None
    pages: list[str] = []
    hits: set[str] = set()
    for language in languages.values():
        if not isinstance(language, dict) or not (index / f"wasm.{language.get('wasm')}.pagefind").is_file():
            raise Incomplete("a language's WebAssembly file is missing")
        if not (index / f"wasm.{language['wasm']}.pagefind").stat().st_size:
            raise Incomplete("a language's WebAssembly file is empty")
        meta = _decoded(index / f"pagefind.{language['hash']}.pf_meta")
        listed, chunks, filters = [page[0] for page in meta[1]], meta[2], meta[3]
        if len(listed) != language.get("page_count"):
            raise Incomplete("the page count does not match the pages listed")
        for _, file in filters:
            _decoded(index / "filter" / f"{file}.pf_filter")
        for first, last, file in chunks:
            data = _read(index / "index" / f"{file}.pf_index")  # whole and uncut, or this raises
            if may_hold(first, last):  # the chunk the search would fetch
                hits.update(_lookup(data, listed))
        for page in listed:
            if not _read(index / "fragment" / f"{page}.pf_fragment").startswith(b'{"url":'):
                raise Incomplete(f"the fragment of page {page} has no address")
        pages.extend(listed)
    if len(pages) != indexed:
        raise Incomplete(f"it holds {len(pages)} pages, not {indexed}")
    if len(hits) != studies:
        raise Incomplete(f"a search for every case study finds {len(hits)}, not {studies}")
    for page in hits:
        url = json.loads(_read(index / "fragment" / f"{page}.pf_fragment"))["url"]
        if "/practice/" not in url:
            raise Incomplete(f"a search for every case study finds {url}, which is not one")


def may_hold(first: str, last: str, term: str = CASE_STUDY_WORD[:-1]) -> bool:
    """Whether the index chunk from `first` to `last` may hold `term` or a word it begins (the
    stem of the case-study word): Pagefind writes a chunk's bounds as the shortest prefixes
    that tell chunks apart ("her" to "hub" holds "hubcasestudi"), so, as its own search does,
    compare each bound with the term cut to the shorter of the two."""
    low, high = min(len(term), len(first)), min(len(term), len(last))
    return term[:low] >= first[:low] and term[:high] <= last[:high]


def _lookup(data: bytes, listed: list[str]) -> set[str]:
    """The pages an index chunk lists for the case-study word (stemmed, as Pagefind stores it)."""
    value, end = _cbor(data)
    if end != len(data):
        raise Incomplete("an index file holds more than one value")
    found = set()
    for word in value[0]:
        if CASE_STUDY_WORD.startswith(word[0][:-1]) and len(word[0]) >= len(CASE_STUDY_WORD) - 1:
            number = 0
            for hit in word[1]:  # page numbers, each written as the step from the one before
                number += hit[0]
                found.add(listed[number])
    return found
