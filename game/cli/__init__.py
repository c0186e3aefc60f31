"""The ``proprio`` command: a thin click layer over library functions.

Each command lives in its own module of this package and is listed in ``_COMMANDS``; a
command only parses arguments, calls the library and lets ``ProprioError`` (or the
measures' ``MeasureError``) become an ``Error: ...`` line with a remedy (see ``main``).
"""

from __future__ import annotations

import importlib
import sys

import click

from game import __version__
from game.cli.terminal import printable_lines
from game.errors import ProprioError
from telemetry.measures.errors import MeasureError

# (module in game.cli, attribute): one click command or group each.
_COMMANDS: list[tuple[str, str]] = [
    ("play", "play"),
    ("levels", "levels"),
    ("analyze", "analyze"),
    ("sessions", "sessions"),
    ("export", "export"),
    ("report", "report"),
    ("players", "players"),
    ("devices", "devices"),
    ("calibrate", "calibrate"),
    ("limits", "limits"),
    ("simulate", "simulate"),
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="proprio")
def cli() -> None:
    """Proprio: balance and body-position training games.

    \b
    Example:
      proprio play --player kid-07
    """


for _module, _attr in _COMMANDS:
    cli.add_command(getattr(importlib.import_module(f"game.cli.{_module}"), _attr))


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the click group, turning typed errors into one clear message."""
    try:
        cli.main(args=argv, prog_name="proprio", standalone_mode=False)
    except (ProprioError, MeasureError) as exc:  # the measures stand alone, so theirs is not a ProprioError
        click.echo(f"Error: {printable_lines(exc)}", err=True)  # messages quote file names and stored text
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
