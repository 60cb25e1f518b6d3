"""The game scene: the map, its overlays and units, the panels, all from the controller's state.

It only draws. The static map comes from cached tiles (``ui.map_layer``), area overlays from
cached layers (``ui.overlays``), counters from the counter cache; panels are small and drawn
every frame from cached text.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pygame

from engine.errors import IllegalOrder
from ui import panels, style
from ui.camera import Camera
from ui.controller import HOTKEYS, Controller
from ui.files import Loaded
from ui.game_menu import GameMenu, MenuItem
from ui.hud import Hud
from ui.map_layer import MapLayer
from ui.overlays import Overlays, mask_bounds
from ui.panels.common import render_text
from ui.session import Session
from ui.snapshot import UnitMark
from ui.units_layer import UnitsLayer
from ui.userdata import UserData


class GameScene:
    """The scene in which a game is played, watched or taken over."""

    def __init__(
        self,
        session: Session,
        size: tuple[int, int],
        colour_blind: bool = False,
        data: UserData | None = None,
        ui_scale: float = 1.0,
    ) -> None:
        self.controller = Controller(session, size, data, ui_scale)
        self.palette = style.COLOUR_BLIND if colour_blind else style.STANDARD
        game = session.game
        self.map = MapLayer(game.world, self.palette)
        c = self.controller
        self.overlays = Overlays(c.hex_layout, game.world.grid.neighbor_index, self.palette)
        self.units = UnitsLayer(game.scenario, c.hex_layout, self.palette)
        self.hud = Hud(self.controller, self.units)
        self.controller.marker_at = self.units.army_at
        self._supply_cache: tuple[tuple, object] | None = None
        self.counters_drawn = 0
        self._drawn: tuple | None = None
        self._reach_bounds: tuple[tuple | None, tuple | None] = (None, None)
        self.open_report: Callable[[], None] | None = None
        """Opens the after-action report over this scene (set by the launcher, which has the
        app): at the end of the game once, and with F10 whenever no AI worker plays."""
        self._reported = False
        self.to_start: Callable[[], None] | None = None
        """Back to the start screen (set by the launcher; None: not offered)."""
        self.quit_game: Callable[[], None] | None = None
        """Close the window (set by the launcher)."""
        self.open_settings: Callable[[], None] | None = None
        """The settings page over the game (set by the launcher when it has one)."""
        self.menu: GameMenu | None = None
        """The game's menu while it is open (Esc with nothing to cancel)."""
        self._menu_revision = 0

    # ------------------------------------------------------------ the loop's calls

    def handle(self, event: pygame.event.Event) -> None:
        """Give an input event to the controller.

        F10 opens the after-action report; Esc with nothing to cancel, the game's menu.
        """
        if self.menu is not None:
            self._menu_event(event)
            return
        if (
            event.type == pygame.KEYDOWN
            and event.key == pygame.K_ESCAPE
            and self._nothing_to_cancel()
        ):
            self.open_menu()
            return
        if (
            event.type == pygame.KEYDOWN
            and event.key == pygame.K_F10
            and self.open_report is not None
        ):
            if self.controller.runner.busy:
                self.controller.toast("the report opens when the AI has finished its move")
            else:
                self.open_report()
            return
        self.controller.handle(event)
        if self.controller.loaded is not None:
            self.open_loaded(self.controller.loaded)

    def open_loaded(self, loaded: Loaded) -> None:
        """Play a loaded save in this scene: a new controller and layers for its game."""
        assert loaded.session is not None
        old = self.controller
        old.shutdown()
        colour_blind = self.palette is style.COLOUR_BLIND
        hooks = (self.open_report, self.to_start, self.quit_game, self.open_settings)
        self.__init__(  # type: ignore[misc]
            loaded.session, old.layout.size, colour_blind, old.data, old.ui_scale
        )
        self.open_report, self.to_start, self.quit_game, self.open_settings = hooks
        self.controller.ui.speed = old.ui.speed
        self.controller.toast(loaded.message)

    def update(self, dt: float) -> None:
        """Advance the AI's turn and its animation; at the end of the game, open the report."""
        self.controller.update(dt)
        c = self.controller
        if (
            c.ui.mode == "game_over"
            and not self._reported
            and self.open_report is not None
            and not c.runner.busy
            and c.animator.idle
        ):
            self._reported = True
            self.open_report()

    def idle(self, budget_ms: float) -> None:
        """Spare time in a frame: warm the movement graphs and the map tiles to come."""
        if self.controller.warm():
            return
        self.map.idle(self.controller.camera, budget_ms)

    def settle(self) -> None:
        """Render every visible map tile now (before a screenshot)."""
        self.map.prerender(self.controller.camera)

    def close(self) -> None:
        """Stop the AI's worker."""
        self.controller.shutdown()

    # ------------------------------------------------------------ drawing

    # ------------------------------------------------------------ the game's menu

    def _nothing_to_cancel(self) -> bool:
        ui = self.controller.ui
        return (
            ui.menu is None
            and not ui.help
            and ui.attack is None
            and ui.selection.unit_id is None
            and ui.mode not in ("handover", "attack")
            and not (ui.mode == "game_over" and ui.result_sheet)
        )

    def open_menu(self) -> None:
        """Open the game's menu: save, load, report, help, the start screen, quit."""
        c = self.controller

        def help_sheet() -> None:
            c.ui.help = True
            c.ui.touch()

        self.menu = GameMenu(
            [
                MenuItem("Back to the game", "Esc", lambda: None),
                MenuItem("Save", "F5", c.save),
                MenuItem("Load the latest save", "F9", self._load_latest),
                MenuItem("After-action report", "F10", self.open_report),
                MenuItem("Keys and how to play", "F1", help_sheet),
                MenuItem("Settings", "", self.open_settings),
                MenuItem("Back to the start screen", "", self.to_start),
                MenuItem("Quit", "", self.quit_game),
            ]
        )
        self._menu_revision += 1

    def _load_latest(self) -> None:
        self.controller.load_latest()
        if self.controller.loaded is not None:
            self.open_loaded(self.controller.loaded)

    def _menu_event(self, event: pygame.event.Event) -> None:
        menu = self.menu
        assert menu is not None
        self._menu_revision += 1
        chosen: int | None = None
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.menu = None
            elif event.key in (pygame.K_UP, pygame.K_DOWN):
                menu.move(-1 if event.key == pygame.K_UP else 1)
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
                chosen = menu.cursor
        elif event.type == pygame.MOUSEMOTION:
            k = menu.item_at(event.pos)
            if k is not None and menu.usable(k):
                menu.cursor = k
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            chosen = menu.item_at(event.pos)
            if chosen is None:
                self.menu = None
        if chosen is not None and menu.usable(chosen):
            self.menu = None  # closed first: the item may open another screen
            menu.choose(chosen)

    def needs_redraw(self, surface: pygame.Surface) -> bool:
        """Whether the frame would differ from the last one drawn (else the loop skips it)."""
        c = self.controller
        moving = (
            not c.animator.idle
            or bool(c.animator.floaters)
            or c.banner is not None
            or bool(c.ui.toasts)
            or c.ui.attack is not None  # its target pulses
            or not self.map.complete
        )
        key = (
            c.ui.revision,
            c.camera.revision,
            c.shown.version,
            surface.get_size(),
            c.ui.mode,
            self._menu_revision,
        )
        if moving or key != self._drawn:
            self._drawn = key
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the whole frame."""
        c = self.controller
        lay = c.layout
        if surface.get_size() != lay.size:
            c.resize(surface.get_size())
            lay = c.layout
        surface.fill(self.palette.backdrop)
        if c.ui.mode == "handover":
            panels.draw_handover(surface, (c.ui.handover_to or "").title())
            return
        clip = surface.get_clip()
        surface.set_clip(lay.map)
        self.map.draw(surface, c.camera)
        self._draw_areas(surface)
        self._draw_units(surface)
        self._draw_highlights(surface)
        surface.set_clip(clip)
        self._draw_panels(surface)
        if self.menu is not None:
            self.menu.draw(surface, lay.row)

    def _viewer_units(self) -> list[UnitMark]:
        c = self.controller
        return c.shown.units_seen_by(c.viewer)

    def _draw_areas(self, surface: pygame.Surface) -> None:
        c = self.controller
        ov = c.ui.overlays
        shown = c.shown
        cam = c.camera
        viewer = c.viewer
        if ov.get("control"):
            width = max(2, int(cam.radius / 5))
            self.overlays.area(
                surface,
                cam,
                "control",
                ("control", shown.version, width),
                self.overlays.front_line(shown.control, width, c.game.scenario.side_order),
            )
        if ov.get("supply") and not c.ai_busy:
            side = viewer or c.game.active_side
            trace = self._supply_trace(side)
            if trace is not None:
                self.overlays.area(
                    surface,
                    cam,
                    "supply",
                    ("supply", side, shown.version),
                    self.overlays.supply(trace),
                )
        if ov.get("zoc") and not c.ai_busy:
            self._zoc(surface, cam, viewer or c.game.active_side)
        if ov.get("fog") and viewer is not None:
            sight = shown.sight.get(viewer)
            if sight is not None:
                self.overlays.area(
                    surface, cam, "fog", ("fog", viewer, shown.version), self.overlays.fog(sight)
                )
        reach = c.reach()
        if reach is not None:
            key = (c.ui.selection.unit_id, len(c.game.order_log), id(c.game.state))
            if key != self._reach_bounds[0]:
                area = mask_bounds(c.hex_layout, np.isfinite(reach.dist), margin=2.5)
                self._reach_bounds = (key, area)
            bounds = self._reach_bounds[1]
            if bounds is None:
                return
            self.overlays.area(
                surface,
                cam,
                "reach",
                ("reach", *key),
                self.overlays.reach(reach.dist, reach.movement_points),
                bounds,
            )
            if not ov.get("zoc"):
                try:
                    zoc = c.game.view(c.game.active_side).enemy_zoc()
                except IllegalOrder:
                    zoc = None
                if zoc is not None:
                    self.overlays.area(
                        surface,
                        cam,
                        "enemy_zoc",
                        ("enemy_zoc", *key),
                        self.overlays.hatched(np.asarray(zoc, dtype=bool), self.palette.zoc_enemy),
                        bounds,
                    )

    def _zoc(self, surface: pygame.Surface, cam: Camera, side: str) -> None:
        c = self.controller
        try:
            view = c.game.view(side)
            enemy = np.asarray(view.enemy_zoc(), dtype=bool)
            own = np.asarray(view.own_zoc(), dtype=bool)
        except IllegalOrder:
            return
        key = ("zoc", side, len(c.game.order_log), id(c.game.state))

        def paint(surf: pygame.Surface, hp: object, inside: np.ndarray) -> None:
            self.overlays.hatched(own, self.palette.zoc_own)(surf, hp, inside)
            self.overlays.hatched(enemy, self.palette.zoc_enemy)(surf, hp, inside)

        self.overlays.area(surface, cam, "zoc", key, paint)

    def _supply_trace(self, side: str) -> object | None:
        c = self.controller
        key = (side, len(c.game.order_log), id(c.game.state))
        if self._supply_cache is None or self._supply_cache[0] != key:
            self._supply_cache = (key, c.game.supply_trace(side))
        return self._supply_cache[1]

    def _draw_units(self, surface: pygame.Surface) -> None:
        c = self.controller
        units = self._viewer_units()
        mover = c.animator.mover()
        hidden = mover[0] if mover is not None else None
        key = (c.shown.version, c.viewer)
        self.counters_drawn = self.units.draw(
            surface, c.camera, units, key, selected=c.ui.selection.unit_id, hidden=hidden
        )
        if mover is not None:
            uid, a, b, t = mover
            unit = next((u for u in c.shown.units if u.id == uid), None)
            if unit is None and c.animator.current is not None:
                unit = next((u for u in c.animator.current.snapshot.units if u.id == uid), None)
            if unit is not None:
                ax, ay = c.hex_layout.centre(a)
                bx, by = c.hex_layout.centre(b)
                self.units.draw_moving(
                    surface, c.camera, unit, (ax + (bx - ax) * t, ay + (by - ay) * t)
                )

    def _draw_highlights(self, surface: pygame.Surface) -> None:
        c = self.controller
        cam = c.camera
        ui = c.ui
        t = c.now
        if ui.hovered is not None and cam.level != "theatre":
            self.overlays.outline(surface, cam, ui.hovered, self.palette.hover)
        if ui.path is not None and ui.path.path:
            self.overlays.path(
                surface,
                cam,
                ui.path.path,
                ui.path.cost,
                ui.path.legal,
                ui.path.ends_in_zoc,
                lambda s: render_text(s, 13, self.palette.map_text, True),
            )
        if ui.attack is not None:
            self.overlays.target(surface, cam, ui.attack.target, t)
            hexes = {u.hex for u in c.shown.units if u.id in ui.attack.attackers}
            for i in hexes:
                self.overlays.outline(surface, cam, i, self.palette.attackers)
        if ui.overlays.get("supply") and ui.selection.unit_id and not c.ai_busy:
            self._unit_supply(surface)
        if ui.overlays.get("objectives"):
            self._objectives(surface)
        for f in c.animator.floaters:
            x, y = cam.hex_centre(f.hex)
            pulse = max(0.0, 1.0 - f.age / f.life)
            r = cam.radius * (1.0 + 0.6 * (1 - pulse))
            pygame.draw.circle(
                surface, self.palette.combat_flash, (x, y), r, max(2, int(3 * pulse) + 1)
            )
            img = render_text(f.text, 14, self.palette.combat_text, True)
            surface.blit(img, (x - img.get_width() / 2, y - cam.radius - 18 - 12 * f.age))

    def _unit_supply(self, surface: pygame.Surface) -> None:
        c = self.controller
        uid = c.ui.selection.unit_id
        unit = c.game.state.units.get(uid or "")
        if unit is None or unit.side != (c.viewer or unit.side):
            return
        try:
            exp = c.game.view(unit.side).explain_supply(unit.id)
        except IllegalOrder:
            return
        world = c.game.world
        path = [world.index(col, row) for col, row in exp.path]
        blocked = world.index(*exp.blocked_hex) if exp.blocked_hex else None
        self.overlays.supply_trace(surface, c.camera, path, blocked)

    def _objectives(self, surface: pygame.Surface) -> None:
        c = self.controller
        cam = c.camera
        order = c.game.scenario.side_order
        for info in c.game.world.places.values():
            vp = info.spec.vp
            if not vp or max(vp.values()) <= 0:
                continue
            x, y = cam.hex_centre(info.index)
            if not cam.contains(x, y):
                continue
            holder = int(c.shown.control[info.index])
            side = order[holder] if holder >= 0 else None
            colour = self.palette.side_colour(side or "")
            r = max(6.0, cam.radius * 0.9)
            pygame.draw.circle(surface, colour, (x, y), r, max(2, int(cam.radius / 6)))
            text = "/".join(f"{vp.get(s, 0):g}" for s in order)
            img = render_text(f"{text} VP", 12, self.palette.map_text, True)
            surface.blit(img, (x - img.get_width() / 2, y + r + 1))

    def _draw_panels(self, surface: pygame.Surface) -> None:
        self.hud.draw(surface, HOTKEYS)
