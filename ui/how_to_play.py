"""The help sheet's "How to play" page: the game in a few paragraphs (docs/playing.md at length)."""

from __future__ import annotations

#: (heading, paragraph) in reading order.
HOW_TO_PLAY: tuple[tuple[str, str], ...] = (
    (
        "A day",
        "One turn is one day, 9 August to 2 September 1945. The Soviet side moves, then fights; "
        "then the Japanese side moves, then fights. At the end of the day units that neither "
        "moved nor fought dig in, supply is delivered and the dated objectives are judged; the "
        "next day brings reinforcements and events (the rains, the Emperor's broadcast of 15 "
        "August, the cease-fire orders). Enter ends your phase.",
    ),
    (
        "Moving",
        "Click a unit: the hexes it can reach are shaded by cost and the path to the mouse "
        "follows it. Click to move. Roads and railways are cheap, hills, forest and marsh dear; "
        "entering an enemy zone of control ends a move. You see only what your units see: a move "
        "into an enemy you could not see stops where it meets him. Backspace takes back a move "
        "that revealed nothing; right-click for rail moves, drops, landings and air supply.",
    ),
    (
        "Supply and fuel",
        "Supply runs from railheads, depots and ports along the railways and roads (overlay 1). "
        "A line carries so many tons a day: where its units ask for more, each gets a share. "
        "Supply refills fuel and replaces losses; units out of it for more than three days lose "
        "men. Tanks and lorries stop when their fuel runs out: the tank army over the Khingan "
        "lives on the fuel flown in. Rain slows everyone under it and halves what the roads carry.",
    ),
    (
        "Combat",
        "In your combat phase click an enemy hex next to your units: the panel shows the odds, "
        "the chance of each outcome, the expected losses and every factor behind them, the very "
        "numbers the dice will use. Enter attacks, Esc cancels. A defender that routs with "
        "nowhere to go is overrun; fortress garrisons never retreat. After 15 August cut-off or "
        "beaten garrisons may give up, and units under the cease-fire order surrender to the "
        "first enemy unit that reaches them.",
    ),
    (
        "What wins",
        "Victory points come from the places held, from each side's dated objectives of 1945 "
        "(full points on time, fewer late) and from the enemy's men lost in battle; the "
        "Japanese side also scores for the men it keeps in being. At the end the margin decides: "
        "80 a decisive victory, 30 a marginal one, less a draw.",
    ),
)
