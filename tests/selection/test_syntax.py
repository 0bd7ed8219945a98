"""AssetSelection.from_string: Dagster's selection syntax, its older clause form, and its errors.

Expected sets are what Dagster 1.13.29's ``AssetSelection.from_string(text).resolve(graph)`` gives
for the same graph (see test_asset_selection.py for how it was built there).
"""

from __future__ import annotations

import pytest

from headwater.errors import InvalidSubsetError
from headwater.selection.asset_selection import AssetSelection
from headwater.selection.lexer import InvalidAssetSelectionError, tokenize
from headwater.selection.syntax import parse_clause, parse_selection
from headwater.specs.asset_graph import AssetGraph, AssetNodeSpec

from .graph import K, build_graph

S = AssetSelection

G = build_graph()
ALL = ["a", "b", "c", "d", "e", "m1", "m2", "p/x", "p/y/z"]
A_CHECKS = ["a:a_fresh", "a:a_ok"]


def resolved(text: str, include_sources: bool = False) -> tuple[list[str], list[str]]:
    selection = S.from_string(text, include_sources=include_sources)
    assets, checks = selection.resolve_assets_and_checks(G)
    return sorted(k.to_user_string() for k in assets), sorted(k.to_user_string() for k in checks)


# (text, assets, checks) as Dagster 1.13 resolves them.
DAGSTER_CASES = [
    ("*", ALL, [*A_CHECKS, "c:c_ok"]),
    ("key:a", ["a"], A_CHECKS),
    ('key:"p/x"', ["p/x"], []),
    ("key:p/x", ["p/x"], []),
    ('key:"p/*"', ["p/x", "p/y/z"], []),
    ("key:p*", ["p/x", "p/y/z"], []),
    ("key:*x*", ["p/x"], []),
    ("key:*/*", ["p/x", "p/y/z"], []),
    ("key:src", ["src"], ["src:src_ok"]),  # key: matches external assets too
    ("key:zz", [], []),  # ... and unknown keys match nothing, without an error
    ('key:"a b"', [], []),
    ('key:"A"', [], []),
    ("group:g1", ["a", "b"], A_CHECKS),
    ('group:"g*"', ALL, [*A_CHECKS, "c:c_ok"]),
    ('group:"*1"', ["a", "b"], A_CHECKS),
    ("group:raw", [], []),
    ("group:<null>", [], []),
    ("tag:tier", [], []),  # tag:k matches only an empty value
    ("tag:pii", ["a"], A_CHECKS),
    ("tag:tier=gold", ["a"], A_CHECKS),
    ('tag:"tier"="silver"', ["c"], ["c:c_ok"]),
    ('tag:pii=""', ["a"], A_CHECKS),
    ('owner:"team:data"', ["c", "src"], ["c:c_ok", "src:src_ok"]),
    ('owner:"alice@x.com"', ["a"], A_CHECKS),
    ("owner:<null>", [], []),
    ("kind:python", ["a", "b"], A_CHECKS),
    ("kind:s3", [], []),
    ("kind:<null>", ["c", "d", "e", "m1", "m2", "p/x", "p/y/z"], ["c:c_ok"]),
    ("is:external", ["src"], ["src:src_ok"]),
    ("is:materializable", ALL, [*A_CHECKS, "c:c_ok"]),
    ("+key:c", ["a", "b", "c"], [*A_CHECKS, "c:c_ok"]),
    ("1+key:c", ["b", "c"], ["c:c_ok"]),
    ('2+key:"p/x"', ["b", "c", "p/x"], ["c:c_ok"]),
    ('2+key:"p/y/z"', ["a", "c", "d", "p/x", "p/y/z"], [*A_CHECKS, "c:c_ok"]),
    ("2 + key:a", ["a"], A_CHECKS),
    ("key:a+", ["a", "b", "c", "d", "p/x", "p/y/z"], [*A_CHECKS, "c:c_ok"]),
    ("key:a+1", ["a", "b", "d"], A_CHECKS),
    ("key:a + 2", ["a", "b", "c", "d", "p/y/z"], [*A_CHECKS, "c:c_ok"]),
    ("key:a+0", ["a"], A_CHECKS),
    ("0+key:c", ["c"], ["c:c_ok"]),
    ("1+key:b+1", ["a", "b", "c"], [*A_CHECKS, "c:c_ok"]),
    ("+key:c+", ["a", "b", "c", "p/x", "p/y/z"], [*A_CHECKS, "c:c_ok"]),
    ("key:src+1", ["a", "src"], [*A_CHECKS, "src:src_ok"]),
    ("key:src+", ["a", "b", "c", "d", "p/x", "p/y/z", "src"], [*A_CHECKS, "c:c_ok", "src:src_ok"]),
    ("+key:m1", ["e", "m1"], []),
    ("key:e+", ["e", "m1", "m2"], []),
    ("+group:g3", ALL, [*A_CHECKS, "c:c_ok"]),
    ("+(key:c or key:d)", ["a", "b", "c", "d"], [*A_CHECKS, "c:c_ok"]),
    ("2+(key:c or key:d)+1", ["a", "b", "c", "d", "p/x", "p/y/z"], [*A_CHECKS, "c:c_ok"]),
    ("(key:a or key:e)+1", ["a", "b", "d", "e", "m1", "m2"], A_CHECKS),
    ("+(*)", ALL, [*A_CHECKS, "c:c_ok"]),
    ("(*)", ALL, [*A_CHECKS, "c:c_ok"]),
    ("sinks(*)", ["m1", "m2", "p/y/z"], []),
    ("roots(*)", ["a", "e"], A_CHECKS),
    ("sinks(group:g1)", ["b"], []),
    ("roots(key:c or key:a)", ["a"], A_CHECKS),
    ("roots(group:g3)", ["e", "p/x"], []),
    ("sinks(group:g1 or group:g2)", ["c", "d"], ["c:c_ok"]),
    ("+sinks(key:a or key:b)", ["a", "b"], A_CHECKS),
    ("+sinks(group:g1)", ["a", "b"], A_CHECKS),
    ("roots(+key:c)", ["a"], A_CHECKS),
    ("roots(key:a+)", ["a"], A_CHECKS),
    ('sinks(+key:"p/y/z")', ["p/y/z"], []),
    ("sinks(key:a)+", ["a", "b", "c", "d", "p/x", "p/y/z"], [*A_CHECKS, "c:c_ok"]),
    ("sinks(*) or roots(*)", ["a", "e", "m1", "m2", "p/y/z"], A_CHECKS),
    ("group:g3 and not roots(group:g3)", ["m1", "m2", "p/y/z"], []),
    ("key:a or key:b", ["a", "b"], A_CHECKS),
    ("key:a and key:b", [], []),
    ("key:a AND key:b", [], []),
    ("not key:a", ["b", "c", "d", "e", "m1", "m2", "p/x", "p/y/z"], ["c:c_ok"]),
    ("not not key:a", ["a"], A_CHECKS),
    ("not key:a and not key:b", ["c", "d", "e", "m1", "m2", "p/x", "p/y/z"], ["c:c_ok"]),
    ("key:a or key:b and key:c", ["a"], A_CHECKS),  # and binds tighter than or
    (
        "not key:a or key:b",
        ["b", "c", "d", "e", "m1", "m2", "p/x", "p/y/z"],
        ["c:c_ok"],
    ),  # not binds tightest
    ("NOT key:a AND group:g1", ["b"], []),
    ("not key:a+", ["e", "m1", "m2"], []),  # ... but looser than a traversal
    ("(key:a or key:b) and group:g1", ["a", "b"], A_CHECKS),
    ("not (key:a or key:b or key:c)", ["d", "e", "m1", "m2", "p/x", "p/y/z"], []),
    ("not *", [], []),
    ("* and not group:g1", ["c", "d", "e", "m1", "m2", "p/x", "p/y/z"], ["c:c_ok"]),
    ('key:"p/*" and not key:"p/y/*"', ["p/x"], []),
    ("key:a+ and key:c+", ["c", "p/x", "p/y/z"], ["c:c_ok"]),
    ("1+key:c+1", ["b", "c", "p/x"], ["c:c_ok"]),
    ('owner:"team:data" or kind:snowflake', ["b", "c", "src"], ["c:c_ok", "src:src_ok"]),
    ("tag:tier=gold and is:materializable", ["a"], A_CHECKS),
    ("kind:<null> and group:g3", ["e", "m1", "m2", "p/x", "p/y/z"], []),
    ("key : a", ["a"], A_CHECKS),
    ("( key:a )", ["a"], A_CHECKS),
    ("group:sensor", [], []),  # keywords of the grammar are fine as values
    # the older clause form, tried when the text is not in the grammar
    ("a", ["a"], A_CHECKS),
    ("p/x", ["p/x"], []),
    ("src", ["src"], ["src:src_ok"]),
    ("*a", ["a"], A_CHECKS),
    ("a*", ["a", "b", "c", "d", "p/x", "p/y/z"], [*A_CHECKS, "c:c_ok"]),
    ("+c", ["b", "c"], ["c:c_ok"]),  # one level, unlike +key:c
    ("++c", ["a", "b", "c"], [*A_CHECKS, "c:c_ok"]),
    ("c+", ["c", "p/x"], ["c:c_ok"]),
    ("a+", ["a", "b", "d"], A_CHECKS),
    ("*c*", ["a", "b", "c", "p/x", "p/y/z"], [*A_CHECKS, "c:c_ok"]),
    ("tag:tier=", [], []),
]


