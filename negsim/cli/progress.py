"""The progress bar of long commands: a rich bar on stderr, shown once a run has lasted a second
(short runs print nothing), fed by the ``progress(done, total)`` callbacks of the API."""

from __future__ import annotations

import threading
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

__all__ = ["ProgressBar"]


class ProgressBar:
    """``with ProgressBar(console) as bar: run_sweep(spec, progress=bar)``.

    Nothing is drawn unless ``console`` is a terminal and the run lasts over ``delay`` seconds.
    """

    def __init__(self, console: Console, description: str = "solving", *, unit: str = "points",
                 delay: float = 1.0, enabled: bool = True) -> None:
        self.console = console
        self.description = description
        self.unit = unit
        self.done = 0
        self.total: int | None = None
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._lock = threading.Lock()
        self._due = False
        self._timer: threading.Timer | None = None
        if enabled and console.is_terminal:
            self._timer = threading.Timer(delay, self._expire)
            self._timer.daemon = True
            self._timer.start()

    def __call__(self, done: int, total: int) -> None:
        with self._lock:
            self.done, self.total = done, total
            self._draw()

    def _expire(self) -> None:
        with self._lock:
            self._due = True
            self._draw()

    def _draw(self) -> None:
        if not self._due or self.total is None or self._timer is None:
            return
        if self._bar is None:
            if self.done >= self.total:
                return
            self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TextColumn(f"{self.unit},"),
                                 TimeRemainingColumn(), TextColumn("left"),
                                 console=self.console, transient=True)
            self._task = self._bar.add_task(self.description, total=self.total,
                                            completed=self.done)
            self._bar.start()
        elif self._task is not None:
            self._bar.update(self._task, completed=self.done)

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._bar is not None:
                self._bar.stop()
                self._bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
