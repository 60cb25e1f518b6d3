"""The August Storm engine: a headless operational wargame simulation library."""
