"""How far a schemathesis run got: the operations it reached beyond 401, 403 and 404, read from
the ndjson reports that `scripts/fuzz` writes (usage: fuzz_reach.py REPORT_DIR...)."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path


def statuses(report_dirs: list[str]) -> dict[str, set[int]]:
    """Every status each operation answered, by its label (`POST /api/v1/activities`)."""
    seen: dict[str, set[int]] = defaultdict(set)
    for directory in report_dirs:
        for report in Path(directory).glob("*.ndjson"):
            for line in report.read_text(encoding="utf-8").splitlines():
                finished = json.loads(line).get("ScenarioFinished")
                if not finished:
                    continue
                recorder = finished["recorder"]
                for interaction in (recorder.get("interactions") or {}).values():
                    status = (interaction.get("response") or {}).get("status_code")
                    if status is not None:
                        seen[recorder["label"]].add(int(status))
    return seen


def main(argv: list[str]) -> int:
    """Print the counts for the report directories given."""
    seen = statuses(argv)
    beyond = [op for op, codes in seen.items() if codes - {401, 403, 404}]
    success = [op for op, codes in seen.items() if any(200 <= c < 300 for c in codes)]
    print(
        f"{len(seen)} operations answered; {len(beyond)} beyond 401/403/404; "
        f"{len(success)} with a 2xx"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
