"""`make bench`: every benchmark of issue 8 in order, bounded in time, then one table.

    .venv/bin/python bench/run_all.py [--quick] [--skip-generate]

Databases (this engineer's): cchc_scale (1,000 entries) and cchc_scale_bench (100,000).
Each is created, migrated and filled by bench/generate.py when it has no bench contest yet
(about 7 minutes for the big one on 2 busy cores), then taken to published results by
bench/prepare.py. `--quick` shortens the load runs (5 s a page) and the deadline day.
The table goes to stdout and to var/bench/latest.md (copied into docs/performance.md)."""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from common import BENCH_DB, ROOT, SMALL_DB, UNBOUNDED_PAGES, machine

HERE = Path(__file__).resolve().parent
PY = sys.executable


def run(script: str, *args: str, db: str, timeout: int, **extra: str) -> dict | None:
    env = dict(
        os.environ,
        DATABASE_URL=db,
        DEBUG="false",
        STATIC_ROOT=str(ROOT / "var" / "bench" / "static"),
        **extra,
    )
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [PY, str(HERE / script), *args],
            cwd=HERE,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        print(f"  {script}: over {timeout} s, stopped", file=sys.stderr)
        return None
    lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
    print(f"  {script} {' '.join(args)}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if not lines:
        print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
        return None
    return json.loads(lines[-1])


def collect_static() -> None:
    """The pages render with DEBUG off, so with the hashed static files of var/bench/static
    (collected once; delete the folder after a CSS or JS change)."""
    static = ROOT / "var" / "bench" / "static"
    if (static / "staticfiles.json").exists():
        return
    env = dict(os.environ, DEBUG="false", STATIC_ROOT=str(static))
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


def ensure_database(db: str, sizes: list[str]) -> None:
    name = db.rsplit("/", 1)[1]
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"],
        capture_output=True,
    )
    env = dict(os.environ, DATABASE_URL=db)
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    check = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            name,
            "-Atc",
            "SELECT count(*) FROM contest_contest WHERE slug='bench'",
        ],
        capture_output=True,
        text=True,
    )
    if check.stdout.strip() != "1":
        print(run("generate.py", *sizes, db=db, timeout=1800), file=sys.stderr)
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-qc", "VACUUM ANALYZE"],
            check=True,
        )
    print(run("prepare.py", db=db, timeout=1800), file=sys.stderr)


