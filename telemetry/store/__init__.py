"""The SQLite side of telemetry: the only wing that spells the schema (tables, columns, SQL).

``schema`` holds the migrations and the data dictionary, ``database`` opens a file, ``writer``
is the thread the game hands batches to, and the other modules read and write one kind of row
each (sessions, players, calibrations, clinician limits) or read sessions back (``queries``).
"""

from __future__ import annotations
