"""The replay viewer: a saved game played back from its order log, phase by phase or at a speed.

The game is rebuilt from its scenario, seed and orders (:class:`engine.players.RecordedPlayer`
plays the log for both sides), so what is shown is what the rules make of those orders, drawn
by the ordinary game scene: the map, the log, the overlays, and each move and combat of a step
as the AI's are (a slide along the path, a flash on the attacked hex). Right and Left go a
phase forward and back, Page Down and Page Up a day, Home and End to the start and the end,
Space plays or pauses, V changes the speed. Going back rebuilds the game up to that point (a
replay costs a fraction of a second). Played to its end, the replay's state hash is compared
with the saved game's and the viewer says whether they match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from engine.game import Game, replay
from engine.orders import Attack, Move, Order, RailMove
from engine.players import RecordedPlayer
from engine.scenario.model import Scenario
from engine.world import World
from ui import panel_style as ps
from ui.game_scene import GameScene
from ui.panels.common import blit_text, line_height
from ui.session import Session


@dataclass(frozen=True)
class Mark:
    """Where the game stands before the order at one place of the log, and what it did."""

    turn: int
    phase: str
    side: str
    start: int | None = None
    """For a move or rail move: the hex the unit left (index); else None."""
    end: int | None = None
    """For a move or rail move: the hex it reached; for an attack: the attacked hex."""
    attack: bool = False


@dataclass
class Timeline:
    """The whole log replayed once: the game's place before every order, and how it ends."""

    marks: list[Mark]
    """``marks[k]``: before order ``k``; ``marks[len(orders)]``: at the end."""
    final_hash: str
    error: str | None = None
    """Why the replay stopped early (an order the rules refuse), or None."""

    def phase_starts(self) -> list[int]:
        """Places in the log where a phase begins (0 first)."""
        where = [(m.turn, m.phase, m.side) for m in self.marks]
        return [0] + [k for k in range(1, len(where)) if where[k - 1] != where[k]]

    def day_starts(self) -> list[int]:
        """Places in the log where a day begins."""
        return [0] + [
            k for k in range(1, len(self.marks)) if self.marks[k - 1].turn != self.marks[k].turn
        ]


def timeline(
    scenario: Scenario, seed: int, orders: list[Order], world: World, fog: bool
) -> Timeline:
    """Replay the log once, noting the place before each order."""
    game = Game(scenario, seed, world=world, fog=fog)
    marks: list[Mark] = []
    error = None
    for k, order in enumerate(orders):
        before = (game.state.turn, game.state.phase, game.active_side)
        unit = game.state.units.get(order.unit) if isinstance(order, Move | RailMove) else None
        start = world.index(*unit.hex) if unit is not None and unit.hex is not None else None
        try:
            game.apply(order)
        except Exception as exc:  # noqa: BLE001 - any refusal ends the replay and is shown
            marks.append(Mark(*before))
            error = f"order {k + 1} ({order.to_text()}) is refused: {exc}"
            break
        if unit is not None and unit.hex is not None:
            marks.append(Mark(*before, start=start, end=world.index(*unit.hex)))
        elif isinstance(order, Attack):
            marks.append(Mark(*before, end=world.index(*order.target), attack=True))
        else:
            marks.append(Mark(*before))
    marks.append(Mark(game.state.turn, game.state.phase, game.active_side))
    return Timeline(marks, game.state_hash(), error)


