"""Templates in component YAML: env, template vars, the allowed expression forms, errors."""

from __future__ import annotations

from typing import Any

import pytest

from headwater.definitions.components.templates import EnvScope, TemplateError, render


def scope(**more: Any) -> dict[str, Any]:
    return {"env": EnvScope(), **more}


def test_env_access_defaults_and_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HW_T_SET", "yes")
    monkeypatch.delenv("HW_T_UNSET", raising=False)
    assert render("{{ env.HW_T_SET }}", scope()) == "yes"
    assert render("{{ env.HW_T_UNSET }}", scope()) is None
    assert render("{{ env('HW_T_UNSET', 'dflt') }}", scope()) == "dflt"
    with pytest.raises(TemplateError, match="HW_T_UNSET is not set and no default value was provided"):
        render("{{ env('HW_T_UNSET') }}", scope())


def test_whole_templates_keep_objects_partial_ones_format() -> None:
    data = {"n": "{{ count }}", "s": "x-{{ count }}-{{ name | upper }}", "l": ["{{ [1, 2] }}"], "k": 3}
    out = render(data, scope(count=7, name="ab"))
    assert out == {"n": 7, "s": "x-7-AB", "l": [[1, 2]], "k": 3}


def test_expression_forms() -> None:
    s = scope(x=None, y=2, f=lambda a, b=1: a * b)
    assert render("{{ x or 'fallback' }}", s) == "fallback"
    assert render("{{ y if y > 1 else 0 }}", s) == 2
    assert render("{{ not x and y == 2 }}", s) is True
    assert render("{{ f(3, b=2) }}", s) == 6
    assert render("{{ x | default('d') }}", s) == "d"
    assert render("{{ 'A' | lower }}", s) == "a"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ nope }}", "unknown name 'nope'"),
        ("{{ y.__class__ }}", "private attribute"),
        ("{{ y + 1 }}", "operator Add is not allowed"),
        ("{{ [i for i in y] }}", "ListComp is not allowed"),
        ("{{ y | shout }}", "unknown filter"),
        ("{{ y( }}", "Cannot read the template"),
        ("{{ y() }}", "int is not callable"),
    ],
)
def test_bad_templates_are_refused_with_the_reason(template: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        render(template, scope(y=1))
