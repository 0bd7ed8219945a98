"""AssetSelection: constructors, methods, operators and resolution.

Expected sets are what Dagster 1.13.29 resolves for the same graph (built there with @asset,
AssetSpec, @multi_asset and @asset_check, then ``selection.resolve(defs.resolve_asset_graph())``).
"""

from __future__ import annotations

import inspect
import pickle
import sys
import time

import pytest

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidDefinitionError, InvalidInvocationError, InvalidSubsetError
from headwater.selection.asset_selection import AssetSelection, InvalidAssetSelectionError
from headwater.specs.asset_graph import AssetGraph, AssetNodeSpec

from .graph import K, build_graph

S = AssetSelection

G = build_graph()
MATERIALIZABLE = ["a", "b", "c", "d", "e", "m1", "m2", "p/x", "p/y/z"]
A_CHECKS = ["a:a_fresh", "a:a_ok"]
ALL_CHECKS = ["a:a_fresh", "a:a_ok", "c:c_ok", "src:src_ok"]


class FakeAssetsDef:
    """Stands in for an AssetsDefinition: ``.keys`` and ``.check_keys`` are sets."""

    def __init__(self, *keys: str, check_keys: tuple[AssetCheckKey, ...] = ()) -> None:
        self.keys = {K(k) for k in keys}
        self.check_keys = set(check_keys)


class FakeSpec:
    """Stands in for an AssetSpec / SourceAsset: a single ``.key``."""

    def __init__(self, key: str) -> None:
        self.key = K(key)


def keys(selection: AssetSelection, graph: AssetGraph = G) -> list[str]:
    return sorted(k.to_user_string() for k in selection.resolve(graph))


def checks(selection: AssetSelection, graph: AssetGraph = G) -> list[str]:
    return sorted(k.to_user_string() for k in selection.resolve_checks(graph))


# (selection, assets, checks) as Dagster 1.13 resolves them on the same graph.
DAGSTER_CASES = [
    (S.all(), MATERIALIZABLE, ["a:a_fresh", "a:a_ok", "c:c_ok"]),
    (S.all(include_sources=True), [*MATERIALIZABLE, "src"], ALL_CHECKS),
    (S.all_asset_checks(), [], ALL_CHECKS),
    (S.assets("a", "p/x"), ["a", "p/x"], A_CHECKS),
    (S.assets(["p", "x"]), ["p/x"], []),
    (S.assets(K("src")), ["src"], ["src:src_ok"]),
    (S.key_prefixes("p"), ["p/x", "p/y/z"], []),
    (S.key_prefixes(["p", "y"]), ["p/y/z"], []),
    (S.groups("g1", "raw"), ["a", "b"], A_CHECKS),
    (S.groups("raw", include_sources=True), ["src"], ["src:src_ok"]),
    (S.tag("tier", "gold"), ["a"], A_CHECKS),
    (S.tag("tier", "gold", include_sources=True), ["a", "src"], [*A_CHECKS, "src:src_ok"]),
    (S.tag_string("pii"), ["a"], A_CHECKS),
    (S.tag_string("tier=silver"), ["c"], ["c:c_ok"]),
    (S.owner("team:data"), ["c", "src"], ["c:c_ok", "src:src_ok"]),
    (S.kind("python"), ["a", "b"], A_CHECKS),
    (S.kind("s3"), [], []),
    (S.kind("s3", include_sources=True), ["src"], ["src:src_ok"]),
    (S.checks_for_assets("a"), [], A_CHECKS),
    (S.checks_for_assets("a", "src"), [], [*A_CHECKS, "src:src_ok"]),
    (S.checks(AssetCheckKey(K("a"), "a_ok")), [], ["a:a_ok"]),
    (S.assets("c").upstream(), ["a", "b", "c"], [*A_CHECKS, "c:c_ok"]),
    (S.assets("c").upstream(1), ["b", "c"], ["c:c_ok"]),
    (S.assets("c").upstream(include_self=False), ["a", "b"], A_CHECKS),
    (S.assets("src").upstream(), [], []),
    (S.assets("src").downstream(), ["a", "b", "c", "d", "p/x", "p/y/z", "src"], ALL_CHECKS),
    (S.assets("a").downstream(1), ["a", "b", "d"], A_CHECKS),
    (S.assets("a").downstream(include_self=False), ["b", "c", "d", "p/x", "p/y/z"], ["c:c_ok"]),
    (S.assets("a").downstream(0), ["a"], A_CHECKS),
    (S.all().sinks(), ["m1", "m2", "p/y/z"], []),
    (S.all().roots(), ["a", "e"], A_CHECKS),
    (S.all(include_sources=True).roots(), ["e", "src"], ["src:src_ok"]),
    (S.assets("a", "c", "p/x").roots(), ["a"], A_CHECKS),
    (S.assets("a", "c", "p/x").sinks(), ["p/x"], []),
    (S.assets("b", "d").roots(), ["b", "d"], []),
    (S.assets("m1").required_multi_asset_neighbors(), ["m1", "m2"], []),
    (S.all(include_sources=True).materializable(), MATERIALIZABLE, ["a:a_fresh", "a:a_ok", "c:c_ok"]),
    (S.assets("a").without_checks(), ["a"], []),
    (S.groups("g1") | S.assets("c"), ["a", "b", "c"], [*A_CHECKS, "c:c_ok"]),
    (S.groups("g1") & S.assets("a"), ["a"], A_CHECKS),
    (S.all() - S.groups("g1"), ["c", "d", "e", "m1", "m2", "p/x", "p/y/z"], ["c:c_ok"]),
    (S.assets("a") | S.checks_for_assets("c"), ["a"], [*A_CHECKS, "c:c_ok"]),
    (S.assets("a") & S.checks_for_assets("a"), [], A_CHECKS),
    (S.assets("a", "b") - S.all_asset_checks(), ["a", "b"], []),
    (S.assets("c").upstream_source_assets(), ["src"], ["src:src_ok"]),
    ((S.assets("a") | S.assets("b", "c")).upstream(2, include_self=False), [], []),
    (S.all() - (S.assets("a") | S.groups("g1", "g2")), ["e", "m1", "m2", "p/x", "p/y/z"], []),
    ((S.assets("a") | S.assets("b")) & S.assets("c"), [], []),
]


