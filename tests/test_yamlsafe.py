"""The hardened YAML loader: every bad file gives a Problem with a place, and nothing raises.

Cases from the "File and YAML" section of the bad-inputs guide.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
import yaml

from hub.core.problems import Problem
from hub.load.files import read_up_to
from hub.load.yamlsafe import MAX_BYTES, MAX_DEPTH, Mapping, Node, Scalar, Sequence, load_bytes, load_file

SHOWN = "practice/example.yml"


def refused(data: bytes) -> list[Problem]:
    """Load `data`, which must be refused; return the problems (each naming the file)."""
    tree, problems = load_bytes(data, SHOWN)
    assert tree is None, f"accepted: {tree}"
    assert problems, "refused without saying why"
    assert all(p.path == SHOWN for p in problems)
    return problems


def accepted(data: bytes) -> Mapping:
    tree, problems = load_bytes(data, SHOWN)
    assert problems == []
    assert isinstance(tree, Mapping)
    return tree


def plain(node: Node) -> object:
    """A tree without positions, to compare values only."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return [plain(item) for item in node.items]
    return {key: plain(value) for key, value in node.items.items()}


def one(problems: list[Problem], fragment: str, line: int, col: int) -> None:
    assert len(problems) == 1, problems
    problem = problems[0]
    assert fragment in problem.message, problem
    assert (problem.line, problem.col) == (line, col), problem


# --- invalid YAML, tabs, duplicates, tags, anchors --------------------------------------------

REFUSED = {
    "unclosed flow list": (b"title: [unclosed\n", "invalid YAML", 2, 1),
    "mapping inside a plain value": (b"title: a\n  b: c\n", "invalid YAML", 2, 4),
    "bad indentation": (b"title: a\n summary: b\n", "invalid YAML", 2, 9),
    "unknown escape": (b'title: "a\\qb"\n', "invalid YAML", 1, 10),
    "unclosed quote": (b'title: "abc\nsummary: x\n', "invalid YAML", 3, 1),
    "tab indentation": (b"evidence:\n\tlevel: promising\n", "a tab is used for indentation", 2, 1),
    "tab after spaces in indentation": (b"evidence:\n  \tlevel: promising\n", "a tab is used for indentation", 2, 3),
    "duplicate key": (b"title: a\nsummary: b\ntitle: c\n", "duplicate field 'title' (first given at line 1)", 3, 1),
    "duplicate nested key": (
        b"evidence:\n  level: a\n  details: b\n  level: c\n",
        "duplicate field 'level' (first given at line 2)",
        4,
        3,
    ),
    "python tag": (b"title: !!python/object/apply:os.system ['echo hacked']\n", "python/object/apply:os.system", 1, 8),
    "python tag on a key": (b"!!python/name:os.system x: y\n", "is not allowed", 1, 1),
    "str tag": (b"title: !!str 1.10\n", "tag 'tag:yaml.org,2002:str' is not allowed", 1, 8),
    "local tag": (b"title: !custom x\n", "tag '!custom' is not allowed", 1, 8),
    "non-specific tag": (b"title: ! x\n", "tag '!' is not allowed", 1, 8),
    "tag via %TAG directive": (
        b"%TAG !e! tag:example.com,2000:\n---\ntitle: !e!foo x\n",
        "tag 'tag:example.com,2000:foo' is not allowed",
        3,
        8,
    ),
    "anchor": (b"title: &t Hello\nsummary: x\n", "anchor '&t' is not allowed", 1, 8),
    "anchor then alias": (b"title: &t Hello\nsummary: *t\n", "anchor '&t' is not allowed", 1, 8),
    "alias alone": (b"title: x\nsummary: *t\n", "alias '*t' is not allowed", 2, 10),
    "merge key": (b"contact:\n  <<: {role: x}\n  email: a@b.gov.uk\n", "merge keys ('<<') are not allowed", 2, 3),
    "merge key with anchor": (b"base: &b {role: x}\ncontact:\n  <<: *b\n", "anchor '&b' is not allowed", 1, 7),
    "list as a key": (b"? [a, b]\n: c\n", "a field name must be plain text", 1, 3),
    "mapping as a key": (b"? {a: 1}\n: c\n", "a field name must be plain text", 1, 3),
}


