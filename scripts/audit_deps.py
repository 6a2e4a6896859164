#!/usr/bin/env python3
"""pip-audit over the locked dependencies (uv.lock). Fails on a known vulnerability; skips,
saying so, when the advisory database cannot be reached (no network, or a registry mirror that
does not serve per-version advisories), so a network problem never fails a build."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Export the lock file, audit it, report."""
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "requirements.txt"
        exported = subprocess.run(  # noqa: S603 - our own tools
            [
                str(ROOT / ".tools/bin/uv"),
                "export",
                "--frozen",
                "--format",
                "requirements-txt",
                "--no-hashes",
                "--quiet",
                "--output-file",
                str(requirements),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if exported.returncode != 0:
            print(f"dependency audit: cannot export uv.lock: {exported.stderr.strip()}")
            return 1
        try:
            audit = subprocess.run(  # noqa: S603 - our own tools
                [
                    str(ROOT / ".venv/bin/pip-audit"),
                    "-r",
                    str(requirements),
                    "--no-deps",
                    "--disable-pip",
                    "--vulnerability-service",
                    "pypi",
                    "--format",
                    "json",
                    "--progress-spinner",
                    "off",
                    "--timeout",
                    "20",
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
                timeout=600,
            )
        except subprocess.TimeoutExpired:
            print("dependency audit: SKIPPED, the advisory service did not answer in time")
            return 0
    try:
        report = json.loads(audit.stdout or "{}")
    except ValueError:
        report = {}
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if not audited:
        reasons = [d["skip_reason"] for d in deps] or audit.stderr.strip().splitlines()
        reason = reasons[0] if reasons else "no answer"
        print(
            f"dependency audit: SKIPPED, {len(deps)} dependencies but no advisory reachable "
            f"here (e.g. {reason[:160]})"
        )
        return 0
    for dep in vulnerable:
        ids = ", ".join(v["id"] for v in dep["vulns"])
        print(f"dependency audit: {dep['name']} {dep['version']}: {ids}")
    print(
        f"dependency audit: {len(audited)} audited, {len(deps) - len(audited)} not found, "
        f"{len(vulnerable)} vulnerable"
    )
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
