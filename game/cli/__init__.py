"""The ``proprio`` command: a thin click layer over library functions.

Each command lives in its own module of this package and is listed in ``COMMANDS``; a
command only parses arguments, calls the library and lets ``ProprioError`` (or the
measures' ``MeasureError``) become an ``Error: ...`` line with a remedy (see ``main``).

Start-up stays light: a command's module is imported only when that command is named, and
``proprio --help`` lists the commands from the one-line summaries kept in ``COMMANDS``
(``tests/test_startup.py`` checks they match each command's own help). A command's module
holds its click decorators (options, choices, help) and imports at its top only click, the
standard library and light modules (``game.errors``, ``game.paths``, ``game.players``,
``game.vocabulary`` for the names its choices list, ``game.cli.terminal``); what the command
runs (numpy, matplotlib, pydantic models, sqlite-utils, pygame, panda3d, devices) is imported
inside its function. So ``proprio CMD --help`` or a usage error costs what click costs, and
``tests/test_startup.py`` checks, for every command, that its help loads none of them.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

import click

from game.errors import ProprioError

# name -> (module in game.cli, attribute, one-line summary shown by `proprio --help`). A new command is one
# line here; its summary is the first paragraph of its help (tests/test_startup.py says when they differ).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "play": ("play", "play", "Play a level, a playlist, or (by default) the 'First steps' playlist."),
    "levels": ("levels", "levels", "Level files: check them, list them, start a new one."),
    "analyze": ("analyze", "analyze", "Print the published sway measures of each FILE as one JSON object per line."),
    "sessions": ("sessions", "sessions", "List sessions with their status (running, completed, aborted, interrupted)"
                                         " and key figures."),
    "export": ("export", "export", "Export sessions for analysis: one file per table plus the data dictionary,"
                                   " or a FHIR bundle."),
    "report": ("report", "report", "Write a progress report: plan adherence, first versus latest, trends by date,"
                                   " sway paths, LOS polygon."),
    "players": ("players", "players", "List players, and attach a display name or notes to a pseudonymous player ID."),
    "devices": ("devices", "devices", "List input devices connected now and how to play with each."),
    "calibrate": ("calibrate", "calibrate", "Measure a player's zero, centre and limits of stability on a device,"
                                            " and store them."),
    "limits": ("limits", "limits", "A clinician's limits for one player: the scaler can never leave them."),
    "simulate": ("simulate", "simulate", "Play LEVEL with simulated players of spread skills and print each one's"
                                         " difficulty path."),
    "assess": ("assess", "assess", "Run a fixed assessment (mCTSIB, single leg, limits of stability, weight"
                                   " distribution) and read its results."),
    "plan": ("clinic", "plan", "The home programme a therapist prescribes, and how well it is kept."),
    "checkin": ("clinic", "checkin", "How a session felt: pain before and after (0-10) and effort (Borg CR10, 0-10)."),
    "event": ("clinic", "event", "Adverse events: a fall, dizziness, pain; how severe, and what was done."),
    "scale": ("clinic", "scale", "Clinical tests done outside the game: Timed Up and Go (s), Mini-BESTest (0-28),"
                                 " Berg (0-56), FES-I (16-64)."),
}


class _LoadOnRead(dict[str, click.Command]):
    """``cli.commands``: ``cli.commands["limits"]`` loads a listed command when first read, as an eager group has it."""

    def __init__(self, load: Callable[[str], click.Command], added: Mapping[str, click.Command]) -> None:
        super().__init__(added)
        self._load = load

    def __missing__(self, name: str) -> click.Command:
        command = self._load(name)
        self[name] = command
        return command


class LazyGroup(click.Group):
    """A click group that imports a command's module only when that command is used.

    The pattern of click's documentation ("Lazily loading subcommands"): ``list_commands``
    names them without importing anything, ``get_command`` imports the one asked for, and
    the group's own help lists them from their stored summaries.
    """

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy
        self.commands = _LoadOnRead(self._load, self.commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        return self._load(cmd_name)

    def _load(self, cmd_name: str) -> click.Command:
        """Import a listed command's module (once: Python keeps it) and return the command; KeyError if unlisted."""
        module, attr, _ = self.lazy[cmd_name]
        command = getattr(importlib.import_module(f"game.cli.{module}"), attr)
        if not isinstance(command, click.Command):
            raise TypeError(f"game.cli.{module}.{attr} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, as click writes it, from the stored summaries (nothing imported)."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in self.lazy:
                rows.append((name, click.Command(name, help=self.lazy[name][2]).get_short_help_str(limit)))
                continue
            command = super().get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=lambda ctx, _, value:
              _show_version(ctx, value), help="Show the version and exit.")
def cli() -> None:
    """Proprio: balance and body-position training games.

    \b
    Example:
      proprio play --player kid-07
    """


def _show_version(ctx: click.Context, value: bool) -> None:
    """``--version``: read the installed version only when asked (looking it up costs start-up time)."""
    if not value or ctx.resilient_parsing:
        return
    from game import __version__

    click.echo(f"proprio, version {__version__}")
    ctx.exit()


def _typed_error(exc: Exception) -> bool:
    """True for the errors that carry a message for a person: ``ProprioError`` and the measures' ``MeasureError``.

    The measures stand alone, so theirs is not a ``ProprioError``; their package (and numpy) is
    not imported here: when it was never imported, nothing raised one of its errors.
    """
    if isinstance(exc, ProprioError):
        return True
    measures = sys.modules.get("telemetry.measures.errors")
    return measures is not None and isinstance(exc, measures.MeasureError)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the click group, turning typed errors into one clear message."""
    try:
        cli.main(args=argv, prog_name="proprio", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:
        if not _typed_error(exc):
            raise
        from game.cli.terminal import printable_lines

        click.echo(f"Error: {printable_lines(exc)}", err=True)  # messages quote file names and stored text
        sys.exit(1)
