"""Play by e-mail in the window: watch the opponent's turn, play yours, write the turn file.

``main.py play --pbem OUT.json`` starts a game by e-mail: you play your side's first turn and,
when you end it, the window writes the turn file to send. ``main.py play --turn IN.json``
opens the opponent's file (checked by :func:`engine.pbem.open_turn`): the opponent's last turn
is replayed under your own fog of war (the replay viewer's keys), Enter hands you the game, and
when you end your turn the window writes your reply beside it (``--out`` names it). The engine
does the checking and the files (:mod:`engine.pbem`, docs/pbem.md); this scene only plays the
turn and says where the file went.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pygame

from engine.errors import EngineError
from engine.game import Game
from engine.pbem import write_turn_file
from ui import panel_style as ps
from ui.game_scene import GameScene
from ui.panels.common import blit_text, line_height
from ui.session import Session


def reply_path(opened_from: Path | None, out: Path | None, game: Game, side: str) -> Path:
    """Where the turn file goes: ``out``, else beside the file opened, named by turn and side."""
    if out is not None:
        return out
    folder = opened_from.parent if opened_from is not None else Path.cwd()
    return folder / f"turn-{game.state.turn:02d}-{side}.json"


class PbemScene:
    """One side's turn of a game by e-mail (a scene of :class:`ui.app.App`).

    The side's player is the person at the window; the other side has no player here: when the
    person ends the side's turn the game pauses at the other side's turn and the turn file is
    written at once (``on_written`` is told its path, or the error).
    """

    def __init__(
        self,
        game: Game,
        side: str,
        size: tuple[int, int],
        out: Path,
        *,
        colour_blind: bool = False,
        on_written: Callable[[Path | None, str], None] | None = None,
    ) -> None:
        self.side = side
        self.out = out
        self.on_written = on_written
        players = {s: (None if s == side else _Absent(s)) for s in game.scenario.side_order}
        session = Session(game=game, players=players, mode="vs_ai")  # type: ignore[arg-type]
        session.names = {s: ("you" if s == side else "by e-mail") for s in players}
        session.absent = frozenset(s for s in players if s != side)
        self.scene = GameScene(session, size, colour_blind=colour_blind)
        self.written: Path | None = None
        self.error: str | None = None
        self._started_turn = game.state.turn

    @property
    def game(self) -> Game:
        """The game being played."""
        return self.scene.controller.game

    def turn_done(self) -> bool:
        """Whether the side has ended its turn (the other side is to play, or the game is over)."""
        g = self.game
        return g.state.game_over or g.active_side != self.side

    def _write(self) -> None:
        try:
            write_turn_file(self.game, self.out, self.side)
        except (EngineError, OSError) as exc:
            self.error = f"the turn file could not be written: {exc}"
        else:
            self.written = self.out
        if self.on_written is not None:
            self.on_written(self.written, self.error or "")

    # ------------------------------------------------------------ scene protocol

    def handle(self, event: pygame.event.Event) -> None:
        """Input goes to the game until the turn is done; then Esc closes nothing but the sheet."""
        self.scene.handle(event)

    def update(self, dt: float) -> None:
        """Advance the game scene; once the side's turn is over, write the turn file."""
        self.scene.update(dt)
        c = self.scene.controller
        if self.written is None and self.error is None and self.turn_done() and not c.runner.busy:
            self._write()
            c.ui.touch()

    def needs_redraw(self, surface: pygame.Surface) -> bool:
        """Whether the game scene changed."""
        return self.scene.needs_redraw(surface)

    def draw(self, surface: pygame.Surface) -> None:
        """The game, and once the turn is written, where the file is."""
        self.scene.draw(surface)
        if self.written is None and self.error is None:
            return
        lay = self.scene.controller.layout
        size = max(13, lay.row - 2)
        if self.error:
            lines = [self.error]
            colour = ps.BAD
        else:
            lines = [
                f"Your turn is over. The turn file is written: {self.written}",
                "Send it to your opponent; open their reply with main.py play --turn FILE.",
            ]
            colour = ps.GOOD
        height = len(lines) * (line_height(size) + 6) + 14
        box = pygame.Rect(lay.map.x + 20, lay.map.centery - height // 2, lay.map.width - 40, height)
        shade = pygame.Surface(box.size, pygame.SRCALPHA)
        shade.fill(ps.SHEET_BG)
        surface.blit(shade, box.topleft)
        y = box.y + 8
        for n, line in enumerate(lines):
            blit_text(
                surface,
                line,
                (box.x + 12, y),
                size,
                colour if n == 0 else ps.TEXT,
                bold=n == 0,
                max_width=box.width - 24,
            )
            y += line_height(size) + 6

    def close(self) -> None:
        """Stop the game scene's worker."""
        self.scene.close()


class _Absent:
    """The other side of a game by e-mail: never asked (the game pauses at its turn)."""

    def __init__(self, side: str) -> None:
        self.name = "by e-mail"
        self.side = side

    def next_order(self, game: Game):  # noqa: ANN201 - never called
        """Never called: the session stops before the other side's turn."""
        raise EngineError("the other side plays by e-mail")
