"""Issue 13's figures on a clinic-sized database: reaction times, directional control, velocity, report, FHIR, leaks.

Builds the database the issue's tester built, with the game of one checkout (``--game-root``, this one by
default) run as the ``proprio`` command: four pseudonymous players (P01-P04, simulated skills 0.3-0.9) with
8, 10, 11 and 13 sessions over the shipped levels, played in turn (so database session ids and a player's
own session numbers differ), ``play --headless --fast --input sim:SKILL``; then three sessions on real
streams sent from this process in real time: an LSL force plate whose source id is its serial number
(centre of pressure in mm, a Balance Data Set trial when ``../shared/data/bds`` is there), an LSL stream with
no source id (the sending computer's host name becomes its id) and a UDP IMU on 127.0.0.1. Then it runs the
clinician's commands (``report`` as HTML and PDF, ``export`` csv and fhir) and prints, in Markdown, the
figures the issue lists. A command the checkout lacks prints "n/a (no such command)".

Run it on this checkout and on the issue's "before" commit::

    mkdir /tmp/h7_before && git archive 196930e | tar -x -C /tmp/h7_before
    nice -n 10 .venv/bin/python benchmarks/bench_clinic.py
    nice -n 10 .venv/bin/python benchmarks/bench_clinic.py --game-root /tmp/h7_before

Measures are computed by the checkout's own library (``session_measures``) in a child process; the velocity
row also gives this benchmark's own figure on the same raw step samples, unfiltered and after a 4th-order
zero-lag 10 Hz Butterworth low-pass, so both checkouts are held to one yardstick.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BDS_DIR, REPO, add_game_root_option, footer, header, use_game_root  # noqa: E402

PLAYERS = (("P01", 0.3, 8), ("P02", 0.5, 10), ("P03", 0.7, 11), ("P04", 0.9, 13))
SERIAL = "AMTI-OR6-SN4711"  # the force plate's serial number, sent as its LSL source id
PLATE, BARE = "H7ForcePlate", "H7BareStream"
UDP_PORT = 47613
NA = "n/a (no such command)"
CLINIC_COMMANDS = ("checkin", "scale", "plan", "event")
BALANCE_LEVEL = "garden-balance"  # balance (hold) trials: P01 plays it first on the sim and last on the force plate
EVENT_TEXT = "Dizzy after the level; phoned Dr Quill at 555-0199"  # free text that must not leave de-identified


# --- running the checkout's game ----------------------------------------------------------------------------


class Checkout:
    """One Proprio checkout, run as ``proprio`` in child processes with its own data and config folders."""

    def __init__(self, root: Path, work: Path) -> None:
        self.root, self.work = root, work
        self.db = work / "clinic.db"
        self.env = {**os.environ, "PYTHONPATH": str(root), "PROPRIO_DATA_DIR": str(work / "data"),
                    "PROPRIO_CONFIG_DIR": str(work / "config"), "SDL_VIDEODRIVER": "dummy",
                    "SDL_AUDIODRIVER": "dummy", "PYGAME_HIDE_SUPPORT_PROMPT": "1", "MPLBACKEND": "Agg"}
        self.commands = self._commands()

    def _commands(self) -> set[str]:
        out = self.run(["--help"]).stdout
        listed = re.findall(r"^  ([a-z][a-z-]*)\s", out.split("Commands:", 1)[-1], flags=re.M)
        return set(listed)

    def run(self, args: list[str], timeout_s: float = 300) -> subprocess.CompletedProcess[str]:
        """``proprio ARGS`` of this checkout (its stdout and stderr captured)."""
        code = "from game.cli import main; main()"
        return subprocess.run([sys.executable, "-c", code, *args], env=self.env, cwd=self.work, text=True,
                              capture_output=True, timeout=timeout_s, check=False)

    def python(self, code: str, *args: str) -> subprocess.CompletedProcess[str]:
        """Python code run with this checkout's packages first on the path."""
        return subprocess.run([sys.executable, "-c", code, *args], env=self.env, cwd=self.work, text=True,
                              capture_output=True, timeout=300, check=False)



