"""``python -m game`` runs the ``proprio`` command."""

from game.cli import main

main()
