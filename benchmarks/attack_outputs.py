"""Issue 16, defects 3 and 7: hostile text in reports and hostile or failing output folders, scenario by scenario.

Usage: python benchmarks/attack_outputs.py [--keep]

Prints one line per scenario: what happened (a traceback's type, the text as drawn, what a planted
link's target holds afterwards, what a full disk left under the final name, whether a re-run after
an interrupted export works). Run it before and after a change to compare. Needs root for the
full-disk scenario (a 256 KB tmpfs); without it that scenario says "skipped".

1. ``$`` in a level title and in notes: HTML, PDF (its text read back) and the trend plot's texts.
2. A symlink planted at ``<output>.part`` and at the final name (with --overwrite) for the report,
   the CSV export and the FHIR bundle, pointing at a victim file (mode 0644).
3. A FHIR export and a CSV export onto a full tmpfs: what stays under the final names.
4. An export killed (SIGKILL, in a child process) after its first file, then run again.
5. Escape codes (ESC, BEL, CR) in a level name and device, listed with ``proprio sessions``.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from game.play import Game, PlayOptions  # noqa: E402
from telemetry.export.fhir import export_fhir  # noqa: E402
from telemetry.export.tables import export_tables  # noqa: E402
from telemetry.report import write_report  # noqa: E402
from telemetry.report.data import build_player_report  # noqa: E402
from telemetry.report.plots import png_bytes, trend_figure  # noqa: E402
from telemetry.store.database import open_db  # noqa: E402
from telemetry.store.players import set_identity  # noqa: E402
from telemetry.store.queries import Selection  # noqa: E402
from telemetry.store.sessions import create_session  # noqa: E402
from tests.telemetry.report.pdftext import pdf_text_runs  # noqa: E402

TITLES = ("$x$", "Mum paid $5 and $10 for the brace", "$$", "\\frac{1}{2}", "$\\frac$ bad", "one $ alone")
VICTIM_TEXT = "VICTIM: must never change\n"
PYTHON = sys.executable


def _outcome(action: Callable[[], object]) -> str:
    try:
        action()
    except Exception as exc:  # the benchmark reports every failure as a line
        last = traceback.extract_tb(exc.__traceback__)[-1]
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:70]} (at {Path(last.filename).name}:{last.lineno})"
    return "ok"


def _leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def make_db(folder: Path) -> Path:
    """One real played session of kid-07 (garden-balance), 8 s."""
    path = folder / "p.db"
    Game(PlayOptions(level="garden-balance", player="kid-07", input="sim:0.5", headless=True, fast=True,
                     duration_s=8, seed=1, db_path=path, sound=False)).run()
    return path


def retitle(db_path: Path, title: str) -> None:
    db = open_db(db_path)
    db.execute("update sessions set level_title = ?", [title])
    db.conn.commit()
    set_identity(db, "kid-07", display_name=f"Sam {title}", notes=f"Notes: {title}")
    db.close()


def plot_texts(db_path: Path, title: str) -> str:
    """Draw the trend plot to PNG; count its texts holding the title and those with mathtext on."""
    figure = trend_figure(build_player_report(open_db(db_path), "kid-07"))
    assert figure is not None
    png_bytes(figure)
    texts = [t for t in figure.findobj(lambda a: hasattr(a, "get_parse_math")) if title in t.get_text()]
    parsed = [t for t in texts if t.get_parse_math() or t.get_usetex()]
    return f"{len(texts)} with the title, {len(parsed)} with mathtext on"


def scenario_text(work: Path, db_path: Path) -> None:
    print("1. '$' in a level title and in notes (report with --include-names)")
    print(f"   {'title':38} {'html':8} {'pdf':54} plot texts")
    for title in TITLES:
        retitle(db_path, title)
        folder = work / f"t{TITLES.index(title)}"
        folder.mkdir()
        cells = []
        for suffix in ("html", "pdf"):
            out = folder / f"r.{suffix}"
            result = _outcome(lambda out=out: write_report(open_db(db_path), "kid-07", out, db_path=db_path,
                                                             include_names=True))
            left = _leftovers(folder, {"r.html", "r.pdf"})
            if result == "ok" and suffix == "html":
                text = html.unescape(out.read_text(encoding="utf-8"))
                result = "literal" if f"Notes: {title}" in text and title in text else "GARBLED"
            elif result == "ok":
                runs = pdf_text_runs(out.read_bytes())
                notes = [r for r in runs if r.startswith("Notes: ")]
                literal = f"Notes: {title}" in runs and any(title in r for r in runs)
                result = "literal" if literal else f"GARBLED: {notes[0] if notes else '?'!r}"
            cells.append(result + (f" + left {left}" if left else ""))
        found: list[str] = []
        outcome = _outcome(lambda t=title, f=found: f.append(plot_texts(db_path, t)))  # type: ignore[misc]
        plot_text = found[0] if found else "?"
        print(f"   {title!r:38} {cells[0][:8]:8} {cells[1][:54]:54} {plot_text if outcome == 'ok' else outcome}")
        if len(cells[0]) > 8 or len(cells[1]) > 54:
            print(f"      html: {cells[0]}\n      pdf:  {cells[1]}")


def _victim(folder: Path) -> Path:
    victim = folder / "victim.txt"
    victim.write_text(VICTIM_TEXT)
    victim.chmod(0o644)
    return victim


def _victim_state(victim: Path) -> str:
    text = victim.read_bytes().decode("utf-8", "replace")
    mode = oct(victim.stat().st_mode & 0o777)
    return "untouched" if text == VICTIM_TEXT and mode == "0o644" else f"WRITTEN ({len(text)} chars, mode {mode})"


def scenario_links(work: Path, db_path: Path) -> None:
    print("2. A symlink planted at the temporary name and at the final name, pointing at a victim file")
    retitle(db_path, "Garden")
    cases: list[tuple[str, str, Callable[[Path], object]]] = [
        ("report .html", "r.html.part",
         lambda d: write_report(open_db(db_path), "kid-07", d / "r.html")),
        ("report .pdf", "r.pdf.part",
         lambda d: write_report(open_db(db_path), "kid-07", d / "r.pdf")),
        ("csv export", "players.csv.part",
         lambda d: export_tables(open_db(db_path), Selection(everything=True), d / "out", fmt="csv")),
        ("fhir export", "fhir_bundle.json.part",
         lambda d: export_fhir(open_db(db_path), Selection(everything=True), d / "out")),
    ]
    try:
        from telemetry.export import atomic
    except ImportError:  # before the atomic writer: the .part names were the only temporary names
        atomic = None
    else:
        tokens = iter(range(10**6))
        atomic._token = lambda: "planted" if next(tokens) % 2 == 0 else f"free{next(tokens)}"  # type: ignore[attr-defined]
    for name, link, action in cases:
        folder = work / f"link-{name.replace(' ', '-').replace('.', '')}"
        folder.mkdir()
        victim = _victim(folder)
        target = folder / "out" if "export" in name else folder
        target.mkdir(exist_ok=True)
        (target / link).symlink_to(victim)
        if atomic is not None:  # and at the temporary name the writer draws first, for every file
            names = [link.removesuffix(".part")]
            if name == "csv export":
                names = [f"{t}.csv" for t in ("players", "devices", "calibrations", "clinician_limits",
                                              "difficulty_state", "sessions", "trials", "events",
                                              "difficulty_changes", "samples", "readings")]
                names += ["manifest.json", "data_dictionary.md"]
            for each in names:
                atomic.temp_name(target / each, "planted").symlink_to(victim)
            link = f"{link} + .*.planted.tmp"
        result = _outcome(lambda a=action, f=folder: a(f))  # type: ignore[misc]
        print(f"   {name:14} link at {link:24} {result[:40]:40} victim {_victim_state(victim)}")
    for name, final, action in (
        ("report .html", "r.html", lambda d: write_report(open_db(db_path), "kid-07", d / "r.html")),
        ("csv export", "manifest.json", lambda d: export_tables(open_db(db_path), Selection(everything=True),
                                                                 d / "out", fmt="csv", overwrite=True)),
        ("fhir export", "fhir_bundle.json", lambda d: export_fhir(open_db(db_path), Selection(everything=True),
                                                                   d / "out", overwrite=True)),
    ):
        folder = work / f"final-{name.replace(' ', '-').replace('.', '')}"
        folder.mkdir()
        victim = _victim(folder)
        target = folder / "out" if "export" in name else folder
        target.mkdir(exist_ok=True)
        (target / final).symlink_to(victim)
        result = _outcome(lambda a=action, f=folder: a(f))  # type: ignore[misc]
        print(f"   {name:14} link at {final + ' (final)':24} {result[:40]:40} victim {_victim_state(victim)}")


@contextlib.contextmanager
def tmpfs(size: str) -> Iterator[Path | None]:
    """A small tmpfs (root only), unmounted afterwards; None when it cannot be mounted."""
    point = Path(tempfile.mkdtemp(prefix="proprio-full-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(point)],
                             capture_output=True).returncode == 0
    try:
        yield point if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", str(point)], check=False)
        point.rmdir()


def _fill(folder: Path, leave_bytes: int) -> None:
    """Fill the filesystem until about ``leave_bytes`` are free."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    with open(folder / "filler", "wb") as handle:
        with contextlib.suppress(OSError):
            handle.write(b"\0" * max(free - leave_bytes, 0))


