"""The pure NPS modules (kb/nps/), checked against the NPS spec (see README) without a database."""

import csv
import io
import math
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb import nps as m
from tests.nps_reference import REFERENCE_INTERVAL, REFERENCE_WALD

counts_strategy = st.builds(
    m.Counts,
    promoters=st.integers(0, 10**6),
    passives=st.integers(0, 10**6),
    detractors=st.integers(0, 10**6),
).filter(lambda counts: counts.n > 0)
huge_counts_strategy = st.builds(
    m.Counts,
    promoters=st.integers(0, m.MAX_COUNT),
    passives=st.integers(0, m.MAX_COUNT),
    detractors=st.integers(0, m.MAX_COUNT),
).filter(lambda counts: counts.n > 0)
quick = settings(max_examples=200, deadline=None)


def error_of(call, *args, **kwargs) -> m.NpsError:
    with pytest.raises(m.NpsError) as caught:
        call(*args, **kwargs)
    return caught.value


# --------------------------------------------------------------------------------------------
# Definition


# The pure modules: what the page, the API and the command share, importable without Django.
PURE_MODULES = [
    "kb.nps",
    "kb.nps.errors",
    "kb.nps.scoring",
    "kb.nps.statistics",
    "kb.nps.parsing",
    "kb.nps.csvfiles",
    "kb.nps.reading",
    "kb.nps.result",
]


def test_the_pure_modules_import_nothing_from_django():
    """Imported in a fresh interpreter where importing Django fails, and without its settings."""
    code = (
        "import importlib, sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in {'django', 'ninja', 'glossary'}:\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for name in {PURE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('django', 'ninja'))))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("score", "category"),
    [
        (0, m.Category.DETRACTOR),
        (1, m.Category.DETRACTOR),
        (2, m.Category.DETRACTOR),
        (3, m.Category.DETRACTOR),
        (4, m.Category.DETRACTOR),
        (5, m.Category.DETRACTOR),
        (6, m.Category.DETRACTOR),  # "below 6" in the Italian seed page is wrong
        (7, m.Category.PASSIVE),
        (8, m.Category.PASSIVE),
        (9, m.Category.PROMOTER),  # "above 9" is wrong too
        (10, m.Category.PROMOTER),
    ],
)
def test_every_boundary_score_falls_in_its_category(score, category):
    assert m.classify(score) is category
    single = m.Counts.from_scores([score])
    assert getattr(single, f"{category.value}s") == 1


@pytest.mark.parametrize(
    ("value", "reason"),
    [(-1, "out_of_range"), (11, "out_of_range"), (True, "boolean"), (9.0, "wrong_type")],
)
def test_classify_rejects_anything_but_an_int_from_0_to_10(value, reason):
    error = error_of(m.classify, value)
    assert (error.code, error.params["reason"]) == ("invalid_score", reason)


@pytest.mark.parametrize(
    ("counts", "exact", "display"),
    [
        ((60, 25, 15), Fraction(45), "+45"),
        ((3, 3, 2), Fraction(25, 2), "+13"),  # 12.5 rounds away from zero, not to even
        ((2, 3, 3), Fraction(-25, 2), "-13"),
        ((29, 171, 0), Fraction(29, 2), "+15"),  # float arithmetic gives 14.4999...
        ((0, 171, 29), Fraction(-29, 2), "-15"),
        ((0, 10, 0), Fraction(0), "0"),  # all passives: a real 0
        ((10, 0, 0), Fraction(100), "+100"),
        ((0, 0, 10), Fraction(-100), "-100"),
        ((1, 0, 0), Fraction(100), "+100"),  # tiny samples
        ((0, 1, 0), Fraction(0), "0"),
        ((0, 0, 1), Fraction(-100), "-100"),
        ((1, 1, 1), Fraction(0), "0"),
        ((2, 0, 1), Fraction(100, 3), "+33"),
        ((1, 0, 2), Fraction(-100, 3), "-33"),
        ((1, 1, 0), Fraction(50), "+50"),
        ((10**12, 10**12, 10**12 - 1), Fraction(100, 3 * 10**12 - 1), "0"),  # huge
        ((10**12, 0, 0), Fraction(100), "+100"),
        ((4, 91, 5), Fraction(-1), "-1"),
        ((1, 199, 0), Fraction(1, 2), "+1"),
        ((0, 199, 1), Fraction(-1, 2), "-1"),
    ],
)
def test_nps_is_exact_and_displayed_rounded_half_away_from_zero(counts, exact, display):
    value = m.nps(m.Counts(*counts))
    assert value == exact
    assert isinstance(value, Fraction)
    assert m.format_score(value) == display


