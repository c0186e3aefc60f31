"""Running the ``proprio`` command in-process for tests."""

from __future__ import annotations

from game.cli import main


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    """Run ``proprio ARGS``; return (exit code, stdout, stderr)."""
    code = 0
    try:
        main(args)
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err
