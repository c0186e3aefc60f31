"""Commented starter files for ``proprio levels new NAME --kind KIND``: one per challenge kind.

Each is a complete, valid level (a test loads every one) that explains its fields inline.
"""

from __future__ import annotations

HEADER = '''# {title}: a new {kind} level. Every field is explained in docs/levels.md.
# Positions and distances are fractions of the player's limits of stability (LOS):
# x medio-lateral (right +), y antero-posterior (forward +), each from -1 to 1.
# Angles are degrees counter-clockwise from "right" (90 = forward). Times are seconds.
schema_version = 1
title = "{title}"
description = "Describe what this level trains."
players = ["child", "adult"]        # who it is for: child, adult
theme = "garden"                    # garden, space or ocean
intro_s = 2.5                       # instruction and countdown before each challenge
rest_s = 3.0                        # rest between challenges
stars_at = [0.3, 0.6, 0.85]         # share of the maximum score for 1, 2, 3 stars

[[challenges]]
kind = "{kind}"
title = "{title}"
instruction = "One short sentence for the player."
'''

COMMON_TAIL = '''
# The scaler moves a normalized difficulty (0 easy .. 1 hard) to keep success near the target;
# each knob above goes linearly from its easy to its hard value.
[challenges.difficulty]
start = 0.2
floor = 0.0
ceiling = 1.0
target_success = 0.8

[challenges.scoring]
points_per_success = 100
time_bonus = 50                     # extra points for a fast success
partial = 0.3                       # share of the points a miss earns per unit of progress

[challenges.feedback]
success_messages = ["Great!", "Well done!"]
fail_messages = ["Almost!", "Try again!"]
success_sound = "success"           # start, appear, enter, exit, success, miss, home, cheer, fanfare, pause
fail_sound = "miss"
'''

BODIES = {
    "hold": '''trials = 5                          # number of holds
timeout_s = 15.0                    # a hold not done by then is missed
centre = [0.0, 0.0]                 # centre of the zone

[challenges.knobs]
radius = { easy = 0.22, hard = 0.08 }   # zone radius, LOS
hold_s = { easy = 2.0, hard = 6.0 }     # hold time, s
push = { easy = 0.32, hard = 0.50 }     # the wind: how far it blows the marker if nobody leans, LOS
''',
    "reach": '''directions_deg = [90, 45, 0, 315, 270, 225, 180, 135]
repeats = 1                         # passes over the directions
order = "random"                    # random, clockwise or listed
timeout_s = 8.0                     # time to acquire each target
return_to_centre = true             # come back home between targets
centre_radius = 0.15                # home zone radius, LOS

[challenges.knobs]
distance = { easy = 0.4, hard = 0.85 }  # target distance, LOS
radius = { easy = 0.20, hard = 0.09 }   # target radius, LOS
dwell_s = { easy = 0.5, hard = 1.5 }    # time on the target, s
''',
    "weight_shift": '''\
pattern = "side_to_side"            # side_to_side, forward_back, diagonal, other_diagonal, square, custom
# directions_deg = [0, 180]         # only with pattern = "custom"
cycles = 3                          # passes over the pattern
timeout_s = 8.0                     # time to reach and hold each target

[challenges.knobs]
distance = { easy = 0.35, hard = 0.75 } # LOS
radius = { easy = 0.22, hard = 0.10 }   # LOS
hold_s = { easy = 0.5, hard = 2.0 }     # s
''',
    "limits_of_stability": '''directions_deg = [90, 45, 0, 315, 270, 225, 180, 135]   # the clinical 8 directions
order = "clockwise"                 # random, clockwise or listed
timeout_s = 8.0                     # movement time per target (clinical: 8 s)
centre_radius = 0.12                # home zone radius, LOS

[challenges.knobs]
distance = { easy = 0.6, hard = 1.0 }   # LOS
radius = { easy = 0.15, hard = 0.08 }   # LOS
hold_s = { easy = 0.3, hard = 1.0 }     # s
''',
    "track": '''path = "circle"                     # line, circle, figure_eight, random_smooth
size = 0.5                          # half-width (radius) of the path, LOS
angle_deg = 0                       # direction of a line path
centre = [0.0, 0.0]
trials = 3                          # runs
trial_s = 15.0                      # length of a run, s
success_fraction = 0.6              # share of the run on the target for a success

[challenges.knobs]
speed = { easy = 0.15, hard = 0.5 }     # LOS per second
radius = { easy = 0.22, hard = 0.10 }   # LOS
push = { easy = 0.1, hard = 0.3 }       # the current that carries the marker off the path, LOS
''',
    "maze": '''walls = [[-0.9, 0.0, 0.35, 0.0]]   # segments [x0, y0, x1, y1], LOS
wall_thickness = 0.05
ball_radius = 0.05
start = [-0.5, -0.5]
goal = [-0.5, 0.5]
route = [[0.62, -0.3], [0.62, 0.3]] # optional dotted hint from start to goal
trials = 3
timeout_s = 40.0

[challenges.knobs]
tilt_accel = { easy = 0.8, hard = 2.0 } # LOS/s^2 at full tilt
goal_radius = { easy = 0.18, hard = 0.08 } # LOS
friction = { easy = 2.5, hard = 1.0 }   # share of speed lost per second
''',
    "collect_avoid": '''trials = 3                          # waves
wave_s = 20.0                       # length of a wave, s
success_fraction = 0.5              # share of collectables to catch
max_hits = 2                        # obstacle hits allowed in a successful wave
points_per_item = 10
penalty_per_hit = 10

[challenges.knobs]
item_speed = { easy = 0.15, hard = 0.5 }   # LOS per second
spawn_per_s = { easy = 0.6, hard = 1.5 }   # items per second
obstacle_share = { easy = 0.2, hard = 0.5 }
item_radius = { easy = 0.10, hard = 0.06 } # LOS
''',
}


def starter(kind: str, title: str) -> str:
    """The text of a commented, valid starter level of ``kind``."""
    safe_title = title.replace('"', "'")[:60] or "New level"
    return HEADER.format(title=safe_title, kind=kind) + BODIES[kind] + COMMON_TAIL
