"""Near-duplicate detection (judging/services/similarity.similar_pairs) on the texts of the
first N entries of the bench contest, each size in its own process: time, pairs found and
peak memory, to show how it scales.

    DATABASE_URL=<db> .venv/bin/python bench/similarity_bench.py 1000 2000 4000 8000
"""

import json
import subprocess
import sys
import time

from common import django_setup, machine, peak_rss_mib


def child(n: int) -> dict:
    django_setup()
    from judging.services.similarity import entry_text, similar_pairs
    from submissions.models import Entry

    entries = list(
        Entry.objects.filter(contest__slug="bench", status="accepted")
        .order_by("pk")
        .prefetch_related("files")[:n]
    )
    texts = [entry_text(e) for e in entries]
    loaded = peak_rss_mib()
    started = time.perf_counter()
    pairs = similar_pairs(texts, threshold=0.45)
    return {
        "entries": len(texts),
        "seconds": round(time.perf_counter() - started, 2),
        "pairs": len(pairs),
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "rss_after_loading_mib": round(loaded, 1),
    }


def main() -> dict:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]))))
        return {}
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 2000, 4000]
    out = {"machine": machine(), "runs": []}
    for n in sizes:
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(n)],
                capture_output=True,
                text=True,
                timeout=600,
                check=True,
            )
            out["runs"].append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(out["runs"][-1], file=sys.stderr, flush=True)
        except subprocess.TimeoutExpired:
            out["runs"].append({"entries": n, "seconds": None, "note": "over 600 s"})
            break
    print(json.dumps(out, ensure_ascii=False))
    return out


if __name__ == "__main__":
    main()
