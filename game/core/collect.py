"""Collect and avoid: items drift across the field in timed waves; touch the good ones,
dodge the obstacles. Spawning is a seeded process, so a seed gives the same waves."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from game.core.challenge import ChallengeRun, steps_for
from game.core.events import Event, TrialResult
from game.core.snapshot import ItemView, TargetView, item_view
from game.level.model import CollectAvoidChallenge

MARKER_RADIUS = 0.05  # how big the player's marker counts for touching, fraction of LOS
SPAWN_RADIUS = 1.1  # items appear just outside the field's edge
GONE_RADIUS = 1.2  # and vanish once they have crossed it


@dataclass(slots=True)
class _Item:
    x: float
    y: float
    vx: float
    vy: float
    avoid: bool


class CollectAvoidRun(ChallengeRun):
    """A wave lasts ``wave_s``; success needs enough collected and few enough hits."""

    kind = "collect_avoid"
    spec: CollectAvoidChallenge

    def __init__(self, index: int, spec: CollectAvoidChallenge, rng: random.Random,
                 difficulty_of: Callable[[], float], step_s: float) -> None:
        super().__init__(index, spec, rng, difficulty_of, step_s)
        self._items: list[_Item] = []
        self._spawn_budget = 0.0
        self._collected = 0
        self._offered = 0
        self._hits = 0
        self._radius = spec.knobs.item_radius.at(spec.difficulty.start)
        self._wave_steps = steps_for(spec.wave_s, step_s)

    def _begin_trial(self, t_s: float) -> list[Event]:
        d = self.difficulty_of()
        k = self.spec.knobs
        params = {"item_speed": k.item_speed.at(d), "spawn_per_s": k.spawn_per_s.at(d),
                  "obstacle_share": k.obstacle_share.at(d), "item_radius": k.item_radius.at(d)}
        self._radius = params["item_radius"]
        self._items, self._spawn_budget = [], 1.0  # the first item comes at once
        self._collected = self._offered = self._hits = 0
        return [self._open_trial(t_s, params, {})]

    def _spawn(self) -> None:
        p = self._params
        angle = self.rng.uniform(0.0, math.tau)
        sx, sy = SPAWN_RADIUS * math.cos(angle), SPAWN_RADIUS * math.sin(angle)
        aim_r, aim_a = 0.55 * math.sqrt(self.rng.random()), self.rng.uniform(0.0, math.tau)
        ax, ay = aim_r * math.cos(aim_a), aim_r * math.sin(aim_a)
        gap = math.hypot(ax - sx, ay - sy)
        speed = p["item_speed"]
        avoid = self.rng.random() < p["obstacle_share"]
        self._items.append(_Item(sx, sy, speed * (ax - sx) / gap, speed * (ay - sy) / gap, avoid))
        self._offered += 0 if avoid else 1

    def _step_trial(self, t_s: float) -> tuple[list[Event], list[TrialResult]]:
        self.marker = self.control
        dt = self.step_s
        events: list[Event] = []
        self._spawn_budget += self._params["spawn_per_s"] * dt
        while self._spawn_budget >= 1.0:
            self._spawn_budget -= 1.0
            self._spawn()
        touch = self._radius + MARKER_RADIUS
        kept: list[_Item] = []
        mx, my = self.marker
        for item in self._items:
            item.x += item.vx * dt
            item.y += item.vy * dt
            if math.hypot(item.x - mx, item.y - my) <= touch:  # distance(item, marker), inlined
                if item.avoid:
                    self._hits += 1
                    events.append(Event(t_s, "obstacle_hit", self.index, self.trial, {"hits": self._hits}))
                else:
                    self._collected += 1
                    data = {"collected": self._collected}
                    events.append(Event(t_s, "item_collected", self.index, self.trial, data))
                continue
            if math.hypot(item.x, item.y) <= GONE_RADIUS:
                kept.append(item)
        self._items = kept
        self.progress = min(1.0, self._collected / max(1, self._offered))
        self._best_progress = self.progress
        if self.phase_steps >= self._wave_steps:
            needed = math.ceil(self.spec.success_fraction * self._offered)
            success = self._collected >= needed and self._hits <= self.spec.max_hits
            extra = {"collected": self._collected, "offered": self._offered, "hits": self._hits}
            self._items = []
            done, results = self._close_trial(t_s, success, extra)
            return events + done, results
        return events, []

    def _points(self, success: bool, duration_s: float) -> int:
        spec = self.spec
        items = max(0, self._collected * spec.points_per_item - self._hits * spec.penalty_per_hit)
        return items + (spec.scoring.points_per_success if success else 0)

    def live_points(self) -> int:
        if self.phase != "trial":
            return 0
        return max(0, self._collected * self.spec.points_per_item - self._hits * self.spec.penalty_per_hit)

    @property
    def max_score(self) -> int:
        """Nominal maximum: the success points plus every collectable of a wave at the easy end."""
        k = self.spec.knobs
        spawn = max(k.spawn_per_s.easy, k.spawn_per_s.hard)
        share = 1.0 - min(k.obstacle_share.easy, k.obstacle_share.hard)
        collectables = round(spawn * self.spec.wave_s * share)
        per_wave = self.spec.scoring.points_per_success + self.spec.points_per_item * collectables
        return self.trials * per_wave

    def targets(self) -> tuple[TargetView, ...]:
        return ()

    def items(self) -> tuple[ItemView, ...]:
        radius = self._radius
        return tuple([item_view(i.x, i.y, radius, "avoid" if i.avoid else "collect") for i in self._items])
