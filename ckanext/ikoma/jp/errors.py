"""Validation errors as values: a stable code, its parameters, and messages in ja and en."""
from __future__ import annotations

import functools
import os
from typing import Any

from ckanext.ikoma.yamlfile import read_yaml

_MESSAGES_FILE = os.path.join(os.path.dirname(__file__), "messages.yaml")


@functools.lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    return read_yaml(_MESSAGES_FILE)


def message(code: str, lang: str = "ja", **params: Any) -> str:
    return catalogue()[code][lang].format(**params)


class JpValueError(ValueError):
    """A value that is not acceptable. `code` is a key of messages.yaml."""

    def __init__(self, code: str, **params: Any):
        if code not in catalogue():
            raise KeyError(f"unknown message code {code!r}")
        self.code = code
        self.params = params
        super().__init__(self.en)

    @property
    def ja(self) -> str:
        return message(self.code, "ja", **self.params)

    @property
    def en(self) -> str:
        return message(self.code, "en", **self.params)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "ja": self.ja, "en": self.en, "params": self.params}
