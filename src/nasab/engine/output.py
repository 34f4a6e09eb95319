"""Writing output files: atomically, together, and only where it is allowed.

The one atomic writer of nasab. Every file is written to a temporary file beside its final
name and renamed into place, so a reader never sees a half-written file. Files that belong
together (a matches table and the model that describes it; a folder's tables) are written
in one :class:`AtomicGroup`: every temporary file is complete before the first rename, and a
rename that fails puts the files already replaced back, so the group is replaced together or
not at all. A full disk or a read-only folder fails while the temporary files are written,
before anything is replaced.

Errors are :class:`OutputError` (``cannot write FILE: reason``), which the command line
prints as ``nasab: error: ...`` with exit status 2. :func:`check_writable` tells before the
work starts whether an output can be written; :func:`refuse_inputs` refuses an output that
would overwrite one of the command's inputs.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from nasab.engine.errors import InputError, NasabError


class OutputError(NasabError):
    """An output that cannot be written: ``cannot write FILE: reason``."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.reason}"


def _reason(e: OSError) -> str:
    return e.strerror or str(e) or type(e).__name__


def _existing_ancestor(path: Path) -> Path:
    p = path.absolute()
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def check_writable(path: str | Path, *, directory: bool = False) -> None:
    """Raise :class:`OutputError` unless ``path`` (a file, or with ``directory`` a folder to
    write files into) can be written: its folder exists or can be made, is a folder, and a
    file can be created in it (tried, then removed)."""
    path = Path(path)
    if path.exists():
        if directory and not path.is_dir():
            raise OutputError(path, "exists and is not a folder")
        if not directory and path.is_dir():
            raise OutputError(path, "is a folder")
    folder = path if directory else path.parent
    anc = _existing_ancestor(folder)
    if not anc.is_dir():
        raise OutputError(path, f"{anc} is not a folder")
    try:
        import tempfile  # here: a command that writes nothing starts without it

        fd, probe = tempfile.mkstemp(dir=anc, prefix=".nasab-probe.")
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise OutputError(path, _reason(e)) from None
    if path.exists() and not directory and not os.access(path, os.W_OK):
        # renaming over a read-only file works on POSIX, but the user asked it to stay
        raise OutputError(path, "the file is read-only")


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.absolute().resolve() == b.absolute().resolve()


def refuse_inputs(
    outputs: Iterable[str | Path | None], inputs: Iterable[str | Path | None], option: str = "--out"
) -> None:
    """An output equal to an input would destroy the input: refuse it (InputError)."""
    ins = [Path(i) for i in inputs if i]
    for o in outputs:
        if not o:
            continue
        for i in ins:
            if _same(Path(o), i):
                raise InputError(
                    f"the output {o} is the input {i}; choose another file "
                    "(nasab never overwrites its input)",
                    field=option,
                )


def refuse_shared_outputs(named: dict[str, str | Path | None]) -> None:
    """Two outputs given one file would leave only the last written: refuse it
    (InputError naming the option that repeats the file)."""
    seen: list[tuple[str, Path]] = []
    for option, p in named.items():
        if not p:
            continue
        for first, q in seen:
            if _same(Path(p), q):
                raise InputError(
                    f"{p} is also the file of {first}; give each output its own file",
                    field=option,
                )
        seen.append((option, Path(p)))


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class AtomicGroup:
    """Files written together: ``with AtomicGroup() as g: g.text(p, s); tmp = g.path(q)``.

    :meth:`path` gives a temporary file beside the final name for writers that want a
    file name (Parquet, CSV writers, savefig); :meth:`text` and :meth:`data` write one.
    Leaving the block without an exception replaces every final file; with one (or when a
    write fails) every temporary file is removed and no final file changes."""

    def __init__(self) -> None:
        self._pairs: list[tuple[Path, Path]] = []

    def path(self, final: str | Path) -> Path:
        import tempfile

        final = Path(final)
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(
                dir=final.parent, prefix=f".{final.name}.", suffix=".tmp" + final.suffix
            )
            os.close(fd)
        except OSError as e:
            raise OutputError(final, _reason(e)) from None
        self._pairs.append((Path(tmp), final))
        return Path(tmp)

    def data(self, final: str | Path, data: bytes) -> None:
        tmp = self.path(final)
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as e:
            raise OutputError(final, _reason(e)) from None

    def text(self, final: str | Path, text: str) -> None:
        self.data(final, text.encode("utf-8"))

    def discard(self) -> None:
        for tmp, _ in self._pairs:
            with contextlib.suppress(OSError):
                tmp.unlink()
        self._pairs = []

    def commit(self) -> None:
        """Rename every temporary file into place; on a failure put back what was replaced."""
        backups: list[tuple[Path, Path | None]] = []  # (final, backup or None if new)
        try:
            for tmp, final in self._pairs:
                backup = None
                if final.exists():
                    backup = final.with_name(f".{final.name}.{os.getpid()}.bak")
                    try:
                        os.link(final, backup)
                    except OSError:
                        backup = None  # no hard links here: replaced without a way back
                try:
                    os.replace(tmp, final)
                except OSError as e:
                    if backup is not None:
                        os.unlink(backup)
                    raise OutputError(final, _reason(e)) from None
                backups.append((final, backup))
        except BaseException:
            for final, backup in reversed(backups):
                try:
                    if backup is not None:
                        os.replace(backup, final)
                    else:
                        final.unlink()
                except OSError:
                    pass
            self.discard()
            raise
        for _, backup in backups:
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
        self._pairs = []

    def __enter__(self) -> AtomicGroup:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
            return
        name = None
        if isinstance(exc, OSError) and not isinstance(exc, NasabError):
            # a writer that failed on one of our temporary files: name the final file
            name = next(
                (str(f) for t, f in self._pairs if str(t) == str(exc.filename)), exc.filename
            )
        self.discard()
        if isinstance(exc, OSError) and not isinstance(exc, NasabError):
            raise OutputError(name or "output", _reason(exc)) from None


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically: a reader never sees half a file."""
    with AtomicGroup() as g:
        g.text(path, text)


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    with AtomicGroup() as g:
        g.data(path, data)
