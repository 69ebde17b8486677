import pytest

@pytest.fixture(autouse=True)
def _plugins_loaded():
    """Pure tests: nothing of CKAN to load (overrides tests/conftest.py)."""
