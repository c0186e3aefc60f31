"""``proprio assess``: run a fixed assessment protocol, check protocol files, read stored results."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from game.vocabulary import INPUT_CHOICES, VIEW_CHOICES


class _DefaultRun(click.Group):
    """``proprio assess PROTOCOL ...`` runs a protocol; ``proprio assess results|list|check`` are subcommands."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                            list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "run", self.commands["run"], args
        return super().resolve_command(ctx, args)


@click.group(cls=_DefaultRun, no_args_is_help=True)
def assess() -> None:
    """Run a fixed assessment (mCTSIB, single leg, limits of stability, weight distribution) and read its results.

    \b
    proprio assess PROTOCOL --player ID [--input DEVICE] [--age YEARS] [--headless] [--fast]
    proprio assess results --player ID [--protocol NAME]
    proprio assess list
    proprio assess check FILE...

    PROTOCOL is a shipped protocol's name (proprio assess list) or a path to a protocol file.
    Nothing adapts during an assessment: every player meets the same task every time.

    \b
    Examples:
      proprio assess mctsib --player kid-07 --input balance-board --age 9
      proprio assess los-fixed --player ann-02 --input imu-serial:/dev/ttyACM0
      proprio assess results --player kid-07
    """


@assess.command("run")
@click.argument("protocol")
@click.option("--player", metavar="ID", help="Pseudonymous player ID (default: the last player chosen).")
@click.option("--input", "input_spec", default="keyboard", show_default=True, metavar="DEVICE",
              help=f"Input device: {', '.join(INPUT_CHOICES)}.")
@click.option("--age", "age_years", type=float, metavar="YEARS",
              help="The player's age: picks the reference values' age band (stored as child/young/older only;"
                   " none under 18). Default: the band stored with proprio players set --age.")
@click.option("--view", default="2d", show_default=True, metavar="VIEW", help=f"View: {', '.join(VIEW_CHOICES)}.")
@click.option("--seed", type=int, help="Random seed (the simulated player); recorded on the session.")
@click.option("--headless", is_flag=True, help="No window: confirm each instruction by itself and run every trial.")
@click.option("--fast", is_flag=True, help="Do not wait for real time (with --headless: as fast as possible).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Telemetry database (default: proprio.db in your user data folder).")
@click.option("--fullscreen", is_flag=True, help="Fill the screen instead of a 1280x720 window.")
@click.option("--mute", is_flag=True, help="No sound.")
@click.option("--no-speech", "no_speech", is_flag=True,
              help="Do not read the instructions out (also: PROPRIO_SPEECH=0 in the environment).")
@click.option("--device-timeout", "device_timeout_s", type=float, metavar="SECONDS",
              help="End the assessment as device_lost when the device stays silent this long (0: never;"
                   " default: 10 s with --headless, never in a window).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Results format.")
def run(protocol: str, player: str | None, input_spec: str, age_years: float | None, view: str, seed: int | None,
        headless: bool, fast: bool, db_path: Path | None, fullscreen: bool, mute: bool, no_speech: bool,
        device_timeout_s: float | None, fmt: str) -> None:
    """Run PROTOCOL for a player; print mean ± SD per condition (exit 3: the device went silent, 130: Ctrl-C).

    A SIGTERM or SIGHUP ends it like Ctrl-C, the trials so far kept (exit 143 or 129).
    """
    from game.play.assess import Assessment, AssessOptions
    from game.play.stop_signal import stop_signals_raise
    from game.views.speech import SPEECH_ENV

    if no_speech:  # the views read it when they open (game/views/speech.py), as `proprio play --no-speech`
        os.environ[SPEECH_ENV] = "0"
    options = AssessOptions(protocol=protocol, player=player, input=input_spec, view=view, headless=headless,
                            fast=fast, db_path=db_path, age_years=age_years, seed=seed, fullscreen=fullscreen,
                            sound=not mute, device_timeout_s=device_timeout_s)
    notify = (lambda line: click.echo(f"proprio: {line}", err=True)) if headless else None
    with stop_signals_raise():  # SIGTERM / SIGHUP end the assessment like Ctrl-C, keeping the trials
        outcome = Assessment(options, notify=notify).run()
    if fmt == "json":
        click.echo(json.dumps({"session": outcome.session_id, "player": outcome.player, "protocol": outcome.protocol,
                               "device": outcome.device, "status": outcome.status, "trials": len(outcome.trials),
                               "warnings": outcome.warnings,
                               "results": _result_json(outcome.result) if outcome.result else None}))
    else:
        click.echo(f"Assessment {outcome.protocol} {outcome.status}: player {outcome.player}, {outcome.device},"
                   f" {len(outcome.trials)} trials (session {outcome.session_id})")
        if outcome.result is not None:
            from game.play.assess import result_lines

            click.echo("\n".join("  " + line for line in result_lines(outcome.result)))
        for warning in outcome.warnings:
            click.echo(f"  note: {warning}")
    if outcome.stop_signal:
        sys.exit(128 + outcome.stop_signal)  # 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP
    if outcome.status == "device_lost":
        sys.exit(3)


