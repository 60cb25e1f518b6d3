"""Input to orders: the window's controller, testable without drawing anything.

The controller holds the window's state (:class:`ui.state.UIState`, the camera, the layout, the
snapshot being shown) and turns pygame events into engine orders through the game's API. It
asks the side's view for reach, paths, odds and supply, applies orders with ``Game.apply`` and
reports an illegal one with the engine's own reason; it never decides a rule itself. While the
AI plays (:class:`ui.ai_runner.AIRunner`) it does not touch the game at all.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pygame

from engine.errors import EngineError, IllegalOrder
from engine.game import Game
from engine.orders import (
    AirborneDrop,
    AirSupply,
    Attack,
    EndPhase,
    Landing,
    Move,
    Order,
    RailMove,
)
from ui import files
from ui.ai_runner import AIRunner, AIStep
from ui.animation import Animator
from ui.camera import OPERATIONAL_RADIUS, ZOOM_STEPS, Camera, HexLayout
from ui.layout import Layout, layout_for
from ui.panels import attack_rows, log_entry_at, log_filter_kinds, menu_item_rects, stack_rows
from ui.panels.minimap import Minimap
from ui.session import Session
from ui.snapshot import Snapshot, UnitMark, take_snapshot
from ui.state import OVERLAYS, SPEEDS, ContextMenu, PathPreview, PendingAttack, Toast, UIState
from ui.userdata import UserData, shown_path, user_data

#: A press that moves further than this (pixels) before release is a drag, not a click.
DRAG_THRESHOLD = 5
#: Pixels a key press pans the map.
KEY_PAN = 80
TOAST_SECONDS = 3.0

#: Every hotkey with what it does (the help overlay lists this table).
HOTKEYS: list[tuple[str, str]] = [
    ("Left click", "select (again: next in stack); move; attack"),
    ("Left drag", "pan; from the selected unit: move it to the drop"),
    ("Right click", "the selected unit's special orders for this hex"),
    ("Wheel / + -", "zoom about the mouse / the centre"),
    ("Arrows / WASD", "pan the map"),
    ("Home", "the whole theatre"),
    ("C", "centre on the selected unit"),
    ("Tab", "next unit that can still move"),
    ("Enter", "end the phase (confirm an attack; continue after a hand-over)"),
    ("Backspace / Ctrl+Z", "undo the last move that revealed nothing"),
    ("Esc", "cancel: menu, attack, selection, help; then the game's menu"),
    ("R", "rail move of the selected unit to the hex under the mouse"),
    ("P", "airborne drop of the selected unit on the hex under the mouse"),
    ("L", "amphibious landing of the selected unit on the hex under the mouse"),
    ("F", "air supply (fuel) for the selected unit"),
    ("1 2 3 4 5", "overlays: supply, zones of control, control, objectives, fog of war"),
    ("V", "AI speed: slow, normal, fast, instant"),
    ("Space", "skip the AI's animation"),
    ("F2", "debug: show every unit"),
    ("F5 / Ctrl+S", "save the game (into the saves folder)"),
    ("F9 / Ctrl+O", "load the latest save"),
    ("F10", "the after-action report (opens by itself at the end)"),
    ("F1 / ?", "this help"),
]

_PAN_KEYS = {
    pygame.K_LEFT: (-1, 0),
    pygame.K_a: (-1, 0),
    pygame.K_RIGHT: (1, 0),
    pygame.K_d: (1, 0),
    pygame.K_UP: (0, -1),
    pygame.K_w: (0, -1),
    pygame.K_DOWN: (0, 1),
    pygame.K_s: (0, 1),
}
_OVERLAY_KEYS = {pygame.K_1 + k: name for k, name in enumerate(OVERLAYS)}
_SPECIAL_KEYS: dict[int, type] = {
    pygame.K_r: RailMove,
    pygame.K_p: AirborneDrop,
    pygame.K_l: Landing,
}


@dataclass
class Press:
    """A mouse button held down: where, and whether it became a drag."""

    button: int
    pos: tuple[int, int]
    last: tuple[int, int]
    dragging: bool = False
    drag_unit: str | None = None


class Controller:
    """Turns input into UI state changes and engine orders."""

    def __init__(
        self,
        session: Session,
        size: tuple[int, int],
        data: UserData | None = None,
        ui_scale: float = 1.0,
    ) -> None:
        self.session = session
        self.ui_scale = ui_scale
        """Panels and text this much larger (the UI scale setting)."""
        self.game: Game = session.game
        self.now = 0.0
        """The window's time in seconds: the sum of the frames' ``dt`` (toasts, banners and
        animations run on it, so a scripted run of N frames shows the same at any speed)."""
        self.ui = UIState()
        self.layout: Layout = layout_for(*size, ui_scale)
        self.hex_layout = HexLayout(self.game.world.grid)
        self.camera = Camera(self.hex_layout, tuple(self.layout.map))  # type: ignore[arg-type]
        self.camera.zoom = self.camera.fit_step()
        self.camera.centre_on_world(self.hex_layout.width / 2, self.hex_layout.height / 2)
        self.runner = AIRunner(session)
        self.minimap = Minimap(self.game.world, self.hex_layout)
        self._version = 0
        self.animator = Animator(self._take_snapshot())
        self.press: Press | None = None
        self._reach_key: tuple | None = None
        self._reach = None
        self.banner: tuple[str, float] | None = None
        self.last_turn = self.game.state.turn
        self.ai_steps = 0
        self._warm_key: tuple | None = None
        self._warm_done: set[str] = set()
        self.marker_at: Callable[[Camera, tuple[int, int]], object | None] | None = None
        """The army marker under a pixel at theatre zoom (set by the scene that draws them)."""
        self.data = data or user_data()
        """The player's folder: saves, autosaves, settings."""
        self.autosaved_turn = self.game.state.turn
        """The last turn autosaved (a game opened in the window is not saved again at once)."""
        self.loaded: files.Loaded | None = None
        self._changed_offer: tuple[Path, int] | None = None
        """A changed save just refused (path, game version): asked again, it is replayed."""
        """A save opened by Load: the scene swaps to its session."""
        self._after_change()

    # ------------------------------------------------------------ what is shown

    @property
    def viewer(self) -> str | None:
        """The side whose eyes the map is seen through (None: all units)."""
        return None if self.ui.show_all else self.session.viewer

    @property
    def shown(self) -> Snapshot:
        """The snapshot the map draws (the AI's animation lags behind the game)."""
        return self.animator.shown

    @property
    def ai_busy(self) -> bool:
        """Whether the AI is playing or its moves are still being shown."""
        return self.runner.active or not self.animator.idle

    @property
    def can_order(self) -> bool:
        """Whether the window may give orders now."""
        return (
            self.session.human_turn
            and not self.ai_busy
            and self.ui.mode in ("orders", "attack")
            and not self.game.state.game_over
        )

    def units_at(self, index: int) -> list[UnitMark]:
        """The units the viewer sees in a hex, strongest first."""
        units = [u for u in self.shown.units_seen_by(self.viewer) if u.hex == index]
        return sorted(units, key=lambda u: -u.strength)

    def selected_unit(self) -> UnitMark | None:
        """The selected unit as shown (None if none, or it left play)."""
        uid = self.ui.selection.unit_id
        if uid is None:
            return None
        return next((u for u in self.shown.units if u.id == uid), None)

    def reach(self):  # noqa: ANN201 - engine.movement.Reach
        """The selected unit's reach from its side's view (cached until the game changes)."""
        uid = self.ui.selection.unit_id
        if uid is None or not self.can_order or self.game.state.phase != "movement":
            return None
        unit = self.game.state.units.get(uid)
        if unit is None or unit.side != self.game.active_side or not unit.on_map:
            return None
        key = (uid, len(self.game.order_log), id(self.game.state))
        if key != self._reach_key:
            try:
                self._reach = self.game.view(unit.side).reachable(uid)
            except IllegalOrder:
                self._reach = None
            self._reach_key = key
        return self._reach

    def warm(self) -> bool:
        """Spare time: build the side view's movement graphs before the player selects a unit.

        The first reach of a movement class against an enemy deployment builds its graph (tens
        of milliseconds on August Storm); doing it in idle time keeps a click's answer quick.
        Returns whether there was anything left to do.
        """
        if not self.can_order or self.game.state.phase != "movement":
            return False
        key = (len(self.game.order_log), id(self.game.state))
        if self._warm_key != key:
            self._warm_key, self._warm_done = key, set()
        game = self.game
        for u in game.state.units_of(game.active_side):
            cls = u.movement_class
            if cls in self._warm_done or u.mp_left <= 0 or u.cease_fire:
                continue
            self._warm_done.add(cls)
            with contextlib.suppress(IllegalOrder):
                game.view(u.side).reachable(u.id)
            return True
        return False

    # ------------------------------------------------------------ events

    def handle(self, event: pygame.event.Event) -> None:
        """Take one input event."""
        kind = event.type
        if kind in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            w, h = (event.w, event.h) if kind == pygame.VIDEORESIZE else (event.x, event.y)
            self.resize((w, h))
        elif kind == pygame.MOUSEMOTION:
            self._motion(event.pos)
        elif kind == pygame.MOUSEBUTTONDOWN and event.button in (1, 2, 3):
            self.press = Press(event.button, event.pos, event.pos)
            if event.button == 1 and self.ui.selection.unit_id and self.can_order:
                here = self.camera.hex_at(*event.pos)
                sel = self.selected_unit()
                if sel is not None and here == sel.hex:
                    self.press.drag_unit = sel.id
        elif kind == pygame.MOUSEBUTTONUP and event.button in (1, 2, 3):
            self._release(event.button, event.pos)
        elif kind == pygame.MOUSEWHEEL:
            self._wheel(event.y)
        elif kind == pygame.KEYDOWN:
            self._key(event.key, event.mod)

    def resize(self, size: tuple[int, int]) -> None:
        """Lay the window out for a new size."""
        self.layout = layout_for(*size, self.ui_scale)
        self.camera.set_view(tuple(self.layout.map))  # type: ignore[arg-type]
        self.ui.touch()

    def _motion(self, pos: tuple[int, int]) -> None:
        self.ui.mouse = pos
        self.ui.touch()  # the tooltip and the hovered path follow the mouse
        press = self.press
        if press is not None:
            dx, dy = pos[0] - press.pos[0], pos[1] - press.pos[1]
            if not press.dragging and abs(dx) + abs(dy) > DRAG_THRESHOLD:
                press.dragging = self.camera.contains(*press.pos)
            if press.dragging and press.drag_unit is None:
                self.camera.pan(press.last[0] - pos[0], press.last[1] - pos[1])
            press.last = pos
        hovered = self.camera.hex_at(*pos)
        if hovered != self.ui.hovered:
            self.ui.hovered = hovered
            self._update_path()
            if self.ui.menu is None:
                self.ui.touch()
        if self.ui.menu is not None:
            self._hover_menu(pos)

    def _release(self, button: int, pos: tuple[int, int]) -> None:
        press, self.press = self.press, None
        if press is None:
            return
        if press.dragging:
            if press.drag_unit is not None:
                here = self.camera.hex_at(*pos)
                if here is not None:
                    self._order_move(press.drag_unit, here, pos)
            return
        if button == 1:
            self.click(pos)
        elif button == 3:
            self.right_click(pos)

    def _wheel(self, y: int) -> None:
        pos = self.ui.mouse
        if self.layout.log.collidepoint(pos):
            self.ui.log_scroll = max(0, self.ui.log_scroll + y)
            self.ui.touch()
        elif self.camera.contains(*pos) and y:
            self.camera.zoom_by(1 if y > 0 else -1, pos)
            self.camera.moved_by_player = True

    # ------------------------------------------------------------ keys

    def _key(self, key: int, mod: int) -> None:
        ctrl = bool(mod & pygame.KMOD_CTRL)
        if self.ui.mode == "handover":
            if key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
                self.end_handover()
            return
        if key in (pygame.K_F1, pygame.K_QUESTION) or (
            key == pygame.K_SLASH and mod & pygame.KMOD_SHIFT
        ):
            self.ui.help = not self.ui.help
            self.ui.help_page = 0
        elif self.ui.help and key in (pygame.K_TAB, pygame.K_LEFT, pygame.K_RIGHT):
            self.ui.help_page = 1 - self.ui.help_page
        elif key == pygame.K_ESCAPE:
            self.cancel()
        elif key in _PAN_KEYS and not ctrl:
            dx, dy = _PAN_KEYS[key]
            self.camera.pan(dx * KEY_PAN, dy * KEY_PAN)
        elif key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS, pygame.K_PAGEUP):
            self.camera.zoom_by(1)
        elif key in (pygame.K_MINUS, pygame.K_KP_MINUS, pygame.K_PAGEDOWN):
            self.camera.zoom_by(-1)
        elif key == pygame.K_HOME:
            self.camera.zoom_to(self.camera.fit_step())
            self.camera.centre_on_world(self.hex_layout.width / 2, self.hex_layout.height / 2)
        elif key == pygame.K_c:
            sel = self.selected_unit()
            if sel is not None:
                self.camera.centre_on(sel.hex)
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if self.ui.mode == "attack":
                self.confirm_attack()
            else:
                self.end_phase()
        elif key == pygame.K_BACKSPACE or (key == pygame.K_z and ctrl):
            self.undo()
        elif key == pygame.K_TAB:
            self.next_unit()
        elif key in _OVERLAY_KEYS:
            self.toggle_overlay(_OVERLAY_KEYS[key])
        elif key == pygame.K_v:
            self.cycle_speed()
        elif key == pygame.K_SPACE:
            self.animator.skip()
        elif key == pygame.K_F2:
            self.ui.show_all = not self.ui.show_all
            self.toast("debug: every unit shown" if self.ui.show_all else "fog of war restored")
        elif key == pygame.K_F5 or (key == pygame.K_s and ctrl):
            self.save()
        elif key == pygame.K_F9 or (key == pygame.K_o and ctrl):
            self.load_latest()
        elif key in _SPECIAL_KEYS:
            self._special_key(_SPECIAL_KEYS[key])
        elif key == pygame.K_f:
            self._air_supply()
        self.ui.touch()

    # ------------------------------------------------------------ clicks

    def click(self, pos: tuple[int, int]) -> None:
        """A left click anywhere in the window."""
        ui = self.ui
        if ui.help:
            ui.help = False
            ui.touch()
            return
        if ui.mode == "handover":
            self.end_handover()
            return
        if ui.menu is not None:
            self._click_menu(pos)
            return
        button = self.layout.button_at(pos)
        if button is not None:
            self.press_button(button)
            return
        if ui.mode == "attack":
            for name, rect in self.layout.attack_buttons().items():
                if rect.collidepoint(pos):
                    self.press_button(name)
                    return
            if self.layout.info_panel.collidepoint(pos):
                self._click_attack_row(pos)
                return
        if self.layout.unit_panel.collidepoint(pos):
            self._click_stack_row(pos)
        elif self.layout.log.collidepoint(pos):
            self._click_log(pos)
        elif self.layout.minimap.collidepoint(pos):
            self._click_minimap(pos)
        elif self.camera.contains(*pos):
            if self.camera.level == "theatre" and self._zoom_to_marker(pos):
                return
            here = self.camera.hex_at(*pos)
            if here is not None:
                self.map_click(here, pos)

    def _zoom_to_marker(self, pos: tuple[int, int]) -> bool:
        """At theatre zoom a click on an army's marker zooms in on the army."""
        marker = self.marker_at(self.camera, pos) if self.marker_at is not None else None
        if marker is None:
            return False
        wx, wy = marker.world  # type: ignore[attr-defined]
        step = next(k for k, r in enumerate(ZOOM_STEPS) if r >= OPERATIONAL_RADIUS)
        self.camera.zoom_to(max(step + 1, self.camera.zoom))
        self.camera.centre_on_world(wx, wy)
        self.camera.moved_by_player = True
        self.ui.touch()
        return True

    def press_button(self, name: str) -> None:
        """A button of the top bar, an overlay toggle, a log filter, or confirm/cancel."""
        if name == "end_phase":
            self.end_phase()
        elif name == "undo":
            self.undo()
        elif name == "speed":
            self.cycle_speed()
        elif name == "help":
            self.ui.help = not self.ui.help
        elif name == "confirm":
            self.confirm_attack()
        elif name == "cancel":
            self.cancel()
        elif name.startswith("overlay:"):
            self.toggle_overlay(name.split(":", 1)[1])
        elif name.startswith("log:"):
            self.ui.log_kinds = log_filter_kinds(name.split(":", 1)[1])
            self.ui.log_scroll = 0
        self.ui.touch()

    def map_click(self, index: int, pos: tuple[int, int]) -> None:
        """A left click on a hex of the map."""
        ui = self.ui
        ui.hovered = index
        here = self.units_at(index)
        side = self.game.active_side if self.can_order else None
        own = [u for u in here if u.side == side]
        enemy = [u for u in here if side is not None and u.side != side]
        sel = self.selected_unit()
        if not self.can_order:
            self._select_from(index, here)
            return
        if self.game.state.phase == "movement":
            if own and (sel is None or sel.hex == index or sel.side != side):
                self._select_from(index, own)
            elif sel is not None and sel.side == side and not enemy:
                self._order_move(sel.id, index, pos)
            elif own:
                self._select_from(index, own)
            elif enemy:
                self._error("enemy units hold this hex: attack it in the combat phase", pos)
            else:
                self._select_from(index, here)
            return
        # combat phase
        if ui.mode == "attack" and ui.attack is not None and own:
            ids = [u.id for u in own if u.id in ui.attack.candidates]
            if ids:
                self.toggle_attacker(ids[0])
                return
        if own:
            self._select_from(index, own)
        elif enemy:
            self.begin_attack(index, pos)
        else:
            self._select_from(index, here)

    def right_click(self, pos: tuple[int, int]) -> None:
        """Open the special-orders menu for the selected unit at the hex under the mouse."""
        self.ui.menu = None
        index = self.camera.hex_at(*pos)
        sel = self.selected_unit()
        if index is None or sel is None or not self.can_order:
            if self.ui.mode == "attack":
                self.cancel()
            return
        items: list[tuple[str, Order]] = []
        for order in self._legal_for(sel.id):
            if isinstance(order, AirSupply):
                items.append((f"Air supply: fly {order.tons:g} t of fuel", order))
            elif isinstance(order, RailMove | AirborneDrop | Landing | Move):
                if self.game.world.index(*order.to) != index:
                    continue
                label = {
                    Move: "Move here",
                    RailMove: "Rail move here",
                    AirborneDrop: "Airborne drop here",
                    Landing: "Amphibious landing here",
                }[type(order)]
                items.append((label, order))
        if not items:
            self._error(f"no special order for {sel.name} here", pos)
            return
        self.ui.menu = ContextMenu(pos=pos, hex=index, items=items)
        self.ui.touch()

    # ------------------------------------------------------------ selection

    def _select_from(self, index: int, units: list[UnitMark]) -> None:
        sel = self.ui.selection
        if not units:
            sel.unit_id, sel.hex, sel.stack_pick = None, index, 0
        elif sel.hex == index and sel.unit_id in {u.id for u in units}:
            sel.stack_pick = (sel.stack_pick + 1) % len(units)
            sel.unit_id = units[sel.stack_pick].id
        else:
            sel.hex, sel.stack_pick, sel.unit_id = index, 0, units[0].id
        self._update_path()
        self.ui.touch()

    def select_unit(self, unit_id: str) -> None:
        """Select a unit by id (from the stack list, the log or a test)."""
        unit = next((u for u in self.shown.units if u.id == unit_id), None)
        if unit is None:
            return
        sel = self.ui.selection
        stack = self.units_at(unit.hex)
        sel.unit_id, sel.hex = unit.id, unit.hex
        sel.stack_pick = next((k for k, u in enumerate(stack) if u.id == unit_id), 0)
        self._update_path()
        self.ui.touch()

    def next_unit(self) -> None:
        """Select the next own unit that can still move, and look at it."""
        if not self.can_order:
            return
        movers = [u for u in self.shown.units if u.moves_left]
        if not movers:
            self.toast("every unit has moved")
            return
        ids = [u.id for u in movers]
        cur = self.ui.selection.unit_id
        nxt = movers[(ids.index(cur) + 1) % len(movers)] if cur in ids else movers[0]
        self.select_unit(nxt.id)
        self.camera.centre_on(nxt.hex)

    def cancel(self) -> None:
        """Esc: close the menu or help, drop the attack, then the selection."""
        ui = self.ui
        if ui.menu is not None:
            ui.menu = None
        elif ui.mode == "game_over" and ui.result_sheet:
            ui.result_sheet = False
        elif ui.help:
            ui.help = False
        elif ui.mode == "attack":
            ui.attack = None
            ui.mode = "orders"
        else:
            ui.selection.unit_id = None
            ui.path = None
        ui.touch()

    # ------------------------------------------------------------ orders

    def apply(self, order: Order, pos: tuple[int, int] | None = None) -> bool:
        """Apply a human order through the engine; an illegal one shows why and changes nothing."""
        if not self.can_order:
            self._error("wait: it is not your turn to give orders", pos)
            return False
        try:
            result = self.game.apply(order, checkpoint=True)
        except IllegalOrder as exc:
            self._error(exc.detail, pos)
            return False
        text = "; ".join(m for m in result.messages if m)
        if result.combat is not None:
            rec = result.combat
            self.ui.last_result = rec.summary
            self.toast(rec.summary, pos, kind="result")
        elif text and not isinstance(order, EndPhase):  # the top bar shows the new phase
            self.toast(text, pos, kind="info")
        self.ui.warned_moves_left = False
        self._after_change()
        return True

    def _order_move(self, unit_id: str, index: int, pos: tuple[int, int] | None) -> None:
        self.apply(Move(unit=unit_id, to=self.game.world.coord(index)), pos)

    def _legal_for(self, unit_id: str) -> list[Order]:
        try:
            return self.game.legal_orders(unit_id)
        except IllegalOrder:
            return []

    def _special_key(self, kind: type) -> None:
        sel = self.selected_unit()
        index = self.ui.hovered
        if sel is None or index is None:
            self._error("select a unit and point at a hex first", self.ui.mouse)
            return
        self.apply(kind(unit=sel.id, to=self.game.world.coord(index)), self.ui.mouse)

    def _air_supply(self) -> None:
        sel = self.selected_unit()
        if sel is None:
            self._error("select a unit first", self.ui.mouse)
            return
        offer = [o for o in self._legal_for(sel.id) if isinstance(o, AirSupply)]
        if not offer:
            self._error(f"no air supply can reach {sel.name} now", self.ui.mouse)
            return
        self.apply(offer[0], self.ui.mouse)

    def _click_menu(self, pos: tuple[int, int]) -> None:
        menu, self.ui.menu = self.ui.menu, None
        assert menu is not None
        for k, rect in enumerate(menu_item_rects(menu, pygame.Rect((0, 0), self.layout.size))):
            if rect.collidepoint(pos):
                self.apply(menu.items[k][1], pos)
                break
        self.ui.touch()

    def _hover_menu(self, pos: tuple[int, int]) -> None:
        menu = self.ui.menu
        assert menu is not None
        hovered = -1
        for k, rect in enumerate(menu_item_rects(menu, pygame.Rect((0, 0), self.layout.size))):
            if rect.collidepoint(pos):
                hovered = k
        if hovered != menu.hovered:
            menu.hovered = hovered
            self.ui.touch()

    # ------------------------------------------------------------ attacks

    def begin_attack(self, target: int, pos: tuple[int, int] | None = None) -> None:
        """Put an attack on a hex together, starting with the selected unit if it can join."""
        side = self.game.active_side
        view = self.game.view(side)
        coord = self.game.world.coord(target)
        candidates = []
        for u in self.shown.units:
            if u.side != side:
                continue
            try:
                if coord in view.attack_targets(u.id):
                    candidates.append(u.id)
            except IllegalOrder:
                continue
        if not candidates:
            self._error("none of your units can attack this hex now", pos)
            return
        sel = self.ui.selection.unit_id
        attackers = [sel] if sel in candidates else list(candidates)
        self.ui.attack = PendingAttack(target=target, attackers=attackers, candidates=candidates)
        self.ui.mode = "attack"
        self._refresh_preview()

    def toggle_attacker(self, unit_id: str) -> None:
        """Add a candidate to the attack, or drop it."""
        att = self.ui.attack
        if att is None or unit_id not in att.candidates:
            return
        if unit_id in att.attackers:
            att.attackers.remove(unit_id)
        else:
            att.attackers.append(unit_id)
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        att = self.ui.attack
        assert att is not None
        att.preview, att.error = None, ""
        if att.attackers:
            try:
                att.preview = self.game.view(self.game.active_side).preview_attack(
                    list(att.attackers), self.game.world.coord(att.target)
                )
            except IllegalOrder as exc:
                att.error = exc.detail
        else:
            att.error = "add at least one attacker"
        self.ui.touch()

    def confirm_attack(self) -> None:
        """Carry out the pending attack."""
        att = self.ui.attack
        if att is None:
            return
        if not att.attackers:
            self._error(att.error or "add at least one attacker", self.ui.mouse)
            return
        order = Attack(target=self.game.world.coord(att.target), attackers=list(att.attackers))
        if self.apply(order, self.camera.hex_centre_int(att.target)):
            self.ui.attack = None
            self.ui.mode = "orders"

    def _click_attack_row(self, pos: tuple[int, int]) -> None:
        att = self.ui.attack
        if att is None:
            return
        for rect, uid in attack_rows(self.layout, att):
            if rect.collidepoint(pos):
                self.toggle_attacker(uid)
                return

    # ------------------------------------------------------------ phases, undo

    def end_phase(self) -> None:
        """End the phase (a first press warns when units still have moves)."""
        if not self.can_order:
            self._error("wait: it is not your turn", self.ui.mouse)
            return
        waiting = [u for u in self.shown.units if u.moves_left]
        if waiting and not self.ui.warned_moves_left:
            self.ui.warned_moves_left = True
            n = len(waiting)
            self.toast(
                f"{n} unit{'s' if n > 1 else ''} can still move: end the phase again to confirm",
                None,
                kind="error",
            )
            return
        self.ui.attack = None
        self.ui.mode = "orders"
        self.ui.selection.unit_id = None
        self.ui.path = None
        self.apply(EndPhase())

    def undo(self) -> None:
        """Take back the last move that revealed nothing new."""
        if not self.can_order:
            self._error("nothing to undo now", self.ui.mouse)
            return
        try:
            self.game.undo()
        except IllegalOrder as exc:
            self._error(exc.detail, self.ui.mouse)
            return
        self.toast("move taken back")
        self._after_change()

    def can_undo(self) -> bool:
        """Whether the undo button is live."""
        return self.can_order and self.game.can_undo()

    # ------------------------------------------------------------ overlays, speed, panels

    def toggle_overlay(self, name: str) -> None:
        """Switch an overlay on or off."""
        if name in self.ui.overlays:
            self.ui.overlays[name] = not self.ui.overlays[name]
            self.ui.touch()

    def cycle_speed(self) -> None:
        """Slow, normal, fast, instant."""
        k = SPEEDS.index(self.ui.speed)
        self.ui.speed = SPEEDS[(k + 1) % len(SPEEDS)]
        self.toast(f"AI speed: {self.ui.speed}")

    def _click_stack_row(self, pos: tuple[int, int]) -> None:
        sel = self.ui.selection
        where = sel.hex if sel.hex is not None else self.ui.hovered
        if where is None:
            return
        stack = self.units_at(where)
        for rect, unit in zip(stack_rows(self.layout, len(stack)), stack, strict=False):
            if rect.collidepoint(pos):
                self.select_unit(unit.id)
                return

    def log_entries(self) -> list:
        """The game log's entries the log panel shows (the viewer's own and public ones)."""
        entries = self.game.state.log[: self.shown.log_length]
        return [e for e in entries if self._log_visible(e)]

    def _log_visible(self, entry: object) -> bool:
        viewer = self.viewer
        side = getattr(entry, "side", None)
        if viewer is None or side is None or side == viewer:
            return True
        # the enemy's moves are its own business; combats, captures and events are public
        return getattr(entry, "kind", "") not in ("move", "rail", "airsupply", "supply")

    def _click_log(self, pos: tuple[int, int]) -> None:
        entry = log_entry_at(self.layout, self.log_entries(), self.ui, pos)
        hexes = getattr(entry, "hexes", ()) if entry is not None else ()
        if hexes:
            self.camera.centre_on(self.game.world.index(*hexes[-1]))
            self.camera.moved_by_player = True

    def _click_minimap(self, pos: tuple[int, int]) -> None:
        wx, wy = self.minimap.minimap_to_world(self.layout, pos)
        self.camera.centre_on_world(wx, wy)
        self.camera.moved_by_player = True

    # ------------------------------------------------------------ messages

    def toast(self, text: str, pos: tuple[int, int] | None = None, kind: str = "info") -> None:
        """Show a short message (near ``pos`` when given)."""
        self.ui.toasts = [t for t in self.ui.toasts if t.pos is not None][-3:]
        self.ui.toasts.append(Toast(text, pos, self.now + TOAST_SECONDS, kind))  # type: ignore[arg-type]
        self.ui.touch()

    def _error(self, text: str, pos: tuple[int, int] | None) -> None:
        self.toast(text, pos or self.ui.mouse, kind="error")

    # ------------------------------------------------------------ the path under the mouse

    def _update_path(self) -> None:
        ui = self.ui
        ui.path = None
        reach = self.reach()
        sel = ui.selection.unit_id
        target = ui.hovered
        if reach is None or sel is None or target is None or target == reach.start:
            return
        path = reach.path_to(target)
        if path:
            cost = reach.cost_to(target)
            legal = reach.may_end_at(target)
            why = "" if legal else "cannot end here (stacking or enemy)"
            zoc = bool(reach.enemy_zoc[target])
            ui.path = PathPreview(sel, target, path, cost, zoc, legal, why)
        else:
            ui.path = PathPreview(sel, target, [], float("inf"), False, False, "out of reach")

    # ------------------------------------------------------------ the frame

    def update(self, dt: float) -> None:
        """Advance the AI's turn and its animation by ``dt`` seconds."""
        self.now += dt
        now = self.now
        if self.ui.toasts and any(t.until <= now for t in self.ui.toasts):
            self.ui.toasts = [t for t in self.ui.toasts if t.until > now]
            self.ui.touch()
        for step in self.runner.poll():
            if step is None:
                continue
            self.ai_steps += 1
            self.animator.push(step)
        if self.animator.update(dt, self.ui.speed, self._sees):
            self.ui.touch()
        self.runner.shown = self.runner.produced - len(self.animator) - self.runner.steps.qsize()
        if not self.runner.active and self.animator.idle and self.ui.mode == "ai_turn":
            if self.runner.error:
                self.toast(self.runner.error, None, kind="error")
                self.runner.error = None
            self._after_change()
        if self.banner is not None and self.banner[1] <= now:
            self.banner = None
        if self.shown.turn != self.last_turn:
            self.last_turn = self.shown.turn
            date = self.game.scenario.date_of_turn(self.shown.turn)
            self.banner = (f"Day {self.shown.turn} — {date.day} {date:%B %Y}", now + 2.0)

    def _sees(self, step: AIStep) -> bool:
        viewer = self.viewer
        if viewer is None or step.side == viewer:
            return True
        sight = step.snapshot.sight.get(viewer)
        if sight is None:
            return False
        hexes = list(step.path) + ([step.target] if step.target is not None else [])
        return any(bool(sight[i]) for i in hexes)

    def _take_snapshot(self) -> Snapshot:
        self._version += 1
        return take_snapshot(self.game, self._version)

    def _after_change(self) -> None:
        """After the game changed in this thread: new picture, new mode, maybe the AI's turn."""
        if self.runner.busy:
            return
        self._version = max(self._version, self.runner.version)
        self.animator.shown = self._take_snapshot()
        self._autosave_on_new_turn()  # before the AI's worker may take the game
        ui = self.ui
        if self.game.state.game_over:
            ui.mode = "game_over"
        elif self.session.human_turn:
            side = self.game.active_side
            if self.session.mode == "hotseat" and ui.handover_to not in (side, "shown:" + side):
                ui.handover_to = side
                ui.mode = "handover"
                ui.selection.unit_id = None
                ui.attack = None
            elif ui.mode not in ("attack", "handover"):
                ui.mode = "orders"
        else:
            ui.selection.unit_id = None
            ui.attack = None
            ui.path = None
            # the AI plays on unless main.py play --turns told it to stop here
            ui.mode = "ai_turn" if self.runner.start(self._version) else "paused"
        sel = self.selected_unit()
        if sel is None:
            ui.selection.unit_id = None
        self._update_path()
        ui.touch()

    def resume(self) -> None:
        """Let the players go on after a pause (a replay's next step, a raised ``stop_turn``)."""
        if self.ui.mode == "paused" and not self.runner.busy:
            self._after_change()

    # ------------------------------------------------------------ files: save, load, autosave

    def save(self) -> Path | None:
        """F5 / Ctrl+S: save the game into the saves folder; a toast names the file."""
        if self.runner.busy:
            self.toast("wait: the AI is playing; save when it stops", None, kind="error")
            return None
        try:
            path = files.save_into(self.game, self.data.saves)
        except (OSError, EngineError) as exc:
            self.toast(f"could not save into {shown_path(self.data.saves)}: {exc}", kind="error")
            return None
        files.remember(self.data, path)
        self.toast(f"saved {path.name} in {shown_path(path.parent)}")
        return path

    def load_latest(self) -> None:
        """F9 / Ctrl+O: open the latest save (the scene then swaps to it)."""
        path = files.latest_save(self.data)
        if path is None:
            self.toast(f"no save yet in {shown_path(self.data.saves)}", None, kind="error")
            return
        self.load(path)

    def load(self, path: Path) -> bool:
        """Open a save with the same sides at the controls; an error is shown, never raised.

        A save whose scenario or mods changed since is refused with what changed, and the same
        load asked again soon after (F9 twice) replays its orders on the current files instead.
        """
        s = self.session
        humans = [side for side in s.players if s.is_human(side)]
        replay = self._changed_offer == (path, self.game.state.version) and bool(self.ui.toasts)
        loaded = files.load_into_window(path, humans, s.plans, replay=replay, data=self.data)
        if loaded.session is None:
            if loaded.changed:
                self._changed_offer = (path, self.game.state.version)
                first = loaded.error.splitlines()[0]
                text = f"{first} — F9 again: replay its orders on the current files"
                self.toast(text, None, kind="error")
            else:
                self.toast(loaded.error, None, kind="error")
            return False
        self._changed_offer = None
        self.loaded = loaded
        return True

    def _autosave_on_new_turn(self) -> None:
        """The autosave at the start of each turn (while the window, not the AI, has the game)."""
        turn = self.game.state.turn
        if turn == self.autosaved_turn or self.game.state.game_over:
            return
        self.autosaved_turn = turn
        try:
            files.autosave_window(self.game, self.data)
        except (OSError, EngineError) as exc:
            self.toast(f"autosave failed: {exc}", None, kind="error")

    def end_handover(self) -> None:
        """The next hot-seat player has the screen: show the map."""
        if self.ui.mode == "handover":
            self.ui.handover_to = "shown:" + (self.ui.handover_to or "")
            self.ui.mode = "orders"
            self.ui.touch()

    def shutdown(self) -> None:
        """Stop the AI's worker (the window is closing)."""
        self.runner.stop()
