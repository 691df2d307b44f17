"""The Reference pages agree with the installed anthropic SDK, row by row, both ways.

Each test reads one Markdown table (the rows under a heading of a page in
docs/reference/) and compares it with what the SDK says by introspection. A row
the SDK does not have, a name the SDK has that the table lacks, or a cell that
disagrees fails with the page, the table, the row and the SDK's own value.
When the SDK bump workflow (.github/workflows/sdk-bump.yml) moves the SDK, these
failures, in its pull request's report, are the to-do list.
"""
