"""Proprio's telemetry: the SQLite schema, the writer thread, measures, exports and reports."""

from __future__ import annotations
