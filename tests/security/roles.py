"""The four roles every attack is tried as, and how a request says who makes it."""
from __future__ import annotations

ROLES = ("anonymous", "outsider", "editor", "sysadmin")


def headers_of(user) -> dict[str, str]:
    return {"Authorization": user["token"]} if user else {}
