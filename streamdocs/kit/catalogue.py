"""The kit's catalogue in words: each answer shape with what it tests and what a request
needs to get it, and each rule that breaks an answer. `claude-stream-emulator --list`
prints it and the "Test your streaming code" page shows it (streamdocs/markdown/kit.py),
both read from the shape files and the rules themselves, so neither can drift from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from streamdocs.emulator import breaks, models
from streamdocs.emulator.fit import NEEDS, is_failure, requirements

from .answers import NATURAL, STALL_SECONDS, catalogue


@dataclass(frozen=True)
class Shape:
    name: str
    tests: str  # the shape file's description
    needs: str  # what a request must hold to get it, in words
    broken: bool  # its answer is broken every way too (a failure already is a break)


def shapes() -> list[Shape]:
    found = [
        Shape(
            NATURAL,
            "The emulator's own answer to the request, as the API would give it (first: it "
            "tells the kit the request your code sends).",
            "any request",
            True,
        )
    ]
    for name, shape in catalogue().items():
        needs = sorted(requirements(shape))
        said = [NEEDS.get(n, "the server tool " + n.removeprefix("server:")) for n in needs]
        found.append(
            Shape(name, shape.description, "; ".join(said) or "any request", not is_failure(shape))
        )
    return found


def break_rules() -> list[tuple[str, str, str]]:
    """(kind, rule, what it catches) for every rule the kit breaks answers with."""
    seeded = breaks.SEEDED_OFFSETS
    return [
        (
            "cut",
            "The connection drops after each event of the answer (no terminating chunk).",
            "text lost or shown twice at a break; a break taken for a complete answer",
        ),
        (
            "cut",
            "The body ends cleanly after each event but the last, as a proxy that gave up "
            "would end it.",
            "an answer without `message_stop` taken for a whole one (the SDK raises nothing)",
        ),
        (
            "cut",
            "The connection drops inside the first non-ASCII character of the text, inside "
            "the first `partial_json` and inside the first thinking text.",
            "bytes decoded or JSON parsed before they are whole",
        ),
        (
            "cut",
            f"The connection drops at {seeded[True]} byte offsets drawn at random "
            f"({seeded[False]} when all faults are asked for), from a fixed seed.",
            "whatever the rules above did not think of",
        ),
        (
            "stall",
            f"Silence ({STALL_SECONDS:g} s unless you say otherwise), in each phase: "
            + "; ".join(breaks.STALL_PHASES)
            + ". Each phase once, on the natural answer or on the first shape whose answer "
            "has it.",
            "what your code does when its read timeout fires (a client that waits longer "
            "than the silence just waits): text kept, the failure said, not taken for a "
            "whole answer",
        ),
        (
            "model",
            f"The answer names each of the {len(models.known())} model ids the kit knows, "
            "on the natural answer.",
            "code that looks a model up (a price table, a name parser) and fails on one",
        ),
    ]