def test_no_responses_is_an_error_not_zero():
    with pytest.raises(m.NoResponses) as caught:
        m.nps(m.Counts(0, 0, 0))
    assert caught.value.code == "no_responses"
    assert "no responses" in caught.value.message
    with pytest.raises(m.NoResponses):
        m.analyse(m.Counts(0, 0, 0))


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Fraction(25, 2), 0, Decimal("13")),
        (Fraction(-25, 2), 0, Decimal("-13")),
        (Fraction(1, 2), 0, Decimal("1")),
        (Fraction(-1, 2), 0, Decimal("-1")),
        (Fraction(-1, 3), 0, Decimal("0")),
        (Fraction(29, 2), 0, Decimal("15")),
        (Fraction(-1, 3), 2, Decimal("-0.33")),
        (Fraction(45), 1, Decimal("45.0")),
        (2.675, 2, Decimal("2.68")),  # a float is taken at its repr, not at 2.67499999...
        (14.4999, 0, Decimal("14")),
        (Decimal("0.125"), 2, Decimal("0.13")),
        (-0.0001, 2, Decimal("0.00")),
    ],
)
def test_round_half_away_from_zero(value, decimals, expected):
    result = m.round_half_away(value, decimals)
    assert result == expected
    assert str(result) == str(expected)  # same number of places, never "-0"


@pytest.mark.parametrize(
    ("value", "decimals", "separator", "signed", "expected"),
    [
        (Fraction(45), 0, ".", True, "+45"),
        (Fraction(45), 1, ",", True, "+45,0"),  # fr / it
        (Fraction(-9), 0, ".", True, "-9"),
        (Fraction(-29, 2), 1, ",", True, "-14,5"),
        (Fraction(0), 2, ",", True, "0,00"),
        (Fraction(-1, 1000), 1, ".", True, "0.0"),
        (29.3431, 1, ".", False, "29.3"),
    ],
)
def test_format_score_is_signed_and_locale_neutral(value, decimals, separator, signed, expected):
    assert m.format_score(value, decimals, separator, signed=signed) == expected


@pytest.mark.parametrize(
    ("counts", "percentages"),
    [
        ((60, 25, 15), (60, 25, 15)),
        ((1, 1, 1), (34, 33, 33)),
        ((2, 2, 3), (29, 28, 43)),
        ((1, 0, 2), (33, 0, 67)),
        ((0, 7, 0), (0, 100, 0)),
        ((1, 1, 998), (0, 0, 100)),
    ],
)
def test_category_percentages_add_up_to_100(counts, percentages):
    shares = m.category_percentages(m.Counts(*counts))
    assert (shares.promoters, shares.passives, shares.detractors) == percentages


# --------------------------------------------------------------------------------------------
# Counts


def test_counts_from_a_distribution_of_eleven():
    counts = m.Counts.from_distribution([1, 1, 1, 1, 1, 1, 1, 2, 3, "1 234", 5])
    assert counts == m.Counts(promoters=1239, passives=5, detractors=7)


@pytest.mark.parametrize(
    ("distribution", "code", "position"),
    [
        ([0] * 10, "invalid_distribution", None),
        ([0] * 12, "invalid_distribution", None),
        ("00000000000", "invalid_distribution", None),
        ([0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0], "invalid_count", 3),
        ([0] * 10 + ["1" * 5000], "count_too_large", 10),
    ],
)
def test_a_bad_distribution_says_which_score(distribution, code, position):
    error = error_of(m.Counts.from_distribution, distribution)
    assert (error.code, error.position) == (code, position)


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"promoters": -1, "passives": 0, "detractors": 0}, "invalid_count", "promoters"),
        ({"promoters": 0, "passives": True, "detractors": 0}, "invalid_count", "passives"),
        ({"promoters": 0, "passives": 0, "detractors": 1.0}, "invalid_count", "detractors"),
        ({"promoters": 10**12 + 1, "passives": 0, "detractors": 0}, "count_too_large", "promoters"),
    ],
)
def test_counts_are_validated_on_construction(kwargs, code, field):
    error = error_of(m.Counts, **kwargs)
    assert (error.code, error.field) == (code, field)


def test_counts_from_scores_is_strict_and_names_the_position():
    assert m.Counts.from_scores(iter([0, 6, 7, 8, 9, 10])) == m.Counts(2, 2, 2)
    for scores, reason in [
        ([9, 11], "out_of_range"),
        ([9, True], "boolean"),
        ([9, "9"], "wrong_type"),
    ]:
        error = error_of(m.Counts.from_scores, scores)
        assert (error.code, error.position, error.params["reason"]) == ("invalid_score", 2, reason)


