"""XLSX export of every entry of the bench contest (awards/exports.entries_xlsx, the
secretariat's and organizer's workbook): time, size and peak memory of the process.

    DATABASE_URL=<db> .venv/bin/python bench/export_bench.py

Run it on the small and the big database: a flat peak memory means the export streams
(openpyxl write-only, entries read in chunks) instead of holding the workbook."""

import json
import time

from common import django_setup, machine, peak_rss_mib


def main() -> dict:
    django_setup()
    from awards.exports import entries_xlsx
    from contest.models import Contest
    from submissions.models import Entry

    contest = Contest.objects.get(slug="bench")
    before = peak_rss_mib()
    started = time.perf_counter()
    workbook = entries_xlsx(contest=contest)
    workbook.seek(0, 2)
    size = workbook.tell()
    out = {
        "machine": machine(),
        "entries": Entry.objects.filter(contest=contest).count(),
        "seconds": round(time.perf_counter() - started, 1),
        "xlsx_mib": round(size / 1024 / 1024, 1),
        "peak_rss_before_mib": round(before, 1),
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }
    print(json.dumps(out, ensure_ascii=False))
    return out


if __name__ == "__main__":
    main()
