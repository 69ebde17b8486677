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


def full_dataset_overrides():
    """Every field of the Ikoma schemas filled, for round trips through RDF and harvesting."""
    return dict(
        title="公衆トイレ一覧", title_en="Public toilets",
        notes="生駒市の公衆トイレ", notes_en="Public toilets in Ikoma", tag_string="トイレ,公衆",
        keywords_en="toilet,public", theme=["社会保障・衛生", "運輸・観光"], creator="生駒市 環境保全課",
        contact_name="生駒市", contact_department="環境保全課", contact_phone="0743-74-1111",
        contact_email="kankyo@city.ikoma.lg.jp", contact_url="https://www.city.ikoma.lg.jp/form",
        spatial_lg_codes="292095, 292010", temporal="2024-04-01/2025-03-31", issued="2024-04-01",
        modified="2024-05-01", frequency="毎月", language=["ja", "en"], access_rights="制限付き公開",
        conforms_to="13", license_id="pdl-1.0", url="https://www.city.ikoma.lg.jp/toilets",
        version="2.1", provenance="2024年度の施設台帳から作成",
        resources=[
            {"url": "https://example.org/toilets.csv", "name": "公衆トイレ一覧（CSV）", "name_en": "Public toilets (CSV)",
             "description": "UTF-8（BOM付き）のCSV", "description_en": "CSV in UTF-8 with BOM", "format": "CSV",
             "mimetype": "text/csv", "size": "2048", "issued": "2024-04-01", "modified": "2024-05-01",
             "status": "配信中", "language": ["ja"], "license": "CC BY 4.0", "conforms_to": "13",
             "character_encoding": "utf-8-sig"},
            {"url": "https://example.org/toilets-old.csv", "name": "旧形式（Shift_JIS）", "description": "旧推奨データセット形式",
             "format": "CSV", "status": "配信停止中", "character_encoding": "shift_jis"},
        ],
    )
