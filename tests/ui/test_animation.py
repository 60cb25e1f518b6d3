"""The animation of the AI's steps: switching to instant in mid-slide lands the step."""

from __future__ import annotations

from engine.orders import Move
from ui.ai_runner import AIStep
from ui.animation import Animator


def test_switching_to_instant_in_mid_slide_lands_the_step():
    before, after = object(), object()
    step = AIStep(
        side="soviet",
        order=Move(unit="u", to=(1, 0)),
        text="u moves",
        unit_id="u",
        path=(0, 1),
        target=None,
        outcome=None,
        snapshot=after,  # type: ignore[arg-type]
    )
    anim = Animator(before)  # type: ignore[arg-type]
    anim.push(step)
    anim.update(0.01, "normal", lambda s: True)
    assert anim.current is step and anim.shown is before
    assert anim.update(0.01, "instant", lambda s: True)  # no division by a zero duration
    assert anim.idle and anim.shown is after
