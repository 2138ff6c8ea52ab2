"""Rank 5,000 entries × 5 judges × 6 criteria with the ranking rules (judging/ranking.py)
and print the time. Target: under 2 s for each aggregation method (at 5,000 entries).

    .venv/bin/python bench/rank_bench.py              # 5,000 entries, jury of 40
    .venv/bin/python bench/rank_bench.py 100000 500   # 100,000 entries, jury of 500
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from judging.ranking import Candidate, SheetScore, aggregate_written, rank_entries

ENTRIES, JUDGES_PER_ENTRY, CRITERIA, JURY = 5000, 5, 6, 40
MAXIMA = (30.0, 20.0, 15.0, 15.0, 10.0, 10.0)


def sheets(seed: int = 2025) -> list[SheetScore]:
    """Scores of ENTRIES entries by JUDGES_PER_ENTRY of JURY judges (module settings)."""
    rng = random.Random(seed)
    severity = {j: rng.uniform(-8, 8) for j in range(JURY)}
    out = []
    for entry in range(1, ENTRIES + 1):
        quality = rng.uniform(0.3, 0.95)
        for judge in rng.sample(range(JURY), JUDGES_PER_ENTRY):
            points = tuple(
                min(
                    m,
                    max(
                        0.0,
                        round((quality * m + rng.gauss(0, 2) + severity[judge] * m / 100) * 2) / 2,
                    ),
                )
                for m in MAXIMA
            )
            out.append(
                SheetScore(entry_id=entry, judge_id=judge, total=sum(points), criteria=points)
            )
    return out


def main() -> None:
    global ENTRIES, JURY
    if len(sys.argv) > 1:
        ENTRIES = int(sys.argv[1])
    if len(sys.argv) > 2:
        JURY = int(sys.argv[2])
    target = 2.0 * max(1, ENTRIES / 5000)  # linear in the entries
    data = sheets()
    print(
        f"{ENTRIES} bài × {JUDGES_PER_ENTRY} giám khảo × {CRITERIA} tiêu chí "
        f"= {len(data) * CRITERIA} điểm"
    )
    worst = 0.0
    for method in ("mean", "trimmed_mean", "normalised"):
        start = time.perf_counter()
        results = aggregate_written(
            data,
            method=method,
            trim=1,
            maximum=sum(MAXIMA),
            stdev_threshold=10.0,
            range_threshold=20.0,
        )
        placed = rank_entries(
            Candidate(entry_id=r.entry_id, score=r.score, tie_keys=r.criteria_means)
            for r in results.values()
        )
        elapsed = time.perf_counter() - start
        worst = max(worst, elapsed)
        flagged = sum(r.disagreement for r in results.values())
        ties = sum(p.tied_with_next for p in placed)
        print(
            f"  {method:13} {elapsed:6.3f} s  ({len(placed)} hạng, {flagged} bài chênh lệch "
            f"lớn, {ties} cặp bằng điểm chưa phân định)"
        )
    verdict = "ĐẠT" if worst < target else "KHÔNG ĐẠT"
    print(f"Chậm nhất: {worst:.3f} s (mục tiêu < {target:g} s): {verdict}")
    sys.exit(0 if worst < target else 1)


if __name__ == "__main__":
    main()