def levels_of(root: Path) -> list[str]:
    """The level files a checkout ships (not its playlists)."""
    return sorted(p.stem for p in (root / "levels").glob("*.toml") if ".playlist" not in p.name)


def play(checkout: Checkout, player: str, device: str, level: str, seed: int, duration_s: float,
         fast: bool) -> str:
    """One headless session; the problem in a line, or ''."""
    args = ["play", "--headless", *(["--fast"] if fast else []), "--input", device, "--player", player,
            "--duration", f"{duration_s:g}", "--seed", str(seed), "--db", str(checkout.db), "--mute", level]
    done = checkout.run(args)
    if done.returncode != 0:
        return f"{player} {level} ({device}): exit {done.returncode}: {(done.stderr or done.stdout).strip()[-300:]}"
    return ""


# --- real streams sent from this process --------------------------------------------------------------------


def bds_cop_mm() -> tuple[list[tuple[float, float]], str]:
    """A quiet-stance trace in mm (ML, AP) at 100 Hz, centred: a Balance Data Set trial, or a made-up sway."""
    trial = BDS_DIR / "BDS00001.txt"
    if trial.is_file():
        rows = [line.split() for line in trial.read_text().splitlines()[1:] if line.strip()]
        ml = [10.0 * float(r[8]) for r in rows]  # COPy[cm] -> mm (BDS: COPy is medio-lateral)
        ap = [10.0 * float(r[7]) for r in rows]
        mean_ml, mean_ap = statistics.fmean(ml), statistics.fmean(ap)
        return [(x - mean_ml, y - mean_ap) for x, y in zip(ml, ap, strict=True)], "BDS00001 (Santos & Duarte 2016)"
    return ([(4.0 * math.sin(i / 40) + 1.5 * math.sin(i / 7), 6.0 * math.cos(i / 55)) for i in range(6000)],
            "a made-up sway (the Balance Data Set is not here)")


class Streams:
    """LSL outlets (force plate with a serial as source id, a stream with none) and a UDP IMU, at 100 Hz."""

    def __init__(self) -> None:
        import pylsl

        self.cop, self.cop_source = bds_cop_mm()
        self._stop = threading.Event()
        self._outlets = [self._outlet(pylsl, PLATE, SERIAL), self._outlet(pylsl, BARE, "")]
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._thread = threading.Thread(target=self._send, daemon=True)
        self._thread.start()

    @staticmethod
    def _outlet(pylsl: Any, name: str, source_id: str) -> Any:
        info = pylsl.StreamInfo(name, "COP", 2, 100.0, pylsl.cf_float32, source_id)
        channels = info.desc().append_child("channels")
        for label in ("cop_ml", "cop_ap"):
            channel = channels.append_child("channel")
            channel.append_child_value("label", label)
            channel.append_child_value("unit", "mm")
        return pylsl.StreamOutlet(info)

    def _send(self) -> None:
        start, i = time.perf_counter(), 0
        while not self._stop.is_set():
            x, y = self.cop[i % len(self.cop)]
            for outlet in self._outlets:
                outlet.push_sample([x, y])
            t = i / 100.0
            line = f"{t:.3f},{3.0 * math.sin(t * 1.3):.3f},{2.0 * math.cos(t * 0.9):.3f}\n"  # t, roll, pitch (deg)
            self._sock.sendto(line.encode(), ("127.0.0.1", UDP_PORT))
            i += 1
            wait = start + i / 100.0 - time.perf_counter()
            if wait > 0:
                time.sleep(wait)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()


# --- the figures, computed by the checkout's own library ----------------------------------------------------

