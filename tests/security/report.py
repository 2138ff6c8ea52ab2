"""Figures for `make security-report`: each security test writes one small JSON file into
var/security-report/ and scripts/security-report prints them all as one table. A new check
adds its figures with figure_write(); nothing else needs to change."""

import json
from pathlib import Path

REPORT_DIR = Path(__file__).resolve().parents[2] / "var" / "security-report"


def figure_write(name: str, *, title: str, rows: list[tuple[str, int | str]], ok: bool) -> None:
    """`name` is the file (one per check), `rows` (label, value) pairs in display order,
    `ok` whether the figures are what the portal promises (the report shows it)."""
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    payload = {"title": title, "ok": ok, "rows": [[label, value] for label, value in rows]}
    path = REPORT_DIR / f"{name}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
