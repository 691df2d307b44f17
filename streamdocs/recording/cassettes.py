"""The one place that decides what a cassette holds and how it reads.

- Only allow-listed headers are kept, so a header the API adds tomorrow
  (an org id, a cookie) is dropped without anyone remembering to deny it.
- Requests recorded through the emulator are rewritten to name the real API,
  so replay matches what a reader's unmodified client sends.
- JSON request bodies are stored as mappings and SSE bodies as YAML literal
  blocks, so a cassette diff reads like the wire.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

from . import model_swap

API_ORIGIN = "https://api.anthropic.com"

REQUEST_HEADERS_KEPT = {"content-type", "accept", "anthropic-version", "anthropic-beta"}
RESPONSE_HEADERS_KEPT = {
    "content-type",
    "cache-control",
    "request-id",
    "retry-after",
    "retry-after-ms",
    "x-should-retry",
}
RESPONSE_HEADER_PREFIXES_KEPT = ("anthropic-ratelimit-",)

# What a request must agree on to replay: a changed prompt is a changed body.
MATCH_ON = ["method", "scheme", "host", "port", "path", "query", "body"]


def _keep_response_header(name: str) -> bool:
    return name in RESPONSE_HEADERS_KEPT or name.startswith(RESPONSE_HEADER_PREFIXES_KEPT)


def scrub_request(request):
    """vcrpy `before_record_request`: the sample's own body, safe headers, the real API."""
    model_swap.restore_original(request)
    for name in list(request.headers):
        if name.lower() not in REQUEST_HEADERS_KEPT:
            del request.headers[name]
    parts = urlsplit(request.uri)
    path = parts.path
    # The recorder forces emulator scenarios with a /scenario/<name> prefix.
    if path.startswith("/scenario/"):
        path = "/" + path.split("/", 3)[3]
    if parts.hostname in {"127.0.0.1", "localhost", "::1"}:
        origin = urlsplit(API_ORIGIN)
        request.uri = urlunsplit((origin.scheme, origin.netloc, path, parts.query, ""))
    return request


def scrub_response(response: dict) -> dict:
    """vcrpy `before_record_response`: keep safe headers only."""
    response["headers"] = {
        name.lower(): values
        for name, values in response["headers"].items()
        if _keep_response_header(name.lower())
    }
    return response


def vcr_config() -> dict[str, Any]:
    return {
        "serializer": "yaml",
        "match_on": MATCH_ON,
        "before_record_request": scrub_request,
        "before_record_response": scrub_response,
        # Store the SSE text, not gzip bytes; a gzipped stream is tested live.
        "decode_compressed_response": True,
        "allow_playback_repeats": False,
    }


# --- serializer -----------------------------------------------------------


# libyaml's loader where PyYAML was built with it: every page build reads ~40 cassettes,
# and the pure-Python loader made that a third of a rebuild under `make serve`.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(stream) -> Any:
    return yaml.load(stream, Loader=_Loader)  # noqa: S506 - a safe loader


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _is_json(headers: dict) -> bool:
    values = headers.get("content-type") or headers.get("Content-Type") or [""]
    return "json" in values[0]


def _as_text(body: Any) -> Any:
    if isinstance(body, bytes):
        return body.decode("utf-8")
    return body


class Format:
    """The cassette format, as vcrpy's serializer (`vcr.register_serializer("yaml", ...)`).

    `provenance` says where the cassettes being written come from (emulator or live API,
    when, which SDK); without it nothing may be written: cassettes are written only under
    `make record`."""

    def __init__(self, provenance: dict | None = None):
        self.provenance = provenance

    def serialize(self, cassette: dict) -> str:
        if self.provenance is None:
            raise RuntimeError("cassettes are written only under `make record`")
        for interaction in cassette["interactions"]:
            request, response = interaction["request"], interaction["response"]
            body = _as_text(request.get("body"))
            if body and _is_json(request["headers"]):
                request["body"] = {"json": json.loads(body)}
            response["body"]["string"] = _as_text(response["body"]["string"])
        document = {"recorded": self.provenance, **cassette}
        return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)

    @staticmethod
    def deserialize(text: str) -> dict:
        cassette = _parse(text)
        for interaction in cassette["interactions"]:
            request = interaction["request"]
            body = request.get("body")
            if isinstance(body, dict) and "json" in body:
                request["body"] = json.dumps(body["json"])
        return cassette


def load(path) -> dict:
    """A cassette as plain data, `recorded` block included (for tests and pages)."""
    with open(path, encoding="utf-8") as f:
        return _parse(f)


def by_name(name: str, where: str = "", root: Path | None = None) -> dict:
    """cassettes/NAME.yaml at build time, relative to the folder the build runs in (the
    repository root, as pymdownx.snippets' `base_path` is); `where` ("docs/page.md: ")
    prefixes the error a writer sees when it is missing."""
    from streamdocs import BuildError

    path = (root or Path.cwd()) / "cassettes" / f"{name}.yaml"
    if not path.exists():
        raise BuildError(
            f"{where}cassettes/{name}.yaml does not exist. "
            f"Record it with `make record NAME={name}`."
        )
    return load(path)


def keep_unchanged(before: dict[Path, str]) -> None:
    """After re-recording: put back every cassette whose exchange did not change, byte for
    byte (its old `recorded_at` too), so re-recording one sample leaves the others alone."""
    for path, old in before.items():
        if path.is_file() and _exchange(path.read_text(encoding="utf-8")) == _exchange(old):
            path.write_text(old, encoding="utf-8")


def _exchange(text: str) -> Any:
    """A cassette without its provenance: what was sent and answered."""
    document = _parse(text)
    document.pop("recorded", None)
    return document
