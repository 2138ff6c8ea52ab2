"""PDF rendering shared by every document the portal prints (receipts, cover letters,
certificates, decisions, reports). Fonts ship inside the portal (static/fonts); the URL
fetcher serves nothing but the portal's own static files and data: URIs, so no network and
no file:// access whatever text a user typed (templates escape user text).

WeasyPrint takes seconds to import, so it is imported on first use, never at start-up."""

import atexit
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

# A base URL that never resolves on any network: every reference in a document becomes an
# absolute URL under it, and the fetcher maps only its static prefix to the static finders.
PORTAL_BASE = "https://portal.invalid/"
_MIME = {
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}


def static_prefix() -> str:
    return PORTAL_BASE + settings.STATIC_URL.lstrip("/")


def _collected_static(relative: str) -> str | None:
    """In production, {% static %} names carry a content hash (the manifest storage): those
    files exist only in STATIC_ROOT after collectstatic, not under the finders' names."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    try:
        candidate = Path(staticfiles_storage.path(relative))
    except (NotImplementedError, ValueError):
        return None
    return str(candidate) if candidate.is_file() else None


@lru_cache(maxsize=1)
def url_fetcher():
    """One fetcher per process: building one creates an SSL context (~170 ms)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            prefix = static_prefix()
            if not url.startswith(prefix):
                raise ValueError(f"Blocked URL: {url[:80]}")
            relative = url[len(prefix) :].split("?")[0].split("#")[0]
            if ".." in Path(relative).parts or relative.startswith("/"):
                raise ValueError("Blocked path")
            found = finders.find(relative) or _collected_static(relative)
            if not found:
                raise ValueError(f"Static file not found: {relative}")
            content_type = _MIME.get(Path(relative).suffix, "application/octet-stream")
            return URLFetcherResponse(
                url, body=Path(found).read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyFetcher()


@lru_cache(maxsize=1)
def font_config():
    from weasyprint.text.fonts import FontConfiguration

    # Released before interpreter shutdown; its finaliser fails once modules are torn down.
    atexit.register(font_config.cache_clear)
    return FontConfiguration()


@lru_cache(maxsize=16)
def stylesheet(name: str):
    """A stylesheet from static/css, parsed once per process."""
    from weasyprint import CSS

    path = finders.find(f"css/{name}")
    if not path:
        raise FileNotFoundError(f"css/{name}")
    return CSS(
        string=Path(path).read_text(encoding="utf-8"),
        base_url=f"{static_prefix()}css/{name}",
        url_fetcher=url_fetcher(),
        font_config=font_config(),
    )


@lru_cache(maxsize=32)
def inline_css(text: str):
    """A small generated stylesheet (page sizes), parsed once per distinct text."""
    from weasyprint import CSS

    return CSS(string=text, url_fetcher=url_fetcher(), font_config=font_config())


def render_pdf(html: str, *, stylesheets: Sequence = ()) -> bytes:
    """The one way the portal turns HTML into PDF bytes."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=PORTAL_BASE, url_fetcher=url_fetcher())
    return document.write_pdf(stylesheets=list(stylesheets), font_config=font_config())
