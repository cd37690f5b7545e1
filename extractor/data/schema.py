"""The shape of every data file: one frozen pydantic model per file, so a typo fails at start-up, not mid-run.

Derived lookups that several stages need (every spelling of a unit, the money units built from scales and
the currency) are cached properties of these models, computed once per process.
"""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from models.findings import Severity
from models.metadata import AdminLevel
from models.sections import SectionKind


class DataModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# -- units.yaml -----------------------------------------------------------------------------------------

UnitKind = Literal["people", "place", "organisation", "thing", "measure", "duration", "occurrence", "age"]
# Kinds whose counts are amounts (quantities) unless an entry says otherwise. A measure ("254,6 ha", "35 km",
# "500 tấn/ngày") is not a count: it is an amount only as a priced factor of a cost line ("2,5 km × 420 triệu
# đồng/km"), which the amounts stage reads from the line itself.
COUNTED_KINDS = frozenset({"people", "place", "organisation", "thing"})
# Kinds a share may count: "17 hộ, chiếm 0,57%", "64/98 xã, đạt 65,31%".
SHARE_KINDS = frozenset({"people", "place", "organisation"})
# Kinds that are never the value of a target: "định kỳ 6 tháng", "02 lần/năm", "trẻ em dưới 6 tuổi".
NOT_TARGET_KINDS = frozenset({"duration", "occurrence", "age"})


class Unit(DataModel):
    unit: str
    written: list[str] = Field(default_factory=list)
    kind: UnitKind
    attached: bool = False
    counted: bool | None = None
    numbered: bool = False

    @property
    def spellings(self) -> list[str]:
        return [self.unit, *self.written]

    @property
    def is_counted(self) -> bool:
        """An amount counts it: "158 hộ" is a quantity, "Dự án 5" is not."""
        return self.counted if self.counted is not None else self.kind in COUNTED_KINDS


class UnitsFile(DataModel):
    units: list[Unit]

    @cached_property
    def by_spelling(self) -> dict[str, Unit]:
        """ "nhân khẩu" -> the unit "khẩu"; every spelling, lower case."""
        return {spelling: unit for unit in self.units for spelling in unit.spellings}

    @cached_property
    def by_unit(self) -> dict[str, Unit]:
        return {unit.unit: unit for unit in self.units}

    def of_kinds(self, kinds: frozenset[str]) -> frozenset[str]:
        """The canonical units of the given kinds."""
        return frozenset(unit.unit for unit in self.units if unit.kind in kinds)

    @cached_property
    def numbered_spellings(self) -> tuple[str, ...]:
        """Every spelling of the nouns that name things by a number after them ("cụm" of "Cụm 3"), lower case."""
        return tuple(spelling for unit in self.units if unit.numbered for spelling in unit.spellings)


# -- money.yaml -----------------------------------------------------------------------------------------


class Scale(DataModel):
    unit: str
    value: int
    written: list[str] = Field(default_factory=list)
    compound: bool = False

    @property
    def spellings(self) -> list[str]:
        return [self.unit, *self.written]


class Currency(DataModel):
    unit: str
    written: list[str]
    attached: list[str]

    @property
    def spellings(self) -> list[str]:
        return [self.unit, *self.written]


class MoneyFile(DataModel):
    scales: list[Scale]
    currency: Currency
    not_money_after: dict[str, list[str]]
    money_talk: list[str]
    round_sum_words: list[str]

    @cached_property
    def scale_values(self) -> dict[str, int]:
        """ "tỉ" -> 10^9: every spelling of every scale."""
        return {spelling: scale.value for scale in self.scales for spelling in scale.spellings}

    @cached_property
    def word_scales(self) -> dict[str, int]:
        """The scales numbers in words use: single words ("nghìn", "tỷ"); words build "nghìn tỷ" themselves."""
        return {spelling: value for spelling, value in self.scale_values.items() if " " not in spelling}

    @cached_property
    def units(self) -> dict[str, str]:
        """Money units as written -> as reported: "tỉ đồng" -> "tỷ đồng", "vnđ" -> "đồng", "triệu" -> "triệu"."""
        found: dict[str, str] = {}
        for scale in self.scales:
            for written in scale.spellings:
                for currency in self.currency.spellings:
                    found[f"{written} {currency}"] = f"{scale.unit} {self.currency.unit}"
                found[written] = scale.unit
        for currency in self.currency.spellings:
            found[currency] = self.currency.unit
        return found

    @cached_property
    def reported_units(self) -> frozenset[str]:
        """Every money unit the output may report: "đồng", "triệu", "triệu đồng" …"""
        return frozenset(self.units.values())


