"""``proprio devices``: what is connected now and the --input value for each."""

from __future__ import annotations

import json

import click


@click.command()
@click.option("--lsl-wait", "lsl_wait_s", type=click.FloatRange(0, 30), default=1.0, show_default=True,
              metavar="SECONDS", help="How long to look for Lab Streaming Layer streams (0: skip).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
def devices(lsl_wait_s: float, fmt: str) -> None:
    """List input devices connected now and how to play with each.

    Each line gives the --input value for `proprio play` and `proprio calibrate`; a device this
    user may not open says how to fix that. A Lab Streaming Layer stream's line shows the channels
    and declared units the game would read, or why it cannot use the stream and how to declare
    its units. docs/devices.md describes every device.

    \b
    Example:
      proprio devices
    """
    from game.input.discovery import list_devices

    found = list_devices(lsl_wait_s)
    if fmt == "json":
        click.echo(json.dumps([d.as_dict() for d in found]))
        return
    width = max(len(d.input) for d in found)
    for device in found:
        mark = "ok" if device.ready else "!!"
        click.echo(f"{mark}  --input {device.input:<{width}}  {device.label}")
        for line in device.details:
            click.echo(f"    {' ' * (width + 8)}{line}")
        if device.hint:
            click.echo(f"    {' ' * (width + 8)}{device.hint}")
