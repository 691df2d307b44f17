"""Where things live. Every other module takes its paths from here."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets"
OUTPUTS = SNIPPETS / "output"
CASSETTES = ROOT / "cassettes"
DOCS = ROOT / "docs"


def rel(path: Path) -> str:
    """A path as a writer types it: relative to the repository root."""
    return str(path.relative_to(ROOT))
