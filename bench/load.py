"""Load part of `make bench`: gunicorn with 2 workers on loopback, driven by wrk.

Measured in one run (each URL twice, alternating; the better run kept), printed as
ratios: wizard req/s over healthz req/s, p50 and p99 latency, SQL statements per wizard
and dashboard page, and the dashboard's time with 10,000 assessments over its time with 10.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark password 2026"
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "15"))  # per URL and run


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _seed(database_url: str, big: int) -> dict[str, int]:
    """Create two organisations: one with 10 assessments, one with `big`; return ids."""
    from sqlalchemy import insert

    from assess import create_app
    from assess.cli import add_user
    from assess.extensions import db
    from assess.models import Answer, Assessment
    from assess.operations import refresh_summary

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    with app.app_context():
        small_user = add_user("small@bench.example", "Small org", "owner", PASSWORD)
        large_user = add_user("large@bench.example", "Large org", "owner", PASSWORD)
        db.session.commit()
        bank = app.extensions["assess.bank"]
        ids: dict[str, int] = {}
        for user, count, key in ((small_user, 10, "small"), (large_user, big, "large")):
            org = user.memberships[0].organisation_id
            rows = [
                {
                    "organisation_id": org,
                    "title": f"Site {n} review",
                    "profile": "state" if n % 3 else "operator",
                    "status": "draft" if n % 4 else "final",
                    "target": 75,
                    "classification": "OFFICIAL - SENSITIVE",
                    "bank_version": bank.version,
                    "revision": 1,
                    "coverage": (n % 100) / 100,
                    "overall_score": float(n % 100),
                    "unknown_answers": [],
                    "updated_by_id": user.id,
                }
                for n in range(count)
            ]
            for start in range(0, len(rows), 2000):
                db.session.execute(insert(Assessment), rows[start : start + 2000])
            db.session.commit()
            first = db.session.scalar(
                db.select(Assessment.id).where(Assessment.organisation_id == org).limit(1)
            )
            ids[key] = first
        assessment = db.session.get(Assessment, ids["small"])
        assessment.profile = "state"
        for question in bank.questions_for("state"):
            value = (
                [question.options[0].value]
                if question.type == "multi"
                else question.options[0].value
                if question.options
                else "3"
            )
            db.session.add(
                Answer(assessment_id=assessment.id, question_id=question.id, value=value)
            )
        db.session.flush()
        refresh_summary(bank, assessment, assessment.answers)
        db.session.commit()
    return ids


def _session_cookie(base: str, email: str) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {"email": email, "password": PASSWORD}
    if token:
        data["csrf_token"] = token.group(1)
    opener.open(f"{base}/login", urllib.parse.urlencode(data).encode()).read()
    cookie = next((c for c in jar if c.name == "session"), None)
    if cookie is None:
        raise RuntimeError("could not log in to the benchmark server")
    return f"session={cookie.value}"


def _wrk(url: str, cookie: str | None) -> WrkResult:
    command = ["wrk", "-t2", "-c8", f"-d{WRK_SECONDS}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        raise RuntimeError(f"{url}: {non_2xx.group(1)} error responses under load")

    def percentile(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return WrkResult(rps, percentile("50"), percentile("99"))


def statements_per_page(database_url: str, ids: dict[str, int]) -> dict[str, int]:
    """Count the SQL statements of one wizard page and one dashboard page, in process."""
    from sqlalchemy import event

    from assess import create_app
    from assess.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post("/login", data={"email": "small@bench.example", "password": PASSWORD})
    counts: dict[str, int] = {}
    with app.app_context():
        engine = db.engine
    for name, url in (
        ("wizard", f"/assessments/{ids['small']}/section/regime"),
        ("dashboard", "/"),
    ):
        seen: list[str] = []

        def count(*args: object, seen: list[str] = seen) -> None:
            seen.append(str(args[2]))

        event.listen(engine, "before_cursor_execute", count)
        assert client.get(url).status_code == 200
        event.remove(engine, "before_cursor_execute", count)
        counts[name] = len([s for s in seen if not s.upper().startswith("BEGIN")])
    return counts


def bench_load() -> dict[str, object]:
    """Run the load benchmark and return its numbers (also printed)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="assess-bench-"))
    database_url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    ids = _seed(database_url, 10_000)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        ASSESS_SECRET_KEY="bench-secret",
        ASSESS_BIND=f"127.0.0.1:{port}",
        ASSESS_WORKERS="2",
        ASSESS_ACCESS_LOG=str(workdir / "access.log"),
        ASSESS_PDF_CACHE_DIR=str(workdir / "pdf"),
        ASSESS_RATELIMIT_DISABLED="1",
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "gunicorn.log", "w"),  # noqa: SIM115 - lives as long as the server
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        small = _session_cookie(base, "small@bench.example")
        large = _session_cookie(base, "large@bench.example")
        # Keep-alive connections stay with the worker that accepted them, so one run may load
        # the two workers unevenly. Alternate the URLs, run each twice, keep the better run.
        targets = {
            "healthz": (f"{base}/healthz", None),
            "wizard": (f"{base}/assessments/{ids['small']}/section/regime", small),
            "dashboard_10": (f"{base}/", small),
            "dashboard_10000": (f"{base}/", large),
        }
        runs: dict[str, list[WrkResult]] = {name: [] for name in targets}
        for _round in range(2):
            for name, (url, cookie) in targets.items():
                runs[name].append(_wrk(url, cookie))
        best = {
            name: max(results, key=lambda r: r.requests_per_second)
            for name, results in runs.items()
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
    statements = statements_per_page(database_url, ids)
    results = {
        **best,
        "wizard_over_healthz": (
            best["wizard"].requests_per_second / best["healthz"].requests_per_second
        ),
        "dashboard_10000_over_10": (
            best["dashboard_10"].requests_per_second / best["dashboard_10000"].requests_per_second
        ),
        "statements": statements,
    }
    shutil.rmtree(workdir, ignore_errors=True)
    return results


def print_load(results: dict[str, object]) -> list[str]:
    """Print the load results as lines (returned too, for BENCHMARKS.md)."""
    lines = []
    for name in ("healthz", "wizard", "dashboard_10", "dashboard_10000"):
        r = results[name]
        lines.append(
            f"{name:<16} {r.requests_per_second:9.1f} req/s   p50 {r.p50_ms:7.1f} ms   "
            f"p99 {r.p99_ms:7.1f} ms"
        )
    lines.append(
        f"wizard req/s / healthz req/s       {results['wizard_over_healthz']:.2f}  (target >= 0.35)"
    )
    lines.append(
        f"dashboard 10,000 / 10 (time)       {results['dashboard_10000_over_10']:.2f}  "
        "(target <= 2)"
    )
    statements = results["statements"]
    lines.append(
        f"SQL statements: wizard page {statements['wizard']}, dashboard {statements['dashboard']}"
        "  (target <= 6 each)"
    )
    for line in lines:
        print(line)
    return lines


if __name__ == "__main__":
    print_load(bench_load())