# --------------------------------------------------------------------------------------------
# Uncertainty: the spec's reference values


@pytest.mark.parametrize(
    ("attribute", "expected"),
    [
        ("wald.se", 7.40),
        ("wald.margin", 14.50),
        ("wald.lower", 30.50),
        ("wald.upper", 59.50),
        ("interval.centre", 43.69),
        ("interval.margin", 14.35),
        ("interval.lower", 29.34),
        ("interval.upper", 58.04),
    ],
)
def test_reference_sample_60_25_15(attribute, expected):
    result = m.analyse(m.Counts(60, 25, 15))
    group, name = attribute.split(".")
    assert round(getattr(getattr(result, group), name), 2) == pytest.approx(expected, abs=1e-9)


def test_all_passives_have_a_zero_wald_width_but_an_honest_adjusted_interval():
    counts = m.Counts(0, 10, 0)
    wald = m.wald_interval(counts)
    adjusted = m.adjusted_wald_interval(counts)
    assert (wald.se, wald.margin) == (0.0, 0.0)
    assert round(adjusted.margin, 2) == 18.47
    assert adjusted.centre == 0.0
    assert not adjusted.clipped


def test_adjusted_interval_is_clipped_at_100_and_says_so():
    interval = m.adjusted_wald_interval(m.Counts(10, 0, 0))
    assert interval.upper == 100.0
    assert interval.clipped
    wald = m.wald_interval(m.Counts(9, 1, 0))
    assert wald.upper > 100  # the plain interval is shown as computed


@pytest.mark.parametrize(
    ("confidence", "margin"),
    [(0.90, 12.04), (0.95, 14.35), (0.99, 18.85), ("95 %", 14.35), (99, 18.85), ("0,9", 12.04)],
)
def test_supported_confidence_levels(confidence, margin):
    interval = m.adjusted_wald_interval(m.Counts(60, 25, 15), confidence)
    assert round(interval.margin, 2) == margin


@pytest.mark.parametrize("confidence", [0.8, 0.951, 1, 0, "abc", None, True, math.nan, "9" * 5000])
def test_other_confidence_levels_are_refused(confidence):
    error = error_of(m.analyse, m.Counts(1, 1, 1), confidence=confidence)
    assert (error.code, error.field) == ("unsupported_confidence", "confidence")
    assert len(error.value) <= 50


def test_comparison_keeps_the_sign_and_matches_the_spec_formula():
    a, b = m.Counts(60, 25, 15), m.Counts(40, 30, 30)
    result = m.compare(a, b)
    theta_a, theta_b = 45 / 103, (40.75 - 30.75) / 103
    var_a = (60.75 + 15.75) / 103 - theta_a**2
    var_b = (40.75 + 30.75) / 103 - theta_b**2
    se = math.sqrt(var_a / 103 + var_b / 103)
    assert result.difference == pytest.approx(100 * (theta_a - theta_b))
    assert result.se == pytest.approx(100 * se)
    assert result.z == pytest.approx((theta_a - theta_b) / se)
    assert (round(result.difference, 2), round(result.se, 2), round(result.z, 2)) == (
        33.98,
        10.96,
        3.10,
    )
    assert round(result.p_value, 4) == 0.0019
    assert result.significant
    assert result.nps_difference == 35
    reverse = m.compare(b, a)
    assert reverse.difference == pytest.approx(-result.difference)
    assert reverse.lower == pytest.approx(-result.upper)


def test_a_small_difference_between_small_samples_is_not_significant():
    result = m.compare(m.Counts(6, 2, 2), m.Counts(5, 3, 2))
    assert not result.significant
    assert result.lower < 0 < result.upper
    assert result.p_value > 0.05


@pytest.mark.parametrize(
    ("margin", "confidence", "expected", "needed"),
    [
        (5, 0.95, None, 1534),  # the spec's reference
        (10, 0.95, None, 382),
        (5, 0.99, None, 2651),
        (5, 0.90, None, 1080),
        (5, 0.95, (0.6, 0.15), 839),
        (5, 0.95, m.Counts(60, 25, 15), 839),
        (100, 0.95, None, 1),
        (Decimal("2.5"), 0.95, None, 6144),
    ],
)
def test_sample_size_for_a_target_margin(margin, confidence, expected, needed):
    assert m.sample_size(margin, confidence, expected) == needed


