"""``python -m game`` runs the ``proprio`` command."""

from game.cli import main

if __name__ == "__main__":  # not again in a worker process of `proprio simulate`, which imports this module
    main()
