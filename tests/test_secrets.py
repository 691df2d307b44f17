"""No key, token, organization id or cookie is committed, recording cannot leak one,
and the tests reach nothing but loopback.

Two guards on secrets: a scan of every cassette and every git-tracked file for
key-like strings, and a recording run through the emulator with a unique canary key
whose output is searched for the canary and for the headers the cassette format drops.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
from datetime import UTC, datetime
from pathlib import Path

import anthropic
import pytest
import vcr as vcrpy
from pytest_recording import network

from streamdocs.emulator import Emulator, wire
from streamdocs.paths import CASSETTES, ROOT, SNIPPETS, rel, tracked_files
from streamdocs.recording import cassettes
from streamdocs.samples import runner
from streamdocs.samples.cases import Case

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# \W{0,12} spans what sits between a header's name and its value in a cassette,
# a header dump or code: `: `, `:\n      - '`, `": "`.
KEY_LIKE = {
    "an Anthropic API key": re.compile(r"sk-ant-[A-Za-z0-9_-]{20,}"),
    "a bearer token": re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{20,}"),
    "an organization id": re.compile(rf"(?i)organization-id\W{{0,12}}{UUID}"),
    "a cookie": re.compile(r"(?i)\b(?:set-)?cookie\W{0,12}[\w.-]+=[^\s;'\"]{8,}"),
}
# Headers a cassette must never hold, whatever the API or emulator sends.
SECRET_HEADERS = {"authorization", "x-api-key", "anthropic-organization-id", "set-cookie", "cookie"}


def key_like_strings(path: Path) -> list[str]:
    """`file:line: what` for each key-like string in a text file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, IsADirectoryError, FileNotFoundError):
        return []  # binary files, and tracked files deleted in the work tree
    found = []
    for what, pattern in KEY_LIKE.items():
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{rel(path)}:{line}: {what} ({match.group()[:16]}...)")
    return found


def test_no_key_like_strings_in_cassettes_or_tracked_files():
    files = sorted(set(tracked_files()) | set(CASSETTES.rglob("*.yaml")))
    assert len(files) > 10, "git ls-files found almost nothing: is this a clone?"
    found = [hit for path in files for hit in key_like_strings(path)]
    assert not found, (
        "Key-like strings in the repository. Remove them (and revoke a real key at once); "
        "re-record a cassette with `make record`, which keeps only allow-listed headers:\n"
        + "\n".join(found)
    )


def test_every_cassette_header_is_allow_listed():
    for path in sorted(CASSETTES.rglob("*.yaml")):
        for interaction in cassettes.load(path)["interactions"]:
            for side in ("request", "response"):
                names = {name.lower() for name in interaction[side]["headers"]}
                leaked = names & SECRET_HEADERS
                assert not leaked, (
                    f"{rel(path)}: {side} header(s) {sorted(leaked)} recorded. Re-record with "
                    "`make record` (streamdocs/recording/cassettes.py keeps an allow-list)."
                )


@pytest.mark.parametrize(
    "planted, what",
    [
        ("api_key = 'sk-ant-api03-" + "A1b2" * 10 + "'", "an Anthropic API key"),
        ("Authorization: Bearer " + "eyJhbGciOi" * 3, "a bearer token"),
        (
            "anthropic-organization-id:\n  - '" + "0f0e0d0c-0b0a-4909-8807-060504030201'",
            "an organization id",
        ),
        ("set-cookie:\n  - _cfuvid=" + "x9Y8z7W6v5U4t3S2" + "; path=/", "a cookie"),
    ],
)
def test_scan_names_file_and_line(tmp_path, monkeypatch, planted, what):
    """The scan can fail, and says where and what."""
    monkeypatch.setattr("streamdocs.paths.ROOT", tmp_path)
    leaky = tmp_path / "notes.md"
    leaky.write_text(f"# Notes\n\nSome text.\n{planted}\n", encoding="utf-8")
    [hit] = key_like_strings(leaky)
    assert hit.startswith(f"notes.md:4: {what} (")