@pytest.mark.parametrize(
    ("margin", "expected", "code"),
    [(0, None, "invalid_margin"), (101, None, "invalid_margin"), ("five", None, "invalid_margin"),
     (True, None, "invalid_margin"),
     (5, (0.7, 0.5), "invalid_expected"), (5, (-0.1, 0.5), "invalid_expected")],
)  # fmt: skip
def test_sample_size_rejects_impossible_inputs(margin, expected, code):
    assert error_of(m.sample_size, margin, 0.95, expected).code == code


@pytest.mark.parametrize(
    ("counts", "target", "additional", "after"),
    [
        ((60, 25, 15), 50, 10, Fraction(50)),
        ((60, 25, 15), 45, 0, Fraction(45)),
        ((60, 25, 15), Decimal("45.5"), 1, Fraction(4600, 101)),
        ((0, 0, 5), 0, 5, Fraction(0)),
        ((0, 0, 5), -100, 0, Fraction(-100)),
        ((1, 1, 1), 99, 297, Fraction(99)),
    ],
)
def test_promoters_needed_for_a_target(counts, target, additional, after):
    result = m.promoters_needed(m.Counts(*counts), target)
    assert (result.reachable, result.additional, result.nps_after) == (True, additional, after)


def test_a_perfect_score_is_not_reachable_once_anyone_is_not_a_promoter():
    result = m.promoters_needed(m.Counts(60, 1, 0), 100)
    assert (result.reachable, result.additional, result.nps_after) == (False, None, None)
    assert m.promoters_needed(m.Counts(3, 0, 0), 100).additional == 0
    assert error_of(m.promoters_needed, m.Counts(1, 0, 0), 101).code == "invalid_target"


# --------------------------------------------------------------------------------------------
# Weighted NPS


# --------------------------------------------------------------------------------------------
# Reading lists of scores


@pytest.mark.parametrize(
    ("text", "distribution", "skipped", "warning"),
    [
        ("9 10 7 0", {9: 1, 10: 1, 7: 1, 0: 1}, 0, None),
        ("9,10,7,3", {9: 1, 10: 1, 7: 1, 3: 1}, 0, None),  # one line: commas separate
        ("9, 0", {9: 1, 0: 1}, 0, None),
        ("9;10;9,0", {9: 2, 10: 1}, 0, "decimal_score"),  # ";" list: comma is a decimal mark
        ("9\t10\t7", {9: 1, 10: 1, 7: 1}, 0, None),
        ("9|10|7", {9: 1, 10: 1, 7: 1}, 0, None),
        ("9,0\n8,0\n10", {9: 1, 8: 1, 10: 1}, 0, "decimal_score"),  # a French column
        ("9.0\n8", {9: 1, 8: 1}, 0, "decimal_score"),
        ("9\r\n\r\n7\r\n\n", {9: 1, 7: 1}, 1, None),  # an empty cell in a pasted column
        ("\n\n9\n", {9: 1}, 0, None),
        ("9 7\n\n8", {9: 1, 7: 1, 8: 1}, 0, None),  # not one per line: empty lines are layout
        ("  09 \u00a0010\u202f", {9: 1, 10: 1}, 0, None),
        ("", {}, 0, None),
    ],
)
def test_parse_score_list(text, distribution, skipped, warning):
    parsed = m.parse_score_list(text)
    assert parsed.distribution == tuple(distribution.get(score, 0) for score in range(11))
    assert parsed.skipped == skipped
    assert [w.code for w in parsed.warnings] == ([warning] if warning else [])


@pytest.mark.parametrize(
    ("text", "reason", "line", "column", "position"),
    [
        ("9 10 11", "out_of_range", 1, 6, 3),
        ("9\n-1\n", "out_of_range", 2, 1, 2),
        ("9\n  6.5", "not_whole", 2, 3, 2),
        ("9;6,5", "not_whole", 1, 3, 2),
        ("abc", "not_a_number", 1, 1, 1),
        ("9 =CMD()", "not_a_number", 1, 3, 2),
        ("9 ٩", "not_a_number", 1, 3, 2),  # only ASCII digits are scores
        ("1" * 5000, "out_of_range", 1, 1, 1),
    ],
)
def test_a_bad_score_in_a_pasted_list_says_where_and_why(text, reason, line, column, position):
    error = error_of(m.parse_score_list, text)
    assert error.code == "invalid_score"
    assert (error.params["reason"], error.line, error.column, error.position) == (
        reason,
        line,
        column,
        position,
    )
    assert len(error.value) <= 50