@pytest.mark.parametrize(("selection", "expected_keys", "expected_checks"), DAGSTER_CASES, ids=repr)
def test_resolves_like_dagster(
    selection: AssetSelection, expected_keys: list[str], expected_checks: list[str]
) -> None:
    assert keys(selection) == expected_keys
    assert checks(selection) == sorted(expected_checks)
    both = selection.resolve_assets_and_checks(G)
    assert (sorted(k.to_user_string() for k in both[0]), sorted(k.to_user_string() for k in both[1])) == (
        expected_keys,
        sorted(expected_checks),
    )


def test_upstream_walks_through_external_assets_but_keeps_only_materializable() -> None:
    # x0 (external) -> x1 -> mid (external) -> x2; Dagster's answers on the same graph.
    graph = AssetGraph(
        [
            AssetNodeSpec(K("x0"), is_materializable=False),
            AssetNodeSpec(K("x1"), deps=(K("x0"),)),
            AssetNodeSpec(K("mid"), deps=(K("x1"),), is_materializable=False),
            AssetNodeSpec(K("x2"), deps=(K("mid"),)),
        ]
    )
    assert keys(S.assets("x2").upstream(), graph) == ["x1", "x2"]
    assert keys(S.assets("x2").upstream(1), graph) == ["x2"]
    assert keys(S.assets("x2").upstream(2), graph) == ["x1", "x2"]
    assert keys(S.assets("x0").downstream(), graph) == ["mid", "x0", "x1", "x2"]
    assert keys(S.assets("x1", "x2").roots(), graph) == ["x1"]
    assert keys(S.assets("x1", "x2").sinks(), graph) == ["x2"]
    assert keys(S.assets("x2").upstream_source_assets(), graph) == ["mid", "x0"]


def test_upstream_ignores_deps_missing_from_the_graph() -> None:
    graph = AssetGraph([AssetNodeSpec(K("a"), deps=(K("elsewhere"),))])
    assert keys(S.assets("a").upstream(), graph) == ["a"]
    assert keys(S.assets("a").roots(), graph) == ["a"]


# -- arguments ---------------------------------------------------------------------------------------