@pytest.mark.parametrize(("text", "expected_assets", "expected_checks"), DAGSTER_CASES, ids=repr)
def test_resolves_like_dagster(text: str, expected_assets: list[str], expected_checks: list[str]) -> None:
    assert resolved(text) == (expected_assets, sorted(expected_checks))


@pytest.mark.parametrize(
    ("text", "expected_assets"),
    [  # Dagster 1.13 with from_string(text, include_sources=True)
        ("*", [*ALL, "src"]),
        ("not key:a", ["b", "c", "d", "e", "m1", "m2", "p/x", "p/y/z", "src"]),
        ("tag:tier=gold", ["a", "src"]),
        ("group:raw", ["src"]),
        ("kind:s3", ["src"]),
        ("not group:g1 and not group:g2", ["e", "m1", "m2", "p/x", "p/y/z", "src"]),
    ],
)
def test_include_sources(text: str, expected_assets: list[str]) -> None:
    assert resolved(text, include_sources=True)[0] == expected_assets


def test_clause_form_keys_are_strict_like_assets() -> None:
    with pytest.raises(InvalidSubsetError, match=r"(?s)AssetKey\(s\) \['p/xx'\].*did you mean 'p/x'"):
        S.from_string("p/xx").resolve(G)
    with pytest.raises(InvalidSubsetError, match=r"\['zz'\]"):
        S.from_string("zz+").resolve(G)


