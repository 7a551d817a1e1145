"""Checks of the arguments that every way of loading data shares."""

import math
import numbers

import numpy as np

MAX_TEST_FRACTION = 0.9


def is_integer(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def check_test_fraction(test_fraction) -> float:
    if not is_real(test_fraction) or not 0 <= test_fraction <= MAX_TEST_FRACTION:
        raise ValueError(f"test_fraction must be between 0 and {MAX_TEST_FRACTION}, "
                         f"got {test_fraction!r}")
    return float(test_fraction)


def check_flag(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_seed(seed) -> int:
    if not is_integer(seed) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be a whole number from 0 to 2**32 - 1, got {seed!r}")
    return int(seed)
