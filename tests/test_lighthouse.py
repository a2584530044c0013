"""`hub lighthouse`'s own parts, without Lighthouse: which page stands for each kind, what a report
says costs points, the table, and the gzipped local server it measures through."""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path
from typing import Any

from hub.commands import lighthouse
from hub.commands.cli import parser
from hub.publish.localhost import serve


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for path, size in {
        "index.html": 10,
        "find/index.html": 10,
        "404.html": 10,
        "practice/index.html": 10,
        "practice/small/index.html": 10,
        "practice/big/index.html": 500,
        "regions/london/index.html": 10,
    }.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text("<p>" + "x" * size)
    return site


def test_each_kind_is_its_largest_page_and_missing_kinds_are_left_out(tmp_path: Path) -> None:
    chosen = lighthouse.pages(_site(tmp_path))
    assert chosen == {
        "home": "",
        "case study": "practice/big/",
        "region": "regions/london/",
        "case studies index": "practice/",
        "find practice": "find/",
        "not found": "404.html",
    }


def _report(perf: float, a11y: float, base: str = "http://127.0.0.1:1/") -> dict[str, Any]:
    return {
        "categories": {
            "performance": {
                "score": perf,
                "auditRefs": [
                    {"id": "first-contentful-paint", "weight": 10, "group": "metrics"},
                    {"id": "total-blocking-time", "weight": 30, "group": "metrics"},
                    {"id": "render-blocking-resources", "weight": 0},
                ],
            },
            "accessibility": {
                "score": a11y,
                "auditRefs": [{"id": "aria-prohibited-attr", "weight": 7}, {"id": "image-alt", "weight": 10}],
            },
            "best-practices": {"score": 1, "auditRefs": []},
            "seo": {"score": None, "auditRefs": []},
        },
        "audits": {
            "first-contentful-paint": {"score": 0.58, "displayValue": "2.8 s", "scoreDisplayMode": "numeric"},
            "total-blocking-time": {"score": 0.99, "displayValue": "70 ms", "scoreDisplayMode": "numeric"},
            "render-blocking-resources": {
                "score": 0,
                "scoreDisplayMode": "metricSavings",
                "displayValue": "Est savings of 1,710 ms",
                "details": {"type": "opportunity", "items": [{"url": base + "assets/bundle.js", "wastedMs": 1811}]},
            },
            "aria-prohibited-attr": {
                "score": 0,
                "scoreDisplayMode": "binary",
                "title": "Elements use prohibited ARIA attributes",
                "details": {"items": [{"node": {"snippet": '<label for="__drawer" aria-label="Menu">'}}]},
            },
            "image-alt": {"score": None, "scoreDisplayMode": "notApplicable"},
            "network-requests": {
                "details": {
                    "items": [{"url": base}, {"url": "data:image/svg+xml,x"}, {"url": "https://fonts.example/a"}]
                }
            },
        },
    }


def test_what_costs_points_names_the_audits_and_their_elements() -> None:
    found = lighthouse.failing(_report(0.9, 0.96))
    assert [(c, a) for c, a, _, _ in found] == [
        ("performance", "first-contentful-paint"),
        ("performance", "render-blocking-resources"),
        ("accessibility", "aria-prohibited-attr"),
    ]
    assert found[1][3] == ["http://127.0.0.1:1/assets/bundle.js"]
    assert found[2][3] == ['<label for="__drawer" aria-label="Menu">']


def test_requests_to_other_sites_are_found() -> None:
    assert lighthouse.outside(_report(1, 1), "http://127.0.0.1:1/") == ["https://fonts.example/a"]


def test_the_table_shows_each_median_and_marks_what_misses_its_target() -> None:
    result = lighthouse.Result("find/")
    for perf in (0.80, 0.97, 0.91):
        result.add(_report(perf, 1.0))
    assert result.median("performance") == 91
    assert result.typical()["categories"]["performance"]["score"] == 0.91
    text = lighthouse.table({"find practice": result}, 3)
    assert "find practice   91*  100   100     -*  /find/" in text
    assert "median of 3 runs" in text


def test_the_local_server_gzips_text_as_the_published_site_does(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "logo.png").write_bytes(b"\x89PNG")
    with serve(site, compress=True) as base:
        for path, body in (("find/", b"<p>" + b"x" * 10), ("404.html", b"<p>" + b"x" * 10)):
            request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request) as response:
                assert response.headers["Content-Encoding"] == "gzip"
                assert response.headers["Content-Type"].startswith("text/html")
                assert gzip.decompress(response.read()) == body
        image = urllib.request.Request(base + "logo.png", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(image) as response:  # images are already compressed
            assert response.headers["Content-Encoding"] is None and response.read() == b"\x89PNG"
        with urllib.request.urlopen(base + "find/") as plain:  # a client that does not ask for gzip
            assert plain.headers["Content-Encoding"] is None
        with urllib.request.urlopen(base + "find") as moved:  # a folder without its slash is redirected
            assert moved.url == base + "find/"


def test_the_command_takes_runs_and_kinds() -> None:
    args = parser().parse_args(["lighthouse", "--runs", "1", "--page", "home", "--page", "find practice"])
    assert (args.runs, args.page, args.run) == (1, ["home", "find practice"], "lighthouse:command")