class ReplayScene:
    """A saved game played back in the window (a scene of :class:`ui.app.App`)."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        orders: list[Order],
        size: tuple[int, int],
        *,
        fog: bool = True,
        saved_hash: str | None = None,
        colour_blind: bool = False,
        speed: str = "fast",
        start: int = 0,
        viewer: str | None = None,
        on_enter: Callable[[], None] | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.fog = fog
        self.world = World(scenario)
        self.saved_hash = saved_hash
        self.size = size
        self.colour_blind = colour_blind
        self.timeline = timeline(scenario, seed, orders, self.world, fog)
        self.orders = orders[: len(self.timeline.marks) - 1]
        self.speed = speed
        self.viewer = viewer
        """Watch through this side's fog of war (a turn by e-mail); None: every unit."""
        self.on_enter = on_enter
        """What Enter does (hand over the game after an opponent's turn by e-mail)."""
        self.scene: GameScene = self._scene_at(start)
        self.playing = False
        self.day_entry = ""
        """A day being typed to jump to (digits, then G)."""

    # ------------------------------------------------------------ where we are

    @property
    def position(self) -> int:
        """How many orders of the log have been played."""
        return len(self.scene.controller.game.order_log)

    @property
    def end(self) -> int:
        """The number of orders the replay plays."""
        return len(self.orders)

    def verdict(self) -> str:
        """Whether the replay ends where the saved game did."""
        t = self.timeline
        if t.error is not None:
            return f"the replay stops early: {t.error}"
        if self.saved_hash is None:
            return "no saved state to compare with"
        if t.final_hash == self.saved_hash:
            return "the replay reaches the saved game's state exactly"
        return "the replay DIVERGES from the saved game: the state at the end differs"

    def _scene_at(self, k: int) -> GameScene:
        """A game scene with the first ``k`` orders played, paused there."""
        game = replay(self.scenario, self.seed, self.orders[:k], world=self.world, fog=self.fog)
        players = {side: RecordedPlayer(side, self.orders) for side in self.scenario.side_order}
        session = Session(game=game, players=players, mode="watch")
        session.names = {side: "replay" for side in self.scenario.side_order}
        session.stop_at_order = k
        session.watcher = self.viewer
        scene = GameScene(session, self.size, colour_blind=self.colour_blind)
        scene.controller.ui.speed = self.speed
        return scene

    def go_to(self, k: int) -> None:
        """Show the game with the first ``k`` orders played (back or forward), paused."""
        k = max(0, min(self.end, k))
        if k < self.position:
            self.speed = self.scene.controller.ui.speed
            self.scene.close()
            self.scene = self._scene_at(k)
            self.playing = False
            return
        self.play_to(k)

    def jump_to_day(self, day: int) -> None:
        """Show the start of ``day`` at once (the last day played when it is beyond the end)."""
        days = self.timeline.day_starts()
        turns = [self.timeline.marks[k].turn for k in days]
        k = days[turns.index(day)] if day in turns else (days[-1] if day > turns[-1] else 0)
        self.playing = False
        self.speed = self.scene.controller.ui.speed
        self.scene.close()
        self.scene = self._scene_at(k)

    def play_to(self, k: int) -> None:
        """Play on (animated) until ``k`` orders have been played."""
        session = self.scene.controller.session
        session.stop_at_order = max(self.position, min(self.end, k))
        self.scene.controller.resume()

    def _next(self, starts: list[int], step: int) -> int:
        here = self.position
        if step > 0:
            return next((k for k in starts if k > here), self.end)
        return max((k for k in starts if k < here), default=0)

    # ------------------------------------------------------------ scene protocol

    def handle(self, event: pygame.event.Event) -> None:
        """Replay keys; everything else goes to the game scene (pan, zoom, overlays, speed)."""
        if event.type == pygame.KEYDOWN:
            key = event.key
            phases, days = self.timeline.phase_starts(), self.timeline.day_starts()
            if key in (pygame.K_RIGHT, pygame.K_n):
                self.playing = False
                self.play_to(self._next(phases, 1))
                return
            if key in (pygame.K_LEFT, pygame.K_b):
                self.playing = False
                self.go_to(self._next(phases, -1))
                return
            if key == pygame.K_PAGEDOWN:
                self.playing = False
                self.play_to(self._next(days, 1))
                return
            if key == pygame.K_PAGEUP:
                self.playing = False
                self.go_to(self._next(days, -1))
                return
            if key == pygame.K_HOME:
                self.go_to(0)
                return
            if key == pygame.K_END:
                self.scene.controller.ui.speed = "instant"
                self.play_to(self.end)
                return
            digit = event.unicode if event.unicode and event.unicode.isdigit() else ""
            if digit and len(self.day_entry) < 3:
                self.day_entry += digit
                self.scene.controller.ui.touch()
                return
            if key == pygame.K_BACKSPACE and self.day_entry:
                self.day_entry = self.day_entry[:-1]
                self.scene.controller.ui.touch()
                return
            if key == pygame.K_g and self.day_entry:
                self.jump_to_day(int(self.day_entry))
                self.day_entry = ""
                return
            if key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.on_enter is not None:
                self.on_enter()
                return
            if key == pygame.K_SPACE:
                self.playing = not self.playing
                self.play_to(self.end if self.playing else self.position)
                return
        self.scene.handle(event)

    def update(self, dt: float) -> None:
        """Advance the game scene (its animation of the recorded orders)."""
        self.scene.update(dt)

    def needs_redraw(self, surface: pygame.Surface) -> bool:
        """Whether the game scene changed."""
        return self.scene.needs_redraw(surface)

    def draw(self, surface: pygame.Surface) -> None:
        """The game scene, this phase's moves as arrows and attacks as rings, and the bar."""
        self.scene.draw(surface)
        self._draw_steps(surface)
        self.size = surface.get_size()
        lay = self.scene.controller.layout
        row = lay.row
        k = self.position
        mark = self.timeline.marks[min(k, len(self.timeline.marks) - 1)]
        state = "playing" if self.playing and k < self.end else "paused"
        line = (
            f"REPLAY  order {k} of {self.end} · day {mark.turn}, {mark.side} {mark.phase} · "
            f"{state}  —  Left/Right phase · PgUp/PgDn day · digits+G go to a day · Space play · "
            "Home/End · V speed" + (" · Enter: play your turn" if self.on_enter is not None else "")
        )
        lines = [line]
        if self.day_entry:
            lines.append(f"go to day {self.day_entry}_  (G)")
        if k >= self.end:
            lines.append(self.verdict())
        size = max(12, row - 4)
        height = len(lines) * (line_height(size) + 4) + 8
        bar = pygame.Rect(lay.map.x, lay.map.bottom - height, lay.map.width, height)
        shade = pygame.Surface(bar.size, pygame.SRCALPHA)
        shade.fill(ps.BANNER_BG)
        surface.blit(shade, bar.topleft)
        y = bar.y + 6
        for n, text in enumerate(lines):
            colour = ps.TEXT_HEAD if n == 0 else (ps.GOOD if "exactly" in text else ps.WARN)
            blit_text(
                surface, text, (bar.x + 10, y), size, colour, bold=n > 0, max_width=bar.width - 20
            )
            y += line_height(size) + 4

    def _draw_steps(self, surface: pygame.Surface) -> None:
        """Arrows for the moves and rings for the attacks of the phase being shown so far.

        Under a side's fog (a turn by e-mail) only that side's own steps are drawn: the other
        side's show as the game scene shows them, when the viewer sees them.
        """
        c = self.scene.controller
        k = self.position
        phases = self.timeline.phase_starts()
        first = max([p for p in phases if p < k], default=0)
        clip = surface.get_clip()
        surface.set_clip(c.layout.map)
        colour = self.scene.palette.path
        for mark in self.timeline.marks[first:k]:
            if self.viewer is not None and mark.side != self.viewer:
                continue
            if mark.attack and mark.end is not None:
                pygame.draw.circle(surface, ps.BAD, c.camera.hex_centre_int(mark.end), 10, 3)
            elif mark.start is not None and mark.end is not None and mark.start != mark.end:
                a = pygame.Vector2(c.camera.hex_centre_int(mark.start))
                b = pygame.Vector2(c.camera.hex_centre_int(mark.end))
                pygame.draw.line(surface, colour, a, b, 3)
                d = b - a
                if d.length() > 1:
                    d.scale_to_length(9)
                    pygame.draw.polygon(surface, colour, [b, b + d.rotate(150), b + d.rotate(-150)])
        surface.set_clip(clip)

    def close(self) -> None:
        """Stop the game scene's worker."""
        self.scene.close()
