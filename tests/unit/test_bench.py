"""The benchmark suite: figure shape, filtering and the cached demo database (no timing asserts)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from desktop import bench
from desktop.domain import businesses

CONTRACT = {"name": str, "ms": float, "baseline_ms": float, "ratio": float, "scale": int}


def _check_shape(figure: dict[str, Any], scale: int) -> None:
    for key, kind in CONTRACT.items():
        assert isinstance(figure[key], kind), key
    assert isinstance(figure["goal"], int | float) and not isinstance(figure["goal"], bool)
    assert figure["goal_kind"] in {"ms", "ratio", "delta_ms"}
    assert isinstance(figure["met"], bool)
    assert figure["scale"] == scale
    assert figure["ms"] >= 0 and figure["baseline_ms"] >= 0


def test_first_page_figure_has_the_contract_shape() -> None:
    payload = bench.run_bench(scale=500, only="ledger.first_page")
    assert set(payload) == {"figures"}
    [figure] = payload["figures"]
    assert figure["name"] == "ledger.first_page"
    assert figure["goal"] == bench.GOAL_FIRST_PAGE_MS
    _check_shape(figure, 500)
    json.dumps(payload, allow_nan=False)  # the CLI prints it as strict JSON


def test_search_and_sort_figures_and_the_cache_is_reused() -> None:
    messages: list[str] = []
    payload = bench.run_bench(scale=300, only="search.p95", progress=messages.append)
    names = [f["name"] for f in payload["figures"]]
    assert names == [f"search.p95.{k}" for k in bench.SEARCH_KINDS]
    for figure in payload["figures"]:
        _check_shape(figure, 300)
        assert figure["queries"] == bench.SEARCH_QUERIES
    assert any("基准数据库" in m for m in messages)

    path = bench.bench_db_path(300)
    built = path.stat().st_mtime_ns
    messages.clear()
    payload = bench.run_bench(scale=300, only="ledger.sort.status", progress=messages.append)
    assert [f["name"] for f in payload["figures"]] == ["ledger.sort.status"]
    assert payload["figures"][0]["direction"] in {"asc", "desc"}
    assert path.stat().st_mtime_ns == built
    assert not any("基准数据库" in m for m in messages)


def test_every_sort_key_has_a_figure() -> None:
    names = bench.figure_names()
    for key in businesses.SORT_KEYS:
        assert f"ledger.sort.{key}" in names
    assert "app.start" in names
    assert bench.run_bench(scale=300, only="no-such-figure") == {"figures": []}


def test_search_terms_vary() -> None:
    bench.ensure_bench_db(300, lambda _t: None)
    raw = sqlite3.connect(bench.bench_db_path(300))
    try:
        for kind in bench.SEARCH_KINDS:
            terms = bench.search_terms(raw, kind)
            assert len(terms) == bench.SEARCH_QUERIES
            assert len(set(terms)) > bench.SEARCH_QUERIES // 2
            assert all(terms)
    finally:
        raw.close()


def test_p95_is_nearest_rank() -> None:
    assert bench.p95([float(i) for i in range(1, 31)]) == 29.0
    assert bench.p95([5.0]) == 5.0
