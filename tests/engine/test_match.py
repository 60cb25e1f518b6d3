"""Tests of engine.match: stepping a game one order at a time, as run_game does."""

from __future__ import annotations

import pytest

from engine.errors import IllegalOrder
from engine.game import Game
from engine.match import Match
from engine.orders import EndPhase
from engine.players import PassivePlayer, ScriptedPlayer, run_game
from engine.scenario.model import Scenario


def test_stepping_plays_the_same_game_as_run_game(test_scenario: Scenario) -> None:
    sides = test_scenario.side_order
    whole = run_game(Game(test_scenario, 3), {s: ScriptedPlayer(s) for s in sides})
    game = Game(test_scenario, 3)
    match = Match(game, {s: ScriptedPlayer(s) for s in sides})
    steps = []
    while not match.over:
        steps.append(match.step())
    assert game.state_hash() == whole.state_hash()
    assert [s.order for s in steps] == game.order_log
    assert steps[-1].ended_game and all(not s.ended_game for s in steps[:-1])
    for s in steps:
        assert s.ended_phase == isinstance(s.order, EndPhase)
        assert s.result.order == s.order
        if not s.ended_phase:
            assert (s.turn_before, s.phase_before) == (s.turn_after, s.phase_after)
    turns = [s for s in steps if s.ended_turn]
    assert len(turns) == game.state.turn or len(turns) == game.state.turn - 1
    with pytest.raises(IllegalOrder) as info:
        match.step()
    assert info.value.rule == "game_over"


def test_a_side_without_a_player_is_played_by_a_person(test_scenario: Scenario) -> None:
    first, second = test_scenario.side_order
    game = Game(test_scenario, 1)
    match = Match(game, {first: None, second: PassivePlayer(second)})
    assert match.is_human() and match.is_human(first) and not match.is_human(second)
    with pytest.raises(IllegalOrder) as info:
        match.step()
    assert info.value.rule == "human"
    game.apply(EndPhase())
    game.apply(EndPhase())  # the person ends both phases; now the passive player acts
    step = match.step()
    assert step.side == second and step.ended_phase