PROBE = r'''
import json, sys
import numpy as np
from scipy.signal import butter, sosfiltfilt
from telemetry.store.database import open_db
from telemetry.store.queries import session_measures, session_trace, session_trials
db = open_db(sys.argv[1])
rt, dc, reported, raw, filtered = [], [], [], [], []
for (sid, step_hz) in db.execute("select id, step_hz from sessions order by id").fetchall():
    m = session_measures(db, sid)
    for t in m.reach:
        if t.measures:
            rt.append(t.measures["reaction_time_s"]); dc.append(t.measures["directional_control_pct"])
    if m.sway is not None and m.sway.measures:
        reported.append(m.sway.measures["mean_velocity"])
    trace, rate = session_trace(db, sid), float(step_hz or 120.0)
    sos = butter(4, 10.0, fs=rate, output="sos")
    for trial in session_trials(db, sid):
        if trial["kind"] != "hold" or trial["started_t_s"] is None or trial["duration_s"] is None:
            continue
        keep = (trace.t_s >= trial["started_t_s"]) & (trace.t_s <= trial["started_t_s"] + trial["duration_s"])
        x, y = 100.0 * trace.x[keep], 100.0 * trace.y[keep]
        if x.size < 60:
            continue
        for out, (a, b) in ((raw, (x, y)), (filtered, (sosfiltfilt(sos, x), sosfiltfilt(sos, y)))):
            out.append(float(np.sum(np.hypot(np.diff(a), np.diff(b)))) * rate / (x.size - 1))
print(json.dumps({"rt": rt, "dc": dc, "reported": reported, "raw": raw, "filtered": filtered}))
'''


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.0f}" if values else "-"


def measure_rows(checkout: Checkout) -> list[tuple[str, str]]:
    done = checkout.python(PROBE, str(checkout.db))
    if done.returncode != 0:
        return [("measures", f"n/a ({done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'failed'})")]
    data = json.loads(done.stdout.strip().splitlines()[-1])
    rt, dc = data["rt"], data["dc"]
    zero = sum(1 for v in rt if round(v, 2) == 0.0)
    share = f"{zero} of {len(rt)} ({100 * zero / max(1, len(rt)):.0f} %)"
    rows = [("reach/LOS trials with reaction time 0.00 s", share),
            ("directional control, range over trials", f"{min(dc):.0f} % to {max(dc):.0f} %" if dc else "-"),
            ("sway mean velocity as reported, median over sessions", f"{_median(data['reported'])} % LOS/s"),
            ("the same hold trials: unfiltered / 10 Hz low-pass (this benchmark)",
             f"{_median(data['raw'])} / {_median(data['filtered'])} % LOS/s (median of {len(data['raw'])} trials)")]
    return rows


def database_rows(checkout: Checkout) -> tuple[list[tuple[str, str]], dict[str, list[tuple[int, str]]]]:
    import sqlite3

    with sqlite3.connect(checkout.db) as con:
        sessions = con.execute("select id, player_id, device from sessions order by id").fetchall()
    con.close()
    by_player: dict[str, list[tuple[int, str]]] = {}
    for sid, player, device in sessions:
        by_player.setdefault(player, []).append((sid, device))
    counts = ", ".join(f"{p} {len(v)}" for p, v in sorted(by_player.items()))
    return [("database: sessions per player", counts)], by_player


# --- report -------------------------------------------------------------------------------------------------


