"""Record with a cheaper model than the sample names, and keep the sample's request.

The live re-record (streamdocs/recording/live.py) sets RECORD_MODEL: while a
cassette records, every `POST .../v1/messages` leaves with that model instead of
the sample's, and carries in a header the digest under which its original body is
kept in this process (the body itself would not fit in a header: a long prompt is
over the 8 KB a server takes). The cassette format's request scrubber, which runs in
the same process, puts that original body back before the request is stored
(and the header is dropped with every other header not allow-listed), so the
cassette still matches what the unmodified sample sends on replay, while the
answer in it is the cheaper model's. The cassette's provenance names the swap.
"""

from __future__ import annotations

import contextlib
import hashlib
import json

import httpx
import httpx2

ORIGINAL_BODY = "x-recording-original-body"
_ORIGINALS: dict[str, bytes] = {}  # digest -> the body the sample sent


def _swap(request, model: str):
    if request.method != "POST" or not request.url.path.endswith("/v1/messages"):
        return request
    body = request.read()
    try:
        data = json.loads(body)
    except ValueError:
        return request
    if not isinstance(data, dict) or data.get("model") in (None, model):
        return request
    data["model"] = model
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
    digest = hashlib.sha256(body).hexdigest()
    _ORIGINALS[digest] = body
    headers[ORIGINAL_BODY] = digest
    return type(request)(  # httpx2.Request, or httpx.Request for the plain-HTTP sample
        request.method,
        request.url,
        headers=headers,
        content=json.dumps(data).encode(),
        extensions=request.extensions,
    )


@contextlib.contextmanager
def swapped_model(model: str):
    """Every Messages request sent through httpx2 (the SDK) or httpx (the plain-HTTP
    sample) in this process asks for `model`."""
    with contextlib.ExitStack() as stack:
        for library in (httpx2, httpx):
            stack.enter_context(_swapped(library, model))
        yield


@contextlib.contextmanager
def _swapped(library, model: str):
    send, send_async = library.Client.send, library.AsyncClient.send

    def sync(self, request, *args, **kwargs):
        return send(self, _swap(request, model), *args, **kwargs)

    async def asynchronous(self, request, *args, **kwargs):
        return await send_async(self, _swap(request, model), *args, **kwargs)

    library.Client.send, library.AsyncClient.send = sync, asynchronous
    try:
        yield
    finally:
        library.Client.send, library.AsyncClient.send = send, send_async


def restore_original(request) -> None:
    """In a vcrpy request about to be recorded: the body the sample sent, if it was swapped."""
    digest = request.headers.get(ORIGINAL_BODY)
    if digest:
        request.body = _ORIGINALS[digest]
