"""Atomic writes: a file, or a whole folder of files, either appears complete or not at all."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Mapping
from pathlib import Path

from negsim.errors import InputError, Problem

__all__ = ["check_target", "refuse_existing", "write_bytes_atomic", "write_folder", "write_text_atomic"]


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


# -- folders -------------------------------------------------------------------------------------


def check_target(folder: str | os.PathLike[str], *, force: bool) -> Path:
    """Refuse an existing output (without ``force``) before any work is done."""
    target = Path(folder)
    if target.exists() and not force:
        raise InputError(
            [Problem("the output folder exists; pass --force to replace it", file=os.fspath(target))]
        )
    if target.exists() and not target.is_dir():
        raise InputError([Problem("the output exists and is not a folder", file=os.fspath(target))])
    return target


def write_folder(folder: str | os.PathLike[str], files: Mapping[str, bytes], *, force: bool) -> Path:
    """Write ``files`` (relative path -> bytes) as the folder ``folder``.

    Everything is written into a hidden temporary folder beside the target, which is then
    renamed into place; an existing target (only with ``force``) is swapped out and removed
    after the new one is in place. An error on the way leaves the target as it was.
    """
    target = check_target(folder, force=force)
    target.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(4)
    staging = target.parent / f".{target.name}.{token}.tmp"
    old = target.parent / f".{target.name}.{token}.old"
    try:
        staging.mkdir()
        for name, data in files.items():
            path = staging / name
            if staging.resolve() not in path.resolve().parents:
                raise ValueError(f"output file {name!r} would leave the output folder")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old.exists() and not target.exists():
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return target