def _pdf_pages(pdf: Path) -> list[tuple[float, float, str]]:
    """Each page's size in mm and its text (pdfinfo, pdftotext)."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          check=False).stdout
    sizes = [(float(w) * 25.4 / 72, float(h) * 25.4 / 72)
             for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]
    pages = []
    for number, (w, h) in enumerate(sizes, start=1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=False).stdout
        pages.append((w, h, text))
    return pages


def report_rows(checkout: Checkout, by_player: dict[str, list[tuple[int, str]]]) -> list[tuple[str, str]]:
    if "report" not in checkout.commands:
        return [("report", NA)]
    player = "P01"  # played on the sim, then the force plate last: "first vs latest" crosses devices
    html, pdf = checkout.work / "P01.html", checkout.work / "P01.pdf"
    rows = []
    done = checkout.run(["report", "--player", player, "--db", str(checkout.db), "--out", str(html)])
    if done.returncode != 0:
        return [("report", f"failed: {done.stderr.strip()[-200:]}")]
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))
    ids = [sid for sid, _ in by_player[player]]
    shown = _session_numbers(text)
    own = set(range(1, len(ids) + 1))
    numbering = ("database ids" if shown and shown <= set(ids) and not shown <= own else
                 "its own 1..N" if shown and shown <= own else "unclear")
    rows.append(("report: session numbers shown (P01) vs database ids",
                 f"shown {_span(shown)}; database {_span(ids)}: {numbering}"))
    device = {sid: d for sid, d in by_player[player]}
    if numbering == "its own 1..N":
        device = {n: by_player[player][n - 1][1] for n in own}
    rows.append(("report: first-vs-latest pairs on different devices (P01)", _cross_device(text, device)))
    done = checkout.run(["report", "--player", player, "--db", str(checkout.db), "--out", str(pdf)])
    if done.returncode != 0 or not pdf.is_file():
        rows.append(("report PDF", f"failed: {done.stderr.strip()[-200:]}"))
        return rows
    pages = _pdf_pages(pdf)
    a4 = sum(1 for w, h, _ in pages if abs(w - 210) < 2 and abs(h - 297) < 2)
    sizes = Counter(f"{w:.0f}x{h:.0f} mm" for w, h, _ in pages)
    rows.append(("report PDF: pages that are A4 (210x297 mm)",
                 f"{a4} of {len(pages)} ({', '.join(f'{n} x {s}' for s, n in sizes.items())})"))
    with_id = sum(1 for _, _, t in pages if player in t)
    numbered = sum(1 for i, (_, _, t) in enumerate(pages, start=1)
                   if re.search(rf"(page|p\.)\s*{i}\b|\b{i}\s*(/|of)\s*{len(pages)}\b", t, flags=re.I))
    rows.append(("report PDF: pages with the patient ID / a page number", f"{with_id} / {numbered} of {len(pages)}"))
    return rows


def _session_numbers(text: str) -> set[int]:
    """The numbers in the first column of the report's table of sessions (``N YYYY-MM-DD HH:MM ...`` rows)."""
    table = text.split("Sessions # Date", 1)
    if len(table) < 2:
        return set()
    body = re.split(r"Played: simulated|#: the session", table[1], maxsplit=1)[0]
    return {int(n) for n in re.findall(r"(?<![\d#.,:\u2013-])(\d{1,5}) \d{4}-\d\d-\d\d \d\d:\d\d", body)}


def _span(values: set[int] | list[int]) -> str:
    values = sorted(set(values))
    if not values:
        return "none"
    return f"{values[0]}-{values[-1]} ({len(values)})"


def _cross_device(text: str, device: dict[int, str]) -> str:
    """How many of the report's "First: #a ... Latest: #b" comparisons pair sessions of two devices."""
    pairs = [(int(a), int(b)) for a, b in re.findall(r"First: #(\d+),.{0,80}?Latest: #(\d+)", text)]
    if not pairs:
        return "no first-vs-latest comparison found"
    crossed = [(a, b) for a, b in pairs if device.get(a) != device.get(b)]
    shown = "; ".join(f"#{a} {device.get(a)} vs #{b} {device.get(b)}" for a, b in crossed)
    return f"{len(crossed)} of {len(pairs)}" + (f" ({shown})" if shown else "")


# --- FHIR and de-identified exports -------------------------------------------------------------------------