@pytest.mark.parametrize(("data", "fragment", "line", "col"), REFUSED.values(), ids=REFUSED.keys())
def test_refused_with_place(data: bytes, fragment: str, line: int, col: int) -> None:
    one(refused(data), fragment, line, col)


def test_invalid_yaml_message_says_what_to_check() -> None:
    [problem] = refused(b"title: [unclosed\n")
    assert "check the indentation and quoting" in problem.message
    assert str(problem).startswith(f"{SHOWN}:2:1: invalid YAML")


def test_tab_inside_a_value_is_not_indentation() -> None:
    tree = accepted(b"title: a\tb\n")
    assert plain(tree) == {"title": "a\tb"}


def test_every_tab_indented_line_is_reported() -> None:
    problems = refused(b"evidence:\n\tlevel: a\n\tdetails: b\n")
    assert [(p.line, p.col) for p in problems] == [(2, 1), (3, 1)]
    assert all("tab" in p.message for p in problems)


def test_alias_bomb_fails_at_the_first_anchor() -> None:
    """Billion laughs: ten levels of nine aliases would be 10**9 strings if expanded."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        lines.append(f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]")
    problems = refused(("\n".join(lines) + "\n").encode())
    one(problems, "anchor '&a0' is not allowed", 1, 5)


def test_alias_bomb_without_anchors_is_still_refused() -> None:
    """Aliases to anchors that were never defined: refused at the first alias, never resolved."""
    data = b"a: [" + b",".join([b"*x"] * 10000) + b"]\n"
    one(refused(data), "alias '*x' is not allowed", 1, 5)


# --- size and depth ----------------------------------------------------------------------------


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yml"
    path.write_bytes(b"title: " + b"x" * MAX_BYTES + b"\n")
    tree, problems = load_file(path, SHOWN)
    assert tree is None
    [problem] = problems
    assert problem.path == SHOWN
    assert f"larger than {MAX_BYTES // 1024} KiB" in problem.message


def test_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "full.yml"
    body = b"title: "
    path.write_bytes(body + b"x" * (MAX_BYTES - len(body) - 1) + b"\n")
    assert path.stat().st_size == MAX_BYTES
    tree, problems = load_file(path, SHOWN)
    assert problems == []
    assert tree is not None


def _nested_flow(depth: int) -> bytes:
    """`a:` holding `depth - 1` nested lists, so `depth` levels counting the top mapping."""
    return b"a: " + b"[" * (depth - 1) + b"x" + b"]" * (depth - 1) + b"\n"


def test_nesting_at_the_depth_limit_is_accepted() -> None:
    tree = accepted(_nested_flow(MAX_DEPTH))
    node: Node = tree.items["a"]
    levels = 1
    while isinstance(node, Sequence):
        levels += 1
        node = node.items[0]
    assert levels == MAX_DEPTH
    assert node == Scalar("x", 1, 3 + MAX_DEPTH)


def test_nesting_over_the_depth_limit() -> None:
    one(refused(_nested_flow(MAX_DEPTH + 1)), f"nested more than {MAX_DEPTH} levels deep", 1, 3 + MAX_DEPTH)


def test_block_nesting_over_the_depth_limit() -> None:
    data = b"".join(b"  " * n + b"k:\n" for n in range(MAX_DEPTH + 2))
    one(refused(data), "nested more than", MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)


def test_very_deep_nesting_never_raises_recursion_error() -> None:
    problems = refused(b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n")
    one(problems, "nested more than", 1, 3 + MAX_DEPTH)


# --- encodings -----------------------------------------------------------------------------------


def test_latin1_is_refused_where_it_goes_wrong() -> None:
    data = "title: ok\nsummary: café\n".encode("latin-1")
    one(refused(data), "is not valid UTF-8 (it looks like Latin-1", 2, 13)


def test_windows_1252_quotes_are_refused() -> None:
    data = "title: \u201cquoted\u201d\n".encode("cp1252")
    one(refused(data), "is not valid UTF-8", 1, 8)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_and_without_bom(encoding: str) -> None:
    data = "title: Family help\nsummary: A summary.\n".encode(encoding)
    assert not data.startswith(codecs.BOM_UTF8)
    one(refused(data), "is saved as UTF-16 or UTF-32", 1, 1)


def test_utf16_without_bom_with_accents() -> None:
    one(refused("title: café\n".encode("utf-16-le")), "UTF-16", 1, 1)


VALID = b"title: Family help\nsummary: >-\n  Line one\n  line two.\nthemes:\n  - a\n  - b\n"


def test_bom_and_crlf_give_the_same_values_and_places() -> None:
    plain_tree = accepted(VALID)
    for variant in (
        codecs.BOM_UTF8 + VALID,
        VALID.replace(b"\n", b"\r\n"),
        codecs.BOM_UTF8 + VALID.replace(b"\n", b"\r\n"),
    ):
        tree = accepted(variant)
        assert (
            plain(tree)
            == plain(plain_tree)
            == {"title": "Family help", "summary": "Line one line two.", "themes": ["a", "b"]}
        )
        assert tree == plain_tree  # positions too: the BOM does not shift columns, CRLF does not add lines


def test_old_mac_line_ends_are_line_ends() -> None:
    tree = accepted(VALID.replace(b"\n", b"\r"))
    assert plain(tree) == plain(accepted(VALID))


def test_crlf_does_not_leave_carriage_returns_in_block_text() -> None:
    tree = accepted(b"summary: |\r\n  one\r\n  two\r\n")
    assert plain(tree) == {"summary": "one\ntwo\n"}


def test_bom_later_in_the_file_is_refused() -> None:
    one(refused("title: a\ufeffb\n".encode()), "U+FEFF", 1, 9)


# --- control and invisible characters ------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "col"),
    [("\x00", 9), ("\x07", 9), ("\x1b", 9), ("\x7f", 9), ("\x85", 9), ("\x0b", 9), ("\x0c", 9)],
    ids=["NUL", "BEL", "ESC", "DEL", "NEL", "VT", "FF"],
)
def test_control_characters(char: str, col: int) -> None:
    data = f"summary: x\ntitle: a{char}b\n".encode()
    one(refused(data), f"control character U+{ord(char):04X}", 2, col)


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u200b", "zero width space"),
        ("\u200d", "zero width joiner"),
        ("\u200e", "left-to-right mark"),
        ("\u202e", "right-to-left override"),
        ("\u2066", "left-to-right isolate"),
        ("\u2069", "pop directional isolate"),
        ("\u2060", "word joiner"),
        ("\u061c", "arabic letter mark"),
    ],
)
def test_invisible_characters_typed_in_the_file(char: str, name: str) -> None:
    data = f"title: ok\nsummary: see{char}here\n".encode()
    one(refused(data), f"invisible character U+{ord(char):04X} ({name})", 2, 13)


def test_every_bad_character_is_reported() -> None:
    problems = refused("title: a\u200bb\x00c\nsummary: \u202ex\n".encode())
    assert [(p.line, p.col) for p in problems] == [(1, 9), (1, 11), (2, 10)]


@pytest.mark.parametrize(
    ("data", "hidden"),
    [
        (b'"ti\\u200btle": x\n', "U+200B"),
        (b'"ti\\0tle": x\n', "U+0000"),
        (b'"\\u202Etitle": x\n', "U+202E"),
        (b'"a\\tb": x\n', "a tab or line break"),
    ],
)
def test_hidden_characters_in_a_field_name_typed_as_escapes(data: bytes, hidden: str) -> None:
    """Escapes get past the byte check; the name would otherwise be echoed in a message."""
    [problem] = refused(b"summary: x\n" + data)
    assert "field name contains a character that is not allowed" in problem.message and hidden in problem.message
    assert (problem.line, problem.col) == (2, 1)
    assert not any(c in problem.message for c in "\x00\u200b\u202e\t")


def test_hidden_characters_in_a_duplicate_field_name() -> None:
    [problem] = refused(b'title: a\n"title\\0": b\n"title\\0": c\n')
    assert "U+0000" in problem.message
    assert "\x00" not in problem.message


# --- shape of the document -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"", b"\n\n", b"   \n", b"# only a comment\n", b"# one\n\n# two\n", b"---\n", b"---\n...\n"]
)
def test_empty_file_or_comments_only(data: bytes) -> None:
    one(refused(data), "is empty", 1, 1)


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"- title: a\n- title: b\n", 1),
        (b"[a, b]\n", 1),
        (b"just some text\n", 1),
        (b"# comment\n42\n", 2),
        (b"~\n", 1),
        (b"null\n", 1),
        (b"'quoted'\n", 1),
        (b"|\n  block text\n", 1),
    ],
)
def test_list_or_scalar_at_top_level(data: bytes, line: int) -> None:
    one(refused(data), "must be a set of 'field: value' lines at the top level", line, 1)


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"title: a\n---\ntitle: b\n", 2),
        (b"---\ntitle: a\n---\ntitle: b\n", 3),
        (b"---\ntitle: a\n...\n---\ntitle: b\n", 4),
        (b"title: a\n--- \n", 2),
    ],
)
def test_two_documents(data: bytes, line: int) -> None:
    one(refused(data), "holds a second YAML document", line, 1)


def test_one_document_with_explicit_markers_is_fine() -> None:
    assert plain(accepted(b"%YAML 1.1\n---\ntitle: a\n...\n")) == {"title": "a"}


# --- every scalar stays as typed ------------------------------------------------------------------


AS_TYPED = [
    "NO",
    "no",
    "Yes",
    "off",
    "1.10",
    "01234",
    "0o17",
    "0x1F",
    "0b101",
    "1_000",
    "1e3",
    ".inf",
    "-.inf",
    ".NaN",
    "2024-02-30",
    "2024-13-45",
    "2026-03-31",
    "2026-03-31T10:00:00Z",
    "12:30:00",
    "~",
    "null",
    "Null",
    "true",
    "False",
    "=",
    "9" * 5000,
    "-" + "1" * 5000,
    "1." + "0" * 5000,
]


@pytest.mark.parametrize("typed", AS_TYPED, ids=[t if len(t) < 20 else f"{len(t)}-char number" for t in AS_TYPED])
def test_scalars_stay_strings_as_typed(typed: str) -> None:
    tree = accepted(f"value: {typed}\nlist:\n  - {typed}\nflow: [{typed}, {{k: {typed}}}]\n".encode())
    assert plain(tree) == {"value": typed, "list": [typed], "flow": [typed, {"k": typed}]}
    assert tree.items["value"] == Scalar(typed, 1, 8)


@pytest.mark.parametrize("typed", [t for t in AS_TYPED if len(t) < 1000])
def test_keys_stay_strings_as_typed(typed: str) -> None:
    assert plain(accepted(f"{typed}: key\n".encode())) == {typed: "key"}


def test_key_longer_than_yaml_allows_is_a_problem() -> None:
    """YAML limits a plain key to 1024 characters; the parser's refusal comes back as a Problem."""
    one(refused(b"9" * 5000 + b": key\n"), "invalid YAML", 1, 5001)


