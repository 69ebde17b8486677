"""Property: a fix is final. Whatever a cell holds, the value a warning proposes is accepted as it
is by the same column's check (the corrected copy has nothing left to fix), and an error never
comes with a fix."""
from hypothesis import given, settings, strategies as st

from ckanext.ikoma.csv_check.cells import build_cell_check
from ckanext.ikoma.standards import standard_dataset

COLUMNS = [c for number in ("03", "05", "08", "13", "15") for c in standard_dataset(number).columns]
CHECKS = [(c.name, build_cell_check(c)) for c in COLUMNS]
CHECKS = [(name, check) for name, check in CHECKS if check is not None]
# the characters municipal files are made of, look-alikes included
ALPHABET = ("0123456789０１２３４５６７８９-－―‐ー:：/.～~、・ 　○〇×有無階数"
            "月火水木金土日曜アイコマｱｲｺﾏﾞいこまなしR令和年元AaＡ〒@=+")


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(CHECKS), st.text(alphabet=ALPHABET, min_size=1, max_size=12))
def test_a_fix_is_final(named_check, value):
    name, check = named_check
    for severity, code, params in check(value) or ():
        if "normalized" not in params:
            continue
        assert severity == "warning", (name, value, code)
        fixed = params["normalized"]
        if fixed == "":
            continue  # blank: an empty cell is not checked
        again = check(fixed) or []
        assert not [p for _, _, p in again if "normalized" in p], (name, value, fixed, again)
