"""The emulator kit: the project's emulator of the Messages API for readers' own code.

- `plugin`: the pytest plugin (entry point `pytest11`): a test using the `claude_answer`
  fixture runs once per answer shape its code's request could get, and once per shape
  for the breaks of its answer, each judged by `verdicts`;
- `cli`: the command `claude-stream-emulator` (`python -m streamdocs.kit`): serve one shape
  or break on loopback, list them, or run any command once per answer;
- `answers`: what both run (the natural answer first, then each shape that fits, then each
  break of its answer); `catalogue`: the shapes and rules in words.

`make wheel` packs this package with the emulator (kit/pyproject.toml).
"""
