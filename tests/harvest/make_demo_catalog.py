"""Writes the demo's fictional neighbour catalog (ckanext/ikoma/demo/neighbour/):
    python tests/harvest/make_demo_catalog.py ckanext/ikoma/demo/neighbour"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from catalog_factory import dataset, write_catalog  # noqa: E402
TITLES = ["AED設置箇所一覧", "指定緊急避難場所一覧", "公衆トイレ一覧", "文化財一覧", "観光施設一覧", "子育て施設一覧",
          "医療機関一覧", "公共施設一覧", "イベント一覧", "介護サービス事業所一覧", "地域・年齢別人口", "公衆無線LANアクセスポイント一覧"]
EN = ["AED locations", "Designated emergency evacuation sites", "Public toilets", "Cultural properties", "Tourist facilities",
      "Childcare facilities", "Medical institutions", "Public facilities", "Events", "Care service providers",
      "Population by area and age", "Public Wi-Fi access points"]
FREQ = ["年1回", "随時", "年度更新", "不定期", "年1回", "年度更新", "月次", "年1回", "随時", "年度更新", "毎月", "不定期"]


def main(directory):
    ds = []
    for i, (t, e, f) in enumerate(zip(TITLES, EN, FREQ), 1):
        ds.append(dataset(i, title=f"平群町{t}", title_en=f"Heguri Town: {e}", notes=f"平群町の{t}です。", frequency=f,
                          issued=f"令和{5 + i % 2}年{(i % 12) + 1}月1日",
                          keywords=[t.replace("一覧", "")], uri=f"https://www.town.heguri.nara.jp/opendata/dataset/{i:03d}",
                          identifier=f"heguri-{i:03d}",
                          distributions=[(f"https://www.town.heguri.nara.jp/opendata/files/{i:03d}.csv", "CSV", f"{t}（CSV）")]))
    print(write_catalog(directory, ds, per_page=5, header="# ckanext-ikoma demo: a fictional neighbour catalog (平群町, 293423) in 3 pages, made by\n# tests/harvest/catalog_factory.py. Not real data.\n"))


if __name__ == "__main__":
    main(sys.argv[1])