def test_pasted_lists_are_capped():
    assert error_of(m.parse_score_list, "9 " * 11, max_scores=10).code == "too_many_scores"
    assert error_of(m.parse_score_list, "9" * 101, max_chars=100).code == "input_too_large"


@pytest.mark.parametrize(
    ("values", "distribution", "skipped", "warning"),
    [
        ([9, 10, 0], {9: 1, 10: 1, 0: 1}, 0, None),
        ([9, "10", " 7 ", None, ""], {9: 1, 10: 1, 7: 1}, 2, None),
        ([9, "9,0", "8.00"], {9: 2, 8: 1}, 0, "decimal_score"),
        ([9.0, 8, Decimal("7.0")], {9: 1, 8: 1, 7: 1}, 0, "decimal_score"),
    ],
)
def test_read_scores_from_a_json_list(values, distribution, skipped, warning):
    parsed = m.read_scores(values)
    assert parsed.distribution == tuple(distribution.get(score, 0) for score in range(11))
    assert parsed.skipped == skipped
    assert [w.code for w in parsed.warnings] == ([warning] if warning else [])


@pytest.mark.parametrize(
    ("values", "reason", "position"),
    [
        ([9, 6.5], "not_whole", 2),
        ([9, 11], "out_of_range", 2),
        ([9, -1], "out_of_range", 2),
        ([9, "abc"], "not_a_number", 2),
        ([1, True], "boolean", 2),  # True == 1 in Python: it must not be counted as a 1
        ([False], "boolean", 1),
        ([9, [9]], "wrong_type", 2),
        ([9, math.nan], "not_a_number", 2),
        (["=CMD()"], "not_a_number", 1),
    ],
)
def test_read_scores_rejects_what_is_not_a_score(values, reason, position):
    error = error_of(m.read_scores, values)
    assert (error.code, error.params["reason"], error.position) == (
        "invalid_score",
        reason,
        position,
    )


# --------------------------------------------------------------------------------------------
# Counts typed by people


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("1234", 1234),
        ("1 234", 1234),  # fr, ordinary space
        ("1\u00a0234", 1234),  # fr, no-break space
        ("1\u202f234", 1234),  # fr, narrow no-break space
        ("1.234", 1234),  # it
        ("1,234", 1234),  # en
        ("1'234", 1234),  # ch
        ("1 234 567", 1234567),
        ("1.234.567", 1234567),
        ("1.234,00", 1234),
        ("1,234.00", 1234),
        ("12,0", 12),
        (" 42 ", 42),
        ("1 000 000 000 000", 10**12),
        (17, 17),
        (17.0, 17),
    ],
)
def test_parse_count_reads_localized_counts(text, expected):
    assert m.parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "code", "reason"),
    [
        ("", "invalid_count", "blank"),
        ("-3", "invalid_count", "negative"),
        (-3, "invalid_count", "negative"),
        ("1,5", "invalid_count", "not_whole"),
        (2.5, "invalid_count", "not_whole"),
        ("12 34", "invalid_count", "not_a_number"),
        ("1,234,00", "invalid_count", "not_a_number"),
        ("abc", "invalid_count", "not_a_number"),
        ("=1+1", "invalid_count", "not_a_number"),
        (True, "invalid_count", "boolean"),
        (None, "invalid_count", "wrong_type"),
        ("1" * 5000, "count_too_large", None),  # an error, not a crash in int()
        ("1 000 000 000 001", "count_too_large", None),
        (10**13, "count_too_large", None),
    ],
)
def test_parse_count_rejects_bad_counts(text, code, reason):
    error = error_of(m.parse_count, text, field="promoters")
    assert (error.code, error.params.get("reason"), error.field) == (code, reason, "promoters")
    assert len(error.value) <= 50


def test_a_blank_count_can_mean_zero_when_the_caller_says_so():
    assert m.parse_count(" ", allow_blank=True) == 0


# --------------------------------------------------------------------------------------------
# CSV files


def distribution(**by_score):
    return tuple(by_score.get(f"s{score}", 0) for score in range(11))


