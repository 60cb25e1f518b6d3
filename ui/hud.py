"""Everything around the map, composed from the controller's state: bar, panels, log, sheets."""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from engine.errors import IllegalOrder
from ui import panels
from ui.controller import Controller
from ui.shown import ShownGame
from ui.units_layer import UnitsLayer


class Hud:
    """Draws the panels and sheets of the game scene."""

    def __init__(self, controller: Controller, units: UnitsLayer) -> None:
        self.c = controller
        self.units = units
        self.minimap = controller.minimap
        self._supply_key: tuple | None = None
        self._supply = None

    def shown_game(self) -> ShownGame:
        """The game as the map shows it (the AI's animation lags behind the game)."""
        g = self.c.game
        return ShownGame(g.scenario, g.world, self.c.shown)

    def _explanation(self) -> object | None:
        """The selected unit's supply explanation, asked once per game change (~4 ms)."""
        c = self.c
        uid = c.ui.selection.unit_id
        if uid is None or c.ai_busy:
            return None
        key = (uid, len(c.game.order_log), id(c.game.state))
        if key != self._supply_key:
            self._supply_key = key
            unit = c.game.state.units.get(uid)
            self._supply = None
            if unit is not None and unit.side == (c.viewer or unit.side):
                try:
                    self._supply = c.game.view(unit.side).explain_supply(uid)
                except IllegalOrder:
                    self._supply = None
        return self._supply

    def draw(self, surface: pygame.Surface, hotkeys: Sequence[tuple[str, str]]) -> None:
        """Draw every panel, then the sheets over the map."""
        c = self.c
        lay = c.layout
        ui = c.ui
        shown = self.shown_game()
        movers = [u for u in c.shown.units if u.moves_left]
        panels.draw_top_bar(
            surface,
            lay,
            shown,
            ui,
            players_text=c.session.players_text(),
            can_undo=c.can_undo(),
            ai_busy=c.ai_busy or not c.session.human_turn,
            all_moved=c.shown.phase != "movement" or not movers,
        )
        sel = ui.selection
        stack_hex = sel.hex if sel.hex is not None else ui.hovered
        stack = c.units_at(stack_hex) if stack_hex is not None else []
        real = [c.game.state.units[u.id] for u in stack if u.id in c.game.state.units]
        panels.draw_unit_panel(
            surface,
            lay,
            c.game,
            ui,
            real,
            self._counter_for,
            explanation=self._explanation(),
        )
        hovered = [] if ui.hovered is None else c.units_at(ui.hovered)
        hover_units = [c.game.state.units[u.id] for u in hovered if u.id in c.game.state.units]
        game_for_info = c.game if ui.attack is not None else shown
        panels.draw_info_panel(surface, lay, game_for_info, ui, hover_units)
        panels.draw_log(surface, lay, c.log_entries(), ui, c.game.scenario.date_of_turn)
        units = [(u.hex, u.side) for u in c.shown.units_seen_by(c.viewer)]
        self.minimap.draw(
            surface,
            lay,
            c.camera.world_rect(),
            c.shown.control,
            units,
            c.game.scenario.side_order,
        )
        now = c.now
        if ui.mode == "game_over" and ui.result_sheet:
            losses = {s: dict(st.losses) for s, st in c.game.state.sides.items()}
            panels.draw_game_over(
                surface,
                lay,
                c.shown.winner,
                c.shown.victory_level,
                c.shown.vp,
                losses,
                hint="the campaign is over: Esc puts this sheet away to look at the map",
            )
        if c.banner is not None:
            text, until = c.banner
            left = until - now
            panels.draw_banner(surface, lay, text, int(255 * min(1.0, max(0.0, left) / 0.6)))
        if ui.menu is not None:
            panels.draw_menu(surface, ui.menu)
        elif ui.hovered is not None and ui.mode != "attack" and c.camera.level != "theatre":
            tip = self._tooltip(ui.hovered)
            if tip:
                panels.draw_tooltip(surface, (ui.mouse[0] + 18, ui.mouse[1] + 18), tip)
        panels.draw_toasts(surface, ui, now)
        if ui.help and ui.help_page == 1:
            panels.draw_how_to_play(surface, lay)
        elif ui.help:
            panels.draw_help(surface, lay, hotkeys)

    def _counter_for(self, unit: object, px: int) -> pygame.Surface:
        mark = next((u for u in self.c.shown.units if u.id == unit.id), None)  # type: ignore[attr-defined]
        if mark is None:
            surf = pygame.Surface((px, px))
            surf.fill((120, 120, 120))
            return surf
        return self.units.counter(mark, px)

    def _tooltip(self, index: int) -> list[str]:
        """A short tooltip for the hovered hex: terrain, place, who holds it, the move cost."""
        c = self.c
        world = c.game.world
        terrain = world.terrain_at(index)
        col, row = world.coord(index)
        lines = [f"{terrain.name} {col},{row}"]
        pid = world.place_at.get(index)
        if pid:
            lines.insert(0, world.places[pid].spec.name)
        if world.fort_level[index]:
            lines.append(f"fortified (level {int(world.fort_level[index])})")
        rivers = sorted({int(v) for v in world.river[index] if v})
        if rivers:
            lines.append("river: " + ("major" if 2 in rivers else "minor"))
        kinds = sorted({kind for _a, _b, kind in world.network.edges(index, keys=True)})
        if kinds:
            lines.append(" and ".join(kinds))
        owner = int(c.shown.control[index])
        order = c.game.scenario.side_order
        lines.append(f"held by {order[owner].title()}" if 0 <= owner < len(order) else "no one's")
        path = c.ui.path
        if path is not None and path.to == index:
            lines.append(f"{path.cost:g} MP" if path.legal else path.why)
        return lines
