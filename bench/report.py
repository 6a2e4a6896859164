"""Markdown tables of a result file, for docs/performance.md.

.venv/bin/python -m bench.report bench/results/<date>-<db>.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _met(value: bool | None) -> str:
    return "–" if value is None else "yes" if value else "**no**"


def _value(target: dict[str, Any]) -> str:
    # wrk reports no latency when not one request came back within its 10 s timeout.
    if target["detail"].get("requests") == 0 and "p50" in target["value"]:
        return "no answer within 10 s"
    return str(target["value"])


def render(doc: dict[str, Any]) -> str:
    """The targets table, the endpoint details and the load timings of one run."""
    loads = doc.get("load_average_1m_during") or [0.0]
    lines = [
        f"{doc['db']}, scale {doc['scale']:g}, {doc['started'][:16]} UTC; "
        f"load average during the run {min(loads):.1f}–{max(loads):.1f} on "
        f"{doc['machine']['nproc']} cores.",
        "",
        "| what | measured | target | met |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {t['name']} | {_value(t)} | {t['target']} | {_met(t['met'])} |" for t in doc["targets"]
    ]
    lines += [
        "",
        "| wrk run | req/s | p50 ms | p99 ms | max ms | errors | server CPU ms/req |",
        "|---|---|---|---|---|---|---|",
    ]
    for w in doc["wrk"].values():
        cpu = w.get("cpu_ms_per_request")
        if not w["requests"]:
            lines.append(f"| {w['name']} | 0 | no answer within 10 s | | | | |")
            continue
        lines.append(
            f"| {w['name']} | {w['requests_per_s']:,.0f} | {w['p50_ms']:.1f} | {w['p99_ms']:.1f} "
            f"| {w['max_ms']:,.0f} | {w['errors']} | {'' if cpu is None else f'{cpu:.2f}'} |"
        )
    base = doc.get("baselines", {})
    raw = [
        f"SQLite executemany {base['sqlite_executemany_rows_per_s']:,.0f} rows/s"
        if base.get("sqlite_executemany_rows_per_s")
        else "",
        f"PostgreSQL COPY {base['postgres_copy_rows_per_s']:,.0f} rows/s"
        if base.get("postgres_copy_rows_per_s")
        else "",
    ]
    lines += ["", "Raw insert baselines in the same run: " + ", ".join(r for r in raw if r) + "."]
    return "\n".join(lines)


def render_load(doc: dict[str, Any]) -> str:
    """The data set's load timings."""
    lines = ["| part | rows | seconds | rows/s | path |", "|---|---|---|---|---|"]
    for p in doc["dataset"]["parts"]:
        lines.append(
            f"| {p['part']} | {p['rows']:,} | {p['seconds']:,.1f} | {p['rows_per_s']:,.0f} "
            f"| {p['method']} |"
        )
    total = sum(p["seconds"] for p in doc["dataset"]["parts"])
    lines.append(f"| **total** | | {total:,.0f} | | |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    for path in argv:
        doc = json.loads(Path(path).read_text())
        print(render(doc))
        print()
        print(render_load(doc))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
