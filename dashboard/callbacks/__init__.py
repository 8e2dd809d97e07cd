"""Callbacks grouped by feature; importing a module registers its callbacks."""
