"""The harvester's pure parts (configuration, mapping) need neither CKAN nor the stack."""
import pytest


@pytest.fixture(autouse=True)
def _plugins_loaded():
    """Overrides the CKAN-loading fixture of tests/conftest.py: nothing to load here."""
