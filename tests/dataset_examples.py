"""Example records for the CKAN-facing tests."""


def valid_dataset_dict(org_id, **overrides):
    """A dataset a curator would enter: every ◎ item and the contact, in Japanese."""
    data = {
        "name": "ikoma-aed",
        "title": "AED設置箇所一覧",
        "title_en": "AED locations",
        "notes": "生駒市内のAED設置箇所",
        "owner_org": org_id,
        "contact_name": "生駒市",
        "contact_department": "消防本部",
        "contact_phone": "0743-74-1111",
        "contact_email": "opendata@city.ikoma.lg.jp",
        "theme": ["社会保障・衛生"],
        "frequency": "年度更新",
        "temporal": "令和6年4月1日～令和7年3月31日",
        "issued": "R6.4.1",
        "modified": "２０２４－０５－０１",
        "conforms_to": "08",
        "resources": [{
            "url": "https://example.org/aed.csv", "name": "AED設置箇所一覧（CSV）",
            "description": "UTF-8のCSV", "format": "CSV", "character_encoding": "UTF-8（BOM付き）",
        }],
    }
    data.update(overrides)
    return data
