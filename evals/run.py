"""Run every benchmark (`make bench`) or every quality eval (`make eval`), one after another.

Each module prints its own table and measures its ratios against a baseline in its own process;
this runner only sequences them (so two never compete for the machine's cores) and reports which
ones failed. `python -m evals.run bench|eval [--only NAME …]`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

SUITES = {
    "bench": ["bench_parse", "bench_memory", "bench_figures", "bench_review", "bench_pipeline", "llm_overhead",
              "bench_slack"],
    "eval": ["topic_retrieval", "search_strategies", "reportbench", "pdf_quality", "ask_eval", "figure_kinds",
             "summary_coverage", "review_content", "review_quality", "snowball_eval", "taxonomy",
             "reference_resolution", "bib_import"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suite", choices=sorted(SUITES))
    parser.add_argument("--only", nargs="*", default=None, help="run only these modules")
    args = parser.parse_args()
    failed = []
    for name in SUITES[args.suite]:
        if args.only and name not in args.only:
            continue
        print(f"\n== evals.{name} ==", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, "-m", f"evals.{name}"])
        print(f"-- evals.{name}: exit {code} in {time.monotonic() - started:.0f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
