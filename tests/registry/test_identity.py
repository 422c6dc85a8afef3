import pytest
from django.core.exceptions import ValidationError

from yaohai.core.personal.identity import check_digit, mask_id, mask_phone, normalise_phone, parse_resident_id


def test_check_digit_of_the_standard_example():
    # GB 11643-1999's worked example: 11010519491231002X.
    assert check_digit("11010519491231002") == "X"
    number, born, sex = parse_resident_id("11010519491231002x")
    assert number == "11010519491231002X"
    assert (born.year, born.month, born.day, sex) == (1949, 12, 31, "female")


@pytest.mark.parametrize(
    "value, reason",
    [
        ("110105194912310021", "check_digit"),
        ("11010519491331002X", "birth"),
        ("1101051949123100", "shape"),
        ("11010519491231002Y", "shape"),
    ],
)
def test_bad_numbers_are_refused_with_their_reason(value, reason):
    with pytest.raises(ValidationError) as caught:
        parse_resident_id(value)
    assert caught.value.code == reason


def test_masks():
    assert mask_id("340102198005170011") == "340102********0011"
    assert mask_phone("13905518230") == "139****8230"
    assert normalise_phone("+86 139-0551-8230") == "13905518230"
