"""Browser checks of the built site: tests (pytest), `make audit`, `make screenshots`."""
