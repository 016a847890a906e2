"""Prepare a database with the `assess` commands, then serve the real app for browser tests.

    python -m tests.e2e.serve --port 8123 [--setup steps.json]

Configuration comes from the environment, as in production (DATABASE_URL, ASSESS_*).
`steps.json` is a list of `{"args": [...], "input": "..."}`: each one is an `assess`
command line (for example `["user", "create", "a@b.example", "--org", "X",
"--password-stdin"]`) with its standard input. The commands run in this process, one after
the other, so the app's imports are paid once; the first failing one stops everything with
its output and exit status 1. Then the app is served with werkzeug's threaded server on
127.0.0.1 until the process is terminated.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from click.testing import CliRunner
from werkzeug.serving import make_server

from assess import create_app
from assess.cli import main as assess_cli


def run_steps(steps: list[dict]) -> None:
    """Run each `assess` command of `steps`; exit 1 with its output when one fails."""
    runner = CliRunner()
    for step in steps:
        result = runner.invoke(assess_cli, step["args"], input=step.get("input"))
        if result.exit_code != 0:
            sys.stderr.write(f"assess {' '.join(step['args'])} failed:\n{result.output}\n")
            if result.exception and not isinstance(result.exception, SystemExit):
                sys.stderr.write(f"{result.exception!r}\n")
            sys.exit(1)
        sys.stdout.write(result.output)
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--setup", type=Path, help="JSON list of assess commands to run first")
    options = parser.parse_args()
    if options.setup:
        run_steps(json.loads(options.setup.read_text()))
    server = make_server("127.0.0.1", options.port, create_app(), threaded=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"Serving on http://127.0.0.1:{options.port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
