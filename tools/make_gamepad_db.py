"""Write ``assets/gamepads/gamecontrollerdb_linux.txt``: the Linux lines of common pad families from SDL's database.

Run:  python tools/make_gamepad_db.py PATH/TO/SDL_GameControllerDB [--out assets/gamepads]

PATH is a clone of https://github.com/mdqinc/SDL_GameControllerDB (zlib licence). Only
``platform:Linux`` lines are kept, and of those the families players own: Xbox, PlayStation,
Nintendo Switch Pro, 8BitDo and generic USB pads (by name, or by the vendor ids below). The
source commit is written at the top of the file; the licence goes beside it as LICENSE.txt.
"""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

FAMILIES = re.compile(r"xbox|x-box|microsoft|playstation|ps[345]\b|dualshock|dualsense|sony|"
                      r"switch pro|pro controller|8bitdo|generic|usb gamepad|usb joystick|twin usb|dragonrise",
                      re.IGNORECASE)
VENDORS = {"045e": "Microsoft", "054c": "Sony", "057e": "Nintendo", "2dc8": "8BitDo", "0079": "DragonRise (generic)",
           "0810": "generic (PCS)", "0583": "generic", "11c0": "generic (Betop)"}


def vendor_of(guid: str) -> str:
    """The USB vendor id from an SDL Linux GUID (16 bits little-endian at bytes 4-5)."""
    return guid[10:12] + guid[8:10]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repository", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "assets" / "gamepads")
    args = parser.parse_args()
    source = args.repository / "gamecontrollerdb.txt"
    commit = subprocess.run(["git", "-C", str(args.repository), "log", "-1", "--format=%H %cs"],
                            capture_output=True, text=True, check=False).stdout.strip() or "unknown"
    kept = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "platform:Linux" not in line:
            continue
        guid, name = line.split(",", 2)[:2]
        if FAMILIES.search(name) or vendor_of(guid.lower()) in VENDORS:
            kept.append(line.strip())
    args.out.mkdir(parents=True, exist_ok=True)
    header = [
        "# Linux game controller mappings for common pad families (Xbox, PlayStation, Switch Pro, 8BitDo, generic USB)",
        "# Derived from SDL_GameControllerDB, https://github.com/mdqinc/SDL_GameControllerDB",
        f"# Source commit: {commit} (gamecontrollerdb.txt); zlib licence, see LICENSE.txt beside this file",
        "# Written by tools/make_gamepad_db.py: only platform:Linux lines of those families, unchanged",
    ]
    (args.out / "gamecontrollerdb_linux.txt").write_text("\n".join(header + kept) + "\n", encoding="utf-8")
    (args.out / "LICENSE.txt").write_text((args.repository / "LICENSE").read_text(encoding="utf-8"), encoding="utf-8")
    print(f"{len(kept)} lines written to {args.out / 'gamecontrollerdb_linux.txt'}")


if __name__ == "__main__":
    main()
