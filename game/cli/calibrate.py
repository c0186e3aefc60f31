"""``proprio calibrate``: zero, centre and limits of stability for one player on one device."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from game.errors import InputSpecError
from game.paths import default_db_path
from game.players import check_player_id
from game.vocabulary import HOLD_S, INPUT_CHOICES

if TYPE_CHECKING:
    from game.input.source import PoseSource

HEADLESS_FRAME_STEPS = 12  # the simulated player calibrating headless: 12 simulation steps a frame, no waiting


def open_source(spec: str, seed: int, **options: Any) -> PoseSource:
    """The device ``--input`` names (``game.input.open_source``, imported when a calibration starts)."""
    from game.input import open_source as open_device

    return open_device(spec, seed, **options)


@click.command()
@click.option("--input", "input_spec", required=True, metavar="DEVICE", help=f"Device: {', '.join(INPUT_CHOICES)}.")
@click.option("--player", required=True, metavar="ID", help="Pseudonymous player ID the calibration belongs to.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Telemetry database (default: proprio.db in your user data folder).")
@click.option("--hold", "hold_s", type=float, default=HOLD_S, show_default=True, metavar="SECONDS",
              help="How long to hold still to confirm each step.")
@click.option("--headless", is_flag=True, help="No window (with --input sim the simulated player calibrates).")
@click.option("--seed", type=int, help="Seed of the simulated player.")
@click.option("--device-timeout", "device_timeout_s", type=float, metavar="SECONDS",
              help="Give up when the device stays silent this long (0: never; default: 10 s with --headless,"
                   " never in a window).")
@click.option("--fullscreen", is_flag=True, help="Fill the screen.")
@click.option("--screenshot", type=click.Path(dir_okay=False, path_type=Path), help="Save the last frame as PNG.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Summary format.")
def calibrate(input_spec: str, player: str, db_path: Path | None, hold_s: float, headless: bool, seed: int | None,
              device_timeout_s: float | None, fullscreen: bool, screenshot: Path | None, fmt: str) -> None:
    """Measure a player's zero, centre and limits of stability on a device, and store them.

    The steps: the board level (or empty), the player standing relaxed, then leaning as far as
    they safely can in 8 directions, back to the middle in between. Holding still confirms a
    step; Enter confirms at once, S skips a lean the player cannot make (its default limit is
    stored and said), Backspace redoes the previous step, Esc cancels. When the limits make no
    usable map, Enter measures them again and S keeps default limits; headless they are measured
    at most 3 times, then the command fails saying why. Every later `proprio play` with this
    player and device maps the device through this calibration.

    \b
    Examples:
      proprio calibrate --input imu-serial:/dev/ttyUSB0 --player kid-07
      proprio calibrate --input sim --player demo --headless --db /tmp/p.db
    """
    from game.calibration_flow import MAX_ATTEMPTS
    from game.core.world import STEP_S
    from game.input import SimulatedPlayer
    from game.input.calibration import DIRECTION_NAMES
    from game.play.app import device_timeout
    from game.play.clock import Clock, FastClock, RealClock
    from game.play.loop import Loop, QuitGame
    from game.play.screens.calibration import HEADLESS_STEP_LIMIT_S, CalibrationCancelled, run_calibration
    from game.views.factory import open_view
    from telemetry.store.recorder import Recorder

    player = check_player_id(player)
    if not hold_s > 0:
        raise InputSpecError("--hold must be a positive number of seconds")
    recorder = Recorder(Path(db_path or default_db_path()))
    source = view = None
    try:
        source = open_source(input_spec, seed if seed is not None else secrets.randbelow(2**31),
                             db_path=recorder.path, read_session=Recorder.recording)
        if source.description.kind == "replay":
            raise InputSpecError("a replay cannot be calibrated", remedy="Calibrate the device the player uses.")
        view = open_view("2d", headless=headless, fullscreen=fullscreen, sound=False)
        unpaced = headless and isinstance(source, SimulatedPlayer)  # no person, no device: no need to wait
        clock: Clock = FastClock(HEADLESS_FRAME_STEPS * STEP_S) if unpaced else RealClock()
        try:
            calibration = run_calibration(Loop(clock, view, source), recorder, player, hold_s=hold_s,
                                          step_limit_s=HEADLESS_STEP_LIMIT_S if headless else None,
                                          max_attempts=MAX_ATTEMPTS if headless else None,
                                          device_timeout_s=device_timeout(device_timeout_s, headless))
        except QuitGame:
            raise CalibrationCancelled("calibration cancelled; nothing was stored",
                                       remedy="Run it again when the player is ready.") from None
        if screenshot:
            view.screenshot(screenshot)
    finally:
        if view is not None:
            view.close()
        if source is not None:
            source.close()
        recorder.close()
    path = recorder.path
    reach = {name: round(r, 2) for name, r in calibration.reach().items()}
    if fmt == "json":
        click.echo(json.dumps({
            "calibration_id": calibration.id, "player": player, "device": source.name,
            "raw_unit": calibration.raw_unit, "zero": calibration.zero, "centre": calibration.centre,
            "reach": reach, "skipped": [DIRECTION_NAMES[d] for d in calibration.skipped], "db": str(path),
        }))
        return
    unit = calibration.raw_unit
    click.echo(f"Calibration {calibration.id} stored for {player} on {source.name} ({path})")
    click.echo(f"  zero    {calibration.zero[0]:+.2f}, {calibration.zero[1]:+.2f} {unit}")
    click.echo(f"  centre  {calibration.centre[0]:+.2f}, {calibration.centre[1]:+.2f} {unit}")
    click.echo("  limits  " + ", ".join(f"{name} {r:.1f}" for name, r in reach.items()) + f" {unit}")
    if calibration.skipped_text:
        click.echo(f"  note    {calibration.skipped_text}")