@pytest.mark.parametrize(
    ("data", "delimiter", "header", "column", "expected"),
    [
        (b"9\n10\n7\n", None, False, 1, distribution(s9=1, s10=1, s7=1)),
        (b"score\n9\n10\n", None, True, "score", distribution(s9=1, s10=1)),
        (b"\xef\xbb\xbfscore\r\n9\r\n", None, True, "score", distribution(s9=1)),
        (b"id;note\n1;9\n2;3\n", ";", True, "note", distribution(s9=1, s3=1)),
        (b"id,score,comment\n1,9,ok\n2,10,\"great, really\"\n", ",", True, "score",
         distribution(s9=1, s10=1)),
        (b"id\tscore\n1\t9\n", "\t", True, "score", distribution(s9=1)),
        (b"id|score\n1|9\n", "|", True, "score", distribution(s9=1)),
        (b"9,0\n8,0\n10,0\n", None, False, 1, distribution(s9=1, s8=1, s10=1)),  # fr decimals
        (b'"9"\n"10"\n', None, False, 1, distribution(s9=1, s10=1)),
    ],
)  # fmt: skip
def test_parse_csv_detects_delimiter_header_and_column(data, delimiter, header, column, expected):
    parsed = m.parse_csv(data)
    assert (parsed.delimiter, parsed.header, parsed.column.label) == (delimiter, header, column)
    assert parsed.distribution == expected


def test_parse_csv_reads_a_french_excel_export_in_windows_1252():
    data = 'Note;Commentaire\n9;très bien\n7;"moyen; à revoir"\n;sans réponse\n10,0;parfait\n'
    parsed = m.parse_csv(data.encode("cp1252"), column="note")
    assert parsed.encoding == "cp1252"
    assert parsed.distribution == distribution(s9=1, s7=1, s10=1)
    assert parsed.skipped == 1
    assert parsed.rows == 4
    assert [w.code for w in parsed.warnings] == ["encoding_fallback", "decimal_score"]
    assert parsed.preview[1] == ("7", "moyen; à revoir")
    assert [c.name for c in parsed.columns] == ["Note", "Commentaire"]


def test_parse_csv_reads_excel_unicode_text():
    data = "score\tcomment\n9\tok\n".encode("utf-16")
    parsed = m.parse_csv(data)
    assert (parsed.encoding, parsed.delimiter, parsed.distribution) == (
        "utf-16",
        "\t",
        distribution(s9=1),
    )


def test_parse_csv_skips_and_counts_blank_answers():
    parsed = m.parse_csv(b"id;score\n1;9\n2;\n3\n\n4; \n5;7\n\n\n")
    assert parsed.distribution == distribution(s9=1, s7=1)
    assert parsed.skipped == 4  # empty cell, short row, empty line, blank cell
    assert parsed.rows == 6


@pytest.mark.parametrize(
    ("column", "label"),
    [("score", "score"), (" SCORE ", "score"), (1, "score"), ("2", "score"), (None, "score")],
)
def test_parse_csv_column_choice(column, label):
    data = b"id,score,city\n1,9,Lyon\n2,10,Roma\n3,4,Leeds\n"
    assert m.parse_csv(data, column=column).column.label == label


def test_parse_csv_guesses_the_column_named_like_a_score_and_says_so():
    parsed = m.parse_csv(b"id;Recommendation score;other\n1;9;2\n2;10;3\n")
    assert parsed.column.name == "Recommendation score"
    assert [w.code for w in parsed.warnings] == ["column_guessed"]


@pytest.mark.parametrize(
    ("data", "column", "code"),
    [
        (b"id,score\n1,9\n", "nope", "unknown_column"),
        (b"id,score\n1,9\n", 5, "unknown_column"),
        (b"city,name\nLyon,Ann\nRoma,Bo\n", None, "no_score_column"),
        (b"", None, "empty_file"),
        (b" \n\n", None, "empty_file"),
    ],
)
def test_parse_csv_column_and_content_errors(data, column, code):
    assert error_of(m.parse_csv, data, column=column).code == code


def test_a_header_only_file_has_no_responses():
    parsed = m.parse_csv(b"id;score\n")
    assert parsed.n == 0
    with pytest.raises(m.NoResponses):
        m.analyse(parsed)


def test_an_invalid_score_in_a_csv_gives_the_physical_line_and_the_column():
    data = b'comment,score\n"two\nlines",9\nok,11\n'
    error = error_of(m.parse_csv, data, column="score")
    assert (error.code, error.line, error.column, error.position) == (
        "invalid_score",
        4,
        "score",
        2,
    )
    assert error.params["reason"] == "out_of_range"


@pytest.mark.parametrize(
    "cell",
    ["=CMD()", "=cmd|' /C calc'!A0", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "=" + "A" * 500],
)
def test_formula_cells_are_rejected_and_never_echoed_raw(cell):
    data = f"score\n9\n{cell}\n".encode()
    error = error_of(m.parse_csv, data)
    assert error.code == "invalid_score"
    assert error.line == 3
    if len(repr(cell)) <= 50:
        assert error.value == repr(cell)
    else:
        assert error.value == repr(cell)[:47] + "..."
    assert error.value in error.message  # the message quotes the repr, never the raw cell


