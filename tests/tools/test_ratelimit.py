"""The politeness limiter: spacing across threads and across processes sharing a data dir."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from evals.mirror import MirrorServer
from tools.ratelimit import HostLimiter

REPO = Path(__file__).resolve().parents[2]

CHILD = """
import sys
from agent import services
from agent.settings import load_settings
settings = load_settings(arxiv={"api_url": sys.argv[1], "min_interval_s": 0.3})
client = services.arxiv_client(settings)
for word in sys.argv[2:]:
    client.search("all:" + word, max_results=1, refresh=True)
"""


def test_threads_share_one_slot_per_host(tmp_path: Path) -> None:
    limiter = HostLimiter(tmp_path, interval_s=0.2)
    starts: list[float] = []
    ends: list[float] = []

    def request() -> None:
        import time

        with limiter.slot("http://example.org/api"):
            starts.append(time.time())
            time.sleep(0.05)
            ends.append(time.time())

    threads = [threading.Thread(target=request) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    starts.sort()
    ends.sort()
    for previous_end, next_start in zip(ends, starts[1:]):
        assert next_start - previous_end >= 0.2


def test_hosts_do_not_wait_for_each_other(tmp_path: Path) -> None:
    limiter = HostLimiter(tmp_path, interval_s=30)
    with limiter.slot("http://a.example/x") as waited_a:
        pass
    with limiter.slot("http://b.example/x") as waited_b:
        pass
    assert waited_a == 0 and waited_b == 0


def test_two_processes_on_one_data_dir_keep_the_spacing(mirror: MirrorServer, isolated_env: Path) -> None:
    words = [["video", "anomaly", "language"], ["model", "talking", "detection"]]
    children = [subprocess.Popen([sys.executable, "-c", CHILD, mirror.api_url, *w], cwd=REPO)
                for w in words]
    assert [c.wait(timeout=120) for c in children] == [0, 0]
    arrivals = sorted(h.at for h in mirror.api_hits())
    assert len(arrivals) == 6
    assert min(b - a for a, b in zip(arrivals, arrivals[1:])) >= 0.3
