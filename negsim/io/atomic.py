"""Atomic writes: a file either appears complete or not at all."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from negsim.errors import InputError, Problem

__all__ = ["refuse_existing", "write_bytes_atomic", "write_text_atomic"]


def refuse_existing(path: str | os.PathLike[str], *, force: bool = False, option: str = "--force") -> None:
    """An :class:`InputError` when ``path`` exists and ``force`` is not set: nothing is lost."""
    if not force and Path(path).exists():
        raise InputError([Problem(f"the file exists; pass {option} to replace it", file=os.fspath(path))])


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write to a temporary file beside ``path``, flush it to disk, then rename over ``path``."""
    target = Path(path)
    if not target.parent.is_dir():
        raise InputError([Problem("the folder does not exist", file=str(target.parent))])
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    return write_bytes_atomic(path, text.encode("utf-8"))
