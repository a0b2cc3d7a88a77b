"""Validator rules, each proved by a document that breaks it (and one that keeps it)."""

from __future__ import annotations

import pytest

from ice_graph.errors import DataError
from ice_graph.io.yaml import parse_yaml
from ice_graph.validate import validate

from .conftest import FIXTURES

TINY = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
CITE = "    cite:\n      - source: handbook\n        quote: q\n"


def _problems(text: str) -> list[str]:
    with pytest.raises(DataError) as info:
        validate(parse_yaml(text, path="t.yaml"), file="t.yaml")
    return [str(p) for p in info.value.problems]


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _replace(old: str, new: str) -> str:
    assert old in TINY
    return TINY.replace(old, new, 1)


def test_tiny_is_valid():
    assert len(validate(parse_yaml(TINY)).nodes) == 9


# -- control characters and blank text (issue 12 #3, issue 18) ---------------------------------
@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f", "\x7f"])
def test_control_characters_in_a_name_are_refused(char):
    text = _replace("name: Legal Office", f'name: "Legal{char.encode("unicode_escape").decode()}Office"')
    line = _line(text, 'name: "Legal')
    (msg,) = _problems(text)
    assert f"t.yaml:{line}: unit 'legal': field 'name' contains the control character" in msg
    assert repr(char) in msg


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("abbreviation: TA", 'abbreviation: "T\\x01A"', "abbreviation"),
        ("other_names: [Ops Directorate]", 'other_names: ["Ops\\x02"]', "other_names"),
        ("title: Tiny Agency\n", 'title: "Tiny\\x03"\n', "title"),
        ("title: Tiny Agency Handbook", 'title: "Hand\\x1bbook"', "title"),
        ("quote: The Legal Office advises.", 'quote: "The Legal\\x07 Office"', "quote"),
        ("quote: Legal works with the City Police.", 'quote: "x\\x7f"', "quote"),
        ("name: Legal Office", 'name: "Legal\\tOffice"', "name"),
        ("name: Legal Office", 'name: "Legal\\nOffice"', "name"),
    ],
)
def test_control_characters_in_any_text_field_are_refused(old, new, field):
    (msg,) = _problems(_replace(old, new))
    assert f"field {field!r} contains the control character" in msg


def test_tab_and_line_break_are_allowed_where_a_field_is_several_lines():
    text = _replace("name: Legal Office\n", 'name: Legal Office\n    description: "One.\\n\\tTwo."\n')
    (node,) = [n for n in validate(parse_yaml(text)).nodes if n.id == "legal"]
    assert node.description == "One.\n\tTwo."


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("name: Legal Office", "name: '   '", "name"),
        ("quote: The Legal Office advises.", "quote: ' '", "quote"),
        ("abbreviation: TA", "abbreviation: '  '", "abbreviation"),
    ],
)
def test_blank_text_is_refused_not_stored_empty(old, new, field):
    text = _replace(old, new)
    (msg,) = _problems(text)
    assert msg.startswith(f"t.yaml:{_line(text, new)}:")  # on the field's own line
    assert f"field {field!r} is blank (only spaces)" in msg


# -- citations ----------------------------------------------------------------------------------
def test_one_missing_cite_is_one_problem():
    text = TINY.replace("    cite:\n      - source: handbook\n        quote: The Legal Office advises.\n", "")
    assert _problems(text) == [
        f"t.yaml:{_line(text, 'id: legal')}: unit 'legal': no source: cite must list at least one {{source, quote}}"
    ]


# -- parents ------------------------------------------------------------------------------------
def test_only_units_have_a_parent():
    text = _replace("    name: Operation Clean\n", "    name: Operation Clean\n    parent: ops\n")
    assert _problems(text) == [
        f"t.yaml:{_line(text, 'name: Operation Clean') + 1}: "
        "unit 'op-clean': only units have a parent; 'op-clean' is a operation (link it with a relation instead)"
    ]


def test_a_unit_cannot_be_its_own_parent():
    text = _replace("parent: ops", "parent: field")
    assert _problems(text) == [f"t.yaml:{_line(text, 'parent: field')}: unit 'field': a unit cannot be its own parent"]


# -- measures -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Employees", "name", "label", "budget_date", "staff_qualifier", "x-y", "9lives"])
def test_measure_names(name):
    text = _replace("      employees:\n", f"      {name}:\n")
    (msg,) = _problems(text)
    assert f"measure name {name!r} must be lowercase snake_case" in msg
    assert msg.startswith(f"t.yaml:{_line(text, 'value: 120') - 1}:")


@pytest.mark.parametrize("value", ["[1, 2]", "7", "many"])
def test_measures_that_are_not_a_mapping(value):
    text = TINY.replace(
        "    measures:\n      employees:\n        value: 120\n        qualifier: about\n"
        "        cite:\n          - source: handbook\n            quote: about 120 people\n",
        f"    measures: {value}\n",
    )
    assert text != TINY
    (msg,) = _problems(text)
    assert msg.startswith(f"t.yaml:{_line(text, 'measures:')}: unit 'agency': measures must be a mapping name")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1" * 5000, "too long"),
        ("'" + "1" * 5000 + "'", "value must be a number of at most 30 characters"),
        ("9007199254740993", "value must be a number between -2**53 and 2**53"),
        ("'١٢٠'", "value must be a number, got '١٢٠'"),
        (".nan", "value must be a number"),
    ],
)
def test_bad_measure_values_are_clear_problems(value, expected):
    text = _replace("value: 120", f"value: {value}")
    (msg,) = _problems(text)
    assert expected in msg and f"t.yaml:{_line(text, 'value: ')}:" in msg


