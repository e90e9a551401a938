import pytest

from qa.dates import iso_date


def test_day_first_and_iso_forms():
    assert iso_date("07/05/2024") == "2024-05-07"
    assert iso_date("7/5/2024") == "2024-05-07"
    assert iso_date(" 2024-05-07 ") == "2024-05-07"
    assert iso_date("13/07/2024 - 09:35", trailing=True) == "2024-07-13"
    assert iso_date("2024-05-07T09:00:00+07:00", trailing=True) == "2024-05-07"
    assert iso_date(None) is None and iso_date("  ") is None


@pytest.mark.parametrize("bad", ["31/02/2024", "2024-13-01", "May 2024", "07/05/24", "13/07/2024 - 09:35"])
def test_bad_dates_raise_with_the_value(bad):
    with pytest.raises(ValueError, match="2024|24"):
        iso_date(bad)
