"""Dates: the forms articles and users write (07/05/2024, 2024-05-07) turned into checked ISO dates."""

from __future__ import annotations

import re
from datetime import date

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def iso_date(value: object, *, trailing: bool = False) -> str | None:
    """'07/05/2024' or '2024-05-07' -> '2024-05-07'; None when empty.

    Args:
        value: the date as written (day first, as in Vietnamese, or ISO).
        trailing: accept text after the date ('07/05/2024 | 09:00', '2024-05-07T09:00:00').

    Raises:
        ValueError: not one of those forms, or not a day of the calendar (31/02/2024).
    """
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    match = (_DMY.match if trailing else _DMY.fullmatch)(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = (_ISO.match if trailing else _ISO.fullmatch)(text)
        if not match:
            raise ValueError(f"{text!r} is not a date like 07/05/2024 or 2024-05-07")
        year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(f"{text!r} is not a day of the calendar") from None
