"""Shared by the access matrix and the blind-judging canary: enumerate the URL conf, fill
its parameters from the cast, read any response (HTML, JSON, PDF, XLSX) as text."""

import io
import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str | None  # "namespace:name"
    route: str  # the full pattern, for messages
    params: tuple[str, ...]  # captured parameters in route order
    namespace: str


def routes() -> list[Route]:
    """Every URL pattern of the portal, recursively, with its captured parameters."""
    found: list[Route] = []

    def walk(patterns, prefix: str, namespace: str, params: tuple[str, ...]):
        for pattern in patterns:
            own = tuple(_params_of(pattern.pattern))
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns, params + own)
            elif isinstance(pattern, URLPattern):
                name = None
                if pattern.name:
                    name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.append(
                    Route(
                        name=name,
                        route=prefix + str(pattern.pattern),
                        params=params + own,
                        namespace=namespace,
                    )
                )

    walk(get_resolver().url_patterns, "", "", ())
    return found


def _params_of(pattern) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return list(converters)
    regex = getattr(pattern, "regex", None)
    return list(regex.groupindex) if regex is not None else []


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def response_text(response, body: bytes | None = None) -> str:
    """What a person could read in the response: decoded HTML/JSON/text, the text of a PDF,
    every cell of an XLSX."""
    body = body_of(response) if body is None else body
    content_type = response.get("Content-Type", "")
    if body.startswith(b"%PDF"):
        return pdf_text(body)
    if body.startswith(b"PK\x03\x04") and "sheet" in content_type:
        return xlsx_text(body)
    return body.decode("utf-8", "replace")


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        parts = [page.extract_text() or "" for page in reader.pages]
        parts.append(str(reader.metadata or ""))
    except Exception:  # a PDF that cannot be read holds nothing readable
        return ""
    return "\n".join(parts)


def xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    cells = []
    for sheet in book.worksheets:
        cells.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            cells.extend(str(v) for v in row if v is not None)
    return "\n".join(cells)


_VOLATILE = re.compile(
    rb'(name="csrfmiddlewaretoken" value=")[^"]*|(nonce=")[^"]*|(csrf-token" content=")[^"]*'
)


def normalised(body: bytes) -> bytes:
    """A body without the parts that change on every response (CSRF tokens, CSP nonces)."""
    return _VOLATILE.sub(lambda m: next(g for g in m.groups() if g), body)


LINK = re.compile(r'(?:href|src|action)="(/[^"#]*)"')


def links_in(html: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in LINK.findall(html)]
