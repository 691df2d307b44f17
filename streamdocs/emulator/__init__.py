"""A local emulator of the Messages API (`POST /v1/messages`) for recording and live tests.

See README.md in this folder.
"""

from .server import Emulator

__all__ = ["Emulator"]