def table(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Machine: {m['cores']} cores, {m['memory_gib']} GiB, {m['cpu']}, Python {m['python']};"
        f" load average at start {m['load']}, at end {results['machine_end']['load']}",
        "",
        "| figure | value | target | command |",
        "|---|---|---|---|",
    ]

    def row(figure, value, target="", command=""):
        lines.append(f"| {figure} | {value} | {target} | `{command}` |")

    small, big = results.get("queries_small"), results.get("queries_big")
    if small and big:
        for name, page in big["pages"].items():
            s = small["pages"].get(name, {})
            same = "same" if s.get("queries") == page["queries"] else "DIFFERENT"
            row(
                f"queries {name}",
                f"{s.get('queries')} at {small['entries']:,} / "
                f"{page['queries']} at {big['entries']:,} ({same}); {page['ms']} ms in-process"
                f" (first request {page.get('cold_ms')} ms)",
                "same count",
                "DATABASE_URL=<db> python bench/querycount.py",
            )
    load = results.get("load")
    if load:
        h = load["hello"]
        row(
            "bare Django hello",
            f"{h['rps']} req/s, p50 {h['p50_ms']} ms, p95 {h['p95_ms']} ms, p99 {h['p99_ms']} ms",
            "",
            "python bench/load.py",
        )
        for name, p in load["pages"].items():
            ok = p["p95_ms"] < 150 and (
                name not in ("landing", "results") or p["ratio_to_hello"] >= 0.5
            )
            row(
                f"load {name}",
                f"{p['rps']} req/s ({p['ratio_to_hello']:.0%} of hello), "
                f"p50 {p['p50_ms']} / p95 {p['p95_ms']} / p99 {p['p99_ms']} ms, "
                f"codes {p['statuses']}, load {p['load']}",
                ("p95 < 150 ms" + (", ≥ 50 % of hello" if name in ("landing", "results") else ""))
                + (" ✔" if ok else " ✘"),
                f"python bench/load.py --seconds {load['seconds']} --workers {load['workers']}",
            )
        row(
            "web worker RSS after load",
            f"{load.get('worker_rss_mib')} MiB",
            "",
            "python bench/load.py",
        )
    d = results.get("deadline")
    if d:
        row(
            "deadline day",
            f"{d['entrants']} entrants in {d['spread_s']:.0f} s "
            f"({d['upload_mib_total']} MiB, proxy: {d.get('proxy', 'none')}): "
            f"errors {d['errors']}, lost uploads "
            f"{d['lost_uploads']}, submit p50 {d['submit_p50_ms']} / p95 {d['submit_p95_ms']} ms,"
            f" upload p95 {d['upload_p95_ms']} ms, staff dashboard p95 "
            f"{d['staff_dashboard_p95_ms']} ms, worker peak RSS {d['worker_peak_rss_mib']} MiB",
            "0 errors, 0 lost, submit p95 < 2 s, RSS bounded",
            "python bench/deadline.py",
        )
    rank = results.get("rank")
    if rank:
        row(
            "ranking 100,000 × 5 judges × 6 criteria (pure)",
            rank,
            "",
            "python bench/rank_bench.py 100000 500",
        )
    prep = results.get("prepare")
    if prep:
        row(
            "ranking from the database (service)",
            json.dumps(prep, ensure_ascii=False),
            "",
            "python bench/prepare.py",
        )
    sim = results.get("similarity")
    if sim:
        for r in sim["runs"]:
            row(
                f"near-duplicates {r['entries']:,} entries ({r.get('method')})",
                f"{r.get('seconds')} s, {r.get('pairs')} pairs, {r.get('scored_pairs')} of"
                f" {r.get('possible_pairs')} pairs scored, planted {r.get('planted_found')}/"
                f"{r.get('planted')}, peak RSS {r.get('peak_rss_mib')} MiB",
                "no n² blow-up",
                "python bench/similarity_bench.py N ...",
            )
    for key in ("export_small", "export_big"):
        x = results.get(key)
        if x:
            row(
                f"XLSX export {x['entries']:,} entries",
                f"{x['seconds']} s, {x['xlsx_mib']} MiB, peak RSS {x['peak_rss_mib']} MiB",
                "flat memory",
                "DATABASE_URL=<db> python bench/export_bench.py",
            )
    cert = results.get("certificates")
    if cert:
        row("certificates", cert, "", "python bench/certificates_bench.py")
    multi = results.get("multinode")
    if multi:
        row(
            "two nodes + two workers + S3",
            json.dumps(multi, ensure_ascii=False),
            "all ok",
            "python bench/multinode.py",
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--skip-generate", action="store_true")
    args = parser.parse_args()
    results: dict = {"machine": machine()}
    if not args.skip_generate:
        ensure_database(SMALL_DB, ["--entries", "1000", "--units", "200", "--judges", "20"])
        ensure_database(BENCH_DB, [])
    seconds = "5" if args.quick else "10"
    collect_static()
    results["queries_small"] = run("querycount.py", db=SMALL_DB, timeout=600)
    results["queries_big"] = run(
        "querycount.py", db=BENCH_DB, timeout=900, BENCH_SKIP_PAGES=",".join(UNBOUNDED_PAGES)
    )
    results["load"] = run("load.py", "--seconds", seconds, db=BENCH_DB, timeout=1200)
    results["deadline"] = run(
        "deadline.py",
        "--minutes",
        "0.75" if args.quick else "5",
        "--entrants",
        "100" if args.quick else "200",
        db=BENCH_DB,
        timeout=1200,
    )
    rank = subprocess.run(
        [PY, str(HERE / "rank_bench.py"), "100000", "500"],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=900,
    )
    results["rank"] = " · ".join(x.strip() for x in rank.stdout.splitlines()[1:])
    results["similarity"] = run(
        "similarity_bench.py", "10000", "30000", "100000", db=BENCH_DB, timeout=3600
    )
    results["export_small"] = run("export_bench.py", db=SMALL_DB, timeout=600)
    results["export_big"] = run("export_bench.py", db=BENCH_DB, timeout=1200)
    # The 10,000 certificates at the default batch size, then 1,000 at batch sizes
    # 10 and 200 to show that memory follows the batch, not the count.
    certificates = []
    for args_ in (
        ["--count", "10000", "--batches", "50"],
        ["--count", "1000", "--batches", "10", "200"],
    ):
        if args.quick:
            args_ = ["--count", "200", "--batches", args_[-1]]
        cert = subprocess.run(
            [PY, str(HERE / "certificates_bench.py"), *args_],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        lines = cert.stdout.strip().splitlines()
        head = max((i for i, x in enumerate(lines) if " certificates, " in x), default=0)
        certificates.append(" · ".join(lines[head:]) or cert.stderr[-500:])
        print(f"  certificates_bench.py {' '.join(args_)}: done", file=sys.stderr)
    results["certificates"] = " ‖ ".join(certificates)
    results["multinode"] = run("multinode.py", db=BENCH_DB, timeout=900)
    results["machine_end"] = machine()
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    text = table(results)
    (out / "latest.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
