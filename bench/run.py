"""`make bench`: the gap report on the full bank, then the app under load.

A script, not a test. It builds a temporary app (SQLite in a temporary folder), an
assessment answering every question of the State profile, and prints in one run:

- report time (the whole route: data + template + PDF) / WeasyPrint alone on the same HTML,
- cached download / uncached download,
- peak memory of one report, measured in a fresh subprocess,

then the load part (bench/load.py: gunicorn and wrk), and writes everything with the
date, machine and command into BENCHMARKS.md.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402

from bench.load import bench_load, print_load  # noqa: E402

PASSWORD = "bench password 12345"
EMAIL = "bench@example.org"
REPORT_TARGET = 1.15
CACHE_TARGET = 0.02


def make_app(folder: Path) -> Flask:
    """Return an app on a fresh SQLite database in `folder`, schema created."""
    from assess import create_app
    from assess.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "PDF_CACHE_DIR": str(folder / "pdf-cache"),
            "QUESTIONS_DIR": str(ROOT / "questions"),
        }
    )
    with app.app_context():
        db.create_all()
    return app


def _value(question: Any, rng: random.Random) -> Any:
    if question.type == "multi":
        options = [o.value for o in question.options if not o.na]
        return rng.sample(options, k=max(1, len(options) // 2))
    if question.options:
        scored = [o.value for o in question.options if not o.na] or [question.options[0].value]
        return rng.choice(scored)
    return {"number": "12", "date": "2025-03-01"}.get(
        question.type, "Set out in the national regulation and the operator's security plan."
    )


def _owner(email: str, login: bool) -> Any:
    """The owner account; without `login`, skip the (memory-hungry) argon2 password hash."""
    from assess.cli import add_user
    from assess.extensions import db
    from assess.models import Membership, Organisation, User

    if login:
        return add_user(email, "Ministry of Energy", "owner", PASSWORD)
    organisation = Organisation(name="Ministry of Energy")
    user = User(email=email, password_hash="!", session_token="bench")
    db.session.add_all([organisation, user])
    db.session.flush()
    db.session.add(Membership(user_id=user.id, organisation_id=organisation.id, role="owner"))
    db.session.flush()
    return user


def full_assessment(app: Flask, profile: str = "state", seed: int = 7, login: bool = True) -> int:
    """Create an owner and an assessment answering every question of `profile`; return its id."""
    from assess.extensions import db
    from assess.operations import Submitted, create_assessment, save_answers

    rng = random.Random(seed)
    with app.app_context():
        bank = app.extensions["assess.bank"]
        user = _owner(EMAIL, login)
        assessment = create_assessment(
            bank,
            user.memberships[0].organisation_id,
            user,
            title="National physical protection regime review 2026",
            profile=profile,
            target=75,
            classification="OFFICIAL - SENSITIVE",
        )
        submitted = [
            Submitted(
                question_id=q.id,
                value=_value(q, rng),
                note=(
                    f"Reviewed with the competent authority in workshop {i % 9 + 1}; "
                    "the regulation was amended after the last peer review mission."
                    if i % 2 == 0
                    else ""
                ),
                evidence=f"Regulation 2024/{i:03d}, section {i % 7 + 1}" if i % 3 == 0 else "",
                seen_version=0,
            )
            for i, q in enumerate(bank.questions_for(profile))
        ]
        save_answers(bank, assessment, submitted, user)
        db.session.commit()
        return assessment.id


def bench_report(repeat: int = 3) -> dict[str, float]:
    """Time the report route against WeasyPrint alone, and cached against uncached downloads.

    The route and WeasyPrint alone run alternately and the fastest run of each counts, so
    that other load on the machine skews both alike.
    """
    from pypdf import PdfReader

    from assess.extensions import db
    from assess.models import Assessment
    from assess.pdf import render_pdf
    from assess.reports.render import load_report, report_html

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = make_app(folder)
        assessment_id = full_assessment(app)
        client = app.test_client()
        client.post("/login", data={"email": EMAIL, "password": PASSWORD})
        url = f"/assessments/{assessment_id}/report.pdf"
        cache = folder / "pdf-cache"

        def uncached() -> bytes:
            for old in cache.glob("*.pdf"):
                old.unlink()
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response.data

        pdf = uncached()  # warm up: fonts, stylesheet, templates
        with app.app_context():
            assessment = db.session.get(Assessment, assessment_id)
            html = report_html(load_report(app.extensions["assess.bank"], assessment))
        route, weasy = [], []
        for _ in range(repeat):
            route.append(_timed(uncached))
            with app.app_context():
                weasy.append(_timed(lambda: render_pdf(html)))
        client.get(url)
        cached = min(_timed(lambda: client.get(url)) for _ in range(20))
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return {
        "pages": pages,
        "route_s": min(route),
        "weasyprint_s": min(weasy),
        "report_ratio": min(route) / min(weasy),
        "cached_s": cached,
        "cache_ratio": cached / min(route),
    }


def _timed(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _peak_child() -> None:
    """In a subprocess: render one report and print its peak resident memory as JSON."""
    from assess.extensions import db
    from assess.models import Assessment
    from assess.reports.render import report_pdf

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp))
        assessment_id = full_assessment(app, login=False)
        with app.app_context():
            assessment = db.session.get(Assessment, assessment_id)
            before = _reset_peak()
            report_pdf(app.extensions["assess.bank"], assessment)
            after = _peak_kb()
    print(json.dumps({"before_kb": before, "peak_kb": after}))


def _reset_peak() -> int:
    """Reset the peak resident size where Linux allows it (getrusage's maxrss keeps a peak
    inherited through fork and exec, /proc's VmHWM can be reset); return it in KB."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _peak_kb()


def _peak_kb() -> int:
    """The peak resident size of this process in KB (VmHWM, else getrusage's maxrss)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def bench_report_memory() -> dict[str, float]:
    """Return the peak resident memory (MB) of a fresh process rendering one report, and
    that of the same process just before the report (app loaded, assessment stored)."""
    out = subprocess.run(
        [sys.executable, __file__, "--peak-child"], check=True, capture_output=True, text=True
    )
    numbers = json.loads(out.stdout.strip().splitlines()[-1])
    return {"baseline_mb": numbers["before_kb"] / 1024, "peak_mb": numbers["peak_kb"] / 1024}


def report_lines() -> list[str]:
    """Run the report benchmarks; return the lines printed."""
    memory = bench_report_memory()  # first, while this process is still small
    report = bench_report()
    ok = "ok" if report["report_ratio"] <= REPORT_TARGET else "OVER TARGET"
    cache_ok = "ok" if report["cache_ratio"] <= CACHE_TARGET else "OVER TARGET"
    lines = [
        f"Gap report, full bank, every question answered ({report['pages']} pages):",
        f"  report time / WeasyPrint alone: {report['report_ratio']:.3f} "
        f"(target <= {REPORT_TARGET}) {ok}  "
        f"[{report['route_s']:.2f} s / {report['weasyprint_s']:.2f} s]",
        f"  cached / uncached download:     {report['cache_ratio']:.4f} "
        f"(target <= {CACHE_TARGET}) {cache_ok}  "
        f"[{report['cached_s'] * 1000:.1f} ms / {report['route_s']:.2f} s]",
        f"  peak memory of a report:        {memory['peak_mb']:.0f} MB resident "
        f"(+{memory['peak_mb'] - memory['baseline_mb']:.0f} MB over the "
        f"{memory['baseline_mb']:.0f} MB of the process before the report)",
    ]
    for line in lines:
        print(line, flush=True)
    return lines


def machine() -> str:
    """Describe the machine the numbers were measured on."""
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    load = os.getloadavg()[0]
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"{memory_kb / 1024 / 1024:.0f} GiB, Python {platform.python_version()}, "
        f"load average {load:.1f} at the start"
    )


def main() -> None:
    """Run every benchmark, print the results with their targets, write BENCHMARKS.md."""
    started = datetime.now(UTC)
    where = machine()
    lines = report_lines()
    print("Load (gunicorn, 2 workers, wrk on loopback):", flush=True)
    lines += ["", "Load (gunicorn, 2 workers, wrk: 2 runs of 15 s per URL, the better kept):"]
    lines += ["  " + line for line in print_load(bench_load())]
    body = "\n".join(lines)
    (ROOT / "BENCHMARKS.md").write_text(
        "# Benchmarks\n\n"
        "Written by `make bench` (`bench/run.py`); every ratio is measured in one run.\n\n"
        f"- date: {started:%Y-%m-%d %H:%M} UTC\n- machine: {where}\n- command: `make bench`\n\n"
        f"```\n{body}\n```\n"
    )
    print(f"Written to {ROOT / 'BENCHMARKS.md'}")


if __name__ == "__main__":
    if "--peak-child" in sys.argv:
        _peak_child()
    else:
        main()
