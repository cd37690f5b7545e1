"""Checks over seed 001's village table, values typed in from the document (generated tables: test_checks_generated)."""

from extractor.checks import run_checks
from extractor.checks.drafts import Tally
from extractor.checks.flows import check_table_flows
from extractor.checks.formulas import check_table_formulas
from extractor.checks.sums import check_table_sums
from models.tables import Column
from tests.factories import document_with, make_table

# Seed 001, "Chỉ tiêu cụ thể cho các thôn": households, then poor start/reduction/end and near-poor
# start/reduction/end, each as TS and %.
GROUPS = [
    "poor_start",
    "poor_reduction",
    "poor_end",
    "near_poor_start",
    "near_poor_reduction",
    "near_poor_end",
]
COLUMNS = [Column(index=0, path=["TT"], role="ordinal"), Column(index=1, path=["Đơn vị"], role="label")]
COLUMNS.append(Column(index=2, path=["Tổng số hộ gia đình"], role="total_households"))
for number, role in enumerate(GROUPS):
    count_index = 3 + 2 * number
    COLUMNS.append(Column(index=count_index, path=[role, "TS"], role=role))
    COLUMNS.append(
        Column(
            index=count_index + 1, path=[role, "%"], role="percent", count_column=count_index, base_column=2
        )
    )

SEED_001_ROWS = [
    ("unit", "Cây Tắt", "183 4 2,19 0 0 3 1,09 5 2,73 0 0 5 2,73"),
    ("unit", "Tân Thủy", "129 5 3,88 1 0,77 4 1,49 7 5,43 0 0 7 5,43"),
    ("unit", "Hồ Sen", "158 3 1,90 0 0 3 1,21 9 5,70 2 1,06 7 4,43"),
    ("unit", "Cây Thị", "143 2 1,40 0 0 2 1,48 2 2,10 1 0,69 1 0,69"),
    ("unit", "Nam Nhe", "121 2 1,56 0 0 2 1,65 2 1,65 0 0 2 1,65"),
    ("unit", "Cây Chanh", "161 3 1,86 0 0 3 1,19 7 4,35 0 0 7 4,35"),
    ("unit", "Hoàng Nam", "218 6 2,75 1 0,45 5 22,22 6 2,75 0 0 6 2,75"),
    ("unit", "Bồng Phài", "135 1 0,74 0 0 1 0,74 9 6,67 1 0,74 8 5,92"),
    ("unit", "Kim Thành", "384 11 2,86 1 0,26 10 0,77 10 2,60 0 0 10 2,60"),
    ("unit", "Hà Chua", "393 4 1,02 0 0 4 0,48 4 1,02 0 0 4 1,02"),
    ("unit", "Khí Tượng", "183 3 1,64 0 0 3 1,64 1 0,55 0 0 1 0,55"),
    ("unit", "Trung Lưu", "103 4 3,88 0 0 4 3,88 1 0,97 0 0 1 0,97"),
    ("unit", "Phố Tây", "160 3 1,88 0 0 3 1,34 10 6,25 0 0 10 6,25"),
    ("total", "Tổng cộng", "2471 51 2,06 3 0,12 48 1,94% 74 2,99 4 0,16 70 2,83"),
]
# Villages whose end-of-year poor-household percent is not count / households (issue 6, read off the table).
WRONG_END_OF_YEAR_PERCENT = (
    "Cây Tắt",
    "Tân Thủy",
    "Hồ Sen",
    "Cây Thị",
    "Cây Chanh",
    "Hoàng Nam",
    "Kim Thành",
    "Hà Chua",
    "Phố Tây",
)
TABLE = make_table(COLUMNS, [(kind, label, values.split()) for kind, label, values in SEED_001_ROWS])
COLUMN = {role: 3 + 2 * number for number, role in enumerate(GROUPS)}


def flagged(drafts, rule: str) -> set[tuple[str, int]]:
    labels = {row.id: row.label for row in TABLE.rows}
    return {(labels[draft.location.row_id], draft.location.column) for draft in drafts if draft.rule == rule}


def test_seed_001_wrong_percents_are_flagged_and_truncations_are_not() -> None:
    found = flagged(check_table_formulas(TABLE, Tally()), "percent.table")
    end = COLUMN["poor_end"] + 1
    for village in WRONG_END_OF_YEAR_PERCENT:
        assert (village, end) in found
    assert ("Nam Nhe", COLUMN["poor_start"] + 1) in found  # 1,56 vs 2/121 = 1,65
    assert ("Cây Thị", COLUMN["near_poor_start"] + 1) in found  # 2,10 vs 2/143 = 1,40
    assert ("Hồ Sen", COLUMN["near_poor_reduction"] + 1) in found  # 1,06 vs 2/158 = 1,27
    assert ("Tân Thủy", COLUMN["poor_reduction"] + 1) not in found  # 1/129 = 0,775 truncated to 0,77
    assert ("Bồng Phài", COLUMN["near_poor_end"] + 1) not in found  # 8/135 = 5,926 truncated to 5,92


def test_seed_001_cay_tat_percent_explained_by_a_count_of_2() -> None:
    drafts = check_table_formulas(TABLE, Tally())
    cay_tat = next(
        d for d in drafts if d.location.row_id == "r1" and d.location.column == COLUMN["poor_end"] + 1
    )
    assert cay_tat.expected == "1,64" and cay_tat.evidence == "3 / 183 × 100 = 1,64"
    assert cay_tat.explanation is not None and "count of 2" in cay_tat.explanation


def test_seed_001_flows_and_sums() -> None:
    flows = flagged(check_table_formulas(TABLE, Tally()), "flow.count")
    assert ("Cây Tắt", COLUMN["poor_end"]) in flows  # 4 - 0 != 3
    rates = flagged(check_table_flows(TABLE, Tally()), "flow.rate")
    assert ("Bồng Phài", COLUMN["near_poor_end"] + 1) not in rates  # 6,67 - 0,74 = 5,93 ~ 5,92
    sums = {
        draft.location.column: (draft.stated, draft.expected) for draft in check_table_sums(TABLE, Tally())
    }
    assert sums == {
        COLUMN["poor_end"]: ("48", "47"),
        COLUMN["near_poor_start"]: ("74", "73"),
        COLUMN["near_poor_end"]: ("70", "69"),
    }


def test_findings_sharing_a_cell_name_one_probable_cause() -> None:
    findings, coverage = run_checks(document_with(TABLE))
    flow = next(f for f in findings if f.rule == "flow.count" and f.location.row_id == "r1")
    assert flow.related
    assert (
        flow.probable_cause is not None and "Cây Tắt" in flow.probable_cause and "= 3" in flow.probable_cause
    )
    assert coverage.verified > 100
