import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.errors import IllegalOrder
from engine.orders import (
    AirborneDrop,
    AirSupply,
    Attack,
    EndPhase,
    Move,
    RailMove,
    order_from_json,
    parse_order,
)

ids = st.from_regex(r"[A-Za-z0-9_]{1,12}", fullmatch=True)
coords = st.tuples(st.integers(0, 999), st.integers(0, 999))

orders = st.one_of(
    st.builds(Move, unit=ids, to=coords),
    st.builds(RailMove, unit=ids, to=coords),
    st.builds(AirborneDrop, unit=ids, to=coords),
    st.builds(
        Attack,
        target=coords,
        attackers=st.lists(ids, min_size=1, max_size=4),
        advance=st.booleans(),
    ),
    st.builds(AirSupply, unit=ids, tons=st.sampled_from([1.0, 25.0, 120.5, 300.0])),
    st.just(EndPhase()),
)


@given(orders)
def test_text_form_round_trips(order):
    assert parse_order(order.to_text()) == order


@given(orders)
def test_json_form_round_trips(order):
    assert order_from_json(order.model_dump(mode="json")) == order


@pytest.mark.parametrize(
    "text",
    ["", "move", "move a", "move a 1", "fly a 1,2", "attack 1,2", "airsupply a -5", "end now"],
)
def test_bad_text_is_a_syntax_error(text):
    with pytest.raises(IllegalOrder) as info:
        parse_order(text)
    assert info.value.rule == "syntax"


def test_whitespace_is_forgiven():
    assert parse_order("  move   s_tb1   3,4 ") == Move(unit="s_tb1", to=(3, 4))


def test_attack_without_advance():
    order = parse_order("attack! 3,4 a b")
    assert order == Attack(target=(3, 4), attackers=["a", "b"], advance=False)


def test_bad_json_is_a_syntax_error():
    with pytest.raises(IllegalOrder):
        order_from_json({"kind": "move", "unit": "a"})


def test_engine_errors_cross_a_process_boundary_whole():
    # batch workers send their errors back pickled: the parent must get the same error
    import pickle

    from engine.errors import Problem, ScenarioError

    problem = Problem("mods/x.yaml", 3, 5, "set.rules", "unknown field")
    err = pickle.loads(pickle.dumps(ScenarioError([problem])))
    assert isinstance(err, ScenarioError) and err.problems == [problem]
    assert str(err) == "mods/x.yaml:3:5: set.rules: unknown field"
    order = pickle.loads(pickle.dumps(IllegalOrder("zoc", "cannot leave")))
    assert (order.rule, str(order)) == ("zoc", "illegal order (zoc): cannot leave")