def scenario_full_disk(db_path: Path) -> None:
    print("3. Exports onto a full disk (a 256 KB tmpfs, filled to leave 8 KB)")
    for fmt in ("fhir", "csv"):
        with tmpfs("256k") as point:
            if point is None:
                print(f"   {fmt}: skipped (cannot mount a tmpfs: run as root)")
                continue
            out = point / "out"
            out.mkdir()
            if fmt == "fhir":
                (out / "fhir_bundle.json").write_text('{"resourceType": "Bundle", "earlier": true}\n')
            _fill(point, 8 * 1024)
            if fmt == "fhir":
                result = _outcome(lambda o=out: export_fhir(open_db(db_path), Selection(everything=True), o,  # type: ignore[misc]
                                                            overwrite=True))
            else:
                result = _outcome(lambda o=out: export_tables(open_db(db_path), Selection(everything=True), o,  # type: ignore[misc]
                                                              fmt="csv"))
            files = []
            for path in sorted(out.iterdir()):
                state = "?"
                if path.suffix == ".json":
                    try:
                        json.loads(path.read_text(encoding="utf-8"))
                        state = "valid"
                    except ValueError:
                        state = "TRUNCATED"
                files.append(f"{path.name} {path.stat().st_size} B {state if path.suffix == '.json' else ''}")
            print(f"   {fmt:5} {result[:60]}")
            print(f"         left: {'; '.join(files) or 'nothing'}")