def test_a_formula_in_the_first_row_is_not_taken_for_a_header():
    error = error_of(m.parse_csv, b"=CMD()\n9\n")
    assert (error.code, error.line) == ("invalid_score", 1)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"PK\x03\x04" + b"\x00" * 100, "xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "xls"),
        (b"%PDF-1.7\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "png"),
        (bytes(range(256)) * 40, None),
        (b"9\n10\n\x00\x00", None),
        (b"score\n" + b"\x01\x02\x03\x04\x05" * 100, None),
    ],
)
def test_binary_data_is_not_csv(data, kind):
    error = error_of(m.parse_csv, data)
    assert error.code == "not_csv"
    assert error.params.get("format") == kind


def test_a_50_mb_file_is_refused_before_it_is_read():
    data = b"9\n" * (25 * 1024 * 1024)
    assert len(data) == 50 * 1024 * 1024
    error = error_of(m.parse_csv, data)
    assert (error.code, error.params["limit"]) == ("file_too_large", m.MAX_BYTES)


def test_a_million_and_one_rows_are_refused():
    error = error_of(m.parse_csv, b"9\n" * (m.MAX_ROWS + 1))
    assert (error.code, error.params["limit"]) == ("too_many_rows", 1_000_000)


def test_the_row_cap_holds_with_quoted_cells_too():
    assert error_of(m.parse_csv, b'"9"\n' * 11, max_rows=10).code == "too_many_rows"
    assert m.parse_csv(b'score\n"9"\n' * 1 + b'"9"\n' * 9, max_rows=10).n == 10


def test_a_csv_with_exactly_the_maximum_rows_is_read():
    parsed = m.parse_csv(b"score\n" + b"9\n" * 1000, max_rows=1000)
    assert parsed.n == 1000


# --------------------------------------------------------------------------------------------
# The full result


def test_analyse_to_dict_has_the_shape_of_the_api():
    data = m.analyse(m.Counts(60, 25, 15), m.Counts(40, 30, 30)).to_dict()
    assert data["nps"] == 45.0
    assert data["nps_display"] == "+45"
    assert (data["n"], data["promoters"], data["passives"], data["detractors"]) == (
        100,
        60,
        25,
        15,
    )
    assert data["skipped"] == 0
    assert data["small_sample"] is False
    assert data["interval"] == REFERENCE_INTERVAL
    assert data["wald"] == REFERENCE_WALD
    assert set(data["comparison"]) >= {
        "difference",
        "se",
        "z",
        "p_value",
        "lower",
        "upper",
        "significant",
    }
    assert data["comparison"]["difference"] == 33.9806
    assert data["compare"]["nps"] == 10.0
    assert data["percentages"] == {"promoters": 60, "passives": 25, "detractors": 15}


def test_analyse_carries_what_the_reader_saw():
    parsed = m.parse_score_list("9\n\n9,0\n3")
    result = m.analyse(parsed, decimals=1, decimal_sep=",")
    assert (result.n, result.skipped, result.display) == (3, 1, "+33,3")
    assert result.small_sample
    assert result.to_dict()["warnings"][0]["code"] == "decimal_score"


def test_an_empty_second_sample_is_named_in_the_error():
    with pytest.raises(m.NoResponses) as caught:
        m.analyse(m.Counts(1, 0, 0), m.Counts(0, 0, 0))
    assert caught.value.field == "compare"


@pytest.mark.parametrize("decimals", [3, 5, -1, True, 1.0, "1.0", "x"])
def test_analyse_rejects_unsupported_decimals(decimals):
    assert error_of(m.analyse, m.Counts(1, 0, 0), decimals=decimals).code == "invalid_decimals"


@pytest.mark.parametrize(("decimals", "display"), [(0, "+33"), (1, "+33.3"), ("2", "+33.33")])
def test_one_decimals_rule_of_0_1_or_2_places(decimals, display):
    assert list(m.DECIMALS) == [0, 1, 2]
    assert m.analyse(m.Counts(2, 0, 1), decimals=m.parse_decimals(decimals)).display == display


