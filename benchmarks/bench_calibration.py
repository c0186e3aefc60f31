"""What a calibration records for a person whose stance is off level (issue 11, defect 2), now or on another checkout.

Run:  python benchmarks/bench_calibration.py [--game-root OLD_CHECKOUT]

The person is the recorded-style IMU player of ``tests/game/calibration_person.py``
(``Person``): an empty level board with sensor noise, a jolt as a foot lands, a relaxed stance
off level with sway, and leans that overshoot about 16 % and settle (true forward lean 7.0
degrees from the stance). For two stances it prints the centre recorded, the forward limit
recorded (as a lean from the true stance), whether the flow finished and in how much
simulated time. ``--game-root`` imports the ``game`` package from another checkout (for
example the commit before the fix) so the same person measures both.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--game-root", type=Path, help="a checkout whose game package is measured instead")
    parser.add_argument("--max-s", type=float, default=300.0, help="simulated seconds before giving up")
    args = parser.parse_args(argv)
    if args.game_root is not None:
        sys.path.insert(0, str(args.game_root.resolve()))
    from game.calibration_flow import CalibrationFlow
    from game.core.world import STEP_S

    # The person lives in this checkout's tests (another checkout has its own tests package).
    spec = importlib.util.spec_from_file_location("calibration_person", REPO / "tests/game/calibration_person.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    Person = module.Person  # noqa: N806 (a class)

    print(f"game package: {sys.modules['game.calibration_flow'].__file__}")
    for stance in ((0.0, 2.5), (1.0, 1.0)):
        flow = CalibrationFlow("deg", hold_s=2.0, centre_needs_movement=True)
        person = Person(stance=stance, react_s=2.5)
        t_s = 0.0
        while not flow.done and t_s < args.max_s and getattr(flow, "problem", None) is None:
            flow.feed(t_s, *person.reading(flow, t_s))
            t_s += STEP_S
        centre, forward = flow.recorded.get("centre"), flow.recorded.get("los:90")
        lean = None if forward is None else round(forward[1] - stance[1], 2)
        shown = None if centre is None else tuple(round(v, 2) for v in centre)
        print(f"stance {stance}: finished {flow.done} after {t_s:.0f} s; centre {shown};"
              f" forward limit {lean} deg from the stance (true 7.0); last message {flow.message!r}")
    return 0


if __name__ == "__main__":
    from _common import run_reported  # CPU, wall and load average

    sys.exit(run_reported(main))