def test_measure_value_text_is_read_as_a_number():
    text = _replace("value: 120", "value: '1.5e3'")
    (agency,) = [n for n in validate(parse_yaml(text)).nodes if n.id == "agency"]
    assert agency.measures[0].value == 1500.0


# -- dates ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("date", ["٢٠٢٤-٠٥-٠١", "２０２４", "२०२४-05"])
def test_dates_with_other_digits_are_refused(date):
    (msg,) = _problems(_replace("date: '2024-05-01'", f"date: '{date}'"))
    assert f"{date!r} is not a date" in msg


# -- events -------------------------------------------------------------------------------------------
EVENT = "events:\n  - date: '2010'\n    type: renamed\n    unit: legal\n" + CITE


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("    from_units: ops\n", "from_units must be a list of ids, got 'ops'"),
        ("    from_units: 5\n", "from_units must be a list of ids, got 5"),
        ("    alt_dates: '2011'\n", "alt_dates must be a list of {date, cite}, got '2011'"),
        ("    alt_dates: 5\n", "alt_dates must be a list of {date, cite}, got 5"),
        ("    alt_dates: [5]\n", "alt_dates entries must be {date, cite}, got 5"),
    ],
)
def test_event_lists_of_the_wrong_type(field, expected):
    text = TINY + EVENT + field
    assert _problems(text) == [f"t.yaml:{_line(text, field.strip())}: event 'renamed' of 'legal': {expected}"]


def test_event_with_good_lists():
    alt = "    alt_dates:\n      - date: '2011'\n        cite:\n          - source: handbook\n            quote: q\n"
    text = TINY + EVENT + "    from_units: [ops]\n" + alt
    (event,) = validate(parse_yaml(text)).events
    assert event.from_units == ["ops"] and [d for d, _ in event.alt_dates] == ["2011"]


# -- top level ----------------------------------------------------------------------------------------
def test_underscore_keys_are_unknown_and_cannot_inject_problems():
    text = TINY + "_problems: [fake problem]\n_x: 1\n"
    msgs = _problems(text)
    assert len(msgs) == 2, msgs
    assert all("unknown top-level key" in m for m in msgs)
    assert not any("fake problem" in m for m in msgs)


# -- YAML --------------------------------------------------------------------------------------------
def test_duplicate_key_is_reported_at_its_second_line():
    text = _replace("    name: Legal Office\n", "    name: Legal Office\n    note: n\n    name: Legal\n")
    with pytest.raises(DataError) as info:
        parse_yaml(text, path="t.yaml")
    (problem,) = info.value.problems
    assert problem.line == text.splitlines().index("    name: Legal") + 1
    assert (
        f"key 'name' appears twice in one mapping (first on line {_line(text, 'name: Legal Office')})"
        in problem.message
    )


@pytest.mark.parametrize("relation", ["predecessor_of", "has_unit"])
def test_a_unit_is_not_related_to_itself(relation):
    """A self-loop ('ops predecessor_of ops') was accepted by every check; it is a mistake, said where it is."""
    rel = f"  - unit: ops\n    relation: {relation}\n    target: ops\n" + CITE.replace("    cite", "    cite", 1)
    text = _replace("relations:\n", "relations:\n" + rel)
    line = _line(text, "target: ops")
    assert (
        f"t.yaml:{line}: relation 'ops' {relation} 'ops': a relation links two nodes; 'ops' cannot be its own {relation}"
        in _problems(text)
    )


@pytest.mark.parametrize("old", ["id: lab\n", "id: safety\n"])
def test_an_id_with_a_line_break_at_its_end_is_refused(old):
    """`$` matches before a final line break: 'lab\\n' passed the id pattern and became a node id."""
    node = old.split()[1]
    problems = _problems(_replace(old, f'id: "{node}\\n"\n'))
    assert any(f"id '{node}\\n' is not a slug" in p for p in problems), problems


# -- counties: the part of a state a unit covers --------------------------------------------------
@pytest.mark.parametrize(
    ("counties", "expected"),
    [
        ("{TX: [Harris, Dallas]}", None),
        ("{TX: Harris}", None),  # one county as text
        ("[Harris]", "counties must be a mapping of state code to county names, got ['Harris']"),
        ("{CA: [Orange]}", "counties of CA given, but CA is not in area_of_responsibility; add it there"),
        ("{XX: [Orange]}", "unknown state code 'XX'"),
        ("{TX: []}", "counties of TX must be a list of county names, got []"),
        ("{TX: [Harris, ' harris ', Harris]}", "county 'Harris' of TX is listed twice"),
        ("{TX: [Harris, 5]}", "counties of TX must be county names (text), got 5"),
    ],
)
def test_counties_must_name_the_part_of_a_state_of_the_area(counties, expected):
    text = _replace(
        "    name: Operations\n",
        f"    name: Operations\n    area_of_responsibility: [TX, OK]\n    counties: {counties}\n",
    )
    if expected is None:
        (ops,) = [n for n in validate(parse_yaml(text)).nodes if n.id == "ops"]
        assert ops.counties == {"TX": ["Harris", "Dallas"] if "Dallas" in counties else ["Harris"]}
        return
    problems = _problems(text)
    line = _line(text, "counties:")
    assert any(p.startswith(f"t.yaml:{line}: ") and expected in p for p in problems), problems
