"""The LLM-layer benchmark runs and reports ratios (the numbers themselves are not asserted)."""

from __future__ import annotations

import json

from evals.llm_overhead import main


def test_the_wrapper_benchmark_reports_ratios_against_the_bare_fake_model(capsys) -> None:
    assert main(["--calls", "30", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)["wrapper"]
    assert report["calls"] == 30 and report["ratio_vs_bare"]["bare"] == 1.0
    assert set(report["us_per_call"]) == {"bare", "guarded", "guarded+usage"}
    assert all(value > 0 for value in report["us_per_call"].values())
