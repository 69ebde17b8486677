"""The people an attack comes from, as real CKAN users with API tokens: an anonymous visitor, a
member of another organization, an editor of the owning organization and a sysadmin. The harvest
fixtures (real catalog servers and consumers) are those of tests/harvest."""
from __future__ import annotations

import pytest

from ckan.tests import factories
from ckan.tests.helpers import call_action

from harvest.conftest import catalog_server, consumers, harvest, make_source  # noqa: F401 (fixtures)


@pytest.fixture
def owner_org(ikoma_org, sysadmin):
    return call_action("organization_patch", context={"user": sysadmin["name"]}, id=ikoma_org["id"], lg_code="292095")


@pytest.fixture
def people(owner_org, sysadmin):
    """{role: user dict with a token, or None for anonymous}."""
    editor = factories.UserWithToken(name="ikoma-editor")
    outsider = factories.UserWithToken(name="nara-member")
    other_org = factories.Organization(name="nara-city", title="奈良市")
    for org, user, capacity in ((owner_org, editor, "editor"), (other_org, outsider, "member")):
        call_action("organization_member_create", context={"user": sysadmin["name"]},
                    id=org["id"], username=user["name"], role=capacity)
    return {"anonymous": None, "outsider": outsider, "editor": editor, "sysadmin": sysadmin}
