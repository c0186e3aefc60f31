"""``proprio levels``: check, list, create level files, and print their JSON Schema."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from game.cli.terminal import printable, printable_lines
from game.errors import LevelError, ProprioError
from game.paths import levels_dir
from game.vocabulary import KINDS


@click.group()
def levels() -> None:
    """Level files: check them, list them, start a new one.

    \b
    Example:
      proprio levels check levels/
    """


@levels.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate level and playlist files (or every .toml in folders); print every problem.

    Exits 0 when all are valid, 1 otherwise. Each problem reads FILE:LINE:COL: field.path: message.

    \b
    Example:
      proprio levels check levels/ my-level.toml
    """
    from game.level.catalogue import check_file, level_files

    files = level_files(list(paths))
    if not files:
        raise ProprioError("no level files found", remedy="Name .toml files or folders that contain them.")
    bad = 0
    for path in files:
        result = check_file(path)
        if result.ok:
            click.echo(f"ok    {printable(path)}")
        else:
            bad += 1
            for problem in result.problems:
                click.echo(printable_lines(problem), err=True)
    click.echo(f"{len(files) - bad} of {len(files)} file(s) valid", err=bad > 0)
    sys.exit(1 if bad else 0)


@levels.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_levels(fmt: str) -> None:
    """List the shipped levels with their title, kinds and longest duration.

    \b
    Example:
      proprio levels list --format json
    """
    from game.level.catalogue import describe
    from game.level.loader import load_level, shipped_levels

    rows = [describe(load_level(path)) for path in shipped_levels()]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        minutes = row["max_duration_s"] / 60
        click.echo(f"{printable(row['name']):22s} {printable(row['title']):22s} {', '.join(row['kinds']):32s} "
                   f"{'/'.join(row['players']):12s} up to {minutes:4.1f} min")


@levels.command()
@click.option("--kind", "kind_", default="level", type=click.Choice(["level", "playlist"]), show_default=True,
              help="Which file format.")
def schema(kind_: str) -> None:
    """Print the JSON Schema of level (or playlist) files, for editor completion.

    \b
    Example:
      proprio levels schema > level.schema.json
    """
    from game.level.catalogue import json_schema

    click.echo(json_schema(kind_))


@levels.command()
@click.argument("name")
@click.option("--kind", "kind_", required=True, type=click.Choice(KINDS), help="The challenge kind to start with.")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="Where to write NAME.toml.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(name: str, kind_: str, folder: Path, force: bool) -> None:
    """Write a commented starter level NAME.toml with one challenge of KIND.

    \b
    Example:
      proprio levels new my-balance --kind hold
    """
    from game.level.loader import load_level
    from game.level.templates import starter

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}", name):
        raise ProprioError(f"level name {name!r} is not valid",
                           remedy="Use letters, digits, '-' and '_' (it becomes the file name).")
    path = folder / f"{name}.toml"
    if path.exists() and not force:
        raise ProprioError(f"{path} already exists", remedy="Pick another name or add --force.")
    title = name.replace("-", " ").replace("_", " ").title()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(starter(kind_, title), encoding="utf-8")
    except OSError as exc:
        raise ProprioError(f"cannot write {path} ({exc.strerror or exc})") from None
    try:
        load_level(path)
    except LevelError as exc:  # a starter that does not load would be our bug; say so plainly
        raise ProprioError(f"the starter file {path} does not validate: {exc}") from None
    click.echo(f"wrote {path}; play it with: proprio play {path}")
    if folder.resolve() != levels_dir().resolve():
        click.echo(f"(shipped levels live in {levels_dir()})")