def test_clause_form_builds_the_same_selections_as_the_methods() -> None:
    assert S.from_string("a") == S.assets("a")
    assert S.from_string(" *t2") == S.assets("t2").upstream()
    assert S.from_string("++a/b") == S.assets("a/b").upstream(2)
    assert S.from_string("*c*") == S.assets("c").upstream() | S.assets("c").downstream()
    assert S.from_string("a-b.c") == S.assets(["a-b.c"])
    assert parse_clause("a b") is None
    assert parse_clause("2+c") is None


def test_legacy_tag_form_takes_characters_the_grammar_does_not() -> None:
    graph = AssetGraph(
        [AssetNodeSpec(K("t1"), tags={"team": "data-eng"}), AssetNodeSpec(K("t2"), tags={"team": "data"})]
    )
    # Dagster 1.13: tag:team=data-eng -> t1, tag:team=data -> t2
    assert S.from_string("tag:team=data-eng").resolve(graph) == {K("t1")}
    assert S.from_string("tag:team=data").resolve(graph) == {K("t2")}
    # unlike Dagster, a broken expression is not swallowed as one odd tag key
    with pytest.raises(InvalidAssetSelectionError):
        S.from_string("tag:team=data or")


def test_parsed_selections_equal_the_built_ones() -> None:
    assert S.from_string("*") == S.all()
    assert S.from_string("group:g1") == S.groups("g1")
    assert S.from_string("tag:k=v") == S.tag("k", "v")
    assert S.from_string("owner:x or kind:y") == S.owner("x") | S.kind("y")
    assert S.from_string("+group:g1+2") == S.groups("g1").upstream() | S.groups("g1").downstream(2)
    assert S.from_string("not group:g1") == S.all() - S.groups("g1")
    assert S.from_string("roots(group:a and group:b)") == (S.groups("a") & S.groups("b")).roots()
    assert S.from_string("group:a or (group:b or group:c)") == S.groups("a") | S.groups("b") | S.groups("c")