# -- populations.yaml -----------------------------------------------------------------------------------


class Population(DataModel):
    key: str
    label_vi: str
    label_en: str
    phrases: list[str]
    abbreviations: list[str] = Field(default_factory=list)
    household_table: bool = False


class PopulationsFile(DataModel):
    populations: list[Population]

    @cached_property
    def by_key(self) -> dict[str, Population]:
        return {population.key: population for population in self.populations}


# -- admin_units.yaml -----------------------------------------------------------------------------------


class Level(DataModel):
    level: AdminLevel
    words: list[str]
    tier: int | None
    label_vi: str
    label_en: str


class BodyName(DataModel):
    display: str
    words: list[str]


class AdminUnitsFile(DataModel):
    levels: list[Level]
    bodies: list[BodyName]

    @cached_property
    def level_by_word(self) -> dict[str, str]:
        """ "thị xã" -> "thi_xa": every level word, lower case."""
        return {word: entry.level for entry in self.levels for word in entry.words}

    @cached_property
    def by_level(self) -> dict[str, Level]:
        return {entry.level: entry for entry in self.levels}

    @cached_property
    def body_by_word(self) -> dict[str, str]:
        """ "ủy ban nhân dân" -> "UBND"."""
        return {word: body.display for body in self.bodies for word in body.words}


# -- document_types.yaml and citation_types.yaml --------------------------------------------------------


class DocumentType(DataModel):
    name: str
    codes: list[str] = Field(default_factory=list)
    by_name: bool = False
    title: bool = False


class DocumentTypesFile(DataModel):
    types: list[DocumentType]

    @cached_property
    def title_types(self) -> list[DocumentType]:
        """Types a document's own title may open with, longest name first ("THÔNG BÁO KẾT LUẬN" first)."""
        return sorted((entry for entry in self.types if entry.title), key=lambda e: len(e.name), reverse=True)


class CitationWordsFile(DataModel):
    letter_type: str
    generic_words: list[str]
    issuer_codes_implying_type: dict[str, str]
    not_cited_after: list[str]
    protected_phrases: list[str]
    issuer_stop_words: list[str]
    law_name_stop_words: list[str]
    not_law_after: list[str]
    not_law_before: list[str]


# -- cues.yaml ------------------------------------------------------------------------------------------


class Directions(DataModel):
    eliminate: list[str]
    maintain: list[str]
    at_most: list[str]
    reduce: list[str]
    remain: list[str]
    increase_to: list[str]
    increase_to_end: list[str]
    increase: list[str]
    at_least: list[str]
    reach: list[str]


class ResultCues(DataModel):
    """The cues of reported results (cues.yaml ``results``)."""

    not_reached: list[str]
    restated_before: list[str]
    pending: list[str]
    persons_after: list[str]
    plan_after: list[str]
    not_achieved: list[str]
    half_year: list[str]
    start_of_year: list[str]
    to_date: list[str]
    sub_units: list[str]
    not_places: list[str]
    standard: list[str]
    standard_period: list[str]