def test_pyyaml_itself_would_raise_on_these() -> None:
    """Guard for the test above: plain safe_load really does raise, so the loader really avoids it."""
    for bad in ("value: 2024-02-30\n", f"value: {'9' * 5000}\n"):
        with pytest.raises(ValueError):
            yaml.safe_load(bad)


def test_empty_value_is_an_empty_string() -> None:
    tree = accepted(b"title:\nsummary: ''\n")
    assert plain(tree) == {"title": "", "summary": ""}


def test_quoted_and_block_scalars_keep_their_text() -> None:
    tree = accepted(b"a: '01234'\nb: \"1.10\"\nc: >-\n  NO\n  YES\nd: |\n  ~\n")
    assert plain(tree) == {"a": "01234", "b": "1.10", "c": "NO YES", "d": "~\n"}


def test_positions_of_keys_and_values() -> None:
    tree = accepted(b"title: a\nevidence:\n  level: promising\nthemes:\n  - x\n  - y\n")
    assert tree.keys["evidence"] == Scalar("evidence", 2, 1)
    evidence = tree.items["evidence"]
    assert isinstance(evidence, Mapping)
    assert evidence.items["level"] == Scalar("promising", 3, 10)
    themes = tree.items["themes"]
    assert isinstance(themes, Sequence)
    assert themes.items == (Scalar("x", 5, 5), Scalar("y", 6, 5))


