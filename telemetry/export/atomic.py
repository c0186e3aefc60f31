"""Outputs that appear whole or not at all, owner-only, never written through a planted link.

Every export file, manifest, FHIR bundle and report is written to a fresh temporary file in
the destination folder, created with ``O_CREAT | O_EXCL | O_NOFOLLOW`` (mode 0600, a random
name: a link or file already at that name is never opened, another name is drawn), flushed and
fsynced, then renamed over the final name with ``os.replace``. A full disk, a crash or an
exception leaves the final name as it was (absent, or the earlier file) and removes the
temporary file; ``os.replace`` replaces a link at the final name rather than following it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

#: Flags of a temporary output file: a new regular file only, never through a link.
TEMP_FLAGS = os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
TEMP_MODE = 0o600
TEMP_SUFFIX = ".tmp"
ATTEMPTS = 100

#: Wraps the open file before anything is written (tests pass one that fails like a full disk).
Wrapper = Callable[[IO[Any]], IO[Any]]


def _token() -> str:
    """A random part of a temporary name (a function, so tests can predict names and plant links there)."""
    return secrets.token_hex(6)


def temp_name(final: Path, token: str) -> Path:
    """The temporary name for ``final`` with ``token``: hidden, beside it, ending in .tmp."""
    return final.with_name(f".{final.name}.{token}{TEMP_SUFFIX}")


def open_temp(final: Path) -> tuple[int, Path]:
    """A new owner-only file beside ``final`` that nobody else named; (descriptor, path)."""
    for _ in range(ATTEMPTS):
        path = temp_name(final, _token())
        try:
            return os.open(path, TEMP_FLAGS, TEMP_MODE), path
        except FileExistsError:  # a file or a (planted) link holds this name: draw another
            continue
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link (only without O_EXCL semantics)
                continue
            raise
    raise FileExistsError(errno.EEXIST, f"no free temporary name beside {final} after {ATTEMPTS} tries")


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (best effort: some filesystems refuse a directory fsync)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_output(final: Path, *, binary: bool = False, encoding: str = "utf-8", newline: str | None = None,
                  wrap: Wrapper | None = None) -> Iterator[IO[Any]]:
    """Yield a file to write; on success it replaces ``final`` whole, on any error ``final`` is untouched."""
    final = Path(final)
    fd, temp = open_temp(final)
    try:
        handle: IO[Any] = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding, newline=newline)
    except BaseException:
        with contextlib.suppress(OSError):  # fdopen may already have closed it (a bad encoding): keep its error
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    try:
        with handle:
            yield wrap(handle) if wrap is not None else handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_dir(final.parent)


def write_atomic(final: Path, text: str, *, wrap: Wrapper | None = None) -> None:
    """Write ``text`` (UTF-8) to ``final`` atomically, owner-only."""
    with atomic_output(final, wrap=wrap) as handle:
        handle.write(text)


def remove_stale_temps(folder: Path, names: list[str]) -> list[Path]:
    """Remove temporary files a killed writer left beside ``names`` in ``folder``; return them.

    Only names of this module's pattern are removed; ``unlink`` removes a link, never its target.
    """
    removed = []
    wanted = {f".{name}." for name in names}
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            name = entry.name
            if name.endswith(TEMP_SUFFIX) and any(name.startswith(prefix) for prefix in wanted):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed
