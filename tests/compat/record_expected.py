"""Record what each script in scripts/ prints under the reference Dagster: scripts/<name>.expected.txt.

    .venv/bin/python tests/compat/record_expected.py [--dagster-python PYTHON] [name ...]

(PYTHON defaults to /opt/dagster-venv/bin/python.)

test_dagster_scripts.py runs the same scripts through headwater.compat.dagster and compares.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent / "scripts"


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "HEADWATER_HOME")}
    env["PYTHONHASHSEED"] = "0"
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dagster-python", default="/opt/dagster-venv/bin/python")
    parser.add_argument("names", nargs="*", help="script names (default: all)")
    args = parser.parse_args()
    scripts = sorted(p for p in SCRIPTS.glob("[!_]*.py"))
    if args.names:
        scripts = [p for p in scripts if p.stem in args.names or p.name in args.names]
    failed = 0
    for script in scripts:
        with tempfile.TemporaryDirectory() as cwd:
            out = subprocess.run(
                [args.dagster_python, str(script)], cwd=cwd, env=clean_env(), capture_output=True, text=True
            )
        if out.returncode != 0:
            failed += 1
            print(f"FAILED {script.name} (exit {out.returncode}):\n{out.stderr[-3000:]}", file=sys.stderr)
            continue
        script.with_suffix(".expected.txt").write_text(out.stdout, encoding="utf-8")
        print(f"recorded {script.stem}.expected.txt ({len(out.stdout.splitlines())} lines)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