def _result_json(result: Any) -> dict[str, Any]:
    return {
        "session": result.session_id, "protocol": result.protocol, "kind": result.kind, "started_at": result.started_at,
        "status": result.status, "age_band": result.age_band, "physical_unit": result.physical_unit,
        "reference_note": result.reference_note, "interrupted": result.interrupted,
        "conditions": [{
            "condition": c.condition, "title": c.title, "vision": c.vision, "surface": c.surface, "stance": c.stance,
            "side": c.side, "trials": c.trials, "completed": c.completed, "filter": c.filter, "problems": c.problems,
            "figures": {n: {"mean": f.mean, "sd": f.sd, "n": f.n, "unit": f.unit} for n, f in c.figures.items()},
            "reference": [{"measure": r.measure, "value": r.value, "band": r.band, "age_band": r.row.age_band,
                           "p5": r.row.p5, "p50": r.row.p50, "p95": r.row.p95, "unit": r.row.unit, "note": r.note}
                          for r in result.references.get(c.condition, [])],
        } for c in result.conditions],
    }


@assess.command("results")
@click.option("--player", metavar="ID", help="Only this player's assessments.")
@click.option("--protocol", metavar="NAME", help="Only this protocol's assessments (e.g. mctsib).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Telemetry database (default: proprio.db in your user data folder).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def results(player: str | None, protocol: str | None, db_path: Path | None, fmt: str) -> None:
    """Stored assessments, measured: mean ± SD per condition, the reference band, changes beyond the MDC."""
    from game.paths import default_db_path
    from telemetry.store.assessments import assessment_result, changes, player_assessments
    from telemetry.store.database import open_for_reading, read_errors_reported

    opened = open_for_reading(db_path or default_db_path())
    try:
        with read_errors_reported(opened.path):
            ids = player_assessments(opened.db, player, protocol)
            measured = [assessment_result(opened.db, i) for i in ids]
    finally:
        opened.db.close()
    if fmt == "json":
        click.echo(json.dumps([_result_json(r) for r in measured]))
        return
    if not measured:
        who = f" for {player}" if player else ""
        click.echo(f"No assessments{who}{f' of {protocol}' if protocol else ''} in {opened.path}."
                   " Run one with: proprio assess PROTOCOL --player ID")
        return
    from game.play.assess import result_lines

    last_of: dict[tuple[str, str], Any] = {}
    for result in measured:
        click.echo(f"Session {result.session_id}  {result.started_at[:16]}  {result.player_id}  {result.title}"
                   f"  ({result.status})")
        click.echo("\n".join("  " + line for line in result_lines(result)))
        previous = last_of.get((result.player_id, result.protocol))
        if previous is not None:
            click.echo(f"  Change since session {previous.session_id}:")
            for change in changes(previous, result):
                if change.mdc is None:
                    continue
                verdict = "beyond the MDC95: a real change" if change.exceeds else "within measurement error"
                click.echo(f"    {change.condition} {change.measure}: {change.before:.3g} -> {change.after:.3g}"
                           f" (MDC95 {change.mdc:.3g}; {verdict})")
        last_of[(result.player_id, result.protocol)] = result


@assess.command("list")
def list_protocols() -> None:
    """The shipped protocols, with their trials and length."""
    from game.assess import load_protocol, shipped_protocols

    for path in shipped_protocols():
        loaded = load_protocol(path)
        p = loaded.protocol
        click.echo(f"{loaded.name:<22} {p.title} ({p.kind}): {len(p.conditions)} condition(s), {p.trial_count}"
                   f" trials of {p.trial_s:g} s, about {p.planned_s / 60:.0f} min")


@assess.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def check(files: tuple[Path, ...]) -> None:
    """Validate protocol files; every problem is printed with its line and column."""
    from game.assess.loader import ProtocolError, load_protocol

    failed = False
    for path in files:
        try:
            loaded = load_protocol(path)
        except ProtocolError as exc:
            failed = True
            click.echo(str(exc), err=True)
            continue
        click.echo(f"{path}: ok ({loaded.protocol.title}, {loaded.protocol.trial_count} trials)")
    if failed:
        sys.exit(1)
