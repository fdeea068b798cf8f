"""The changedetection.io driver's bookkeeping: a check is done when the watch's own counter went up."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from bench.cdio import ChangeDetection, PeerCheck, PeerUnavailable


def watch(store: Path, uuid: str, checks: int, error: str | None = None) -> None:
    (store / uuid).mkdir(parents=True, exist_ok=True)
    (store / uuid / "watch.json").write_text(json.dumps({"check_count": checks, "last_error": error}))


def peer(tmp_path: Path) -> ChangeDetection:
    cd = ChangeDetection(tmp_path)
    cd.datastore.mkdir()
    return cd


def test_counts_reads_each_watch_counter_and_error(tmp_path: Path) -> None:
    cd = peer(tmp_path)
    watch(cd.datastore, "a", 2)
    watch(cd.datastore, "b", 0, error="Connection refused")
    (cd.datastore / "c").mkdir()
    (cd.datastore / "c" / "watch.json").write_text("{half written")  # read again at the next poll
    assert cd.counts() == {"a": (2, False), "b": (0, True)}


def test_wait_returns_when_every_watch_reached_its_target(tmp_path: Path) -> None:
    cd = peer(tmp_path)
    watch(cd.datastore, "a", 2)
    watch(cd.datastore, "b", 3, error="404")
    result = cd._wait(2, {"a": 2, "b": 3}, time.monotonic(), timeout=5)
    assert result.urls == 2 and result.errors == 1


def test_wait_gives_up_with_a_reason_when_a_watch_never_finishes(tmp_path: Path) -> None:
    cd = peer(tmp_path)
    watch(cd.datastore, "a", 1)
    watch(cd.datastore, "b", 0)
    with pytest.raises(PeerUnavailable, match="had not checked 2 URLs"):
        cd._wait(2, 1, time.monotonic(), timeout=0.3)


@pytest.mark.parametrize(("urls", "seconds", "expected"), [(600, 20.0, 30.0), (10, 0.0, 0.0)])
def test_urls_per_second(urls: int, seconds: float, expected: float) -> None:
    assert PeerCheck(urls, seconds).urls_per_s == expected