def test_recording_with_a_real_looking_key_leaks_nothing(tmp_path, monkeypatch):
    """Record two samples through the emulator with a canary key into a temporary cassette
    directory, the way `make record` does (pytest-recording's VCR, the project's format)."""
    canary = "sk-ant-api03-CANARY" + secrets.token_urlsafe(48)
    cookie_canary = "CANARY" + secrets.token_hex(16)
    cassette_dir = tmp_path / "cassettes"
    seen_headers: list[set[str]] = []  # response headers as they arrived, before scrubbing

    def spy_then_scrub(response):
        seen_headers.append({name.lower() for name in response["headers"]})
        return cassettes.scrub_response(response)

    config = {**cassettes.vcr_config(), "before_record_response": spy_then_scrub}
    recorder = vcrpy.VCR(
        path_transformer=vcrpy.VCR.ensure_suffix(".yaml"),
        cassette_library_dir=str(cassette_dir),
        record_mode="new_episodes",  # what pytest-recording turns `rewrite` into
    )
    provenance = {"source": "canary test", "recorded_at": datetime.now(UTC).strftime("%Y-%m-%d")}
    recorder.register_serializer("yaml", cassettes.Format(provenance))
    cases = [Case(name, SNIPPETS / f"{name}.py") for name in ("text_stream", "complete_example")]

    with Emulator() as emulator:
        monkeypatch.setenv("ANTHROPIC_API_KEY", canary)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", emulator.base_url())
        for case in cases:
            with recorder.use_cassette(case.name, **config):
                result = runner.run_case(case)
            assert result.exit_code == 0, result.output
        # The SDK sends no cookie or organization header; a proxy or a user's
        # default_headers could. Those are dropped on the way in as well.
        with recorder.use_cassette("extra_headers", **config):
            client = anthropic.Anthropic(
                default_headers={
                    "cookie": f"session={cookie_canary}",
                    "x-api-key": canary,
                    "anthropic-organization-id": wire._ORGANIZATION_ID,
                }
            )
            client.messages.create(
                model="claude-sonnet-5-5",
                max_tokens=64,
                messages=[{"role": "user", "content": "Say hello."}],
            )
        sent = emulator.requests

    # The canary really went over the wire, and the secrets really came back ...
    assert all(request["headers"]["authorization"] == f"Bearer {canary}" for request in sent)
    assert sent[-1]["headers"]["cookie"] == f"session={cookie_canary}"
    assert all({"set-cookie", "anthropic-organization-id"} <= names for names in seen_headers)
    # ... and the cassettes were written, holding the answers,
    written = sorted(cassette_dir.glob("*.yaml"))
    assert [path.stem for path in written] == ["complete_example", "extra_headers", "text_stream"]
    text = "\n".join(path.read_text(encoding="utf-8") for path in written)
    assert "content_block_delta" in text
    # ... but none of it reached them, nor anywhere in the repository.
    repository = {path: path.read_bytes() for path in _repository_files()}
    for needle in (canary, cookie_canary, wire._ORGANIZATION_ID):
        assert needle not in text, f"{needle[:24]}... reached a recorded cassette"
        leaked = [rel(path) for path, data in repository.items() if needle.encode() in data]
        assert not leaked, f"{needle[:24]}... was written to {leaked}"
    for path in written:
        for interaction in cassettes.load(path)["interactions"]:
            for side in ("request", "response"):
                names = {name.lower() for name in interaction[side]["headers"]}
                assert not names & SECRET_HEADERS, f"{path.name}: {side} kept {names}"
    # The real cassettes were not touched.
    for case in cases:
        assert "canary test" not in case.cassette.read_text(encoding="utf-8")


def _repository_files() -> list[Path]:
    """Every file in the work tree but git's store and installed packages."""
    skip = {".git", ".venv", "node_modules", ".lock-env"}
    found = []
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in skip]
        found += [Path(folder) / name for name in names]
    return found


# --- network: loopback only -------------------------------------------------------------

# TEST-NET-1 (RFC 5737): reserved for documentation, routed nowhere. It is only
# tried after the guard is seen in place, so even a broken guard sends nothing.
UNROUTABLE = "192.0.2.1"


def _network_guard_in_place() -> None:
    assert socket.socket.connect is not network._original_connect, (
        "socket connections are not guarded: pytest must run with --block-network "
        "(pyproject.toml addopts)"
    )


def test_a_non_loopback_connection_fails():
    _network_guard_in_place()
    with socket.socket() as sock, pytest.raises(RuntimeError, match="Network is disabled"):
        sock.connect((UNROUTABLE, 443))


def test_the_sdk_cannot_reach_a_non_loopback_host():
    _network_guard_in_place()
    client = anthropic.Anthropic(
        api_key="sk-ant-network", base_url=f"https://{UNROUTABLE}", max_retries=0
    )
    with pytest.raises(anthropic.APIConnectionError) as caught:
        client.messages.create(
            model="claude-sonnet-5-5", max_tokens=8, messages=[{"role": "user", "content": "hi"}]
        )
    causes = []
    error: BaseException | None = caught.value
    while error is not None:
        causes.append(repr(error))
        error = error.__cause__ or error.__context__
    assert any("Network is disabled" in cause for cause in causes), causes


def test_loopback_stays_reachable():
    with socket.create_server(("127.0.0.1", 0)) as server:
        with socket.create_connection(server.getsockname(), timeout=2):
            pass


def test_the_allow_list_admits_loopback_only(request):
    """--allowed-hosts entries are regexes matched at the start: they must be anchored."""
    allowed = request.config.getoption("--allowed-hosts").split(",")
    for host in ("127.0.0.1", "::1"):
        assert network.is_host_in_allowed_hosts(host, allowed), f"{host} must stay reachable"
    for host in ("::1:2:3", "::10", "127.0.0.1.0", "127x0y0z1", "192.0.2.1", "10.0.0.1"):
        assert not network.is_host_in_allowed_hosts(host, allowed), (
            f"--allowed-hosts {allowed} admits {host}: anchor each entry with $ "
            "(pyproject.toml addopts)"
        )


def test_a_writers_own_profile_on_disk_never_reaches_a_run(sample_env, monkeypatch, tmp_path):
    """A profile in the writer's ~/.config/anthropic (what `ant` writes) is invisible to a
    sample: with no key defined, the run finds no credential at all."""
    writer_home = tmp_path / "writer"
    configs = writer_home / ".config" / "anthropic" / "configs"
    configs.mkdir(parents=True)
    (configs / "default.json").write_text('{"authentication": {"type": "user_oauth"}}')
    (writer_home / ".config" / "anthropic" / "active_config").write_text("default")
    monkeypatch.setenv("HOME", str(writer_home))
    monkeypatch.setenv("ANTHROPIC_PROFILE", "default")  # and the variable naming it
    sample_env(None, {"ANTHROPIC_API_KEY": None})
    assert "ANTHROPIC_PROFILE" not in os.environ
    assert not (Path.home() / ".config" / "anthropic").exists()
    client = anthropic.Anthropic(base_url="http://127.0.0.1:9")
    with pytest.raises(TypeError, match="Could not resolve authentication method"):
        client.messages.create(model="claude-haiku-4-5", max_tokens=1, messages=[])
