"""The PDF pipeline fetches nothing but the app's static files, escapes every user string,
and survives hostile and huge input."""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from pypdf import PdfReader

from assess import create_app
from assess.cli import add_user
from assess.config import PROJECT_ROOT
from assess.extensions import db
from assess.operations import Submitted, create_assessment, save_answers
from assess.pdf import BASE_URL, FetchRefused, StaticOnlyFetcher, render_pdf

from .conftest import empty_tables, make_config

PASSWORD = "correct horse battery staple"
MINI_BANK = PROJECT_ROOT / "tests" / "fixtures" / "banks" / "mini"
STATIC = PROJECT_ROOT / "static"
CJK = "核安保文化自我评估报告"
ARABIC = "الحماية المادية للمواد النووية"
HEBREW = "הגנה פיזית על חומר גרעיני"
EMOJI = "🔒🛡️☢️"


@pytest.fixture(scope="module")
def trap() -> Iterator[tuple[int, list[object]]]:
    """A TCP server on 127.0.0.1 that records every connection: nothing may connect."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    hits: list[object] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            hits.append(address)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], hits
    stop.set()
    thread.join()
    server.close()


def payloads(port: int) -> list[str]:
    here = f"http://127.0.0.1:{port}"
    return [
        '<img src="file:///etc/passwd">',
        f'<img src="{here}/image.png">',
        f'<a href="{here}/link">a link</a>',
        f'<base href="{here}/"><img src="relative.png">',
        f"<style>@import url({here}/import.css); body {{ background: url({here}/bg.png) }}</style>",
        f"<script>fetch('{here}/script')</script>",
        f'<link rel="stylesheet" href="{here}/sheet.css">',
        f'<svg><image href="{here}/svg.png"/></svg>',
        f'<object data="{here}/object"></object><iframe src="{here}/frame"></iframe>',
    ]


# -- the fetcher on its own ----------------------------------------------------------------


def test_fetcher_serves_the_report_stylesheet() -> None:
    fetcher = StaticOnlyFetcher(STATIC)
    expected = (STATIC / "css" / "report.css").read_bytes()
    for url in (BASE_URL + "css/report.css", "/static/css/report.css"):
        response = fetcher.fetch(url)
        assert response.read() == expected
        assert response.content_type == "text/css"


def test_fetcher_serves_data_uris() -> None:
    fetcher = StaticOnlyFetcher(STATIC)
    assert fetcher.fetch("data:text/plain;base64,SGVsbG8=").read() == b"Hello"
    assert fetcher.fetch("data:,plain%20text").read() == b"plain text"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        f"file://{STATIC}/css/report.css",
        "https://example.org/report.css",
        "ftp://example.org/x",
        "javascript:alert(1)",
        "/static/../assess/config.py",
        "/static/%2e%2e/assess/config.py",
        "/static/css/../../assess/config.py",
        BASE_URL + "../assess/config.py",
        BASE_URL + "%2e%2e/%2e%2e/etc/passwd",
        BASE_URL + "css/..%5c..%5cassess/config.py",
        "assess-static://elsewhere/static/css/report.css",
        "//127.0.0.1/static/css/report.css",
        "/static/",
        "/static/css/missing.css",
        "/assess/config.py",
        "/etc/passwd",
    ],
)
def test_fetcher_refuses_everything_else(url: str) -> None:
    with pytest.raises(FetchRefused):
        StaticOnlyFetcher(STATIC).fetch(url)


def test_fetcher_refuses_the_network(trap) -> None:
    port, hits = trap
    for scheme in ("http", "https"):
        with pytest.raises(FetchRefused):
            StaticOnlyFetcher(STATIC).fetch(f"{scheme}://127.0.0.1:{port}/x.css")
    assert hits == []


def test_raw_html_cannot_fetch_anything(app: Flask, trap) -> None:
    """Even HTML that escaping would never let through cannot reach a file or the network."""
    port, hits = trap
    body = "".join(payloads(port))
    html = f'<!doctype html><html lang="en"><head><title>t</title></head><body>{body}</body></html>'
    with app.app_context():
        pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert hits == []
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "root:" not in text


# -- a hostile assessment through the app --------------------------------------------------


@pytest.fixture(scope="module")
def hostile(_schema, database_url, tmp_path_factory, trap) -> dict[str, object]:
    """One PDF and HTML page of an assessment full of markup, huge notes and many scripts."""
    port, _ = trap
    evil = " ".join(payloads(port))
    cache = tmp_path_factory.mktemp("hostile-cache")
    app = create_app(make_config(database_url, cache, QUESTIONS_DIR=str(MINI_BANK)))
    long_note = ("Long note " + "lorem ipsum dolor sit amet " * 3800)[:100_000] + " END-OF-NOTE"
    with app.app_context():
        empty_tables()
        bank = app.extensions["assess.bank"]
        user = add_user("owner@a.example", '<img src="file:///etc/passwd">', "owner", PASSWORD)
        assessment = create_assessment(
            bank,
            user.memberships[0].organisation_id,
            user,
            title=f'<img src="file:///etc/passwd"><script>x()</script> {CJK}',
            profile="state",
            target=75,
            classification="<b>SECRET</b> <style>*{display:none}</style>",
        )
        questions = bank.questions_for("state")
        notes = {0: evil, 1: long_note, 2: "x" * 5000}
        items = []
        for i, q in enumerate(questions):
            note = notes.get(i, f"{ARABIC} {HEBREW} {CJK} {EMOJI}")
            value = (
                [q.options[0].value]
                if q.type == "multi"
                else (q.options[-1].value if q.options else evil)
            )
            items.append(Submitted(q.id, value, note, evil if i < 4 else f"Doc {i}", 0))
        save_answers(bank, assessment, items, user)
        db.session.commit()
        aid = assessment.id
    client = app.test_client()
    client.post("/login", data={"email": "owner@a.example", "password": PASSWORD})
    pdf = client.get(f"/assessments/{aid}/report.pdf")
    html = client.get(f"/assessments/{aid}/report")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    assert pdf.status_code == 200 and html.status_code == 200
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages]
    (cache / "hostile.pdf").write_bytes(pdf.data)  # to look at when a test fails
    return {"pages": pages, "html": html.get_data(as_text=True), "port": port}


def squash(text: str) -> str:
    return "".join(text.split())


def test_nothing_was_fetched(hostile, trap) -> None:
    assert trap[1] == []


def test_markup_in_user_strings_is_printed_as_text(hostile) -> None:
    text = squash("\n".join(hostile["pages"]))
    port = hostile["port"]
    for literal in (
        '<img src="file:///etc/passwd">',
        "<script>x()</script>",
        "<style>",
        f'<base href="http://127.0.0.1:{port}/">',
        f'<a href="http://127.0.0.1:{port}/link">a link</a>',
    ):
        assert squash(literal) in text
    assert "root:x:" not in text


def test_hostile_marking_is_on_every_page_as_text(hostile) -> None:
    for page in hostile["pages"]:
        assert squash("<b>SECRET</b> <style>*{display:none}</style>") in squash(page)


def test_html_page_escapes_user_strings(hostile) -> None:
    html = hostile["html"]
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "<script>" not in html and "<style>" not in html and "<base " not in html
    assert "<img" not in html


def test_long_notes_and_unicode_render(hostile) -> None:
    pages = hostile["pages"]
    text = "\n".join(pages)
    assert len(pages) > 20  # 100 KB of note takes many pages
    assert "END-OF-NOTE" in text  # nothing was cut
    assert CJK in text
    assert CJK in squash(pages[0])  # the title on the cover
    assert ARABIC.split()[-1] in text or ARABIC.split()[-1][::-1] in text
