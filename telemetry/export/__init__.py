"""Exports for clinicians and researchers: CSV/NDJSON tables (``tables``), spreadsheet safety, a FHIR bundle."""

from __future__ import annotations
