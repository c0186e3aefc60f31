"""Write ``assets/speech``: one spoken clip per instruction of the shipped assessments and levels, and its manifest.

Run:  python tools/make_speech.py [--out assets/speech] [--no-levels] [--check]

Needs, on a developer's machine only, espeak-ng (the voice) and oggenc from vorbis-tools (the
compression): ``apt-get install espeak-ng vorbis-tools``. A player's machine needs neither: the
game plays the shipped files (``game/views/speech.py``). Without them the tool skips, says why
and leaves the shipped clips as they are (exit status 0); ``--check`` needs neither.

Texts: every condition's ``instruction`` of ``levels/assessments/*.toml`` and every challenge's
``instruction`` of ``levels/*.toml`` (the same text in several files is one clip). Each clip is
espeak-ng's ``en-gb`` voice at 140 words a minute (slower than its 175, for children and older
adults), mono 22.05 kHz, Ogg Vorbis quality 0 (about 64 kbit/s nominal; speech needs no more),
with the stream serial number taken from the text's hash so that the same text, voice and
tools give the same bytes. A clip's file name is the text's first words and its hash.

``manifest.json`` lists each clip's text, file, length and where the text comes from, and the
voice, speed and the espeak-ng and oggenc versions; clips no longer named by any text are
removed. ``--check`` only compares the manifest with today's texts (exit status 1, naming what
to re-render, when a text changed without its clip).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from game.views.speech import MANIFEST_NAME, SPEED_WPM, VOICE, speech_key  # noqa: E402

RATE_HZ = 22050
OGG_QUALITY = 0


def collect_texts(levels: bool = True) -> dict[str, list[str]]:
    """Every instruction text to speak (its speech key) -> where it is used ("file: condition/challenge")."""
    from game.assess.loader import load_protocol, shipped_protocols
    from game.level.loader import load_level, shipped_levels

    texts: dict[str, list[str]] = {}
    for path in shipped_protocols():
        loaded = load_protocol(path)
        for condition in loaded.protocol.conditions:
            texts.setdefault(speech_key(condition.instruction), []).append(
                f"levels/assessments/{path.name}: {condition.name}")
    if levels:
        for path in shipped_levels():
            level = load_level(path).level
            for number, challenge in enumerate(level.challenges, 1):
                texts.setdefault(speech_key(challenge.instruction), []).append(
                    f"levels/{path.name}: challenge {number} ({challenge.title})")
    return texts


def clip_name(text: str) -> str:
    """A clip's file name: up to six of the text's words and 10 hex digits of its SHA-256."""
    words = re.findall(r"[a-z0-9]+", text.lower())[:6]
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return f"{'-'.join(words) or 'clip'}-{digest}.ogg"


def tool_versions() -> dict[str, str] | str:
    """espeak-ng's and oggenc's versions, or why the clips cannot be made here."""
    missing = [name for name in ("espeak-ng", "oggenc") if shutil.which(name) is None]
    if missing:
        return (f"{' and '.join(missing)} not found on PATH; install on a developer machine with "
                "'apt-get install espeak-ng vorbis-tools'")
    espeak = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True).stdout
    oggenc = subprocess.run(["oggenc", "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"text-to-speech:\s*(\S+)", espeak)
    return {"espeak_ng": found.group(1) if found else espeak.strip(),
            "oggenc": oggenc.strip().split()[-1] if oggenc.strip() else "unknown"}


def render(text: str, out: Path, work: Path) -> float:
    """Speak ``text`` into the Ogg Vorbis file ``out``; its length in seconds."""
    wav = work / "clip.wav"
    subprocess.run(["espeak-ng", "-v", VOICE, "-s", str(SPEED_WPM), "-w", str(wav), "--", text],
                   check=True, capture_output=True)
    with wave.open(str(wav), "rb") as clip:
        if clip.getframerate() != RATE_HZ or clip.getnchannels() != 1:
            raise RuntimeError(f"espeak-ng wrote {clip.getframerate()} Hz x {clip.getnchannels()}, "
                               f"expected {RATE_HZ} Hz mono")
        seconds = clip.getnframes() / RATE_HZ
    serial = int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:7], 16)
    subprocess.run(["oggenc", "-Q", "-q", str(OGG_QUALITY), "-s", str(serial), "-o", str(out), str(wav)],
                   check=True, capture_output=True)
    return round(seconds, 2)


def check(folder: Path, texts: dict[str, list[str]]) -> list[str]:
    """What is wrong with the shipped clips for ``texts`` (empty when every text has its clip)."""
    manifest = folder / MANIFEST_NAME
    try:
        shipped = {speech_key(item["text"]): item["file"] for item in json.loads(manifest.read_text())["clips"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{manifest}: cannot be read ({exc})"]
    problems = []
    for text, sources in texts.items():
        name = shipped.get(text)
        if name is None:
            problems.append(f"no clip for the text of {sources[0]}: {text!r}")
        elif not (folder / name).is_file():
            problems.append(f"{folder / name}: missing (the manifest names it for {text!r})")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "assets" / "speech", help="the speech folder")
    parser.add_argument("--no-levels", action="store_true", help="the assessments' instructions only")
    parser.add_argument("--check", action="store_true", help="only check the manifest against today's texts")
    args = parser.parse_args(argv)
    texts = collect_texts(levels=not args.no_levels)
    if args.check:
        problems = check(args.out, texts)
        for problem in problems:
            print(f"make_speech: {problem}", file=sys.stderr)
        if problems:
            print("make_speech: run 'python tools/make_speech.py' to render them again", file=sys.stderr)
        return 1 if problems else 0
    versions = tool_versions()
    if isinstance(versions, str):
        print(f"make_speech: skipped: {versions}; the shipped clips in {args.out} are unchanged", file=sys.stderr)
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    clips: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as work:
        for text, sources in sorted(texts.items()):
            name = clip_name(text)
            seconds = render(text, args.out / name, Path(work))
            clips.append({"text": text, "file": name, "seconds": seconds, "sources": sources})
    kept = {clip["file"] for clip in clips}
    for stale in args.out.glob("*.ogg"):
        if stale.name not in kept:
            stale.unlink()
    clips.sort(key=lambda clip: str(clip["file"]))
    manifest = {
        "generator": "tools/make_speech.py",
        "voice": VOICE, "speed_wpm": SPEED_WPM, "rate_hz": RATE_HZ, "channels": 1,
        "format": f"Ogg Vorbis, oggenc -q {OGG_QUALITY}",
        "espeak_ng_version": versions["espeak_ng"], "oggenc_version": versions["oggenc"],
        "licence": "CC0 1.0, as far as the project holds any right in espeak-ng's output (assets/README.md, Speech)",
        "clips": clips,
    }
    (args.out / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    total = sum((args.out / clip["file"]).stat().st_size for clip in clips)
    print(f"make_speech: {len(clips)} clips, {sum(float(c['seconds']) for c in clips):.1f} s, "
          f"{total / 1024:.0f} KiB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
