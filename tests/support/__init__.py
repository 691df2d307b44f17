"""The machinery behind the tested samples: cassette format, sample cases, the runner."""
