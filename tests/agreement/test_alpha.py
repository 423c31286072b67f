"""Krippendorff's alpha against the published worked example and the krippendorff package."""

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from annotator.agreement.alpha import Level, bootstrap_alpha, krippendorff_alpha, nominal_alpha

nan = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers x 12 units,
# values 1-5 with missing data. Published: nominal .743, ordinal .815, interval .849, ratio .797.
PUBLISHED = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
])


@pytest.mark.parametrize(("level", "expected"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849),
                                                  ("ratio", 0.797)])
def test_alpha_matches_krippendorffs_published_example(level, expected):
    assert krippendorff_alpha(PUBLISHED, level).value == pytest.approx(expected, abs=0.0005)


def test_ordinal_alpha_counts_declared_but_unused_levels():
    # Values 1 and 5 only, on a declared 1..5 scale: the interval distance 5-1 = 4 applies as declared.
    data = np.array([[1, 5, 1, 5], [1, 5, 5, 1]], dtype=float)

    declared = krippendorff_alpha(data, Level.INTERVAL, values=[1, 2, 3, 4, 5])

    assert declared.value == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement="interval",
                                                             value_domain=[1, 2, 3, 4, 5]))


def test_alpha_is_one_when_all_analysts_agree_and_vary():
    assert krippendorff_alpha([[1, 2, 3], [1, 2, 3]], "interval").value == pytest.approx(1.0)


def test_alpha_is_undefined_without_variation():
    result = krippendorff_alpha([[3, 3, 3], [3, 3, 3]], "ordinal", values=[1, 2, 3, 4, 5])

    assert result.value is None
    assert "no variation" in result.reason


def test_alpha_is_undefined_for_one_analyst_or_no_pairable_unit():
    assert krippendorff_alpha([[1, 2, 3]]).value is None
    assert krippendorff_alpha([[1, nan], [nan, 2]]).reason == "no unit has values from two or more analysts"


def test_nominal_alpha_takes_category_names_with_missing_values():
    rows = [["claim", "denial", None], ["claim", "denial", "claim"]]

    assert nominal_alpha(rows).value == pytest.approx(1.0)


def test_value_outside_the_declared_scale_is_refused():
    with pytest.raises(ValueError, match="outside the declared values"):
        krippendorff_alpha([[1, 7], [1, 2]], "ordinal", values=[1, 2, 3, 4, 5])


@settings(max_examples=60, deadline=None)
@given(arrays(float, st.tuples(st.integers(2, 5), st.integers(2, 25)), elements=st.sampled_from([1, 2, 3, 4, 5, nan])),
       st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_alpha_equals_the_krippendorff_package_on_random_data(data, level):
    mine = krippendorff_alpha(data, level, values=[1, 2, 3, 4, 5])
    try:
        with np.errstate(all="ignore"):
            theirs = krippendorff.alpha(reliability_data=data, level_of_measurement=level, value_domain=[1, 2, 3, 4, 5])
    except (ValueError, ZeroDivisionError):
        theirs = nan
    if mine.value is None:
        assert np.isnan(theirs) or not np.isfinite(theirs)
    else:
        assert mine.value == pytest.approx(theirs, abs=1e-9)


def test_bootstrap_interval_is_reproducible_with_a_seed_and_contains_the_estimate():
    first = bootstrap_alpha(PUBLISHED, "interval", samples=300, seed=7)
    second = bootstrap_alpha(PUBLISHED, "interval", samples=300, seed=7)

    assert first == second
    assert first[0] <= krippendorff_alpha(PUBLISHED, "interval").value <= first[1]


def test_bootstrap_is_none_when_alpha_is_undefined():
    assert bootstrap_alpha([[3, 3], [3, 3]], "ordinal", seed=1) is None
