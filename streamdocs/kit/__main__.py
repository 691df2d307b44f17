"""`python -m streamdocs.kit`: the same as the `claude-stream-emulator` command."""

from .cli import main

raise SystemExit(main())
