"""Item 8: a configuration mistake is one clear line naming the setting, the bad value and where it
came from; unknown names suggest the nearest valid one; out-of-range values are refused."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write a config file and make it the one in use."""
    path = tmp_path / "config.toml"

    def write(text: str) -> Path:
        path.write_text(text)
        monkeypatch.setenv("AUTORESEARCH_CONFIG", str(path))
        return path

    return write


def test_item08_a_wrong_type_in_the_environment_names_setting_value_and_variable(monkeypatch, cli) -> None:
    monkeypatch.setenv("AUTORESEARCH_ARXIV__MIN_INTERVAL_S", "abc")
    failed = cli("config", "show")
    assert failed.code == 2
    assert "_Layered" not in failed.err
    for part in ("arxiv.min_interval_s", "'abc'", "AUTORESEARCH_ARXIV__MIN_INTERVAL_S"):
        assert part in failed.reason, failed.reason


def test_item08_a_wrong_type_in_the_file_names_the_file_and_line(config, cli) -> None:
    path = config('[llm]\nwriter = "x"\n\n[arxiv]\npage_size = 7\nmin_interval_s = "soon"\n')
    failed = cli("config", "show")
    assert failed.code == 2
    for part in ("arxiv.min_interval_s", "'soon'", f"{path} line 6"):
        assert part in failed.reason, failed.reason


@pytest.mark.parametrize(("text", "unknown", "nearest"), [
    ("[arxiv]\nmin_intervall_s = 5\n", "arxiv.min_intervall_s", "arxiv.min_interval_s"),
    ("[arxv]\nmin_interval_s = 5\n", "arxv", "arxiv"),
    ("[arxiv]\napi_url = 'x'\n[revew]\nmax_papers = 3\n", "revew", "review"),
])
def test_item08_an_unknown_key_or_group_suggests_the_nearest_name(config, cli, text: str, unknown: str,
                                                                  nearest: str) -> None:
    config(text)
    failed = cli("config", "show")
    assert failed.code == 2
    assert unknown in failed.reason and f"did you mean {nearest}" in failed.reason, failed.reason


def test_item08_config_flag_naming_a_missing_file_or_a_folder_is_an_error(tmp_path: Path, cli) -> None:
    missing = cli("--config", str(tmp_path / "nope.toml"), "config", "show")
    assert missing.code == 2 and "nope.toml" in missing.reason and "does not exist" in missing.reason
    folder = cli("--config", str(tmp_path), "config", "show")
    assert folder.code == 2 and "is a folder" in folder.reason


@pytest.mark.parametrize(("variable", "value"), [
    ("ARXIV__MIN_INTERVAL_S", "-1"), ("ARXIV__TIMEOUT_S", "0"), ("ARXIV__MAX_TRIES", "0"),
    ("PDF__DOWNLOAD_TIMEOUT_S", "0"), ("MEMORY__CHUNK_CHARS", "0"), ("REVIEW__CONCURRENCY", "0"),
    ("LLM__TIMEOUT_S", "-5"), ("SEARCH__MAX_REQUESTS", "0"), ("MEMORY__MMR_DIVERSITY", "2"),
])
def test_item08_out_of_range_values_are_refused(monkeypatch, cli, variable: str, value: str) -> None:
    monkeypatch.setenv(f"AUTORESEARCH_{variable}", value)
    failed = cli("config", "show")
    assert failed.code == 2, failed.out[:200]
    assert f"AUTORESEARCH_{variable}" in failed.reason


@pytest.mark.parametrize(("content", "problem"), [
    (b"[arxiv\nmin_interval_s = 5\n", "line 1"), (b"[arxiv]\nuser_agent = '\xff\xfe'\n", "UTF-8")])
def test_item08_toml_syntax_and_decoding_errors_name_the_file(tmp_path: Path, monkeypatch, cli,
                                                               content: bytes, problem: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_bytes(content)
    monkeypatch.setenv("AUTORESEARCH_CONFIG", str(path))
    failed = cli("config", "show")
    assert failed.code == 2
    assert str(path) in failed.reason and problem in failed.reason, failed.reason
