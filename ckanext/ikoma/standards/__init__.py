"""自治体標準オープンデータセット: the column definitions (vocab/standard-datasets/) as dataclasses, and
their exports (Table Schema, CSVW, blank CSV). Pure Python, no CKAN import."""
from ckanext.ikoma.standards.definitions import (  # noqa: F401
    LAYOUTS,
    Column,
    StandardDataset,
    standard_dataset,
    standard_datasets,
)
