"""Every rule the checks apply: a stable id, a severity and what it means. Ids never change meaning."""

from dataclasses import dataclass

from models.findings import Severity


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title_vi: str
    title_en: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "percent.table",
            "error",
            "Tỷ lệ % không khớp số đếm / tổng số",
            "Percent does not match count / base",
        ),
        Rule(
            "percent.text", "error", "Tỷ lệ % trong văn bản không khớp", "Percent in the text does not match"
        ),
        Rule(
            "sum.column", "error", "Tổng các dòng không bằng dòng tổng", "Rows do not add up to the total row"
        ),
        Rule(
            "sum.breakdown",
            "error",
            "Các phần không cộng đúng tổng",
            "Listed parts do not add up to the total",
        ),
        Rule(
            "sum.breakdown_count",
            "warning",
            "Số mục liệt kê khác số đã nêu",
            "Number of listed items differs",
        ),
        Rule(
            "sum.text_parts",
            "warning",
            "Các nhóm không cộng đúng tổng",
            "Groups stated in the text miss the total",
        ),
        Rule("flow.count", "error", "Cuối kỳ ≠ đầu kỳ − giảm + phát sinh", "End ≠ start − reduction + new"),
        Rule("flow.rate", "error", "Tỷ lệ cuối kỳ ≠ đầu kỳ − mức giảm", "End rate ≠ start rate − reduction"),
        Rule("money.product", "error", "Số lượng × định mức ≠ thành tiền", "Quantity × rate ≠ amount"),
        Rule("money.total", "error", "Các khoản không cộng đúng tổng", "Parts do not add up to the total"),
        Rule("money.words", "error", "Số tiền bằng chữ khác bằng số", "Amount in words differs from digits"),
        Rule(
            "narrative.table",
            "error",
            "Số liệu văn bản khác dòng tổng của bảng",
            "Text disagrees with table total",
        ),
        Rule(
            "citation.dates",
            "warning",
            "Một văn bản được trích với hai ngày khác nhau",
            "One document cited with two dates",
        ),
        Rule(
            "citation.future",
            "error",
            "Văn bản trích dẫn có ngày sau ngày ban hành",
            "Cited document dated after the plan",
        ),
        Rule(
            "citation.symbol_year",
            "warning",
            "Năm trong số hiệu khác năm ban hành",
            "Year in symbol differs from date",
        ),
        Rule(
            "citation.bounds_date",
            "info",
            "Ngày ban hành chỉ biết từ văn bản trích dẫn",
            "Plan date bounded by citations",
        ),
        Rule(
            "target.above_baseline",
            "error",
            "Chỉ tiêu giảm cao hơn mức xuất phát",
            "Reduction target above its baseline",
        ),
        Rule(
            "target.units_sum",
            "warning",
            "Chỉ tiêu các đơn vị không khớp toàn đơn vị",
            "Unit targets miss the whole",
        ),
        Rule("form.number", "warning", "Văn bản chưa có số", "Document has no number"),
        Rule("form.date", "warning", "Ngày ban hành chưa đầy đủ", "Document date incomplete"),
        Rule(
            "form.issuer",
            "info",
            "Thiếu tên cơ quan ban hành ở phần đầu",
            "Issuing body missing from the header",
        ),
        Rule("form.signer", "warning", "Thiếu người ký", "No signer"),
        Rule("form.recipients", "info", "Thiếu nơi nhận", "No recipients list"),
        Rule(
            "scope.level",
            "warning",
            "Cấp hành chính trong văn bản khác cấp ban hành",
            "Text names another level",
        ),
        Rule(
            "scope.attachments",
            "warning",
            "Phụ lục được nhắc đến nhưng không có",
            "Promised attachments missing",
        ),
    )
}
