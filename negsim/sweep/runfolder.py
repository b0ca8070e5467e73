"""Run folders: where a sweep's results go, written so that nothing incomplete looks complete.

A run folder ``<runs>/<id>-<YYYYmmdd-HHMMSS>`` is created new for every run (a suffix ``-2``,
``-3``, ... if that name is taken; an existing folder is never written into). While the sweep
runs, the tables grow under names ending in ``.incomplete`` and ``manifest.json`` says
``status: running``. At the end the tables are renamed to their final names and the manifest is
replaced (atomically) with ``status: complete``. A run that is interrupted or fails renames what
it finished to ``results.partial.csv`` and the like and records ``interrupted`` or ``failed``.
Every file is described in ``docs/reference/run-folder.md``.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from negsim.errors import InputError, Problem, did_you_mean
from negsim.io.atomic import write_text_atomic
from negsim.sweep.table import csv_header

__all__ = [
    "CSV_DEFAULT_MAX_POINTS",
    "FORMATS",
    "JSON_ARRAY_MAX_POINTS",
    "RunWriter",
    "SweepResult",
    "new_run_folder",
    "parquet_available",
    "read_run",
    "table_formats",
    "write_json",
]

#: Sweeps of up to this many points write ``results.json`` (one JSON array); larger ones write
#: ``results.jsonl`` (JSON Lines, one object per line), which readers can stream.
JSON_ARRAY_MAX_POINTS = 100_000

MANIFEST = "manifest.json"

#: The formats of the results table a run folder can hold.
FORMATS = ("csv", "json", "jsonl", "parquet")
#: By default (pyarrow installed) sweeps of up to this many points write ``results.csv`` beside
#: ``results.parquet``; larger ones write Parquet only (a CSV table of a million points takes
#: some 400 MB, and no spreadsheet opens it).
CSV_DEFAULT_MAX_POINTS = 100_000


def table_formats(formats: Sequence[str] | None, n_points: int, *, path: str = "formats") -> tuple[str, ...]:
    """The formats of the results table to write, in :data:`FORMATS` order.

    ``None`` chooses: ``parquet`` and ``csv`` when pandas and pyarrow are installed (``parquet``
    alone above :data:`CSV_DEFAULT_MAX_POINTS` points), else ``csv``. JSON is written only when
    asked for: ``json`` is one JSON array up to :data:`JSON_ARRAY_MAX_POINTS` points and JSON
    Lines above, ``jsonl`` always JSON Lines. Anything else raises :class:`InputError` (one
    problem per bad value, under ``path``).

    >>> table_formats(["jsonl", "csv", "csv"], 10)
    ('csv', 'jsonl')
    """
    if formats is None:
        if not parquet_available():
            return ("csv",)
        return ("csv", "parquet") if n_points <= CSV_DEFAULT_MAX_POINTS else ("parquet",)
    problems = [
        Problem(f"unknown table format {value!r}{did_you_mean(str(value), list(FORMATS))}", path=path)
        for value in formats
        if value not in FORMATS
    ]
    chosen = [name for name in FORMATS if name in formats]
    if not formats:
        problems.append(Problem(f"expected at least one of {', '.join(FORMATS)}", path=path))
    if "json" in chosen and "jsonl" in chosen:
        problems.append(Problem("json and jsonl are the same table: choose one", path=path))
    if "parquet" in chosen and not parquet_available():
        problems.append(Problem("parquet needs pandas and pyarrow: pip install pyarrow pandas", path=path))
    if problems:
        raise InputError(problems)
    return tuple(chosen)


def new_run_folder(runs_dir: str | os.PathLike[str], run_id: str, when: datetime) -> Path:
    """Create and return a new, empty run folder; never reuses an existing one."""
    root = Path(runs_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            [Problem(f"cannot create the runs folder ({exc.strerror or exc})", file=str(root))]
        ) from None
    stem = f"{run_id}-{when.strftime('%Y%m%d-%H%M%S')}"
    for n in range(1, 10_000):
        folder = root / (stem if n == 1 else f"{stem}-{n}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        except OSError as exc:
            raise InputError(
                [Problem(f"cannot create the run folder ({exc.strerror or exc})", file=str(folder))]
            ) from None
        (folder / "figures").mkdir()
        return folder
    raise InputError([Problem("too many run folders with the same name and time", file=str(root))])


def parquet_available() -> bool:
    """Whether ``results.parquet`` can be written (pandas and pyarrow installed); looked up
    without importing them, which would cost time and memory on every run."""
    return all(importlib.util.find_spec(name) is not None for name in ("pandas", "pyarrow"))


def write_json(path: Path, data: object) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


class RunWriter:
    """Appends each chunk's rows to the tables of a run folder, under temporary names."""

    def __init__(
        self,
        folder: Path,
        columns: list[str],
        point_columns: list[str],
        *,
        formats: Sequence[str],
        json_lines: bool,
    ) -> None:
        """``formats`` as :func:`table_formats` gives them; ``json_lines`` says whether a JSON
        table is JSON Lines (``results.jsonl``) rather than one array (``results.json``)."""
        self.folder = folder
        self.formats = tuple(formats)
        self.json_lines = json_lines or "jsonl" in self.formats
        json_name = "results.jsonl" if self.json_lines else "results.json"
        # key -> (final name, partial name)
        self.names = {"points_csv": ("points.csv", "points.partial.csv")}
        if "csv" in self.formats:
            self.names["results_csv"] = ("results.csv", "results.partial.csv")
        if "json" in self.formats or "jsonl" in self.formats:
            self.names["results_json"] = (json_name, json_name.replace("results.", "results.partial."))
        self.handles = {
            key: open(self._temporary(key), "w", encoding="utf-8", newline="") for key in self.names
        }
        if "results_csv" in self.handles:
            self.handles["results_csv"].write(csv_header(columns))
        self.handles["points_csv"].write(csv_header(point_columns))
        if "results_json" in self.handles and not self.json_lines:
            self.handles["results_json"].write("[")
        self.first_json = True
        self.parquet = None
        if "parquet" in self.formats:
            self.names["results_parquet"] = ("results.parquet", "results.partial.parquet")
            self.parquet_columns = columns
        self.points = 0
        self.rows = 0
        self.written: dict[str, str] | None = None

    def _temporary(self, key: str) -> Path:
        return self.folder / (self.names[key][0] + ".incomplete")

    def append(self, chunk: object) -> None:
        if "results_csv" in self.handles:
            self.handles["results_csv"].write(chunk.csv)
        self.handles["points_csv"].write(chunk.points_csv)
        text = chunk.json_lines if "results_json" in self.handles else ""
        if text:
            if self.json_lines:
                self.handles["results_json"].write(text)
            else:
                body = text.rstrip("\n").replace("\n", ",\n")
                self.handles["results_json"].write(("\n" if self.first_json else ",\n") + body)
                self.first_json = False
        if "results_parquet" in self.names and chunk.columns is not None:
            self._append_parquet(chunk.columns)
        self.points += chunk.stop - chunk.start
        self.rows += chunk.n_rows

    def _append_parquet(self, columns: dict) -> None:
        import numpy as np
        import pyarrow as pa
        import pyarrow.parquet as pq

        # A fixed schema, so every chunk matches the first; missing values are nulls, as the
        # empty fields of the CSV.
        arrays = []
        for name in self.parquet_columns:
            column = columns[name]
            if column.dtype == object:
                arrays.append(pa.array(column.tolist(), type=pa.string()))
            elif column.dtype == bool:
                arrays.append(pa.array(column, type=pa.bool_()))
            elif np.issubdtype(column.dtype, np.integer):
                arrays.append(pa.array(column, type=pa.int64(), mask=column < 0))
            else:
                arrays.append(pa.array(column, type=pa.float64(), mask=np.isnan(column)))
        table = pa.Table.from_arrays(arrays, names=list(self.parquet_columns))
        if self.parquet is None:
            # zstd: about a third smaller than the default snappy, and as fast to read.
            self.parquet = pq.ParquetWriter(
                self._temporary("results_parquet"), table.schema, compression="zstd"
            )
        self.parquet.write_table(table)

    def _close(self) -> None:
        if "results_json" in self.handles and not self.json_lines:
            self.handles["results_json"].write("\n]\n")
        for handle in self.handles.values():
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        if self.parquet is not None:
            self.parquet.close()

    def finish(self) -> dict[str, str]:
        """Close the tables and give them their final names; returns key -> file name."""
        return self._rename(final=True)

    def abandon(self) -> dict[str, str]:
        """Close the tables and name them as partial results; returns key -> file name."""
        return self._rename(final=False)

    def _rename(self, final: bool) -> dict[str, str]:
        if self.written is not None:  # already closed: an interrupt after the end
            return self.written
        self._close()
        written: dict[str, str] = {}
        for key, (complete, partial) in self.names.items():
            temporary = self._temporary(key)
            if not temporary.exists():
                continue
            name = complete if final else partial
            os.replace(temporary, self.folder / name)
            written[key] = name
        self.written = written
        return written


