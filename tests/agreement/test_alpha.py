"""Krippendorff's alpha against the published worked example, hand-worked cases and the krippendorff package."""

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from annotator.agreement.alpha import (
    alpha_by_group,
    krippendorff_alpha,
    nominal_alpha,
    reading,
    value_counts,
)

nan = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", Departmental Papers (ASC) 43,
# University of Pennsylvania, section C: 4 observers x 12 units, values 1-5, missing data. Published:
# nominal .743, ordinal .815, interval .849, ratio .797. The krippendorff package (0.9) gives the same:
# 0.7434, 0.8154, 0.8491, 0.7974.
PUBLISHED = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
])
LEVELS = ["nominal", "ordinal", "interval", "ratio"]


@pytest.mark.parametrize(("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849),
                                                  ("ratio", 0.797)])
def test_alpha_matches_krippendorffs_published_example(level, published):
    estimate = krippendorff_alpha(PUBLISHED, level, values=[1, 2, 3, 4, 5])

    assert estimate.value == pytest.approx(published, abs=0.0005)


def test_nominal_alpha_by_hand():
    # Units (a, b): (1, 1), (1, 2), (2, 2). Coincidences: o11 = 2, o22 = 2, o12 = o21 = 1; n = 6,
    # n1 = n2 = 3. alpha = 1 - (n - 1) * (o12 + o21) / (n1 n2 + n2 n1) = 1 - 5 * 2 / 18 = 4/9.
    estimate = krippendorff_alpha([[1, 1, 2], [1, 2, 2]], "nominal")

    assert estimate.value == pytest.approx(4 / 9)


def test_interval_distances_use_the_declared_values_not_the_ranks_of_those_observed():
    # Scores 1, 2 and 5 on a 1-5 scale; units (1, 2), (5, 5), (1, 1): n = 6, n_1 = 3, n_2 = 1, n_5 = 2.
    # Observed: o_12 + o_21 = 2 at distance (1 - 2)^2 = 1 -> 2.
    # Expected on the values: 2 * (3*1 * 1^2 + 3*2 * 4^2 + 1*2 * 3^2) = 2 * 117 = 234;
    # alpha = 1 - (n - 1) * 2 / 234 = 1 - 10/234 = 0.957.
    # On the ranks of the levels observed (1, 2, 5 -> 0, 1, 2), 5 sits next to 2 as if the scale had
    # three steps: 2 * (3*1 * 1 + 3*2 * 4 + 1*2 * 1) = 58 and alpha = 1 - 10/58 = 0.828.
    data = np.array([[1, 5, 1], [2, 5, 1]], dtype=float)
    ranks = np.array([[0, 2, 0], [1, 2, 0]], dtype=float)

    on_values = krippendorff_alpha(data, "interval", values=[1, 2, 3, 4, 5]).value
    on_ranks = krippendorff_alpha(ranks, "interval").value

    assert on_values == pytest.approx(1 - 10 / 234)
    assert on_ranks == pytest.approx(1 - 10 / 58)


def test_unused_levels_of_the_declared_scale_are_counted_as_the_package_does():
    data = np.array([[1, 3, 1, 3], [1, 3, 3, 1]], dtype=float)

    for level in ("ordinal", "interval"):
        declared = krippendorff_alpha(data, level, values=[1, 2, 3, 4, 5]).value
        theirs = krippendorff.alpha(reliability_data=data, level_of_measurement=level, value_domain=[1, 2, 3, 4, 5])
        assert declared == pytest.approx(theirs, abs=1e-12)


def test_alpha_is_one_when_all_analysts_agree_and_values_vary():
    assert krippendorff_alpha([[1, 2, 3], [1, 2, 3]], "interval").value == pytest.approx(1.0)


def test_alpha_is_undefined_not_one_when_nothing_varies():
    estimate = krippendorff_alpha([[3, 3, 3], [3, 3, 3]], "ordinal", values=[1, 2, 3, 4, 5])

    assert estimate.value is None
    assert estimate.reason.startswith("no variation")


def test_alpha_is_undefined_for_one_analyst():
    assert krippendorff_alpha([[1, 2, 3]]).reason == "alpha needs two or more analysts"


def test_alpha_is_undefined_without_a_unit_two_analysts_valued():
    assert krippendorff_alpha([[1, nan], [nan, 2]]).reason == "no unit has values from two or more analysts"


def test_alpha_is_undefined_without_units():
    assert krippendorff_alpha(np.empty((3, 0))).reason == "no unit has values from two or more analysts"


def test_a_value_outside_the_declared_scale_is_refused():
    with pytest.raises(ValueError, match="outside the declared values"):
        krippendorff_alpha([[1, 7], [1, 2]], "ordinal", values=[1, 2, 3, 4, 5])


def test_nominal_alpha_takes_category_names_with_missing_values():
    rows = [["claim", "denial", None, "claim"], ["claim", "denial", "claim", "denial"]]

    # Pairable units 1, 2 and 4: the same coincidences as the by-hand case above (4/9).
    assert nominal_alpha(rows).value == pytest.approx(4 / 9)


def test_value_counts_count_each_value_per_unit():
    counts, domain = value_counts([[1, 2, nan], [1, 5, 5]], values=[1, 2, 3, 4, 5])

    assert domain.tolist() == [1, 2, 3, 4, 5]
    assert counts.tolist() == [[2, 0, 0, 0, 0], [0, 1, 0, 0, 1], [0, 0, 0, 0, 1]]


@pytest.mark.parametrize(("value", "expected"), [(0.8, "reliable"), (0.79, "tentative"), (0.667, "tentative"),
                                                 (0.66, "unreliable"), (-0.2, "unreliable"), (None, "undefined")])
def test_reading_follows_krippendorffs_guide(value, expected):
    assert reading(value) == expected


reliability_data = arrays(float, st.tuples(st.integers(2, 5), st.integers(1, 25)),
                          elements=st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, nan]))


def _package_alpha(data, level):
    """The krippendorff package's alpha, NaN where it is undefined (it warns or raises instead)."""
    try:
        with np.errstate(all="ignore"):
            return krippendorff.alpha(reliability_data=data, level_of_measurement=level, value_domain=[1, 2, 3, 4, 5])
    except (ValueError, ZeroDivisionError):
        return nan


@settings(max_examples=150, deadline=None)
@given(reliability_data, st.sampled_from(LEVELS))
def test_alpha_equals_the_krippendorff_package_on_random_data(data, level):
    ours = krippendorff_alpha(data, level, values=[1, 2, 3, 4, 5])

    theirs = _package_alpha(data, level)
    if ours.value is None:
        assert not np.isfinite(theirs)
    else:
        assert ours.value == pytest.approx(theirs, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(reliability_data.filter(lambda d: d.shape[0] == 3), min_size=1, max_size=4),
       st.sampled_from(LEVELS))
def test_alpha_of_each_group_at_once_equals_alpha_of_each_group_alone(matrices, level):
    counts = np.concatenate([value_counts(m, [1, 2, 3, 4, 5])[0] for m in matrices])
    group = np.repeat(np.arange(len(matrices)), [m.shape[1] for m in matrices])

    together = alpha_by_group(counts, group, len(matrices), [1, 2, 3, 4, 5], level)

    alone = [krippendorff_alpha(m, level, [1, 2, 3, 4, 5]) for m in matrices]
    assert [estimate.reason for estimate in together] == [estimate.reason for estimate in alone]
    assert [estimate.value or 0.0 for estimate in together] == pytest.approx([e.value or 0.0 for e in alone],
                                                                           abs=1e-9)
