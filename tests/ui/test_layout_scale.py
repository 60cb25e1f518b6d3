"""The UI scale setting: panels and text grow, the map keeps at least half the window."""

from __future__ import annotations

import pytest

from ui.layout import layout_for


@pytest.mark.parametrize("size", [(1280, 720), (1600, 900), (2560, 1440)])
@pytest.mark.parametrize("scale", [1.25, 1.5, 2.0, 3.0])
def test_a_larger_ui_scale_grows_the_panels_and_keeps_the_map(size, scale):
    plain, big = layout_for(*size), layout_for(*size, scale)
    assert big.row > plain.row and big.top_bar.height >= plain.top_bar.height
    assert big.side.width >= plain.side.width
    assert big.map.width >= size[0] // 2 and big.map.height >= size[1] // 3
    for name, rect in big.buttons.items():  # every button still inside the window
        assert rect.left >= 0 and rect.right <= size[0], name