def export_rows(checkout: Checkout) -> list[tuple[str, str]]:
    if "export" not in checkout.commands:
        return [("export", NA)]
    rows = []
    csv_dir = checkout.work / "export-csv"
    done = checkout.run(["export", "--all", "--format", "csv", "--out", str(csv_dir), "--db", str(checkout.db)])
    if done.returncode != 0:
        rows.append(("de-identified CSV export", f"failed: {done.stderr.strip()[-200:]}"))
    else:
        devices = (csv_dir / "devices.csv").read_text(encoding="utf-8") if (csv_dir / "devices.csv").is_file() \
            else ""
        rows.append(("de-identified devices.csv: leaks", leaks(devices)))
        every = " ".join(p.read_text(encoding="utf-8", errors="replace") for p in csv_dir.glob("*.csv"))
        rows.append(("de-identified CSV files (all): leaks", leaks(every)))
    fhir_dir = checkout.work / "export-fhir"
    done = checkout.run(["export", "--all", "--format", "fhir", "--out", str(fhir_dir), "--db", str(checkout.db)])
    if done.returncode != 0:
        rows.append(("FHIR export", f"failed: {done.stderr.strip()[-200:]}"))
        return rows
    bundle = json.loads((fhir_dir / "fhir_bundle.json").read_text(encoding="utf-8"))
    rows.append(("FHIR bundle type", str(bundle.get("type"))))
    entries = [e["resource"] for e in bundle.get("entry", [])]
    local: set[tuple[str, str]] = set()
    standard: set[tuple[str, str]] = set()
    for coding in _codings(entries):
        system, code = str(coding.get("system", "")), str(coding.get("code", ""))
        (local if "proprio" in system else standard).add((system, code))
    rows.append(("FHIR codes: local / standard (distinct)", f"{len(local)} / {len(standard)} "
                 f"({', '.join(sorted(c for s, c in standard if 'unitsofmeasure' not in s)) or 'none'})"))
    systems = sorted({i["system"] for r in entries if r["resourceType"] == "Patient" for i in r.get("identifier", [])})
    rows.append(("FHIR Patient identifier system", ", ".join(systems) or "none"))
    requests = Counter(e.get("request", {}).get("method", "none") for e in bundle.get("entry", []))
    rows.append(("FHIR entry requests", ", ".join(f"{m} {n}" for m, n in sorted(requests.items()))))
    rows.append(("de-identified FHIR Device: leaks", leaks(json.dumps([r for r in entries
                                                                      if r["resourceType"] == "Device"]))))
    rows.append(("de-identified FHIR bundle (all): leaks", leaks(json.dumps(bundle))))
    kinds = Counter(str(r.get("code", {}).get("coding", [{}])[0].get("code")) for r in entries
                    if r["resourceType"] == "Observation")
    rows.append(("FHIR Observations by code (top)", ", ".join(f"{c} {n}" for c, n in kinds.most_common(4))))
    return rows


def leaks(text: str) -> str:
    """Which identifying details a de-identified export still holds: a serial, host, address, port, free text."""
    host = re.escape(socket.gethostname())
    patterns = {"serial number": re.escape(SERIAL), "host name": rf"(?<![\w.-]){host}(?![\w.-])",
                "IP address": r"127\.0\.0\.1", "UDP port": rf"(?<![\w.]){UDP_PORT}(?![\w.])",
                "adverse-event free text": r"Dr Quill|555-0199"}
    return ", ".join(what for what, pattern in patterns.items() if re.search(pattern, text)) or "none"


def _codings(data: object) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        own = [data] if "system" in data and "code" in data and isinstance(data.get("code"), str) else []
        return own + [c for value in data.values() for c in _codings(value)]
    if isinstance(data, list):
        return [c for value in data for c in _codings(value)]
    return []


# --- main ---------------------------------------------------------------------------------------------------


def build(checkout: Checkout, duration_s: float, device_s: float, scale: float) -> list[str]:
    """The clinic database: the players' simulated sessions in turn, then the three streamed sessions."""
    ours = levels_of(checkout.root)
    levels = [level for level in ours if level in set(levels_of(REPO))] or ours  # the same levels in both runs
    first = levels.index(BALANCE_LEVEL) if BALANCE_LEVEL in levels else 0
    problems, seed = [], 100
    plan = {p: max(1, round(n * scale)) for p, _, n in PLAYERS}
    skill = {p: s for p, s, _ in PLAYERS}
    for turn in range(max(plan.values())):  # the players in turn, as a clinic's day goes
        for k, player in enumerate(plan):
            if turn < plan[player]:
                level = levels[(first + k + len(plan) * turn) % len(levels)]  # P01 starts on BALANCE_LEVEL
                problems.append(play(checkout, player, f"sim:{skill[player]:.2f}", level, seed, duration_s, True))
                seed += 1
    streams = Streams()
    try:
        for player, device, level in (("P01", f"lsl:{PLATE}", BALANCE_LEVEL), ("P02", f"lsl:{BARE}", BALANCE_LEVEL),
                                      ("P03", f"imu-udp:127.0.0.1:{UDP_PORT}", "space-reach")):
            problems.append(play(checkout, player, device, level, seed, device_s, False))
            seed += 1
    finally:
        streams.close()
    print(f"(force plate stream: {streams.cop_source})")
    problems += clinic_records(checkout)
    return [p for p in problems if p]


