"""The after-action screen, headless: every page drawn, keys and clicks, exports, errors."""

from __future__ import annotations

import json

import numpy as np
import pygame
import pytest

from engine.aar import after_action
from engine.game import Game
from engine.orders import Move
from engine.simulate import SimulationResult, simulate_game
from ui import style
from ui.aar_charts import ALL_CHARTS, chart_png, front_map_days, render_chart
from ui.aar_scene import PAGES, AfterActionScene, aar_layout, open_after_action
from ui.app import App, open_window
from ui.session import Session

AI = {"soviet": "ai", "japanese": "ai"}
SIZES = [(1280, 720), (1920, 1080)]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def run(test_scenario):
    """A finished AI-against-AI game of test_small."""
    result = simulate_game(test_scenario, 3, AI)
    assert result.game.state.game_over
    return result


def _scene(run, size=(1280, 720), **kw) -> AfterActionScene:
    scene = AfterActionScene(
        run.game, size, players=run.record.players, plans=run.record.plans, **kw
    )
    assert scene.settle(timeout=60)
    return scene


def _draw_page(scene: AfterActionScene, surface: pygame.Surface, page: str) -> None:
    """Show a page, let it ask for its charts and draw it once they are in."""
    scene.show(page)
    scene.draw(surface)
    assert scene.settle(timeout=60), page
    scene.draw(surface)


class _Base:
    """A scene under the after-action screen that records what it was given."""

    def __init__(self) -> None:
        self.closed = False

    def handle(self, event: pygame.event.Event) -> None:
        pass

    def update(self, dt: float) -> None:
        pass

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill((0, 0, 0))

    def needs_redraw(self, surface: pygame.Surface) -> bool:
        return False

    def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize("size", SIZES)
def test_every_page_draws_at_the_window_sizes(run, size):
    scene = _scene(run, size)
    surface = pygame.Surface(size)
    body = aar_layout(*size).body
    winner = run.record.winner
    try:
        for page in PAGES:
            _draw_page(scene, surface, page)
            rgb = pygame.surfarray.array3d(surface)[body.left : body.right, body.top : body.bottom]
            packed = np.unique((rgb.astype(np.int32) << [16, 8, 0]).sum(axis=2))
            assert len(packed) > 20, f"{page}: the page looks empty"
            if page == "outcome" and winner:  # the verdict in the winner's colour
                r, g, b = style.STANDARD.side_colour(winner)
                assert (r << 16 | g << 8 | b) in packed
            if page in ("vp", "losses", "advance", "fronts"):
                assert scene._charts, page
        assert scene.error is None and scene.report is not None
    finally:
        scene.close()


def test_keys_and_clicks_turn_the_pages_and_esc_goes_back(run):
    screen = open_window((1280, 720))
    pygame.event.clear()
    base = _Base()
    app = App(screen, base)
    scene = open_after_action(app, run.game)
    assert app.scene is scene
    assert app.run_until(lambda: scene.report is not None, timeout=60)

    def key(k: int, mod: int = 0) -> None:
        pygame.event.post(
            pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0)
        )
        app.frame(1 / 60)

    key(pygame.K_RIGHT)
    assert scene.page == PAGES[1]
    key(pygame.K_4)
    assert scene.page == PAGES[3]
    key(pygame.K_TAB, pygame.KMOD_SHIFT)
    assert scene.page == PAGES[2]
    key(pygame.K_LEFT)
    key(pygame.K_LEFT)
    assert scene.page == PAGES[0]
    key(pygame.K_LEFT)  # round the ends
    assert scene.page == PAGES[-1]
    tab = scene.layout.tabs["advance"].center
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEMOTION, pos=tab, rel=(0, 0), buttons=(0, 0, 0))
    )
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=tab, button=1))
    app.frame(1 / 60)
    assert scene.page == "advance" and scene.hover == "tab:advance"
    assert app.run_until(lambda: scene.ready, timeout=60)
    key(pygame.K_ESCAPE)
    assert app.scene is base and scene.closed and app.running
    pygame.event.clear()


def test_the_exports_write_a_png_per_chart_and_the_simulate_record(run, tmp_path):
    scene = _scene(run, export_dir=tmp_path)
    try:
        path = scene.export_json()
        assert path is not None and path.exists()
        record = SimulationResult.model_validate_json(path.read_text(encoding="utf-8"))
        assert record == run.record
        assert json.loads(path.read_text(encoding="utf-8"))["losses"]["soviet"]["aircraft"] is None
        assert scene.export_png() and scene.exporting
        scene.settle(timeout=120)
        assert not scene.exporting and "wrote 5 charts" in scene.message
        for kind in ALL_CHARTS:
            png = tmp_path / f"{scene.file_stem()}-{kind}.png"
            assert png.read_bytes()[:8] == PNG_SIGNATURE
            assert pygame.image.load(str(png)).get_width() == 1600
    finally:
        scene.close()


def test_a_click_on_the_json_button_exports(run, tmp_path):
    scene = _scene(run, export_dir=tmp_path)
    try:
        pos = scene.layout.buttons["json"].center
        scene.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
        assert (tmp_path / f"{scene.file_stem()}.json").exists()
        assert scene.file_stem() == f"aar-test_small-seed3-day{run.record.turns_played}"
    finally:
        scene.close()


def test_an_order_log_that_does_not_replay_is_said_not_raised(test_scenario):
    game = Game(test_scenario, 7)
    game.order_log.append(Move(unit="s_rd1", to=(18, 18)))  # far beyond its reach
    scene = AfterActionScene(game, (1280, 720))
    try:
        scene.settle(timeout=60)
        assert scene.report is None and scene.error and "could not be made" in scene.error
        surface = pygame.Surface((1280, 720))
        for page in PAGES:
            scene.show(page)
            scene.draw(surface)
        assert scene.export_json() is None and "not ready" in scene.message
    finally:
        scene.close()


def test_a_game_in_progress_opens_with_the_session_players(test_scenario):
    game = Game(test_scenario, 7)
    session = Session.create(game, ["soviet"], {"japanese": "ai"})
    screen = pygame.Surface((1280, 720))
    app = App(screen, _Base())
    scene = open_after_action(app, game, session=session, colour_blind=True)
    try:
        assert scene.settle(timeout=60) and scene.report is not None
        assert scene.report.record.players == {"soviet": "human", "japanese": "ai"}
        assert scene.palette is style.COLOUR_BLIND
        for page in PAGES:
            _draw_page(scene, screen, page)
    finally:
        scene.close()


def test_the_charts_render_at_the_asked_size_in_both_palettes(run):
    aar = after_action(run.game)
    for palette in (style.STANDARD, style.COLOUR_BLIND):
        for kind in ALL_CHARTS:
            pixels = render_chart(aar, kind, (640, 360), palette, run.game.world)
            assert pixels.shape == (360, 640, 4)
    assert chart_png(aar, "vp", (400, 300))[:8] == PNG_SIGNATURE
    with pytest.raises(ValueError, match="world"):
        render_chart(aar, "fronts", (400, 300))
    with pytest.raises(ValueError, match="unknown chart"):
        render_chart(aar, "pie", (400, 300))


def test_front_map_days():
    assert front_map_days(25) == [1, 4, 7, 10, 13, 25]
    assert front_map_days(8) == [1, 4, 7, 8]
    assert front_map_days(1) == [1]
    assert front_map_days(0) == []