@pytest.mark.parametrize(
    "text",
    [
        "key:a",
        '+key:"p/x" or group:g1+2',
        "not (key:a or key:b) and sinks(roots(*) or tag:k=v)",
        "not not key:a",
        "1+key:b+1",
        "+(*)",
        '(+key:"a" and not key:"b") or owner:<null>',
        "kind:<null> and group:<null>",
        'group:"g*" and is:external',
        'code_location:"loc" or status:<null>',
        'column_tag:"k"="v"',
    ],
)
def test_str_round_trips(text: str) -> None:
    selection = S.from_string(text)
    assert S.from_string(str(selection)) == selection


@pytest.mark.parametrize(
    ("text", "printed"),
    [  # Dagster 1.13 prints the same
        ("key:a", 'key:"a"'),
        ("key:a+1", 'key:"a"+1'),
        ("1+key:b+1", '1+key:"b" or key:"b"+1'),
        ("not key:a and not key:b", '(not key:"a") and (not key:"b")'),
        ("key:a or key:b and key:c", 'key:"a" or (key:"b" and key:"c")'),
        ("* and not group:g1", '* and (not group:"g1")'),
        ("tag:tier=", 'tag:"tier"'),
        ("a*", 'key:"a"+'),  # Dagster prints +9223372036854775807 for "all levels"
    ],
)
def test_printed_form(text: str, printed: str) -> None:
    assert str(S.from_string(text)) == printed


# -- attributes only the workspace can answer ------------------------------------------------------


@pytest.mark.parametrize("text", ["code_location:foo", "status:x", 'sensor:"s"', "job:j", "column_tag:k=v"])
def test_workspace_attributes_parse_but_do_not_resolve(text: str) -> None:
    selection = S.from_string(text)
    attribute = text.split(":")[0]
    with pytest.raises(InvalidSubsetError, match=f"'{attribute}:' filters on .* only the workspace knows"):
        selection.resolve(G)


# -- errors ------------------------------------------------------------------------------------------


def test_error_shows_text_position_and_expectation() -> None:
    with pytest.raises(InvalidAssetSelectionError) as caught:
        S.from_string("key:a or")
    error = caught.value
    assert (error.text, error.position) == ("key:a or", 8)
    assert error.expected is not None and error.expected.startswith("a selection such as key:name")
    assert str(error) == (
        "Invalid asset selection at column 9: expected a selection such as key:name, group:name, "
        "tag:key=value, owner:name, kind:name, sinks(...), '(' or '*', found the end of the selection\n"
        "    key:a or\n"
        "            ^"
    )