def clinic_records(checkout: Checkout) -> list[str]:
    """Every clinician command the checkout has: a check-in, a TUG and a Berg, a plan, an adverse event."""
    import sqlite3

    with sqlite3.connect(checkout.db) as con:
        firsts = dict(con.execute("select player_id, min(id) from sessions group by player_id").fetchall())
    con.close()
    db = ["--db", str(checkout.db)]
    problems = []
    for player, first in sorted(firsts.items()):
        for command in (
            ["checkin", "add", "--player", player, "--session", str(first), "--pain-before", "2", "--pain-after", "1",
             "--effort", "4"],
            ["scale", "add", "--player", player, "--scale", "tug_s", "--value", "11.5", "--assessor", "PT Quill"],
            ["scale", "add", "--player", player, "--scale", "berg", "--value", "49"],
            ["plan", "set", "--player", player, "--sessions-per-week", "3", "--minutes", "10", "--weeks", "6",
             "--level", BALANCE_LEVEL],
            ["event", "add", "--player", player, "--what", EVENT_TEXT, "--severity", "mild", "--session", str(first),
             "--action", "Rested 5 min with Dr Quill"],
        ):
            if command[0] not in checkout.commands:
                continue
            done = checkout.run([*command, *db])
            if done.returncode != 0:
                problems.append(f"{' '.join(command[:2])}: {(done.stderr or done.stdout).strip()[-200:]}")
    return problems


def main() -> int:
    root = use_game_root()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_game_root_option(parser)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of play per simulated session")
    parser.add_argument("--device-duration", type=float, default=15.0, help="seconds of each streamed session")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the 8-13 sessions (a quick run)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build in this new or empty folder and keep it (default: a temporary one, removed)")
    args = parser.parse_args()
    header("Issue 13 figures on a clinic-sized database (benchmarks/bench_clinic.py)", root)
    work = args.keep or Path(tempfile.mkdtemp(prefix="proprio-clinic-"))
    if args.keep and work.exists() and any(work.iterdir()):
        parser.error(f"--keep {work}: the folder is not empty (give a new or empty folder)")
    work.mkdir(parents=True, exist_ok=True)
    checkout = Checkout(root, work)
    t0, cpu0 = time.perf_counter(), time.process_time()
    problems = build(checkout, args.duration, args.device_duration, args.scale)
    build_wall = time.perf_counter() - t0
    for problem in problems:
        print(f"(problem: {problem})")
    rows, by_player = database_rows(checkout)
    rows.append(("clinician commands (check-in, TUG and Berg, plan, adverse event)",
                 "; ".join(f"{c}: {'run' if c in checkout.commands else NA}" for c in CLINIC_COMMANDS)))
    rows += measure_rows(checkout)
    rows += report_rows(checkout, by_player)
    rows += export_rows(checkout)
    print()
    print(f"| figure ({root.name}) | value |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value.replace('|', '/')} |")
    print()
    children = os.times()
    print(f"(building the database: wall {build_wall:.1f} s; whole run: wall {time.perf_counter() - t0:.1f} s, "
          f"cpu {time.process_time() - cpu0 + children.children_user + children.children_system:.1f} s "
          "including the child processes)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    footer()
    return 0


if __name__ == "__main__":
    sys.exit(main())