def test_assets_accepts_keys_strings_lists_and_definitions() -> None:
    selection = S.assets(
        K("a"), "b", "p/x", ["p", "y", "z"], ("c",), FakeAssetsDef("m1", "m2"), FakeSpec("src")
    )
    assert keys(selection) == ["a", "b", "c", "m1", "m2", "p/x", "p/y/z", "src"]
    assert S.assets("a", "a", K("a")) == S.assets("a")


def test_strings_are_user_strings_in_assets_and_keys() -> None:
    assert S.assets("p/x").resolve(G) == {AssetKey(["p", "x"])}
    with pytest.warns(DeprecationWarning, match="use AssetSelection.assets"):
        assert S.keys("p/x") == S.assets("p/x")


def test_key_prefix_strings_are_single_parts() -> None:
    assert S.key_prefixes("p/y").resolve(G) == set()
    assert keys(S.key_prefixes("src", include_sources=True)) == ["src"]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: S.assets(42), "takes AssetKeys, strings such as 'a/b'"),
        (lambda: S.assets([1, 2]), "takes AssetKeys"),
        (lambda: S.groups("g1", 3), "AssetSelection.groups() takes strings"),
        (lambda: S.tag("k", None), "AssetSelection.tag() takes strings"),
        (lambda: S.tag_string("a=b=c"), "Invalid tag selection string 'a=b=c'"),
        (lambda: S.key_prefixes([]), "non-empty lists of strings"),
        (lambda: S.checks("a:a_ok"), "takes AssetCheckKeys"),
        (lambda: S.all().upstream(-1), "depth must be None"),
        (lambda: S.all().downstream(1.5), "depth must be None"),
        (lambda: S.all(include_sources="yes"), "include_sources must be True or False"),
        (lambda: S.from_coercible(42), "got 42 (int)"),
        (lambda: S.from_coercible([]), "non-empty sequence"),
    ],
)
def test_bad_arguments_say_what_is_accepted(build: object, message: str) -> None:
    with pytest.raises(InvalidDefinitionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build()  # type: ignore[operator]


def test_checks_accepts_check_keys_and_definitions() -> None:
    a_ok = AssetCheckKey(K("a"), "a_ok")
    c_ok = AssetCheckKey(K("c"), "c_ok")
    assert checks(S.checks(FakeAssetsDef(check_keys=(a_ok,)), c_ok)) == ["a:a_ok", "c:c_ok"]


def test_from_coercible() -> None:
    assert S.from_coercible("key:a") == S.from_string("key:a")
    assert keys(S.from_coercible(["a", "key:c+"])) == ["a", "c", "p/x", "p/y/z"]
    assert S.from_coercible([K("a"), K("b")]) == S.assets("a", "b")
    assert keys(S.from_coercible([FakeAssetsDef("m1", "m2"), FakeSpec("e")])) == ["e", "m1", "m2"]
    selection = S.groups("g1")
    assert S.from_coercible(selection) is selection


# -- missing keys ------------------------------------------------------------------------------------


def test_unknown_keys_raise_with_suggestions() -> None:
    with pytest.raises(InvalidSubsetError) as caught:
        S.assets("p/xx", "bb", "zzz").resolve(G)
    message = str(caught.value)
    assert message.startswith(
        "AssetKey(s) ['bb', 'p/xx', 'zzz'] were selected, but no asset definitions supply"
    )
    assert "For selected asset 'p/xx', did you mean 'p/x'?" in message
    assert "For selected asset 'bb', did you mean 'b'?" in message
    assert "'zzz'," not in message.split("\n\n", 1)[1]  # no suggestion without a close name


def test_unknown_key_suggests_same_name_under_another_prefix() -> None:
    with pytest.raises(InvalidSubsetError, match=r"For selected asset 'x', did you mean 'p/x'\?"):
        S.assets("x").resolve(G)


def test_unknown_keys_raise_through_operators_and_in_resolve_checks() -> None:
    selection = (S.groups("g1") | S.assets("nope")).upstream()
    with pytest.raises(InvalidSubsetError):
        selection.resolve(G)
    with pytest.raises(InvalidSubsetError):
        selection.resolve_checks(G)


def test_allow_missing_drops_unknown_keys() -> None:
    selection = S.assets("a", "nope")
    assert selection.resolve(G, allow_missing=True) == {K("a")}
    assert sorted(c.to_user_string() for c in selection.resolve_checks(G, allow_missing=True)) == A_CHECKS


def test_unknown_check_keys_raise_unless_allow_missing() -> None:
    selection = S.checks(AssetCheckKey(K("a"), "nope"), AssetCheckKey(K("c"), "c_ok"))
    with pytest.raises(InvalidSubsetError, match=r"AssetCheckKey\(s\) \['a:nope'\] were selected"):
        selection.resolve_checks(G)
    assert selection.resolve_checks(G, allow_missing=True) == {AssetCheckKey(K("c"), "c_ok")}
    assert selection.resolve(G) == set()


def test_resolve_takes_an_asset_graph() -> None:
    with pytest.raises(InvalidInvocationError, match="takes an AssetGraph"):
        S.all().resolve([])  # type: ignore[arg-type]


# -- text, equality, immutability ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("selection", "text"),
    [  # Dagster 1.13 prints the same strings for these
        (S.all(), "*"),
        (S.assets("a", "p/x"), 'key:"a" or key:"p/x"'),
        (S.groups("g1", "raw"), 'group:"g1" or group:"raw"'),
        (S.groups(), "group:<null>"),
        (S.tag("tier", "gold"), 'tag:"tier"="gold"'),
        (S.tag_string("pii"), 'tag:"pii"'),
        (S.owner("team:data"), 'owner:"team:data"'),
        (S.owner(None), "owner:<null>"),
        (S.kind(None), "kind:<null>"),
        (S.assets("c").upstream(), '+key:"c"'),
        (S.assets("c").upstream(1), '1+key:"c"'),
        (S.assets("c").upstream(include_self=False), '+key:"c" and not key:"c"'),
        (S.assets("a").downstream(1), 'key:"a"+1'),
        (S.assets("a").downstream(0), 'key:"a"'),
        (S.assets("a").downstream(2, include_self=False), 'key:"a"+2 and not key:"a"'),
        (S.all().sinks(), "sinks(*)"),
        (S.assets("a", "c").roots(), 'roots(key:"a" or key:"c")'),
        (S.groups("g1") | S.assets("c"), 'group:"g1" or key:"c"'),
        (S.all() - S.groups("g1"), 'not group:"g1"'),
        (S.assets("a") | S.assets("b") | S.assets("c"), 'key:"a" or key:"b" or key:"c"'),
        ((S.assets("a") | S.assets("b")) & S.assets("c"), '(key:"a" or key:"b") and key:"c"'),
        (S.assets("a") - (S.assets("b") - S.assets("c")), 'key:"a" and not (key:"b" and not key:"c")'),
        (S.assets("a").sinks().upstream(), '+sinks(key:"a")'),
        # Dagster prints these without the parentheses, which do not parse back as meant:
        (S.all() - (S.assets("a") | S.assets("b")), 'not (key:"a" or key:"b")'),
        (S.assets("a").upstream().upstream(), '+(+key:"a")'),
        (S.all().upstream(), "+(*)"),
        (S.assets("a").upstream(include_self=False) | S.assets("b"), '(+key:"a" and not key:"a") or key:"b"'),
    ],
)
def test_str_is_the_selection_string(selection: AssetSelection, text: str) -> None:
    assert str(selection) == text
    assert selection.to_selection_str() == text
    # the string parses back to a selection with the same assets
    assert S.from_string(text).resolve(G) == selection.resolve(G)