_CHILD = """
import sys
sys.path.insert(0, {repo!r})
from telemetry.export.tables import export_tables
from telemetry.store.database import open_db
from telemetry.store.queries import Selection
export_tables(open_db({db!r}), Selection(everything=True), {out!r}, fmt="csv")
"""


def big_db(folder: Path, db_path: Path, rows: int = 400_000) -> Path:
    """A copy of the database with ``rows`` more samples, so an export takes a few seconds."""
    big = folder / "big.db"
    shutil.copy(db_path, big)
    db = open_db(big)
    session_id = db.execute("select max(id) from sessions").fetchone()[0]
    start = db.execute("select max(step) from samples where session_id = ?", [session_id]).fetchone()[0] + 1
    db.conn.executemany(
        "insert into samples (session_id, step, t_s, x, y, raw_x, raw_y, raw_unit, device_t_s) "
        "values (?, ?, ?, 0.1, -0.2, 1.5, -2.5, 'deg', ?)",
        ((session_id, start + i, (start + i) / 120, (start + i) / 120) for i in range(rows)))
    db.conn.commit()
    db.close()
    return big


def scenario_killed(work: Path, db_path: Path) -> None:
    print("4. An export killed (SIGKILL) after its first file, then run again without --overwrite")
    big = big_db(work, db_path)
    out = work / "killed"
    child = subprocess.Popen([PYTHON, "-c", _CHILD.format(repo=str(REPO), db=str(big), out=str(out))])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out.is_dir() and any(out.glob("*.csv"))):  # the first table
        time.sleep(0.005)
    time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    print(f"   after the kill:  {', '.join(_leftovers(out, set())) if out.is_dir() else 'no folder'}")
    result = _outcome(lambda: export_tables(open_db(big), Selection(everything=True), out, fmt="csv"))
    print(f"   re-run:          {result}")
    if result == "ok":
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        print(f"   after re-run:    {len(manifest['tables'])} tables in the manifest, "
              f"{manifest['tables']['samples']['rows']} samples; left: "
              f"{[n for n in _leftovers(out, set()) if n.endswith(('.tmp', '.part'))]}")


def scenario_terminal(work: Path) -> None:
    print("5. Escape codes in a level name, title and device, listed with `proprio sessions`")
    path = work / "esc.db"
    db = open_db(path)
    create_session(db, {"player_id": "kid-07", "level": "evil\x1b]0;PWNED\x07\x1b[2J\rlevel",
                        "level_title": "T\x1b[31mred", "device": "pad\x1b[5m\x9b2J"})
    db.close()
    master, slave = os.openpty()  # a terminal: click strips some escape codes only when writing to a pipe
    done = subprocess.run([PYTHON, "-c", "from game.cli import main; main()", "sessions", "--db", str(path)],
                          stdout=slave, stderr=subprocess.PIPE, cwd=REPO)
    os.close(slave)
    raw = b""
    with contextlib.suppress(OSError):  # EIO once the child's side is closed and drained
        while chunk := os.read(master, 65536):
            raw += chunk
    os.close(master)
    out = raw.decode("utf-8", "replace").replace("\r\n", "\n")  # the terminal's own line ends
    counts = {name: out.count(char) for name, char in (("ESC", "\x1b"), ("BEL", "\x07"), ("CR", "\r"),
                                                       ("CSI", "\x9b"))}
    print(f"   exit {done.returncode}; control characters printed to a terminal: {counts}")
    line = [ln for ln in out.splitlines() if "evil" in ln]
    print(f"   the row as printed: {line[0][:90]!r}" if line else f"   stderr: {done.stderr.decode()[-200:]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="Keep the work folder and print its path.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="proprio-attack-outputs-"))
    try:
        os.environ.setdefault("PROPRIO_DATA_DIR", str(work / "data"))
        os.environ.setdefault("PROPRIO_CONFIG_DIR", str(work / "config"))
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
        db_path = make_db(work)
        scenario_text(work, db_path)
        scenario_links(work, db_path)
        scenario_full_disk(db_path)
        scenario_killed(work, db_path)
        scenario_terminal(work)
    finally:
        if args.keep:
            print(f"work folder: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    from _common import run_reported  # CPU, wall and load average

    run_reported(main)
