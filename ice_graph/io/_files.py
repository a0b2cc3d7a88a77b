"""Reading and writing files safely.

Reading: only regular files and pipes, with the size limit enforced while
reading (``stat()`` can lie: ``/dev/zero``, a FIFO, a growing file) and a time
limit for pipes. Writing: atomically to a regular file (a temporary file renamed
over the target only on success), through a symlink to the file it names, and
straight into a character device or pipe (``/dev/null``, ``/dev/stdout``);
never replacing something that is not a regular file.
"""

from __future__ import annotations

import contextlib
import io
import os
import select
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Union

from ..errors import ArgumentError, DataError, ExportError, Problem

PathOrFile = Union[str, "os.PathLike[str]", IO[Any]]

__all__ = [
    "atomic_write",
    "write_text",
    "write_bytes",
    "write_lines",
    "read_limited",
    "read_bytes_limited",
    "max_file_bytes",
]

#: Largest data file we read (bytes) unless :data:`LIMIT_VARIABLE` says otherwise; larger input is refused.
MAX_FILE_BYTES = 50 * 1024 * 1024
#: The environment variable that sets that limit in MiB, for organizations beyond about 250,000 units.
LIMIT_VARIABLE = "ICE_GRAPH_MAX_FILE_MB"
#: How long we wait for a pipe to deliver its data (seconds).
PIPE_TIMEOUT = 30.0


def _problem(path: Path, message: str, line: int = 0) -> DataError:
    return DataError([Problem(str(path), line, "", message)])


def max_file_bytes() -> int:
    """The size limit of a data file: :data:`MAX_FILE_BYTES`, or :data:`LIMIT_VARIABLE` MiB when it is set.

    The limit keeps a wrong path (a disk image, an endless pipe) from filling memory;
    a big organization's files may be bigger, and its user says so.
    """
    raw = os.environ.get(LIMIT_VARIABLE, "").strip()
    if not raw:
        return MAX_FILE_BYTES
    try:
        mib = float(raw)
    except ValueError:
        mib = 0.0
    if not 1 <= mib < 2**40:
        raise ArgumentError(f"{LIMIT_VARIABLE}={raw!r} is not a size in MiB (expected a number from 1 up, e.g. 500)")
    return int(mib * 2**20)


def read_bytes_limited(path: str | os.PathLike[str], *, limit: int | None = None) -> bytes:
    """The bytes of a regular file or pipe, at most ``limit`` of them (default :func:`max_file_bytes`; else DataError)."""
    limit = max_file_bytes() if limit is None else limit
    p = Path(path)
    try:
        mode = os.stat(p).st_mode
    except OSError as exc:
        raise _problem(p, f"cannot read the file: {exc.strerror or exc}") from None
    is_pipe = stat.S_ISFIFO(mode)
    if stat.S_ISDIR(mode):
        raise _problem(p, "is a folder, not a file")
    if not (stat.S_ISREG(mode) or is_pipe):
        raise _problem(p, "is not a regular file or a pipe (a device or socket is never read)")
    try:
        fd = os.open(p, os.O_RDONLY | (os.O_NONBLOCK if is_pipe else 0))
    except OSError as exc:
        raise _problem(p, f"cannot read the file: {exc.strerror or exc}") from None
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + PIPE_TIMEOUT
    try:
        while True:
            if is_pipe:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([fd], [], [], left)[0]:
                    raise _problem(p, f"the pipe sent nothing for {PIPE_TIMEOUT:.0f} s; gave up waiting")
            try:
                chunk = os.read(fd, 1 << 20)
            except BlockingIOError:
                continue
            if not chunk:
                if is_pipe and not chunks:
                    time.sleep(0.05)  # no writer yet on the FIFO: wait for one, up to the time limit
                    continue
                break
            size += len(chunk)
            if size > limit:
                raise _problem(
                    p,
                    f"the file is larger than {limit / 2**20:g} MiB (the limit for data files; "
                    f"for a bigger organization set {LIMIT_VARIABLE}, e.g. {LIMIT_VARIABLE}=500)",
                )
            chunks.append(chunk)
    except OSError as exc:
        raise _problem(p, f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_limited(path: str | os.PathLike[str], *, what: str = "text", limit: int | None = None) -> str:
    """The UTF-8 text of a file (a BOM is dropped), refusing binary and over-size input."""
    p = Path(path)
    raw = read_bytes_limited(p, limit=limit)
    if b"\x00" in raw:
        raise _problem(p, f"the file is binary (it contains NUL bytes), not {what} text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _problem(p, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", line) from None


def _write_target(path: str | os.PathLike[str]) -> tuple[Path, bool]:
    """The file to write for ``path`` (symlinks followed) and whether to write it in place."""
    target = Path(os.path.realpath(path))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target, False
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from None
    if stat.S_ISREG(mode):
        return target, False
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return target, True
    what = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
    raise ExportError(f"{path}: is {what}; refusing to replace it (give a file name)")


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], *, binary: bool = False) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success.

    A failure (or an interruption) leaves the previous file untouched and no
    partial file behind. A symlink is written through (the file it names is
    replaced, the link stays); a character device or pipe is written straight
    into; anything else that is not a regular file is refused.
    """
    target, in_place = _write_target(path)
    mode = "wb" if binary else "w"
    kwargs: dict[str, Any] = {} if binary else {"encoding": "utf-8", "newline": ""}
    if in_place:
        with open(target, mode, **kwargs) as fh:
            yield fh
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
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
        binary = "b" in getattr(fh, "mode", "") or isinstance(fh, (io.BufferedIOBase, io.RawIOBase))
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