@pytest.mark.parametrize(
    ("selection", "text"),
    [
        (S.key_prefixes("p", ["q", "r"]), "AssetSelection.key_prefixes('p', ['q', 'r'])"),
        (S.all_asset_checks(), "AssetSelection.all_asset_checks()"),
        (S.assets("a").without_checks(), "AssetSelection.assets('a') - AssetSelection.all_asset_checks()"),
        (
            S.assets("m1").required_multi_asset_neighbors(),
            "AssetSelection.assets('m1').required_multi_asset_neighbors()",
        ),
        (
            (S.assets("a") | S.checks_for_assets("c")).upstream(2),
            "(AssetSelection.assets('a') | AssetSelection.checks_for_assets('c')).upstream(2)",
        ),
        (
            S.all(include_sources=True).materializable(),
            "AssetSelection.all(include_sources=True).materializable()",
        ),
        (S.assets(AssetKey(["a/b"])), "AssetSelection.assets(AssetKey(['a/b']))"),
    ],
)
def test_str_falls_back_to_python_when_the_syntax_cannot_say_it(selection: AssetSelection, text: str) -> None:
    assert str(selection) == text
    with pytest.raises(InvalidInvocationError, match="has no selection-string form"):
        selection.to_selection_str()


def test_repr_is_a_python_expression_that_rebuilds_the_selection() -> None:
    selection = (S.groups("g1", include_sources=True) | S.tag("k", "v")).upstream(
        2, include_self=False
    ) - S.assets("a").sinks()
    text = repr(selection)
    assert text == (
        "(AssetSelection.groups('g1', include_sources=True) | AssetSelection.tag('k', 'v'))"
        ".upstream(2, include_self=False) - AssetSelection.assets('a').sinks()"
    )
    assert eval(text, {"AssetSelection": AssetSelection, "AssetKey": AssetKey}) == selection


