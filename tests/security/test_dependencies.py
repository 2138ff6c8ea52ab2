"""Dependencies with known fixes (issue 7, item 12): the installed versions, and the pins a
fresh install gets (constraints.txt), are at or above the first release that fixed the
problems listed. Raise a floor here when an advisory names a newer fixed release."""

import re
from importlib import metadata
from pathlib import Path

import pytest
from packaging.version import Version

from tests.security.report import figure_write

ROOT = Path(__file__).resolve().parents[2]

# distribution: (first version with the fixes we rely on, why)
FLOORS = {
    "django": ("6.1.3", "the current 6.1 security release"),
    "weasyprint": ("70.0", "URL fetcher bypasses (file://, redirects) fixed"),
    "pypdf": ("5.0", "denial-of-service fixes for crafted PDFs"),
    "pillow": ("11.3.0", "DDS encoder buffer overflow (CVE-2025-48379) fixed"),
    "gunicorn": ("23.0.0", "HTTP request smuggling fixes"),
    "fonttools": ("4.60.2", "varLib arbitrary file write (CVE-2025-66034) fixed"),
    "django-allauth": ("65.10.0", "the release line this portal is tested on, with its fixes"),
    "django-axes": ("8.3.0", "login throttling as configured in settings"),
    "django-otp": ("1.7.0", "TOTP throttling as used by the two-step login"),
    "lxml": ("5.2.2", "libxml2 fixes bundled in the wheels"),
}


def installed(name: str) -> Version | None:
    try:
        return Version(metadata.version(name))
    except metadata.PackageNotFoundError:
        return None


def pinned() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)$", line.strip())
        if match:
            pins[match.group(1).lower().replace("_", "-")] = Version(match.group(2))
    return pins


def test_installed_dependencies_are_at_or_above_their_fixed_versions():
    below = {
        name: f"{version} < {floor}"
        for name, (floor, _why) in FLOORS.items()
        if (version := installed(name)) is not None and version < Version(floor)
    }
    checked = sum(installed(name) is not None for name in FLOORS)
    figure_write(
        "dependencies",
        title="Thư viện có bản vá bảo mật đã biết",
        rows=[("thư viện kiểm tra", checked), ("thư viện thấp hơn bản đã vá", len(below))],
        ok=not below,
    )

    assert below == {}
    assert checked >= 8


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_constraints_pin_a_fixed_version(name):
    pins = pinned()

    assert name in pins
    assert pins[name] >= Version(FLOORS[name][0])
