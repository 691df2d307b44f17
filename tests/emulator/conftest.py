import pytest

from streamdocs.emulator import Emulator


@pytest.fixture(scope="module")
def emu():
    """One emulator for a test file's checks (each request names its scenario)."""
    with Emulator() as emulator:
        yield emulator
