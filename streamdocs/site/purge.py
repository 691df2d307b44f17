"""Keep only the CSS rules that can apply to the built pages.

The theme's stylesheets carry rules for every feature, language direction,
colour and admonition type the theme offers; this site uses a few of each. A
selector is kept when every class, id, element and attribute (with its value,
for `[name=value]`) it names occurs somewhere in what the site ships: the built
HTML, or the JavaScript that runs on it (an element or class a script creates
is named in it). That is PurgeCSS's rule. It keeps a rule for a state pages
reach only at run time (`:hover`, `[open]`, a class a script adds) as long as
its names occur; `:not(...)` and other narrowing pseudo-classes never cost a
rule, and `:is(...)` needs one of its selectors to be possible.

Then custom properties nothing reads (`var(--name)`) and keyframes no kept rule
animates go too. tinycss2 parses; kept rules are written back as they were, and
rcssmin minifies the whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import rcssmin
import tinycss2
from tinycss2.ast import (
    AtRule,
    Declaration,
    FunctionBlock,
    HashToken,
    IdentToken,
    LiteralToken,
    QualifiedRule,
    SquareBracketsBlock,
    StringToken,
    WhitespaceToken,
)

TAG = re.compile(r"<([a-zA-Z][\w-]*)([^>]*)>")
ATTRIBUTE = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
WORD = re.compile(r"[A-Za-z_][\w-]*|--[\w-]+")
VAR = re.compile(r"var\(\s*(--[\w-]+)")
DEFINED = re.compile(r"(?<![\w-])(--[\w-]+)\s*:")
ANIMATION = re.compile(r"animation(?:-name)?\s*:([^;}]*)")
# Pseudo-classes whose argument is a selector list, one of which must be possible.
SELECTOR_LISTS = {"is", "where", "matches", "-webkit-any", "-moz-any", "has"}
GROUPS = ("media", "supports", "layer", "container", "document", "-moz-document")


def names_in(html: Iterable[str] = (), scripts: Iterable[str] = ()) -> set[str]:
    """Every element, attribute, attribute value, class and id the pages name, and every
    word of the scripts (a script names what it creates in its string literals)."""
    names: set[str] = set()
    for text in html:
        for tag, attributes in TAG.findall(text):
            names.add(tag.lower())
            for name, *quoted in ATTRIBUTE.findall(attributes):
                value = next((v for v in quoted if v), "")
                names.add(name.lower())
                if value:
                    names.add(value)
                    if name == "class":
                        names.update(value.split())
                    elif name == "style":
                        names.update(VAR.findall(value))
    for text in scripts:
        names.update(WORD.findall(text))
    return names


def _split(tokens: list) -> list[list]:
    """A selector list's selectors, split at top-level commas."""
    selectors: list[list] = [[]]
    for token in tokens:
        if isinstance(token, LiteralToken) and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _attribute_possible(block: SquareBracketsBlock, names: set[str]) -> bool:
    parts = [t for t in block.content if not isinstance(t, WhitespaceToken)]
    if not parts or not isinstance(parts[0], IdentToken):
        return True
    if parts[0].lower_value not in names:
        return False
    # [name=value] needs that value; ~= ^= *= $= |= match within one, so any value does.
    if len(parts) >= 3 and isinstance(parts[1], LiteralToken) and parts[1].value == "=":
        if isinstance(parts[2], IdentToken | StringToken):
            return parts[2].value in names
    return True


def _possible(selector: list, names: set[str]) -> bool:
    """Could this selector match an element of the pages, judged by the names it needs?"""
    previous = None
    for token in selector:
        after = previous.value if isinstance(previous, LiteralToken) else None
        if isinstance(token, IdentToken):
            if after == ".":
                if token.value not in names:
                    return False
            elif after != ":" and token.lower_value not in names:  # an element's name
                return False
        elif isinstance(token, HashToken):
            if token.value not in names:
                return False
        elif isinstance(token, SquareBracketsBlock):
            if not _attribute_possible(token, names):
                return False
        elif isinstance(token, FunctionBlock) and after == ":":
            if token.lower_name in SELECTOR_LISTS and not any(
                _possible(s, names) for s in _split(token.arguments)
            ):
                return False
        previous = token
    return True


def _declarations(content: list) -> list[tuple[str, str]]:
    """(name, "name:value") for each declaration of a block."""
    found = []
    for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if isinstance(item, Declaration):
            value = tinycss2.serialize(item.value).strip()
            important = "!important" if item.important else ""
            found.append((item.name, f"{item.name}:{value}{important}"))
        elif isinstance(item, QualifiedRule | AtRule):  # nested rules: kept as written
            found.append(("", tinycss2.serialize([item])))
    return found


def _parse(content) -> list:
    return tinycss2.parse_stylesheet(content, skip_comments=True, skip_whitespace=True)


def _kept(rules: list, names: set[str]) -> list:
    """The rules with a possible selector, as a tree of strings and declaration lists:
    ("rule", selectors, declarations) | ("group", prelude, children) | ("raw", text)."""
    tree = []
    for rule in rules:
        if isinstance(rule, QualifiedRule):
            kept = [s for s in _split(rule.prelude) if _possible(s, names)]
            if kept:
                selectors = ",".join(tinycss2.serialize(s).strip() for s in kept)
                tree.append(("rule", selectors, _declarations(rule.content)))
        elif isinstance(rule, AtRule) and rule.content is not None:
            prelude = f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}"
            if rule.lower_at_keyword in GROUPS:
                children = _kept(_parse(rule.content), names)
                if children:
                    tree.append(("group", prelude, children))
            elif rule.lower_at_keyword.endswith("keyframes"):
                tree.append(("keyframes", tinycss2.serialize(rule.prelude).strip(), rule))
            else:  # @font-face, @page, @property...
                tree.append(("rule", prelude, _declarations(rule.content)))
        else:
            tree.append(("raw", tinycss2.serialize([rule]), None))
    return tree


def _write(tree: list, unused: set[str], animated: str | None) -> str:
    out = []
    for kind, head, body in tree:
        if kind == "rule":
            declarations = [text for name, text in body if name not in unused]
            if declarations:
                out.append(f"{head}{{{';'.join(declarations)}}}")
        elif kind == "group":
            inner = _write(body, unused, animated)
            if inner:
                out.append(f"{head}{{{inner}}}")
        elif kind == "keyframes":
            if animated is None or re.search(rf"(?<![\w-]){re.escape(head)}(?![\w-])", animated):
                out.append(tinycss2.serialize([body]))
        else:
            out.append(head)
    return "".join(out)


def purge(css: str, names: set[str]) -> str:
    """`css` without the rules `names` show can match nothing, minified."""
    tree = _kept(_parse(css), names)
    read_by_pages = {name for name in names if name.startswith("--")}
    unused: set[str] = set()
    while True:  # a property read only by unused ones is unused too
        kept = _write(tree, unused, "")
        newly = set(DEFINED.findall(kept)) - set(VAR.findall(kept)) - read_by_pages - unused
        if not newly:
            break
        unused |= newly
    animated = " ".join(ANIMATION.findall(_write(tree, unused, "")))
    return rcssmin.cssmin(_write(tree, unused, animated))