def test_equality_and_hashing() -> None:
    assert S.assets("a") == S.assets("a")
    assert S.assets("a") != S.assets("b")
    assert (S.assets("a") | S.assets("b")) == (S.assets("a") | S.assets("b"))
    assert S.all().sinks() != S.all().roots()
    assert S.all() != S.all(include_sources=True)
    assert S.assets("c").upstream(1) != S.assets("c").upstream(2)
    assert len({S.assets("a") | S.groups("g1"), S.assets("a") | S.groups("g1"), S.all()}) == 2
    assert (S.assets("a") | S.assets("b")) | S.assets("c") == S.assets("a") | (S.assets("b") | S.assets("c"))


def test_immutable_and_picklable() -> None:
    selection = S.groups("g1").upstream(2) - S.assets("a")
    with pytest.raises(AttributeError, match="immutable"):
        selection.foo = 1  # type: ignore[attr-defined]
    copy = pickle.loads(pickle.dumps(selection))
    assert copy == selection and copy.resolve(G) == selection.resolve(G)


def test_operators_reject_other_types() -> None:
    with pytest.raises(TypeError):
        S.all() | "key:a"  # type: ignore[operator]


def test_sources_is_a_deprecated_alias_of_roots() -> None:
    with pytest.warns(DeprecationWarning):
        assert S.all().sources() == S.all().roots()


def test_invalid_selection_error_is_exported() -> None:
    with pytest.raises(InvalidAssetSelectionError):
        S.from_string("key:a or")


# -- performance: set operations over adjacency built once, no recursion per asset ---------------------


def _chain(n: int) -> AssetGraph:
    keys_ = [AssetKey(f"a{i}") for i in range(n)]
    return AssetGraph(AssetNodeSpec(k, deps=(keys_[i - 1],) if i else ()) for i, k in enumerate(keys_))


def test_resolving_a_5000_asset_chain_is_fast_and_does_not_recurse() -> None:
    n = 5000
    graph = _chain(n)
    selections = [
        S.assets(f"a{n - 1}").upstream(),
        S.assets("a0").downstream(),
        S.all().roots(),
        S.all().sinks(),
        S.from_string(f"+key:a{n - 1} and not roots(*)"),
    ]
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 100)  # recursion per asset would fail
    try:
        started = time.perf_counter()
        results = [s.resolve(graph) for s in selections]
        elapsed = time.perf_counter() - started
    finally:
        sys.setrecursionlimit(limit)
    assert [len(r) for r in results] == [n, n, 1, 1, n - 1]
    assert results[2] == {K("a0")} and results[3] == {K(f"a{n - 1}")}
    assert elapsed < 0.5, f"{len(selections)} resolutions took {elapsed:.3f}s"


def test_a_wide_union_resolves_in_linear_time() -> None:
    graph = _chain(5000)
    selection = S.assets(*(f"a{i}" for i in range(0, 5000, 2))).downstream(1)
    started = time.perf_counter()
    assert len(selection.resolve(graph)) == 5000
    assert time.perf_counter() - started < 0.5