def test_one_reader_flags_every_bad_count_at_once():
    error = error_of(m.read_sample, {"promoters": "x", "passives": "-1", "detractors": "2"})
    assert [(each.code, each.field) for each in error.errors] == [
        ("invalid_count", "promoters"),
        ("invalid_count", "passives"),
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"promoters": "60", "passives": 25}, m.Counts(60, 25, 0)),
        ({"distribution": [0] * 9 + ["1 234", 1]}, m.Counts(1235, 0, 0)),
        ({"scores": [9, 10, None, 3]}, m.Counts(2, 0, 1)),
        ({"scores": "9;10\n3"}, m.Counts(2, 0, 1)),
        ({"csv": b"id;Score\n1;9\n2;10\n3;3\n", "column": "Score"}, m.Counts(2, 0, 1)),
    ],
)
def test_one_reader_for_counts_distributions_lists_and_csv(data, expected):
    sample = m.read_sample(data)
    assert (sample if isinstance(sample, m.Counts) else sample.counts) == expected


def test_errors_serialise_for_the_api():
    error = error_of(m.parse_score_list, "9\n12")
    assert error.to_dict() == {
        "code": "invalid_score",
        "message": error.message,
        "line": 2,
        "column": 1,
        "position": 2,
        "field": None,
        "value": "'12'",
        "params": {"reason": "out_of_range"},
    }


# --------------------------------------------------------------------------------------------
# Properties


@quick
@given(huge_counts_strategy)
def test_nps_lies_in_range_and_equals_the_definition(counts):
    value = m.nps(counts)
    assert -100 <= value <= 100
    assert value == Fraction(100 * (counts.promoters - counts.detractors), counts.n)


@quick
@given(huge_counts_strategy, st.sampled_from(m.CONFIDENCE_LEVELS))
def test_adjusted_interval_contains_its_centre_and_stays_in_range(counts, confidence):
    interval = m.adjusted_wald_interval(counts, confidence)
    assert -100 <= interval.lower <= interval.centre <= interval.upper <= 100
    assert interval.margin > 0


@quick
@given(counts_strategy)
def test_category_percentages_always_add_up_to_100(counts):
    shares = m.category_percentages(counts)
    values = (shares.promoters, shares.passives, shares.detractors)
    assert sum(values) == 100
    exact = (counts.promoters, counts.passives, counts.detractors)
    for share, count in zip(values, exact, strict=True):
        assert abs(share - Fraction(100 * count, counts.n)) < 1


@quick
@given(
    st.integers(-(10**9), 10**9), st.sampled_from([1, 2, 4, 5, 8, 10, 20, 200]), st.integers(0, 4)
)
def test_round_half_away_agrees_with_decimal_round_half_up(numerator, denominator, decimals):
    # Denominators made of 2s and 5s have exact decimal expansions, halves included.
    value = Fraction(numerator, denominator)
    with localcontext(prec=50):
        exact = Decimal(numerator) / Decimal(denominator)
        expected = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    assert m.round_half_away(value, decimals) == expected


@quick
@given(st.lists(st.integers(0, 10), max_size=300))
def test_scores_counted_from_any_reader_agree(scores):
    expected = m.Counts(
        promoters=sum(s >= 9 for s in scores),
        passives=sum(7 <= s <= 8 for s in scores),
        detractors=sum(s <= 6 for s in scores),
    )
    assert m.Counts.from_scores(scores) == expected
    assert m.read_scores([str(s) for s in scores]).counts == expected
    assert m.parse_score_list("\n".join(map(str, scores))).counts == expected


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(st.integers(0, 10), st.just("")), min_size=1, max_size=50),
    st.sampled_from([";", ",", "\t", "|"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_a_csv_written_by_the_csv_module_reads_back(cells, delimiter, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["Réponse", "score"])
    for index, cell in enumerate(cells):
        writer.writerow([f"r{index}", cell])
    parsed = m.parse_csv(buffer.getvalue().encode(encoding), column="score")
    scores = [cell for cell in cells if cell != ""]
    assert parsed.distribution == tuple(scores.count(s) for s in range(11))
    assert parsed.skipped == len(cells) - len(scores)


@quick
@given(st.integers(0, m.MAX_COUNT), st.sampled_from([" ", "\u00a0", "\u202f", ".", ",", "'"]))
def test_grouped_counts_read_back(count, separator):
    text = f"{count:,}".replace(",", separator)
    assert m.parse_count(text) == count


@quick
@given(counts_strategy, counts_strategy)
def test_comparison_is_antisymmetric_and_its_verdict_matches_its_interval(a, b):
    forward, backward = m.compare(a, b), m.compare(b, a)
    assert forward.difference == pytest.approx(-backward.difference, abs=1e-9)
    assert forward.significant == backward.significant
    assert forward.significant == (forward.lower > 0 or forward.upper < 0)
