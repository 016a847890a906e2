"""HTML -> PDF with WeasyPrint behind a locked-down URL fetcher, and an on-disk PDF cache.

The fetcher serves only the application's own static files (under a private URL scheme,
or as `/static/...` paths) and `data:` URIs; it refuses every other URL, so a document can
never read local files or reach the network, whatever ends up in its HTML. The report
stylesheet is parsed once per process (again only when the file changes) and reused.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, uses_netloc, uses_relative
from urllib.request import DataHandler, Request

import weasyprint
from flask import current_app
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .files import write_atomically

STATIC_SCHEME = "assess-static"
STATIC_HOST = "app"
BASE_URL = f"{STATIC_SCHEME}://{STATIC_HOST}/static/"
STYLESHEET = "css/report.css"
PDF_VARIANT = "pdf/ua-1"

# Let urljoin resolve relative URLs against BASE_URL as it does for http.
for _registry in (uses_relative, uses_netloc):
    if STATIC_SCHEME not in _registry:
        _registry.append(STATIC_SCHEME)


class FetchRefused(ValueError):
    """The URL is not one of the application's static files nor a data: URI."""


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves the static folder and data: URIs, nothing else."""

    def __init__(self, static_folder: str | Path):
        super().__init__(allowed_protocols=(STATIC_SCHEME, "data"), allow_redirects=False)
        self.root = Path(static_folder).resolve()

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        """Return the static file or data: URI named by `url`; raise FetchRefused otherwise."""
        if url[:5].lower() == "data:":
            # Only data: URLs get here; DataHandler decodes them without any I/O.
            with DataHandler().data_open(Request(url)) as response:  # noqa: S310
                body = response.read()
                content_type = response.headers.get("Content-Type", "text/plain")
            return URLFetcherResponse(url, body, {"Content-Type": content_type})
        path = self.static_path(url)
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _mime(path)})

    def static_path(self, url: str) -> Path:
        """Return the file under the static folder that `url` names, or raise FetchRefused."""
        parts = urlsplit(url)
        own = parts.scheme == STATIC_SCHEME and parts.netloc == STATIC_HOST
        bare = not parts.scheme and not parts.netloc and not url.startswith("//")
        if not (own or bare) or parts.query or not parts.path.startswith("/static/"):
            raise FetchRefused(f"refused to fetch {url[:200]!r}")
        relative = unquote(parts.path[len("/static/") :])
        if "\\" in relative or "\0" in relative:
            raise FetchRefused(f"refused to fetch {url[:200]!r}")
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise FetchRefused(f"refused to fetch {url[:200]!r}")
        return path


def _mime(path: Path) -> str:
    types = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}
    return types.get(path.suffix.lower(), "application/octet-stream")


_lock = threading.Lock()
_stylesheets: dict[tuple[object, ...], list[weasyprint.CSS]] = {}
_fingerprints: dict[tuple[tuple[str, int, int], ...], str] = {}
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,120}")


def _static_folder() -> Path:
    return Path(current_app.static_folder or "static")


def stylesheets(
    static_folder: str | Path | None = None, names: Sequence[str] = (STYLESHEET,)
) -> list[weasyprint.CSS]:
    """Return the parsed stylesheets `names` (paths under static/), parsed once and reused
    while the files are unchanged."""
    folder = Path(static_folder) if static_folder else _static_folder()
    key = (str(folder), *((n, (folder / n).stat().st_mtime_ns) for n in names))
    with _lock:
        if key not in _stylesheets:
            fetcher = StaticOnlyFetcher(folder)
            if len(_stylesheets) > 8:
                _stylesheets.clear()
            _stylesheets[key] = [
                weasyprint.CSS(url=BASE_URL + name, url_fetcher=fetcher, base_url=BASE_URL)
                for name in names
            ]
        return _stylesheets[key]


def render_pdf(
    html: str, static_folder: str | Path | None = None, css: Sequence[str] = (STYLESHEET,)
) -> bytes:
    """Return the PDF (PDF/UA-1, tagged) of a complete HTML document styled with `css`.

    The document's `<title>` becomes the PDF title and `<html lang>` its language. Only the
    application's static files and data: URIs can be loaded; everything else is refused.
    """
    folder = Path(static_folder) if static_folder else _static_folder()
    document = weasyprint.HTML(
        string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(folder)
    )
    return document.write_pdf(stylesheets=stylesheets(folder, css), pdf_variant=PDF_VARIANT)


def fingerprint(paths: Iterable[Path]) -> str:
    """Return a hash of the contents of these files (cached while their mtimes are unchanged)."""
    stamp = tuple(
        sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths if p.is_file())
    )
    with _lock:
        if stamp not in _fingerprints:
            digest = hashlib.sha256()
            for name, _, _ in stamp:
                digest.update(name.encode() + b"\0" + Path(name).read_bytes() + b"\0")
            if len(_fingerprints) > 32:
                _fingerprints.clear()
            _fingerprints[stamp] = digest.hexdigest()
        return _fingerprints[stamp]


def cache_key(
    kind: str, key: Mapping[str, Any], static_folder: Path, css: Sequence[str] = (STYLESHEET,)
) -> str:
    """Return the hex digest naming a cached PDF of `kind` for `key` and the stylesheets."""
    material = {
        "kind": kind,
        "key": key,
        "css": fingerprint(static_folder / name for name in css),
        "weasyprint": weasyprint.__version__,
    }
    text = json.dumps(material, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def cached_pdf(
    kind: str,
    ident: int,
    key: Mapping[str, Any],
    build_html: Callable[[], str],
    css: Sequence[str] = (STYLESHEET,),
) -> bytes:
    """Return the PDF of `kind` for object id `ident`, rendered only when not cached yet.

    `key` must hold everything the output depends on besides the stylesheets (revision,
    bank version, templates fingerprint, title, marking, ...). The file lands in
    PDF_CACHE_DIR as `<kind>-<ident>-<digest>.pdf`, written atomically (temporary file and
    rename); older files of the same kind and ident are removed when a new one is written.
    """
    if not _SAFE_NAME.fullmatch(kind):
        raise ValueError("kind must be letters, digits, '_' or '-'")
    folder = _static_folder()
    cache_dir = Path(current_app.config["PDF_CACHE_DIR"])
    name = f"{kind}-{int(ident)}-{cache_key(kind, key, folder, css)}.pdf"
    target = cache_dir / name
    try:
        return target.read_bytes()
    except FileNotFoundError:
        pass
    data = render_pdf(build_html(), folder, css)
    cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_atomically(target, data)
    for stale in cache_dir.glob(f"{kind}-{int(ident)}-*.pdf"):
        if stale.name != name:
            stale.unlink(missing_ok=True)
    return data
