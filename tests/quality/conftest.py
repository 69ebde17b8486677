import pytest


@pytest.fixture(autouse=True)
def _plugins_loaded():
    """The MQA core is pure: no CKAN to load."""