# --- symbolic links and unreadable files ----------------------------------------------------------


def test_symlink_is_refused_and_never_followed(tmp_path: Path) -> None:
    target = tmp_path / "secret.yml"
    target.write_text("title: secret\n", encoding="utf-8")
    link = tmp_path / "link.yml"
    link.symlink_to(target)
    tree, problems = load_file(link, SHOWN)
    assert tree is None  # followed, it would load: the target is a valid file
    [problem] = problems
    assert problem.path == SHOWN
    assert "symbolic link" in problem.message
    assert "secret" not in problem.message


def test_broken_symlink_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "link.yml"
    link.symlink_to(tmp_path / "missing.yml")
    tree, problems = load_file(link, SHOWN)
    assert tree is None
    assert ["symbolic link" in p.message for p in problems] == [True]


def test_symlink_to_a_device_is_refused_without_reading(tmp_path: Path) -> None:
    """Followed, /dev/zero would read as "larger than the limit": the message shows it was not."""
    link = tmp_path / "zero.yml"
    link.symlink_to("/dev/zero")
    tree, problems = load_file(link, SHOWN)
    assert tree is None
    assert [p.message for p in problems if "symbolic link" in p.message] == [problems[0].message]
    assert len(problems) == 1


def test_missing_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    tree, problems = load_file(tmp_path / "gone.yml", SHOWN)
    assert tree is None
    assert "cannot be read" in problems[0].message


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    path = tmp_path / "locked.yml"
    path.write_text("title: x\n", encoding="utf-8")
    path.chmod(0)
    try:
        tree, problems = load_file(path, SHOWN)
    finally:
        path.chmod(0o600)
    assert tree is None
    assert "cannot be read" in problems[0].message


