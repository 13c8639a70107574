"""Runs shared through Postgres and a Chroma server: paused on one machine, approved and finished
on another. Real PostgreSQL and `chroma run` on 127.0.0.1; each "machine" is a CLI process with
its own data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pydantic import SecretStr

from agent import services
from agent.runs.events import ApprovalNeeded, Finished, parse_event
from agent.settings import load_settings
from evals.mirror import MirrorServer
from tests.agent.conftest import TOPIC, warm_home

REPO = Path(__file__).resolve().parents[3]
SECRET = "hunter2-not-for-logs"


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent", *args], cwd=REPO, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=240)


def events_of(stdout: str) -> list:
    return [parse_event(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture
def machines(tmp_path: Path, postgres_dsn: str, chroma_server: str, mirror: MirrorServer,
             seed_vectors) -> dict[str, dict[str, str]]:
    """The environments of two machines: their own data dirs, one Postgres, one Chroma server."""
    shared = {"AUTORESEARCH_CHECKPOINT__BACKEND": "postgres", "AUTORESEARCH_CHECKPOINT__POSTGRES_DSN": postgres_dsn,
              "AUTORESEARCH_MEMORY__CHROMA_URL": chroma_server, "AUTORESEARCH_ARXIV__API_URL": mirror.api_url,
              "AUTORESEARCH_ARXIV__PDF_URL": mirror.pdf_url, "AUTORESEARCH_ARXIV__MIN_INTERVAL_S": "0"}
    found = {}
    for name in ("a", "b"):
        home = tmp_path / f"machine-{name}"
        warm_home(home, seed_vectors)
        found[name] = {**shared, "AUTORESEARCH_HOME": str(home)}
    return found


def test_a_run_paused_on_one_machine_is_approved_and_finished_on_another(machines, tmp_path: Path) -> None:
    a, b = machines["a"], machines["b"]
    out = tmp_path / "shared-reviews" / "vad"
    started = cli("review", TOPIC, "--approve", "ask", "--max-papers", "3", "--out", str(out), "--json", env=a)
    assert started.returncode == 3, started.stderr
    paused = events_of(started.stdout)[-1]
    assert isinstance(paused, ApprovalNeeded) and paused.gate == "papers"
    run = paused.run_id

    listed = json.loads(cli("runs", "list", "--json", env=b).stdout)["runs"]
    assert [(r["run_id"], r["status"], r["gate"], r["live"]) for r in listed] == [(run, "paused", "papers", False)]
    papers = cli("runs", "approve", run, "--json", env=b)
    assert papers.returncode == 3, papers.stderr
    assert events_of(papers.stdout)[-1].gate == "outline"

    shown = json.loads(cli("runs", "show", run, "--json", env=a).stdout)
    assert (shown["status"], shown["pending"]["gate"]) == ("paused", "outline") and "ingest" in shown["timings"]
    outline = cli("runs", "approve", run, "--json", env=a)
    assert outline.returncode == 3, outline.stderr
    assert events_of(outline.stdout)[-1].gate == "draft"

    done = cli("runs", "approve", run, "--json", env=b)
    assert done.returncode == 0, done.stderr
    finished = events_of(done.stdout)[-1]
    assert isinstance(finished, Finished) and finished.counts["papers"] == 3
    assert json.loads(cli("runs", "show", run, "--json", env=a).stdout)["status"] == "finished"
    report = json.loads((out / "run.json").read_text())
    assert [(d["gate"], d["action"]) for d in report["decisions"]] == [
        ("papers", "approve"), ("outline", "approve"), ("draft", "approve")]
    assert (out / "review.md").is_file()

    # Everything shared went to the servers: no checkpoint, registry or vector store on either machine.
    for env in (a, b):
        home = Path(env["AUTORESEARCH_HOME"])
        assert not (home / "runs" / "checkpoints.sqlite").exists() and not (home / "runs" / "runs.sqlite").exists()
        assert not (home / "chroma").exists()
    stats = json.loads(cli("library", "stats", "--json", env=b).stdout)
    assert stats["papers"] == 3 and stats["store"] == a["AUTORESEARCH_MEMORY__CHROMA_URL"]


def test_the_checkpointer_sets_up_once_even_when_processes_race(postgres_dsn: str, monkeypatch) -> None:
    from langgraph.checkpoint.postgres import PostgresSaver

    monkeypatch.setenv("AUTORESEARCH_CHECKPOINT__BACKEND", "postgres")
    monkeypatch.setenv("AUTORESEARCH_CHECKPOINT__POSTGRES_DSN", postgres_dsn)
    settings = load_settings()
    with ThreadPoolExecutor(4) as pool:
        savers = list(pool.map(lambda _: services.checkpointer(settings), range(4)))
    try:
        with savers[0].conn.connection() as connection:
            versions = [r["v"] for r in connection.execute("SELECT v FROM checkpoint_migrations ORDER BY v")]
        assert versions == list(range(len(PostgresSaver.MIGRATIONS)))
        assert all(isinstance(s, PostgresSaver) for s in savers)
    finally:
        for saver in savers:
            saver.conn.close()


@pytest.mark.parametrize("dsn, where", [
    (f"postgresql://autoresearch:{SECRET}@127.0.0.1:1/research", "127.0.0.1:1/research"),
    (f"postgresql://autoresearch:{SECRET}@127.0.0.1:1/research?sslmode=bogus", "127.0.0.1:1/research"),
    (f"host=127.0.0.1 password={SECRET} port", "unparsable"),
])
def test_a_bad_dsn_is_one_line_that_never_shows_the_password(dsn: str, where: str) -> None:
    env = {"AUTORESEARCH_CHECKPOINT__BACKEND": "postgres", "AUTORESEARCH_CHECKPOINT__POSTGRES_DSN": dsn}
    done = cli("runs", "list", "--json", env=env)
    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and SECRET not in done.stderr
    assert done.stderr.startswith("autoresearch: cannot use the Postgres database at") and where in done.stderr
    shown = cli("config", "show", "--json", env=env)
    assert shown.returncode == 0 and SECRET not in shown.stdout
    assert json.loads(shown.stdout)["checkpoint"]["postgres_dsn"] == "**********"


def test_postgres_without_a_dsn_says_which_setting_to_set() -> None:
    done = cli("runs", "list", env={"AUTORESEARCH_CHECKPOINT__BACKEND": "postgres"})
    assert done.returncode == 1
    assert "needs checkpoint.postgres_dsn (env AUTORESEARCH_CHECKPOINT__POSTGRES_DSN)" in done.stderr


def test_a_pg_dump_backup_restores_a_paused_run(postgres_server, postgres_dsn: str, mirror_settings, seed_vectors,
                                               tmp_path: Path) -> None:
    """The backup docs/deploy.md prescribes (`pg_dump -Fc`, `pg_restore` into a new database) keeps
    paused runs resumable."""
    from agent.review.approval import Decision
    from agent.review.context import ReviewServices
    from agent.review.state import ReviewRequest
    from agent.runs.session import ReviewSession

    def session(dsn: str) -> ReviewSession:
        settings = mirror_settings.model_copy(update={"checkpoint": mirror_settings.checkpoint.model_copy(
            update={"backend": "postgres", "postgres_dsn": SecretStr(dsn)})})
        return ReviewSession(settings, services=ReviewServices(settings, embedder=seed_vectors))

    with session(postgres_dsn) as first:
        paused = list(first.start(ReviewRequest(topic=TOPIC, max_papers=2)))[-1]
    assert isinstance(paused, ApprovalNeeded) and paused.gate == "papers"
    dump = tmp_path / "autoresearch.dump"
    tools = postgres_server.bin
    subprocess.run([str(tools / "pg_dump"), "-Fc", "-f", str(dump), postgres_dsn], check=True, timeout=60)
    restored = postgres_server.create_database("restored")
    subprocess.run([str(tools / "pg_restore"), "--no-owner", "-d", restored, str(dump)], check=True, timeout=60)

    with session(restored) as second:
        assert [(r.run_id, r.status, r.gate) for r in second.runs()] == [(paused.run_id, "paused", "papers")]
        resumed = list(second.resume(paused.run_id, Decision(action="approve", by="test")))[-1]
    assert isinstance(resumed, ApprovalNeeded) and resumed.gate == "outline"


def test_a_person_with_table_rights_only_uses_tables_the_service_created(postgres_server) -> None:
    """docs/deploy.md's per-person roles: the service's role creates the tables, people get DML rights."""
    import secrets

    import psycopg

    from agent.runs.postgres import PostgresUnavailable

    name = f"roles_{secrets.token_hex(3)}"
    owner, person = f"svc_{name}", f"alice_{name}"
    with psycopg.connect(postgres_server.dsn, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {owner} LOGIN")
        admin.execute(f"CREATE ROLE {person} LOGIN")
        admin.execute(f"CREATE DATABASE {name} OWNER {owner}")
    dsn = f"postgresql://{{}}@127.0.0.1:{postgres_server.port}/{name}"

    def settings(role: str):
        return load_settings(checkpoint={"backend": "postgres", "postgres_dsn": dsn.format(role)})

    with pytest.raises(PostgresUnavailable, match="cannot create the tables .* needs a role that may create"):
        services.run_registry(settings(person))
    services.checkpointer(settings(owner)).conn.close()
    services.run_registry(settings(owner)).close()
    with psycopg.connect(dsn.format(owner), autocommit=True) as connection:
        connection.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {person}")
    registry = services.run_registry(settings(person))
    registry.create("20260101-alice0", "topic", "/out", "{}")
    assert registry.get("20260101-alice0").status == "running"
    registry.close()
    services.checkpointer(settings(person)).conn.close()
