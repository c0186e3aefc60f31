"""Proprio's telemetry in four wings: store (SQLite schema and writer), measures (no SQLite), export, report."""

from __future__ import annotations