class CuesFile(DataModel):
    directions: Directions
    reduce_noun_after: list[str]
    negation: list[str]
    commitment: list[str]
    action_before_count: list[str]
    label_before_number: list[str]
    preamble_leads: list[str]
    form_blank_after: list[str]
    share_after_fraction: list[str]
    base_before_part: list[str]
    part_words: list[str]
    money_total: list[str]
    list_end: list[str]
    label_tail: list[str]
    place_before_count: list[str]
    indicator_heads: list[str]
    subclause: list[str]
    share: list[str]
    share_between: list[str]
    not_a_share: list[str]
    compared_with: list[str]
    baseline_from: list[str]
    baseline_to: list[str]
    per_year_after: list[str]
    whole_unit: list[str]
    whole_unit_before: list[str]
    whole_area: list[str]
    named_scope_before: list[str]
    named_scope_plural: list[str]
    named_scope_places: list[str]
    named_scope_end: list[str]
    period_end: list[str]
    period_by: list[str]
    period_year: list[str]
    period_lead: list[str]
    trailing: list[str]
    and_: list[str] = Field(alias="and")
    all_receive: list[str]
    strive: list[str]
    absence: list[str]
    achievement: list[str]
    achievement_marker: list[str]
    group_lead: list[str]
    subject_lead: list[str]
    subject_end: list[str]
    signer_positions: list[str]
    results: ResultCues


# -- indicators.yaml ------------------------------------------------------------------------------------


class IndicatorEntry(DataModel):
    means: str
    priority: int = Field(ge=1, le=4)
    phrases: list[str]
    rate_key: str | None = None
    count_key: str | None = None
    absent: list[str] = Field(default_factory=list)
    population: str | None = None
    counts: list[str] = Field(default_factory=list)


class TargetWords(DataModel):
    """Words around a number that say it is no new commitment (read by targets.py)."""

    restatement: list[str]
    done: list[str]


class PovertyStandard(DataModel):
    label: str
    named_by: list[int]
    in_force: tuple[int, int]


class IndicatorsFile(DataModel):
    indicators: dict[str, IndicatorEntry]
    reading: TargetWords
    poverty_standards: list[PovertyStandard] = Field(default_factory=list)

    def standard_named(self, last_year: int) -> PovertyStandard | None:
        """The standard a period ending in ``last_year`` names ("giai đoạn 2022 - 2025" -> 2021-2025)."""
        return next((s for s in self.poverty_standards if last_year in s.named_by), None)

    def standard_in_force(self, year: int) -> PovertyStandard | None:
        """The standard that counts the results of ``year`` (2021 -> 2016-2020)."""
        return next((s for s in self.poverty_standards if s.in_force[0] <= year <= s.in_force[1]), None)


# -- section_kinds.yaml ---------------------------------------------------------------------------------


class SectionKindsFile(RootModel[dict[SectionKind, list[str]]]):
    model_config = ConfigDict(frozen=True)


# -- table_vocabulary.yaml ------------------------------------------------------------------------------


class Measures(DataModel):
    percent: list[str]
    money: list[str]
    count: list[str]


class Stages(DataModel):
    reduction: list[str]
    new: list[str]
    start: list[str]
    end: list[str]


class TableWordsFile(DataModel):
    ordinal_headers: list[str]
    label_headers: list[str]
    total_labels: list[str]
    subtotal_label_starts: list[str]
    detail_labels: list[str]
    group_words: list[str]
    row_total_headers: list[str]
    non_additive_headers: list[str]
    empty_marks: list[str]
    measures: Measures
    money_exclusions: list[str]
    stages: Stages
    total_households: list[str]
    household_counts: list[str]


# -- rules.yaml -----------------------------------------------------------------------------------------


class Text(DataModel):
    vi: str
    en: str


class Rule(DataModel):
    severity: Severity
    title: Text
    messages: dict[str, Text]
    explanations: dict[str, Text] = Field(default_factory=dict)


class RulesFile(DataModel):
    rules: dict[str, Rule]
    # How a table identity was read, said after a finding's explanation: {holding} of {checked} rows agree.
    readings: dict[str, Text] = Field(default_factory=dict)
