"""A test player: uniform among the legal orders (air supply, drops, rail moves come up too)."""

from __future__ import annotations

from engine.orders import EndPhase


class RandomPlayer:
    """Picks uniformly among the legal orders, ending the phase after ``per_phase`` of them."""

    def __init__(self, side, rng, per_phase=6):
        self.name = "random"
        self.side = side
        self.rng = rng
        self.per_phase = per_phase
        self.count = 0

    def next_order(self, game):
        legal = game.legal_orders()
        if self.count >= self.per_phase or len(legal) == 1:
            self.count = 0
            return EndPhase()
        self.count += 1
        return legal[int(self.rng.integers(len(legal)))]
