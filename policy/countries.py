"""ISO 3166-1 alpha-2 country codes, and the country of a time zone (for phone routing).

The list is the one the IANA time zone database ships (iso3166.tab: the 249 officially assigned
codes), copied here so validation does not depend on the host's files.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

_CODES_TEXT = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""

ISO_COUNTRY_CODES: frozenset[str] = frozenset(_CODES_TEXT.split())


@cache
def _zone_countries() -> dict[str, str]:
    """IANA zone name -> the country it serves, from the tzdata package's zone tables.

    zone.tab names one country per zone (Europe/Berlin -> DE); zone1970.tab adds zones shared
    by several countries, whose first country is the zone's home (Europe/Zurich -> CH).
    Links (Asia/Calcutta -> Asia/Kolkata) are followed through tzdata.zi.
    """
    zoneinfo = resources.files("tzdata").joinpath("zoneinfo")
    mapping: dict[str, str] = {}
    for table in ("zone1970.tab", "zone.tab"):  # zone.tab last: its single country wins
        for line in zoneinfo.joinpath(table).read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) >= 3:
                mapping[fields[2]] = fields[0].split(",")[0]
    for line in zoneinfo.joinpath("tzdata.zi").read_text(encoding="utf-8").splitlines():
        if line.startswith("L "):
            _, target, link = line.split()[:3]
            if link not in mapping and target in mapping:
                mapping[link] = mapping[target]
    return mapping


def country_of_zone(zone: str | None) -> str | None:
    """The ISO country whose time zone this is (Europe/Berlin -> DE); None when it has none.

    Zones without a country (UTC, Etc/GMT+5) and unknown names give None, so the caller can
    fall back to its documented default.
    """
    if not isinstance(zone, str) or not zone.strip():
        return None
    try:
        return _zone_countries().get(zone.strip())
    except (OSError, ModuleNotFoundError):  # no tzdata package: no country, not a crash
        return None
