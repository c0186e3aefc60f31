"""``proprio play``: parse options, run the game, print the summary."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from game.vocabulary import INPUT_CHOICES, VIEW_CHOICES

if TYPE_CHECKING:
    from game.play import RunSummary


def print_summary(summary: RunSummary, as_json: bool) -> None:
    """The end-of-session figures, for a person or (with --format json) a program."""
    figures = summary.figures()
    if as_json:
        click.echo(json.dumps(figures))
        return
    rate = figures["success_rate"]
    played = [f"{r['level']} {r['duration_s']:.1f} s ({r['status']}, session {r['session']})"
              for r in figures["level_results"]]
    lines = [
        f"Session {figures['status']}: {', '.join(figures['levels']) or 'no level was started'}",
        *(f"  {'levels' if i == 0 else '':<15} {line}" for i, line in enumerate(played)),
        f"  player          {', '.join(figures['players'])} ({figures['device']}, seed {figures['seed']})",
        f"  duration        {figures['duration_s']:.1f} s of play",
        f"  trials          {figures['trials']} ({figures['successes']} succeeded)",
        f"  success rate    {'-' if rate is None else f'{rate:.0%}'}",
        f"  score           {figures['score']}",
        f"  frame time      p50 {figures['frame_p50_ms']:.2f} ms, p99 {figures['frame_p99_ms']:.2f} ms"
        f" over {figures['frames']} frames",
        f"  dropped frames  {figures['dropped_frames']} (over the 16.7 ms budget of 60 Hz)",
        f"  database        {figures['db']} (sessions {', '.join(map(str, figures['sessions'])) or '-'})",
    ]
    lines.extend(f"  note: {w}" for w in summary.warnings)
    click.echo("\n".join(lines))


@click.command()
@click.argument("level", required=False)
@click.option("--player", metavar="ID", help="Pseudonymous player ID (default: the last player chosen).")
@click.option("--input", "input_spec", default="keyboard", show_default=True, metavar="DEVICE",
              help=f"Input device: {', '.join(INPUT_CHOICES)}.")
@click.option("--view", default="2d", show_default=True, metavar="VIEW", help=f"View: {', '.join(VIEW_CHOICES)}.")
@click.option("--seed", type=int, help="Random seed (target order, wind, simulated player); recorded on the session.")
@click.option("--headless", is_flag=True, help="No window and no title screen: play the level(s) straight away.")
@click.option("--fast", is_flag=True, help="Do not wait for real time (with --headless: as fast as possible).")
@click.option("--duration", "duration_s", type=float, metavar="SECONDS", help="End the session after this much play.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Telemetry database (default: proprio.db in your user data folder).")
@click.option("--screenshot", type=click.Path(dir_okay=False, path_type=Path), help="Save the last frame as PNG.")
@click.option("--fullscreen", is_flag=True, help="Fill the screen instead of a 1280x720 window.")
@click.option("--mute", is_flag=True, help="No sound.")
@click.option("--no-music", "no_music", is_flag=True,
              help="Sound effects but no theme music (also: PROPRIO_MUSIC=0 in the environment).")
@click.option("--no-speech", "no_speech", is_flag=True,
              help="Do not read instructions out (also: PROPRIO_SPEECH=0 in the environment).")
@click.option("--watch", is_flag=True,
              help="Replay LEVEL and reload it whenever its file changes"
                   " (an invalid edit keeps the last good version).")
@click.option("--device-timeout", "device_timeout_s", type=float, metavar="SECONDS",
              help="End the level as device_lost when the device stays silent this long (0: never;"
                   " default: 10 s with --headless, never in a window).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Summary format.")
def play(level: str | None, player: str | None, input_spec: str, view: str, seed: int | None, headless: bool,
         fast: bool, duration_s: float | None, db_path: Path | None, screenshot: Path | None, fullscreen: bool,
         mute: bool, no_music: bool, no_speech: bool, watch: bool, device_timeout_s: float | None,
         fmt: str) -> None:
    """Play a level, a playlist, or (by default) the 'First steps' playlist.

    LEVEL is a shipped level's name (see levels/) or a path to a level file.
    Keys: arrows or WASD tilt, Space or Esc opens the pause menu (a gamepad's Start or B too): Resume,
    End level, Next level, Switch player, Quit game. Leaving asks again, then waits 2 s that any key
    cancels, so key mashing never quits; closing the window ends at once, keeping the data.
    Exit status: 0 played, 1 an error, 3 the device stayed silent (device_lost), 130 Ctrl-C,
    143 stopped by the system (SIGTERM; 129 SIGHUP), the session ended and kept in each case.

    \b
    Examples:
      proprio play
      proprio play space-reach --player kid-07
      proprio play --headless --input sim --duration 30 --fast --db /tmp/p.db
      proprio play my-level.toml --watch
    """
    from game.play import Game, PlayOptions
    from game.play.stop_signal import stop_signals_raise
    from game.views.speech import SPEECH_ENV

    if no_speech:  # the views read it when they open (game/views/speech.py), 2D and 3D alike
        os.environ[SPEECH_ENV] = "0"
    options = PlayOptions(
        level=level, player=player, input=input_spec, view=view, seed=seed, headless=headless, fast=fast,
        duration_s=duration_s, db_path=db_path, screenshot=screenshot, fullscreen=fullscreen, sound=not mute,
        music=False if no_music else None, watch=watch, device_timeout_s=device_timeout_s,
    )
    notify = (lambda line: click.echo(f"proprio: {line}", err=True)) if headless else None
    with stop_signals_raise():  # SIGTERM / SIGHUP end the session like Ctrl-C, in 2D and 3D alike
        summary = Game(options, notify=notify).run()
    print_summary(summary, fmt == "json")
    if summary.stop_signal:
        sys.exit(128 + summary.stop_signal)  # 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP
    if summary.status == "device_lost":
        sys.exit(3)  # a script driving headless sessions can tell a lost device from a finished session
