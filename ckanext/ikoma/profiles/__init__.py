from ckanext.ikoma.profiles.ikoma_dcat import IkomaDCATProfile  # noqa: F401
