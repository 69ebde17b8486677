"""`ckan ikoma validate`, `validate-resource` and `validate-all`."""
import io
import json
import os

from werkzeug.datastructures import FileStorage

from ckan.cli.cli import ckan as ckan_command
from ckan.tests.helpers import call_action

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def test_validate_file_prints_the_report_and_exits_1_on_errors(cli):
    result = cli.invoke(ckan_command, ["ikoma", "validate", os.path.join(DATA, "toilets_current_bom_errors.csv"),
                                       "--standard", "13"])
    assert result.exit_code == 1
    assert "不適合 / not valid" in result.output
    assert "3行目 「全国地方公共団体コード」 値「292096」" in result.output


def test_validate_file_as_json_and_exit_0_when_clean(cli):
    result = cli.invoke(ckan_command, ["ikoma", "validate", os.path.join(DATA, "shelters_clean.csv"),
                                       "-s", "3", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = result.output[result.output.index("{\n"):]  # CKAN's log lines may come first
    assert json.loads(document)["valid"] is True


def test_validate_without_a_standard_reads_it_from_the_header(cli):
    result = cli.invoke(ckan_command, ["ikoma", "validate", os.path.join(DATA, "preschool_dash_header.csv")])
    assert result.exit_code == 0, result.output
    assert "見出しから 05 子育て施設一覧（旧様式（推奨データセット））と判定しました" in result.output
    assert "適合 / valid" in result.output


def test_validate_a_file_of_no_standard_exits_2_and_says_why(cli):
    result = cli.invoke(ckan_command, ["ikoma", "validate", os.path.join(DATA, "wide_header.csv")])
    assert result.exit_code == 2 and "the header matches no standard dataset" in result.output


def test_validate_fix_writes_the_corrected_copy(cli, tmp_path):
    out = tmp_path / "fixed.csv"
    result = cli.invoke(ckan_command, ["ikoma", "validate", os.path.join(DATA, "toilets_fixable.csv"), "-s", "13",
                                       "--fix", str(out)])
    assert result.exit_code == 1  # 25:00 and あり are errors the copy does not guess at
    assert f"修正版を {out} に書きました（修正7件）" in result.output
    assert out.read_bytes().startswith("\ufeff全国地方公共団体コード,ID".encode())


def test_validate_with_an_unknown_standard_is_a_usage_error(cli):
    result = cli.invoke(ckan_command, ["ikoma", "validate", os.path.join(DATA, "shelters_clean.csv"), "-s", "99"])
    assert result.exit_code == 2 and "unknown standard dataset" in result.output


def test_validate_resource_and_validate_all(cli, create_dataset, sysadmin, clean_queues):
    dataset = create_dataset(name="uploaded-shelters", conforms_to="03", resources=[])
    with open(os.path.join(DATA, "shelters_clean.csv"), "rb") as f:
        resource = call_action("resource_create", context={"user": sysadmin["name"]}, package_id=dataset["id"], name="避難場所", description="CSV",
                               format="CSV", url="shelters.csv",
                               upload=FileStorage(io.BytesIO(f.read()), "shelters.csv", content_type="text/csv"))
    result = cli.invoke(ckan_command, ["ikoma", "validate-resource", resource["id"]])
    assert result.exit_code == 0, result.output
    assert f"{resource['id']}: success (errors 0, warnings 0)" in result.output
    assert call_action("ikoma_validation_show", resource_id=resource["id"])["status"] == "success"

    result = cli.invoke(ckan_command, ["ikoma", "validate-all"])
    assert result.exit_code == 0, result.output
    assert "success: 1" in result.output


def test_validate_resource_unknown_id(cli, clean_db):
    result = cli.invoke(ckan_command, ["ikoma", "validate-resource", "no-such-resource"])
    assert result.exit_code == 2


def test_to_imi_writes_json_ld_and_counts_the_skipped_rows(cli, tmp_path):
    out = tmp_path / "toilets.jsonld"
    result = cli.invoke(ckan_command, ["ikoma", "to-imi", os.path.join(DATA, "toilets_fixable.csv"),
                                       "--standard", "13", "-o", str(out)])
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["@context"] == "https://imi.go.jp/ns/core/context.jsonld"
    assert document["@graph"][0]["@type"] == "施設型"
    assert f"{len(document['@graph'])} rows converted, 2 rows with errors skipped" in result.output


def test_to_imi_reads_the_standard_from_the_header_and_writes_n_triples(cli):
    result = cli.invoke(ckan_command, ["ikoma", "to-imi", os.path.join(DATA, "preschool_dash_header.csv"),
                                       "--format", "nt"])
    assert result.exit_code == 0, result.output
    assert "見出しから 05 子育て施設一覧" in result.output
    assert "<http://imi.go.jp/ns/core/rdf#施設型> ." in result.output


def test_to_imi_of_a_file_of_no_standard_exits_2(cli):
    result = cli.invoke(ckan_command, ["ikoma", "to-imi", os.path.join(DATA, "wide_header.csv")])
    assert result.exit_code == 2 and "the header matches no standard dataset" in result.output


def test_to_imi_exits_1_when_an_error_concerns_the_whole_file(cli, tmp_path):
    """Without the required 名称 column no row is a 公衆トイレ: the report says why."""
    source = tmp_path / "no_name.csv"
    source.write_text("ID,所在地_連結表記,設置位置\nT1,奈良県生駒市東新町8-38,1階\n", encoding="utf-8")
    result = cli.invoke(ckan_command, ["ikoma", "to-imi", str(source), "--standard", "13", "-o",
                                       str(tmp_path / "out.jsonld")])
    assert result.exit_code == 1 and "名称" in result.output
