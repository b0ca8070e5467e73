"""Rewrite the small run folders used by the figure tests (run from the repository root:
``python tests/data/runs/regenerate.py``).

Each folder is a real ``run_sweep`` output, slimmed: the JSON and Parquet copies of the table
are left out (and out of the manifest's ``files``), since figures read ``results.csv``.
"""

import json
import shutil
import tempfile
from pathlib import Path

from negsim.sweep import parse_sweep_spec, run_sweep

HERE = Path(__file__).parent
SPECS = {
    "grid-1d": {"scenario": "s400-2025-limited-use", "title": "When does Turkey stop activating its S-400s?",
                "grid": {"sanction_cost": {"start": 0, "stop": 10, "count": 21}}},
    "grid-2d": {"scenario": "s400-2018-buy-but-never-use",
                "grid": {"autonomy": {"start": 0, "stop": 10, "count": 11},
                         "sanction_cost": {"start": 0, "stop": 12, "count": 13}}},
    "monte-carlo": {"scenario": "s400-2025-limited-use",
                    "monte_carlo": {"draws": 200, "seed": 7, "parameters": "all"}},
    "one-at-a-time": {"scenario": "s400-2025-limited-use",
                      "one_at_a_time": {"parameters": "all", "count": 11}},
}


def main() -> None:
    with tempfile.TemporaryDirectory() as runs:
        for name, body in SPECS.items():
            spec = parse_sweep_spec({"negsim_sweep": 1, "id": name, **body})
            result = run_sweep(spec, runs_dir=runs)
            out = HERE / name
            if out.exists():
                shutil.rmtree(out)
            shutil.copytree(result.folder, out)
            manifest = json.loads((out / "manifest.json").read_text())
            for key in ("results_json", "results_parquet"):
                name_ = manifest["files"].pop(key, None)
                if name_:
                    (out / name_).unlink()
            (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
            print(f"{name}: {result.n_points} points, {result.n_rows} rows")


if __name__ == "__main__":
    main()