@pytest.mark.parametrize(
    ("text", "column", "says"),
    [
        ("", 1, "found the end of the selection"),
        ("key:", 5, 'expected a value: a name such as orders or a quoted string such as "a/b"'),
        ("key:*", 5, 'quote a lone wildcard, as in key:"*"'),
        ("(key:a", 7, "expected ')', found the end of the selection; to close the '(' at column 1"),
        ("key:a)", 6, "expected 'and', 'or' or the end of the selection, found ')'"),
        ("key:a key:b", 7, "found 'key'"),
        ("key:a or or key:b", 10, "'or' needs a selection on each side"),
        ("+*", 2, "write +(*) to traverse from everything"),
        ("*+", 2, "found '+'"),
        ("2+c", 3, "to select an asset by key, write key:c"),
        ("a or b", 1, "to select an asset by key, write key:a"),
        ("2 key:a", 3, "expected '+' after a traversal depth"),
        ("grop:x", 1, "unknown attribute 'grop' (did you mean 'group'?); the attributes are key, tag"),
        ("KEY:a", 1, "unknown attribute 'KEY' (did you mean 'key'?)"),
        ("sinks key:a", 1, "write sinks(...) with the selection in parentheses"),
        ("group g1", 1, "an attribute is written group:value"),
        ("leaves(*)", 1, "unknown function 'leaves'"),
        ("key:and", 5, 'quote it to use it as a name: "and"'),
        ("key:<null>", 5, "key:<null> is not supported"),
        ("key:9a", 5, "names start with a letter or _"),
        ("key:a-b", 6, "unexpected character '-'; quote values that contain it"),
        ('key:"open', 5, "this quoted string is not closed"),
        ('key:"a\\b"', 5, "quoted strings cannot contain backslashes or line breaks"),
        ("is:big", 4, "expected 'external' or 'materializable' after is:"),
        ("tag:<null> or key:a", 5, "tag:<null> is not supported"),
        ("owner:team:data", 11, "found ':'"),
    ],
)
def test_errors(text: str, column: int, says: str) -> None:
    with pytest.raises(InvalidAssetSelectionError) as caught:
        S.from_string(text)
    message = str(caught.value)
    assert f"column {column}:" in message
    assert says in message
    _, shown, caret = message.split("\n")
    assert shown == "    " + text
    assert caret == "    " + " " * (column - 1) + "^"


def test_error_in_a_multi_line_selection_shows_that_line() -> None:
    with pytest.raises(InvalidAssetSelectionError) as caught:
        S.from_string("key:a and\n  (group:g1 or\n   tag:x=)")
    assert str(caught.value).split("\n")[1:] == ["       tag:x=)", "             ^"]
    assert "at line 3, column 10:" in str(caught.value)


def test_error_in_a_long_selection_shows_a_window_around_the_problem() -> None:
    text = " or ".join(f"key:a{i}" for i in range(100)) + " or or key:b"
    with pytest.raises(InvalidAssetSelectionError) as caught:
        S.from_string(text)
    _, shown, caret = str(caught.value).split("\n")
    assert len(shown) < 120 and shown.startswith("    ...")
    assert shown[caret.index("^") :].startswith("or key:b")


def test_nesting_is_limited_instead_of_overflowing_the_stack() -> None:
    assert S.from_string("(" * 99 + "key:a" + ")" * 99) == S.from_string("key:a")
    with pytest.raises(InvalidAssetSelectionError, match="parentheses nest more than 100 deep"):
        S.from_string("(" * 101 + "key:a" + ")" * 101)


def test_a_long_or_chain_parses_flat_and_fast() -> None:
    selection = S.from_string(" or ".join(f"key:a{i}" for i in range(5000)))
    assert len(selection.node.operands) == 5000  # type: ignore[attr-defined]


# -- tokenizer ---------------------------------------------------------------------------------------


def test_tokenizer_longest_match_and_keywords() -> None:
    kinds = [(t.kind, t.text) for t in tokenize('2+key:a* and NOT group:"g 1" or* <null> And')]
    assert kinds == [
        ("DIGITS", "2"),
        ("+", "+"),
        ("WORD", "key"),
        (":", ":"),
        ("WILDCARD", "a*"),
        ("AND", "and"),
        ("NOT", "NOT"),
        ("WORD", "group"),
        (":", ":"),
        ("QUOTED", "g 1"),
        ("WILDCARD", "or*"),
        ("NULL", "<null>"),
        ("WORD", "And"),
        ("EOF", ""),
    ]
    assert [t.kind for t in tokenize("*")] == ["*", "EOF"]
    assert [t.kind for t in tokenize("**")] == ["WILDCARD", "EOF"]
    assert [(t.kind, t.start) for t in tokenize(" 9a")] == [("DIGITS", 1), ("WORD", 2), ("EOF", 3)]


def test_parse_selection_returns_the_node_tree() -> None:
    assert parse_selection("key:a or group:g1") == S.from_string("key:a or group:g1").node