# -- reading a run folder ---------------------------------------------------------------------

_INT_COLUMNS = {"point", "equilibrium", "n_equilibria"}
_TEXT_COLUMNS = {"varied", "kind", "outcome", "equilibrium_set", "dominance"}


def _typed(name: str, text: str, types: dict | None = None) -> object:
    if text == "":
        return None
    kind = (types or {}).get(name)  # an analysis kind's own columns (manifest "column_types")
    if kind == "text":
        return text
    if kind == "integer":
        return int(text)
    if kind == "boolean":
        return text == "true"
    if name in _INT_COLUMNS:
        return int(text)
    if name in _TEXT_COLUMNS:
        return text
    if name == "degenerate":
        return text == "true"
    return float(text)


@dataclass(frozen=True, eq=False)
class SweepResult:
    """A sweep's run folder, read back: the manifest, tipping points and sensitivity in memory,
    the table on demand (:meth:`rows`, :meth:`dataframe`), so a million-row run loads fast."""

    folder: Path
    manifest: dict
    tipping_points: list[dict]
    sensitivity: list[dict] | None
    #: ``credibility.json`` of a credibility sweep (responses and thresholds), else None.
    credibility: dict | None = None

    @property
    def status(self) -> str:
        """``complete``, ``interrupted``, ``failed`` or ``running``."""
        return self.manifest.get("status", "")

    @property
    def complete(self) -> bool:
        return self.status == "complete"

    @property
    def n_points(self) -> int:
        """Points solved and written (fewer than planned when the run was interrupted)."""
        return int(self.manifest.get("points_done", 0))

    @property
    def n_rows(self) -> int:
        return int(self.manifest.get("n_rows", 0))

    @property
    def outcomes(self) -> list[dict]:
        """Each equilibrium set with its number and share of points, most frequent first."""
        return list(self.manifest.get("outcomes", []))

    def file(self, key: str) -> Path | None:
        """The file written for ``key`` (``results_csv``, ``results_json``, ``points_csv``,
        ``results_parquet``, ``tipping_points``, ``sensitivity``, ``credibility``), if any."""
        name = self.manifest.get("files", {}).get(key)
        return self.folder / name if name else None

    def rows(self) -> Iterator[dict]:
        """The table's rows as dicts with typed values (``None`` where a value is missing),
        from ``results.csv``, or from ``results.parquet`` when the run wrote no CSV."""
        path = self.file("results_csv")
        if path is None:
            parquet = self.file("results_parquet")
            if parquet is not None:
                yield from _parquet_rows(parquet)
            return
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            for row in reader:
                types = self.manifest.get("column_types")
                yield {name: _typed(name, text, types) for name, text in zip(header, row)}

    def dataframe(self):
        """The table as a pandas DataFrame (pandas must be installed)."""
        try:
            import pandas as pd
        except ImportError:
            raise InputError("reading a sweep as a DataFrame needs pandas: pip install pandas") from None
        path = self.file("results_csv")
        text = {k for k, v in self.manifest.get("column_types", {}).items() if v == "text"}
        if path is None:
            path = self.file("results_parquet")
            if path is None:
                raise InputError(
                    [
                        Problem(
                            "the run folder holds no results table (results.csv or results.parquet)",
                            file=str(self.folder),
                        )
                    ]
                )
            frame = pd.read_parquet(path)
            return frame.astype({name: "string" for name in _TEXT_COLUMNS | text if name in frame.columns})
        # Only empty fields are missing: a strategy called "NA" stays text.
        return pd.read_csv(
            path,
            keep_default_na=False,
            na_values=[""],
            dtype={name: "string" for name in _TEXT_COLUMNS | text},
        )


def _parquet_rows(path: Path) -> Iterator[dict]:
    """Rows of a Parquet table, batch by batch (nulls are ``None``)."""
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(path).iter_batches(batch_size=65_536):
        yield from batch.to_pylist()


def read_run(folder: str | os.PathLike[str]) -> SweepResult:
    """Read a run folder written by :func:`negsim.sweep.run_sweep`."""
    folder = Path(folder)
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError([Problem("not a sweep run folder (no manifest.json)", file=str(folder))]) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError([Problem(f"cannot read the manifest ({exc})", file=str(path))]) from None
    if not isinstance(manifest, dict) or "status" not in manifest:
        raise InputError([Problem("not a sweep manifest", file=str(path))])

    def load(key: str) -> object:
        name = manifest.get("files", {}).get(key)
        if not name or not (folder / name).exists():
            return None
        data = json.loads((folder / name).read_text(encoding="utf-8"))
        return data

    tipping = load("tipping_points")
    sensitivity = load("sensitivity")
    return SweepResult(
        folder=folder,
        manifest=manifest,
        tipping_points=list(tipping["tipping_points"]) if tipping else [],
        sensitivity=list(sensitivity["parameters"]) if sensitivity else None,
        credibility=load("credibility"),
    )
