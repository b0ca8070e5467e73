"""Reading a user's text file: bounded in size, UTF-8, every failure an :class:`InputError`."""

from __future__ import annotations

import os

from negsim.errors import InputError, Problem

__all__ = ["read_text_file"]


def read_text_file(path: str | os.PathLike[str], *, limit: int, kind: str, bom: bool = False) -> str:
    """The text of ``path``, read with at most ``limit`` bytes in memory.

    ``kind`` names what the file should be, for messages ("Gambit files"). Too large (also
    when the size is unknown beforehand, as for a pipe), missing, a directory, unreadable or
    not UTF-8 (placed at its line and column): an :class:`InputError`. With ``bom`` a leading
    byte-order mark is dropped.
    """
    name = os.fspath(path)
    too_large = InputError(
        [Problem(f"the file is too large: negsim reads {kind} of up to {limit:,} bytes", file=name)]
    )
    try:
        if os.stat(name).st_size > limit:
            raise too_large
        with open(name, "rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise too_large
    except FileNotFoundError:
        raise InputError([Problem("no such file", file=name)]) from None
    except IsADirectoryError:
        raise InputError([Problem(f"this is a directory, not one of the {kind}", file=name)]) from None
    except OSError as exc:
        raise InputError([Problem(f"cannot read the file: {exc.strerror or exc}", file=name)]) from None
    try:
        return data.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise InputError(
            [
                Problem(
                    f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
                    file=name,
                    line=line,
                    column=column,
                )
            ]
        ) from None
