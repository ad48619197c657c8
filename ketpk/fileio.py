"""The file boundary: atomic writes, CSV with provenance comments, and reads with clear errors.

Every file ketpk writes goes through :func:`atomic_path`: the content is written to a temporary
file beside the target and renamed onto it only when complete, so a failure (or an interrupted
run) leaves no partial file. CSV files are written by :func:`write_csv`, which puts provenance
(ketpk version, model, solver, seed) first as ``#``-prefixed comment lines, then the header
row, then the data. Read them with ``pandas.read_csv(path, comment="#")``, R's
``read.csv(path, comment.char="#")``, or :func:`read_csv` here (provenance, columns, array).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import IO, Any

from .errors import FileError

__all__ = ["atomic_path", "write_csv", "read_csv", "open_text", "COMMENT"]

#: First character of the provenance lines of ketpk's CSV files.
COMMENT = "#"


def _target(path: Any, name: str) -> str:
    """``path`` made absolute; its folder must exist."""
    try:
        target = os.path.abspath(os.fspath(path))
    except TypeError:
        raise FileError(f"`{name}` must be a file path (str or os.PathLike); got {path!r}.") from None
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise FileError(f"`{name}` {os.fspath(path)!r} cannot be written: the folder {folder!r} does "
                        "not exist. Create it first or choose another path.")
    return target


@contextmanager
def atomic_path(path: Any, suffix: str = ".tmp", *, name: str = "path") -> Iterator[str]:
    """Yield a temporary path next to ``path``; on success rename it onto ``path``.

    A failure (or an interrupted run) leaves no partial file at ``path`` and removes the
    temporary one. The file gets the permissions of a normally created file (umask applied).
    """
    target = _target(path, name)
    tmp = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.{os.urandom(6).hex()}{suffix}")
    try:  # mode 0o666 minus the umask, as for a file created normally (mkstemp would give 0o600)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as err:
        raise FileError(f"`{name}` {os.fspath(path)!r} cannot be written: {err.strerror}. "
                        "Choose a folder you can write to.") from None
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException as err:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(err, OSError) and not isinstance(err, FileError):
            raise FileError(f"`{name}` {os.fspath(path)!r} could not be written: {err.strerror or err}. "
                            "Nothing was written; check the path and free space.") from err
        raise


def write_csv(path: Any, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
              provenance: Mapping[str, Any] | None = None) -> None:
    """Write ``header`` and ``rows`` to ``path`` atomically, after ``# key: value`` provenance lines."""
    with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as handle:
        for key, value in (provenance or {}).items():
            handle.write(f"{COMMENT} {key}: {' '.join(str(value).split())}\n")
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@contextmanager
def open_text(path: Any, name: str = "source") -> Iterator[IO[str]]:
    """Open a UTF-8 text file for reading; a missing, unreadable or non-UTF-8 file raises FileError."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except OSError as err:
        raise FileError(f"`{name}` {os.fspath(path)!r} could not be read: {err.strerror}. "
                        "Check the path.") from None
    with handle:
        try:
            yield handle
        except UnicodeDecodeError as err:
            raise FileError(f"`{name}` {os.fspath(path)!r} is not UTF-8 text ({err.reason} at byte "
                            f"{err.start}). Save it as UTF-8 CSV.") from None


def read_csv(path: Any) -> tuple[dict[str, str], list[str], Any]:
    """Read a numeric CSV written by ketpk: ``(provenance, column names, float array (rows, columns))``.

    Non-numeric cells (e.g. the labels of a comparison) become NaN.
    """
    import numpy as np

    with open_text(path, "path") as handle:
        lines = handle.read().splitlines()
    provenance = dict(line[1:].strip().split(": ", 1) for line in lines
                      if line.startswith(COMMENT) and ": " in line)
    body = [line for line in lines if not line.startswith(COMMENT)]
    if not body:
        raise FileError(f"`path` {os.fspath(path)!r} has no header row; it is not a ketpk CSV.")
    header = next(csv.reader(body[:1]))
    data = np.genfromtxt(body[1:], delimiter=",", dtype=float, ndmin=2) if body[1:] else np.empty((0, len(header)))
    return provenance, header, data
