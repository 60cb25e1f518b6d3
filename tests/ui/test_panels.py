"""The panels around the map, drawn headless on plain 1600x900 surfaces for a real game."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pygame
import pytest

from engine import combat
from engine.game import Game
from engine.orders import EndPhase
from engine.players import make_player, run_game
from engine.scenario.loader import load_scenario
from ui import panel_style as ps
from ui import panels
from ui.camera import Camera, HexLayout
from ui.layout import layout_for
from ui.panels import common, overlays
from ui.panels.info_panel import loss_cells
from ui.panels.top_bar import button_states
from ui.panels.unit_panel import chain_of_command, strength_lines, supply_line
from ui.state import ContextMenu, PathPreview, PendingAttack, Toast, UIState
from ui.style import side_colour

W, H = 1600, 900
BG = (1, 2, 3)


@pytest.fixture(scope="module")
def game() -> Game:
    """test_small after two AI turns, in the Soviet combat phase of turn 3."""
    scenario = load_scenario("test_small")
    g = Game(scenario, 1)
    run_game(g, {s: make_player("ai", s, scenario) for s in scenario.side_order}, max_turns=2)
    g.apply(EndPhase())
    assert g.state.phase == "combat" and g.active_side == "soviet"
    return g


@pytest.fixture(scope="module")
def attack(game: Game) -> PendingAttack:
    targets: dict[int, list[str]] = {}
    for u in game.state.units_of(game.active_side):
        for t in combat.attack_targets(game.world, game.state, u):
            targets.setdefault(t, []).append(u.id)
    assert targets, "the test game should have an attack to make"
    target, ids = max(targets.items(), key=lambda kv: len(kv[1]))
    pv = game.preview_attack(ids[:1], game.world.coord(target))
    return PendingAttack(target=target, attackers=ids[:1], candidates=ids, preview=pv)


@pytest.fixture()
def layout():
    return layout_for(W, H)


@pytest.fixture()
def surface() -> pygame.Surface:
    s = pygame.Surface((W, H))
    s.fill(BG)
    return s


def changed(surface: pygame.Surface, rect: pygame.Rect) -> int:
    """How many pixels of ``rect`` differ from the background."""
    px = pygame.surfarray.array3d(surface.subsurface(rect))
    return int((px != np.array(BG)).any(axis=2).sum())


def colour_count(surface: pygame.Surface, rect: pygame.Rect, colour) -> int:
    px = pygame.surfarray.array3d(surface.subsurface(rect))
    return int((px == np.array(colour[:3])).all(axis=2).sum())


def counter(unit, px):
    s = pygame.Surface((px, px))
    s.fill((200, 40, 40))
    return s


@dataclass(frozen=True)
class Entry:
    """Stand-in for the structured log entry (same attributes)."""

    turn: int
    kind: str
    text: str
    phase: str = "movement"
    side: str = ""
    units: tuple[str, ...] = ()
    hexes: tuple[tuple[int, int], ...] = ()

    def __str__(self) -> str:
        return f"T{self.turn} {self.text}"


# ---------------------------------------------------------------- formats and text


def test_formats():
    assert common.fmt_int(12400) == "12,400"
    assert common.fmt_date(dt.date(1945, 8, 11)) == "11 Aug 1945"
    assert common.fmt_long_date(dt.datetime(1945, 8, 9, 0, 1)) == "9 August 1945"
    assert common.fmt_day_month(dt.date(1945, 8, 15)) == "15 Aug"
    assert common.fmt_vp(41.0) == "41" and common.fmt_vp(29.4) == "29.4"


def test_fit_text_ellipsizes_to_the_width():
    long = "1st Red Banner Army artillery and army troops (2 of 2), Ussuri sector"
    short = common.fit_text(long, 14, False, 120)
    assert short.endswith(common.ELLIPSIS) and short != long
    assert common.text_width(short, 14) <= 120
    assert common.fit_text("Hailar", 14, False, 400) == "Hailar"


def test_missing_glyphs_are_replaced_not_boxed():
    text = common.safe_text("End phase ⏎", 15)
    # with or without the glyph, what is drawn is the symbol or its plain stand-in
    assert text in ("End phase ⏎", "End phase Enter")


# ---------------------------------------------------------------- top bar


def test_top_bar_text(game):
    ui = UIState()
    text = panels.top_bar_text(game, ui, "you: Soviet vs AI")
    assert text.when == "Day 3 · 11 August 1945 · Soviet combat"
    vp = game.victory_points()
    assert (
        text.vp
        == f"VP Soviet {common.fmt_vp(vp['soviet'])} : Japanese {common.fmt_vp(vp['japanese'])}"
    )
    assert text.buttons["speed"] == "Speed: normal"
    assert text.players == "you: Soviet vs AI"


def test_the_top_bar_says_when_the_points_are_against_1945():
    graded = Game(load_scenario("august_storm"), 1)
    assert panels.top_bar_text(graded, UIState()).vp.startswith("VP against 1945 Soviet ")
    plans = Game(
        load_scenario("august_storm", mods=["scenarios/august_storm/mods/plans_victory.yaml"]), 1
    )
    assert panels.top_bar_text(plans, UIState()).vp.startswith("VP Soviet ")


def test_top_bar_buttons_grey_and_highlight(game):
    ui = UIState()
    assert button_states(game, ui, can_undo=False, ai_busy=False)["undo"] == "off"
    busy = button_states(game, ui, can_undo=True, ai_busy=True)
    assert busy["end_phase"] == "off" and busy["undo"] == "off"
    assert (
        button_states(game, ui, can_undo=True, ai_busy=False, all_moved=True)["end_phase"] == "hot"
    )
    assert button_states(game, ui, can_undo=True, ai_busy=False)["undo"] == "normal"


def test_phase_done_reads_the_units():
    g = Game(load_scenario("test_small"), 1)
    assert not panels.phase_done(g)
    for u in g.state.units_of(g.active_side):
        u.moved = True
    assert panels.phase_done(g)


def test_draw_top_bar(game, layout, surface):
    panels.draw_top_bar(surface, layout, game, UIState(), players_text="hot-seat", can_undo=True)
    bar = layout.top_bar
    assert colour_count(surface, bar, ps.TOP_BAR_BG) > bar.width * bar.height // 3
    left = pygame.Rect(bar.x, bar.y, 300, bar.height)  # the date is drawn at the left
    assert colour_count(surface, left, ps.TEXT_HEAD) > 50
    undo = layout.buttons["undo"]
    assert colour_count(surface, undo, ps.BUTTON_BG) > undo.width * undo.height // 2


# ---------------------------------------------------------------- unit panel


def test_unit_strength_and_state_lines(game):
    unit = game.state.units["s_rd1"]
    big = dataclasses.replace(unit, men=12400, full_men=14000, mp_left=6.5, movement_allowance=12)
    assert strength_lines(big)[0] == "men 12,400 / 14,000"
    assert strength_lines(big)[1] == f"tanks {unit.tanks:,} / {unit.full_tanks:,}"
    d = panels.unit_detail(game, big)
    assert d.moves == "MP 6.5 / 12"
    assert d.name == unit.name
    forms = {f.id: f for f in game.scenario.formations}
    army = forms[unit.parent]
    assert d.command[0] == army.name
    assert d.command[-1] == forms[army.parent].name  # the front
    assert chain_of_command(game.scenario, unit) == d.command
    moved = dataclasses.replace(unit, moved=True, attacked=True)
    assert panels.unit_detail(game, moved).activity == "moved, attacked"


def test_supply_line_from_explanation(game):
    unit = game.state.units["s_rd1"]

    @dataclass
    class Expl:
        in_supply: bool
        ratio: float
        days_out: int
        source: str | None = None
        reason: str | None = None
        blocked_hex: list[int] | None = None

    assert supply_line(unit, Expl(True, 1.0, 0, "Chita")) == ("in supply, 100% from Chita", True)
    cut = Expl(False, 0.0, 2, reason="enemy zone of control at 45,60", blocked_hex=[45, 60])
    assert supply_line(unit, cut) == ("out of supply 2 days: cut at 45,60", False)
    real = game.explain_supply(unit.id)
    text, ok = supply_line(unit, real)
    assert ok == real.in_supply and text.startswith("in supply" if ok else "out of supply")


def test_draw_unit_panel_with_a_selection_and_its_stack(game, layout, surface):
    unit = game.state.units["s_rd1"]
    ui = UIState()
    ui.selection.unit_id = unit.id
    here = [u for u in game.state.on_map_units() if u.hex == unit.hex]
    other = game.state.units_of("soviet")[-1]
    stack = [*here, other]
    panels.draw_unit_panel(surface, layout, game, ui, stack, counter)
    rect = layout.unit_panel
    assert changed(surface, rect) > rect.width * rect.height * 0.9  # the panel is filled
    rows = panels.stack_rows(layout, len(stack))
    assert len(rows) == len(stack)
    sel = stack.index(unit)
    assert colour_count(surface, rows[sel], ps.ACCENT) > 0  # the selected row is framed
    assert colour_count(surface, rows[sel], side_colour("soviet")) > 0  # its side swatch
    assert all(r.top >= layout.unit_panel_rows_top() and r.bottom <= rect.bottom for r in rows)


def test_unit_panel_hint_when_nothing_is_selected(game, layout, surface):
    panels.draw_unit_panel(surface, layout, game, UIState(), [], counter)
    rect = layout.unit_panel
    top = pygame.Rect(rect.x, rect.y, rect.width, layout.row * 2 + 8)
    assert colour_count(surface, top, ps.TEXT_DIM) > 20


# ---------------------------------------------------------------- info panel: attack


def test_outcome_segments_are_proportional(attack):
    pv = attack.preview
    segs = panels.outcome_segments(pv, 300)
    assert [s[0] for s in segs] == [o.outcome for o in pv.outcomes]
    assert sum(s[2] for s in segs) == 300
    total = sum(o.probability for o in pv.outcomes)
    for (_name, _x, w, p), o in zip(segs, pv.outcomes, strict=True):
        assert abs(w - 300 * o.probability / total) <= 1.0
        assert p == o.probability
    # contiguous: each starts where the last ended
    assert all(a[1] + a[2] == b[1] for a, b in zip(segs, segs[1:], strict=False))


def test_factor_lines_name_every_factor(attack):
    pv = attack.preview
    lines = panels.factor_lines(pv)
    text = " | ".join(t for t, _m in lines)
    for f in pv.factors:
        assert f.name in text or f.note in text
    assert any("(defender" in t for t, m in lines if m)
    assert any("terrain" in t for t, _ in lines)  # neutral here, but still listed
    assert lines == sorted(lines, key=lambda line: not line[1])  # what matters comes first


def test_loss_cells_give_expected_and_range(attack):
    est = attack.preview.expected_losses[attack.preview.defender_side]
    men = loss_cells(est)[0]
    assert men.startswith(common.fmt_int(est.expected.men))
    if round(est.low.men) != round(est.high.men):
        assert f"({common.fmt_int(est.low.men)}–{common.fmt_int(est.high.men)})" in men


def test_attack_rows_list_attackers_then_candidates(layout, attack):
    rows = panels.attack_rows(layout, attack)
    ids = [uid for _r, uid in rows]
    assert ids[: len(attack.attackers)] == attack.attackers
    assert set(ids) == set(attack.attackers) | set(attack.candidates)
    buttons = layout.attack_buttons()
    for r, _ in rows:
        assert layout.info_panel.contains(r) and r.bottom < buttons["confirm"].top


def test_draw_attack_panel(game, layout, surface, attack):
    ui = UIState(attack=attack)
    panels.draw_info_panel(surface, layout, game, ui)
    confirm = layout.attack_buttons()["confirm"]
    assert colour_count(surface, confirm, ps.CONFIRM_BG) > confirm.width * confirm.height // 2
    # the outcome bar's colours are on screen, each in proportion
    rect = layout.info_panel
    for o in attack.preview.outcomes:
        if o.probability > 0.1:
            assert colour_count(surface, rect, ps.OUTCOME_COLOURS[o.outcome]) > 20
    # a pending attack with no attackers yet: Confirm is greyed
    empty = PendingAttack(target=attack.target, attackers=[], candidates=attack.candidates)
    surface.fill(BG)
    panels.draw_info_panel(surface, layout, game, UIState(attack=empty))
    assert colour_count(surface, confirm, ps.CONFIRM_BG) == 0


# ---------------------------------------------------------------- info panel: hex


def test_hex_lines(game):
    w = game.world
    river_hex = int(np.nonzero((w.river > 0).any(axis=1))[0][0])
    text = " | ".join(t for t, _c, _b in panels.hex_lines(game, river_hex))
    assert "river" in text and w.terrain_at(river_hex).name in text
    info = next(iter(w.places.values()))
    ui = UIState(path=PathPreview("s_rd1", info.index, [info.index], 3.5, True, True))
    lines = panels.hex_lines(game, info.index, ui, [game.state.units["s_rd1"]])
    text = " | ".join(t for t, _c, _b in lines)
    assert info.spec.name in lines[0][0]
    assert "move here: 3.5 MP, ends in enemy ZOC" in text
    assert game.state.units["s_rd1"].name in text
    assert "held by" in text


def test_draw_hex_panel_and_last_result(game, layout, surface):
    ui = UIState(hovered=0, last_result="2 units attack 81,54 at 2.9:1; defender retreats")
    panels.draw_info_panel(surface, layout, game, ui)
    rect = layout.info_panel
    assert changed(surface, rect) > rect.width * rect.height * 0.9
    bottom = pygame.Rect(rect.x, rect.bottom - 4 * layout.row, rect.width, 4 * layout.row)
    assert colour_count(surface, bottom, ps.ACCENT) > 10  # the "Last combat" heading


# ---------------------------------------------------------------- log


def make_log(n: int = 30) -> list[Entry]:
    kinds = ["move", "combat", "capture", "event", "supply"]
    return [Entry(1 + k // 10, kinds[k % 5], f"line {k}") for k in range(n)]


def test_visible_log_entries_newest_at_the_bottom():
    log = make_log(30)
    ui = UIState()
    shown = panels.visible_log_entries(log, ui, 5)
    assert [e.text for e in shown] == [f"line {k}" for k in range(25, 30)]
    ui.log_scroll = 3
    assert [e.text for e in panels.visible_log_entries(log, ui, 5)][-1] == "line 26"
    ui.log_scroll = 999  # clamped: the oldest entries
    assert panels.visible_log_entries(log, ui, 5)[0].text == "line 0"
    assert panels.visible_log_entries(log[:2], UIState(), 5) == log[:2]
    assert panels.visible_log_entries(log, UIState(), 0) == []


def test_log_filters():
    log = make_log(30)
    ui = UIState(log_kinds=panels.log_filter_kinds("combat"))
    shown = panels.visible_log_entries(log, ui, 100)
    assert shown and all(e.kind in ("combat", "surrender") for e in shown)
    assert panels.active_log_filter(ui) == "combat"
    assert panels.active_log_filter(UIState()) == "all"
    assert panels.active_log_filter(UIState(log_kinds={"weather"})) is None


def test_log_line_dates():
    date_of_turn = load_scenario("test_small").date_of_turn
    assert panels.log_line(Entry(3, "combat", "36th Army takes Hailar"), date_of_turn) == (
        "11 Aug — 36th Army takes Hailar"
    )
    assert panels.log_line(Entry(7, "event", "the Emperor's broadcast"), date_of_turn) == (
        "15 Aug 1945 — the Emperor's broadcast"
    )


def test_log_click_maps_to_the_drawn_entry(game, layout, surface):
    log = make_log(40)
    ui = UIState(log_scroll=4)
    panels.draw_log(surface, layout, log, ui, game.scenario.date_of_turn)
    rows = layout.log_rows()
    shown = panels.visible_log_entries(log, ui, len(rows))
    for k, r in enumerate(rows):
        assert panels.log_entry_at(layout, log, ui, r.center) is shown[k]
        assert changed(surface, r) > 0
    on = layout.buttons["log:all"]
    assert colour_count(surface, on, ps.BUTTON_ON_BG) > on.width * on.height // 3
    off = layout.buttons["log:combat"]
    assert colour_count(surface, off, ps.BUTTON_ON_BG) == 0


# ---------------------------------------------------------------- minimap


def test_minimap_round_trip_and_camera(game, layout, surface):
    hl = HexLayout(game.world.grid)
    mm = panels.Minimap(game.world, hl)
    for wx, wy in [(0.0, 0.0), (hl.width, hl.height), (3.3, 7.1), (hl.width / 2, hl.height / 3)]:
        sx, sy = mm.world_to_minimap(layout, wx, wy)
        back = mm.minimap_to_world(layout, (sx, sy))
        assert back == pytest.approx((wx, wy), abs=1e-6)
        assert layout.minimap.inflate(2, 2).collidepoint(sx, sy)
    cam = Camera(hl, tuple(layout.map), zoom=7)
    cam.centre_on_world(hl.width / 2, hl.height / 2)
    rect = mm.camera_rect(layout, cam.world_rect())
    assert mm.minimap_to_world(layout, rect.center) == pytest.approx((cam.cx, cam.cy), abs=0.2)
    units = [(game.world.index(*u.hex), u.side) for u in game.state.on_map_units()]
    mm.draw(surface, layout, cam.world_rect(), game.state.control, units)
    inner = rect.clip(layout.minimap)
    edge = pygame.Rect(inner.x, inner.y, inner.width, 1)
    assert colour_count(surface, edge, ps.MINIMAP_CAMERA) >= edge.width // 2
    # the terrain fills the picture: the centre hex's colour is under its minimap pixel
    i = game.world.index(10, 10)
    sx, sy = mm.world_to_minimap(layout, *hl.centre(i))
    assert changed(surface, pygame.Rect(int(sx), int(sy), 1, 1)) == 1


def test_minimap_pixels_find_their_hexes(game):
    hl = HexLayout(game.world.grid)
    from ui.camera import pixel_hexes  # the one vectorised hex lookup the minimap uses

    xs, ys = hl.centres[:, 0], hl.centres[:, 1]
    assert (pixel_hexes(hl, xs, ys)[0] == np.arange(game.world.grid.size)).all()
    assert pixel_hexes(hl, np.array([-5.0]), np.array([-5.0]))[0][0] == -1


# ---------------------------------------------------------------- sheets and small things


HOTKEYS = [(f"K{k}", f"does thing {k}") for k in range(15)]


def test_help_lists_every_hotkey(layout, surface, monkeypatch):
    drawn: list[str] = []
    real = overlays.blit_text

    def spy(surf, text, *args, **kwargs):
        drawn.append(text)
        return real(surf, text, *args, **kwargs)

    monkeypatch.setattr(overlays, "blit_text", spy)
    panels.draw_help(surface, layout, HOTKEYS)
    for key, meaning in HOTKEYS:
        assert key in drawn and meaning in drawn
    left, right = panels.help_columns(HOTKEYS)
    assert left + right == HOTKEYS and len(left) - len(right) in (0, 1)


def test_menu_rects_are_where_it_is_drawn(surface):
    menu = ContextMenu((W - 20, H - 20), 0, [("Rail move", None), ("Air supply 200 t", None)], 1)
    rects = panels.menu_item_rects(menu, surface.get_rect())
    assert len(rects) == 2 and rects[0].bottom == rects[1].top
    assert all(surface.get_rect().contains(r) for r in rects)
    panels.draw_menu(surface, menu)
    assert colour_count(surface, rects[1], ps.SELECTED_BG) > rects[1].width * rects[1].height // 2
    assert colour_count(surface, rects[0], ps.SELECTED_BG) == 0


def test_toasts_live_and_expired(surface):
    ui = UIState(toasts=[Toast("Not adjacent", (400, 300), 10.0, "error")])
    panels.draw_toasts(surface, ui, 20.0)
    assert changed(surface, surface.get_rect()) == 0
    panels.draw_toasts(surface, ui, 5.0)
    near = pygame.Rect(400, 300, 300, 80)
    assert colour_count(surface, near, ps.TOAST_ERROR_EDGE) > 20


def test_tooltip_banner_handover(layout, surface):
    panels.draw_tooltip(surface, (W - 5, H - 5), ["Hex 45,60", "held by Japanese"])
    assert colour_count(surface, surface.get_rect(), ps.TOOLTIP_BG) > 100
    surface.fill(BG)
    panels.draw_banner(surface, layout, "Day 7 — 15 August 1945", 0)
    assert changed(surface, surface.get_rect()) == 0
    panels.draw_banner(surface, layout, "Day 7 — 15 August 1945", 255)
    assert changed(surface, layout.map) > 1000
    panels.draw_handover(surface, "soviet")
    for corner in [(0, 0), (W - 1, 0), (0, H - 1), (W - 1, H - 1), (W // 2, H // 2 + 200)]:
        assert tuple(surface.get_at(corner))[:3] == ps.HANDOVER_BG


def test_game_over(layout, surface):
    losses = {"soviet": {"men": 2740, "tanks": 36, "guns": 53}, "japanese": {"men": 20475}}
    lines = panels.game_over_lines("soviet", "decisive", {"soviet": 41.0, "japanese": 12.5}, losses)
    assert lines[0] == "Soviet victory — decisive"
    assert lines[1] == "VP Soviet 41 : Japanese 12.5"
    assert lines[2] == "Soviet lost 2,740 men, 36 tanks, 53 guns"
    assert lines[3] == "Japanese lost 20,475 men, 0 tanks, 0 guns"
    panels.draw_game_over(surface, layout, "soviet", "decisive", {"soviet": 41.0}, losses)
    assert changed(surface, layout.map) > layout.map.width * layout.map.height // 2
