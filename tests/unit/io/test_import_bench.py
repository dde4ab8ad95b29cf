"""The import benchmark figure: its shape and that both sides handled the same rows."""

from __future__ import annotations

import json

import pytest

from desktop import bench, bench_import


def test_import_figure_has_the_contract_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STREETLEDGER_BENCH_IMPORT_ROWS", "1200")
    assert "import.xlsx" in bench.figure_names()
    payload = bench.run_bench(scale=300, only="import.xlsx")
    [figure] = payload["figures"]
    assert figure["name"] == "import.xlsx" and figure["goal_kind"] == "ratio"
    assert figure["goal"] == bench_import.GOAL_RATIO and figure["scale"] == 300
    assert figure["rows"] == 1200
    assert figure["read_rows"] >= 1200 + 3  # title, note and header rows too
    assert figure["inserted"] == figure["imported"] > 1000
    assert figure["agreements"] > 0
    assert figure["baseline_ms"] > 0 and figure["ms"] > 0
    json.dumps(payload, allow_nan=False)
