"""What the benchmarks ran on: CPU model, cores, Python and library versions."""

from __future__ import annotations

import os
import platform
from importlib import metadata


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe() -> str:
    """One line per fact, for the head of a benchmark's output."""
    packages = ["numpy", "negsim", "quantecon", "numba", "nashpy", "pygambit"]
    return "\n".join(
        [
            f"machine: {cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
            f"python:  {platform.python_version()}",
            "versions: " + ", ".join(f"{p} {version(p)}" for p in packages),
        ]
    )
