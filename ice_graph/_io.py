"""Writing files safely: atomically, to a path, a file object or standard output."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Union

PathOrFile = Union[str, "os.PathLike[str]", IO[Any]]

__all__ = ["atomic_write", "write_text", "write_bytes", "write_lines"]


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], *, binary: bool = False) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success.

    A failure (or an interruption) leaves the previous file untouched and no
    partial file behind.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        mode = "wb" if binary else "w"
        kwargs: dict[str, Any] = {} if binary else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _is_stdout(dest: Any) -> bool:
    return isinstance(dest, str) and dest == "-"


def write_lines(dest: PathOrFile, lines: Iterable[str]) -> None:
    """Write text lines (each with its own newline) atomically to a path, '-' or a file object."""
    if _is_stdout(dest):
        for line in lines:
            sys.stdout.write(line)
        sys.stdout.flush()
        return
    if hasattr(dest, "write"):
        fh: Any = dest
        binary = "b" in getattr(fh, "mode", "") or isinstance(
            fh, (__import__("io").BufferedIOBase, __import__("io").RawIOBase)
        )
        for line in lines:
            fh.write(line.encode("utf-8") if binary else line)
        return
    with atomic_write(dest) as out:
        for line in lines:
            out.write(line)


def write_text(dest: PathOrFile, text: str) -> None:
    write_lines(dest, [text])


def write_bytes(dest: PathOrFile, data: bytes) -> None:
    """Write bytes atomically to a path, '-' (standard output) or a binary file object."""
    if _is_stdout(dest):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    if hasattr(dest, "write"):
        dest.write(data)
        return
    with atomic_write(dest, binary=True) as out:
        out.write(data)