def test_load_file_reads_a_good_file(tmp_path: Path) -> None:
    path = tmp_path / "good.yml"
    path.write_bytes(codecs.BOM_UTF8 + VALID.replace(b"\n", b"\r\n"))
    tree, problems = load_file(path, SHOWN)
    assert problems == []
    assert tree == accepted(VALID)


def test_directory_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yml"
    folder.mkdir()
    tree, problems = load_file(folder, SHOWN)
    assert tree is None
    assert "cannot be read" in problems[0].message


@pytest.mark.parametrize("looked", [0, 5, 100, 10_000])
def test_read_up_to_reads_the_file_as_it_is_now(tmp_path: Path, looked: int) -> None:
    """The size the file had when looked at only sizes the first read: a file that grew or
    shrank since is read as it is, and never beyond the limit."""
    path = tmp_path / "changing.yml"
    path.write_bytes(bytes(range(256)) * 40)  # 10,240 bytes
    with path.open("rb", buffering=0) as handle:
        assert read_up_to(handle.fileno(), 20_000, looked) == path.read_bytes()
    with path.open("rb", buffering=0) as handle:
        assert read_up_to(handle.fileno(), 7_000, looked) == path.read_bytes()[:7_000]


def test_a_field_name_longer_than_yaml_allows_is_named_as_such() -> None:
    [problem] = refused(b"title: x\n" + b"k" * 1100 + b": v\n")
    assert (problem.line, problem.col) == (2, 1)
    assert "more than 1,024 characters before its ':'" in problem.message
    tree, problems = load_bytes(b"title: x\n" + b"k" * 1000 + b": v\n", "long.yml")
    assert problems == [] and tree is not None, "a long name YAML can read is left to the schema"
