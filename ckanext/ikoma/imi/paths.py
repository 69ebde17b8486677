"""Column paths in IMI 構造化項目名記法 (施設>関連施設{役割='設置施設'}>施設>名称>表記[英語]).

A path starts at a class (施設 = 施設型) and walks properties; `{@型}` narrows the value to a
subclass, `{種別='…'}` fixes a literal property of the node reached (so two columns on the same
kind of node stay apart), `[英語]` gives the language of the final literal. `resolve` checks every
step against the vocabulary and returns the walk, which the converter follows.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Optional

from ckanext.ikoma.imi.vocabulary import Vocabulary, imi_vocabulary

LANGUAGES = {"英語": "en", "日本語": "ja"}
STEP = re.compile(r"^(?P<name>[^{}\[\]>]+)(?P<conds>(\{[^{}]*\})*)(\[(?P<lang>[^\]]+)\])?$")
CONDITION = re.compile(r"^@(?P<type>.+)$|^(?P<prop>[^=]+)='(?P<value>[^']*)'$")


class ImiPathError(ValueError):
    """A path that the vocabulary does not allow; the message names the step."""


@dataclass(frozen=True)
class Step:
    prop: str
    node_class: Optional[str]  # the class of the value; None for the final literal
    selectors: tuple[tuple[str, str], ...] = ()  # literal properties fixed on that node
    lang: Optional[str] = None


@dataclass(frozen=True)
class ImiPath:
    text: str
    root: str  # the class the path starts from (施設型)
    steps: tuple[Step, ...]
    datatype: str  # xsd type of the final literal

    @property
    def leaf(self) -> Step:
        return self.steps[-1]

    @property
    def parent_class(self) -> str:
        """The class of the node holding the final literal."""
        return self.steps[-2].node_class if len(self.steps) > 1 else self.root


def _class_name(vocab: Vocabulary, text: str) -> Optional[str]:
    for name in (text, text + "型"):
        if name in vocab.classes:
            return name
    return None


@functools.lru_cache(maxsize=4096)
def resolve(text: str, vocab: Optional[Vocabulary] = None) -> ImiPath:
    vocab = vocab or imi_vocabulary()
    parts = [p.strip() for p in text.split(">")]
    if len(parts) < 2:
        raise ImiPathError(f"{text!r}: a path needs a class and at least one property")
    root = _class_name(vocab, parts[0])
    if not root:
        raise ImiPathError(f"{text!r}: {parts[0]!r} is not an IMI class")
    cls, steps = root, []
    for index, part in enumerate(parts[1:], start=1):
        match = STEP.match(part)
        if not match:
            raise ImiPathError(f"{text!r}: step {part!r} is malformed")
        prop, last = match.group("name"), index == len(parts) - 1
        if prop not in vocab.properties or not vocab.property_of(cls, prop):
            raise ImiPathError(f"{text!r}: {prop!r} is not a property of {cls} or its superclasses")
        if vocab.properties[prop].deprecated:
            raise ImiPathError(f"{text!r}: {prop!r} is deprecated")
        node, selectors = _conditions(vocab, text, prop, match.group("conds") or "")
        if last:
            if not vocab.is_literal(prop):
                raise ImiPathError(f"{text!r}: the last step {prop!r} is not literal-valued")
            if node is not None or selectors:
                raise ImiPathError(f"{text!r}: a literal step takes no {{…}} condition")
            steps.append(Step(prop, None, (), _language(text, match.group("lang"))))
            return ImiPath(text, root, tuple(steps), vocab.datatype(prop))
        if vocab.is_literal(prop):
            raise ImiPathError(f"{text!r}: {prop!r} is literal-valued, the path cannot go on")
        if match.group("lang"):
            raise ImiPathError(f"{text!r}: a language belongs on the last step only")
        node = node or vocab.properties[prop].range
        for sel, _ in selectors:
            if not vocab.property_of(node, sel) or not vocab.is_literal(sel):
                raise ImiPathError(f"{text!r}: {sel!r} is not a literal property of {node}")
        steps.append(Step(prop, node, selectors))
        cls = node
    raise AssertionError("unreachable")


def _conditions(vocab: Vocabulary, text: str, prop: str, conds: str):
    node, selectors = None, []
    for cond in re.findall(r"\{([^{}]*)\}", conds):
        match = CONDITION.match(cond.strip())
        if not match:
            raise ImiPathError(f"{text!r}: condition {{{cond}}} is malformed")
        if match.group("type"):
            node = _class_name(vocab, match.group("type"))
            if not node or not vocab.is_subclass(node, vocab.properties[prop].range):
                raise ImiPathError(f"{text!r}: {match.group('type')!r} is not a subclass of the range "
                                   f"{vocab.properties[prop].range} of {prop!r}")
        else:
            selectors.append((match.group("prop").strip(), match.group("value")))
    return node, tuple(selectors)


def _language(text: str, lang: Optional[str]) -> Optional[str]:
    if lang is None:
        return None
    if lang not in LANGUAGES:
        raise ImiPathError(f"{text!r}: unknown language [{lang}]")
    return LANGUAGES[lang]
