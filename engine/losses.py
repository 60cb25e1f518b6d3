"""Losses: taking men, tanks and guns from a unit, recording them, and breaking up spent units.

Combat and supply attrition both go through :func:`take_losses`, so a side's loss tally and the
rule that breaks up a spent unit are applied in one place.
"""

from __future__ import annotations

from engine.state import LOSS_KINDS, GameState, Unit


def take_losses(state: GameState, unit: Unit, amounts: dict[str, int]) -> dict[str, int]:
    """Take losses from a unit and add them to its side's tally.

    Each amount is clipped to what the unit has. A unit left with no men, or with fewer than
    ``rules.combat.break_up_below`` of its starting men, breaks up: what is left of it
    disperses or is taken prisoner, counts as lost too, and the unit leaves the map.

    Returns:
        What the unit actually lost, the remnant of a broken-up unit included.
    """
    taken = {k: max(0, min(int(amounts.get(k, 0)), getattr(unit, k))) for k in LOSS_KINDS}
    for k in LOSS_KINDS:
        setattr(unit, k, getattr(unit, k) - taken[k])
    threshold = state.rules.combat.break_up_below * unit.full_men
    if unit.status == "active" and (unit.men <= 0 or unit.men < threshold):
        for k in LOSS_KINDS:
            taken[k] += getattr(unit, k)
            setattr(unit, k, 0)
        unit.status = "destroyed"
        unit.hex = None
        state.version += 1
    tally = state.sides[unit.side].losses
    for k in LOSS_KINDS:
        tally[k] = tally.get(k, 0) + taken[k]
    return taken
