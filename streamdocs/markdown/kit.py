"""Markdown extension: fill `<!-- kit:NAME -->` placeholders from the emulator kit's catalogue.

The "Test your streaming code" page lists the answer shapes, the break rules and the model
ids the kit knows; reading them from the shape files and the rules at build time
(streamdocs/kit/catalogue.py, which `claude-stream-emulator --list` prints too) means the
page cannot list a shape the kit lacks, or miss one it has.
"""

from __future__ import annotations

from streamdocs.markdown import Placeholders


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def shapes() -> str:
    from streamdocs.kit import catalogue

    rows = [
        "| Shape | What it is | The request needs | Broken too |",
        "| --- | --- | --- | --- |",
    ]
    for shape in catalogue.shapes():
        broken = "yes" if shape.broken else "no: it fails by itself"
        rows.append(f"| `{shape.name}` | {_cell(shape.tests)} | {_cell(shape.needs)} | {broken} |")
    return "\n".join(rows)


def faults() -> str:
    from streamdocs.kit import catalogue

    rows = ["| Kind | The break | What it catches |", "| --- | --- | --- |"]
    for kind, rule, catches in catalogue.break_rules():
        rows.append(f"| {kind} | {_cell(rule)} | {_cell(catches)} |")
    return "\n".join(rows)


def models() -> str:
    from streamdocs.emulator.models import known

    return ", ".join(f"`{model_id}`" for model_id in known())


VALUES = {"shapes": shapes, "faults": faults, "models": models}
PLACEHOLDERS = Placeholders("kit", VALUES)
PLACEHOLDER = PLACEHOLDERS.pattern
fill = PLACEHOLDERS.fill


def makeExtension(**kwargs):
    return PLACEHOLDERS.extension(**kwargs)
