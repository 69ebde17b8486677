"""rdflib's Turtle serializer, remembering which URIs have no prefixed name.

rdflib caches the prefixed names it finds but not its misses: every time a URI with no bound
namespace (a dataset, a distribution, a download URL) is met again, as the subject of each of its
triples, it runs the namespace search again and fails with an exception. On a catalog page that
is most of the serializer's time. Remembering the answer per URI gives byte-identical output.
"""
from __future__ import annotations

from typing import Optional

from rdflib import plugin
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.serializer import Serializer

FORMAT = "ikoma-turtle"


class RememberingTurtleSerializer(TurtleSerializer):

    def get_pname(self, uri, gen_prefix: bool = True) -> Optional[str]:
        memo = self.__dict__.setdefault("_pnames", {})
        key = (uri, gen_prefix)
        if key in memo:
            return memo[key]
        if gen_prefix:  # may bind a new prefix (ns1, ...), which can turn earlier misses into names
            before = sum(1 for _ in self.store.namespaces())
            memo[key] = super().get_pname(uri, gen_prefix)
            if sum(1 for _ in self.store.namespaces()) != before:
                for old in [k for k, v in memo.items() if v is None]:
                    del memo[old]
        else:
            memo[key] = super().get_pname(uri, gen_prefix)
        return memo[key]


plugin.register(FORMAT, Serializer, __name__, "RememberingTurtleSerializer")
