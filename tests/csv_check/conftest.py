import os

import pytest

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")


@pytest.fixture(autouse=True)
def _plugins_loaded():
    """Pure tests: nothing of CKAN to load (overrides tests/conftest.py)."""


@pytest.fixture
def data_file():
    return lambda name: os.path.join(DATA, name)
