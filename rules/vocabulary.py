"""Marking vocabulary: the controls, compartments and country codes declass knows.

Kept apart from the grammar so that the tables can be read (and exported to a
review UI) without the parsing code. Sources: docs/markings.md 1.3-1.5, 2.4, 2.3-2.6, 2.9.
"""

from __future__ import annotations

#: IC dissemination controls: portion form -> banner (long) form, register order.
DISSEM: dict[str, str] = {
    "RS": "RSEN",
    "FOUO": "FOUO",
    "OC": "ORCON",
    "OC-USGOV": "ORCON-USGOV",
    "IMC": "IMCON",
    "NF": "NOFORN",
    "PR": "PROPIN",
    "REL TO": "REL TO",
    "RELIDO": "RELIDO",
    "EYES": "EYES ONLY",
    "DSEN": "DSEN",
    "FISA": "FISA",
    "DISPLAY ONLY": "DISPLAY ONLY",
}

#: Banner forms written inside a portion (non-standard but unambiguous).
DISSEM_BANNER_ALIASES: dict[str, str] = {
    "RSEN": "RS",
    "ORCON": "OC",
    "ORCON-USGOV": "OC-USGOV",
    "IMCON": "IMC",
    "NOFORN": "NF",
    "PROPIN": "PR",
    "N": "NF",
}

#: Non-IC controls: portion form -> banner form (docs/markings.md 1.3, 1.4).
NON_IC: dict[str, str] = {
    "DS": "LIMDIS",
    "XD": "EXDIS",
    "ND": "NODIS",
    "SBU": "SBU",
    "SBU-NF": "SBU NOFORN",
    "LES": "LES",
    "LES-NF": "LES NOFORN",
    "SSI": "SSI",
}

NON_IC_BANNER_ALIASES: dict[str, str] = {
    "LIMDIS": "DS",
    "EXDIS": "XD",
    "NODIS": "ND",
    "SBU NOFORN": "SBU-NF",
    "LES NOFORN": "LES-NF",
}

#: Full titles that banners may spell out -> (category, portion form)
#: (docs/markings.md 1.4, 1.5 and 2.2).
TITLES: dict[str, tuple[str, str]] = {
    "FOR OFFICIAL USE ONLY": ("dissem", "FOUO"),
    "ORIGINATOR CONTROLLED": ("dissem", "OC"),
    "ORIGINATOR CONTROLLED-USGOV": ("dissem", "OC-USGOV"),
    "NOT RELEASABLE TO FOREIGN NATIONALS": ("dissem", "NF"),
    "RISK SENSITIVE": ("dissem", "RS"),
    "CONTROLLED IMAGERY": ("dissem", "IMC"),
    "CAUTION-PROPRIETARY INFORMATION INVOLVED": ("dissem", "PR"),
    "DEA SENSITIVE": ("dissem", "DSEN"),
    "FOREIGN INTELLIGENCE SURVEILLANCE ACT": ("dissem", "FISA"),
    "RELEASABLE BY INFORMATION DISCLOSURE OFFICIAL": ("dissem", "RELIDO"),
    "LIMITED DISTRIBUTION": ("non_ic", "DS"),
    "EXCLUSIVE DISTRIBUTION": ("non_ic", "XD"),
    "NO DISTRIBUTION": ("non_ic", "ND"),
    "SENSITIVE SECURITY INFORMATION": ("non_ic", "SSI"),
    "SENSITIVE BUT UNCLASSIFIED": ("non_ic", "SBU"),
    "LAW ENFORCEMENT SENSITIVE": ("non_ic", "LES"),
    "TALENT KEYHOLE": ("sci", "TK"),
    "LIMITED OFFICIAL USE": ("extra", "LOU"),
    "CONTROLLED": ("extra", "CUI"),
}

#: Controls on unclassified information: not classifications, but a public
#: release needs a separate (FOIA-style) review of them (docs/markings.md 1.3, 5.2).
CONTROLLED_UNCLASSIFIED: frozenset[str] = frozenset(
    {
        "SBU",
        "SBU NOFORN",
        "FOUO",
        "LOU",
        "LES",
        "LES NOFORN",
        "SSI",
        "CUI",
        "PROPIN",
        "SENSITIVE",
        "UCNI",
        "DOD UCNI",
        "DOE UCNI",
    }
)

#: Controls that forbid any foreign release, whatever else the marking says.
NOFORN_EFFECT: frozenset[str] = frozenset(
    {"NOFORN", "SBU NOFORN", "LES NOFORN", "EXDIS", "NODIS", "STADIS"}
)

#: State cable captions that may stand alone on a line (docs/markings.md 3.3).
#: SIPDIS is a distribution instruction and controls nothing.
CAPTIONS: dict[str, str] = {
    "NOFORN": "NOFORN",
    "NOFORN/SIPDIS": "NOFORN",
    "EXDIS": "EXDIS",
    "NODIS": "NODIS",
    "NODIF": "NODIS",
    "LIMDIS": "LIMDIS",
    "STADIS": "STADIS",
    "SENSITIVE": "SENSITIVE",
    "SENSITIVE BUT UNCLASSIFIED": "SENSITIVE",
    "CHEROKEE": "CHEROKEE",
    "ROGER": "ROGER",
    "DIRGEN": "DIRGEN",
    "SIPDIS": "SIPDIS",
    "SPECAT": "SPECAT",
    "EYES ONLY": "EYES ONLY",
    "SECSTATE FOR": "",
}

#: Captions that restrict nothing and are not carried to portions.
DISTRIBUTION_ONLY: frozenset[str] = frozenset({"SIPDIS", "ROGER", "DIRGEN", "SPECAT"})

#: SCI control systems (docs/markings.md 1.5); compartments follow a hyphen.
#: ``SCI`` alone is the generic form memos write (``TOP SECRET//SCI``).
SCI_SYSTEMS: frozenset[str] = frozenset({"SI", "TK", "HCS", "RSV", "KDK", "BUR", "HUMINT", "SCI"})

#: Atomic Energy Act markings.
AEA: frozenset[str] = frozenset({"RD", "FRD", "DOD UCNI", "DCNI", "DOE UCNI", "UCNI", "TFNI"})

#: NATO levels: portion form -> (level, long form).
NATO_LEVELS: dict[str, tuple[str, str]] = {
    "CTS": ("TS", "COSMIC TOP SECRET"),
    "NS": ("S", "NATO SECRET"),
    "NC": ("C", "NATO CONFIDENTIAL"),
    "NR": ("R", "NATO RESTRICTED"),
    "NU": ("U", "NATO UNCLASSIFIED"),
}

NATO_CONTROLS: frozenset[str] = frozenset({"ATOMAL", "BOHEMIA", "BALK"})

#: Tetragraphs expanded to their members for REL TO intersections.
NATO_MEMBERS: tuple[str, ...] = (
    "ALB", "BEL", "BGR", "CAN", "HRV", "CZE", "DNK", "EST", "FRA", "DEU", "GRC", "HUN",
    "ISL", "ITA", "LVA", "LTU", "LUX", "NLD", "NOR", "POL", "PRT", "ROU", "SVK", "SVN",
    "ESP", "TUR", "GBR", "USA",
)  # fmt: skip

TETRAGRAPHS: dict[str, tuple[str, ...]] = {
    "FVEY": ("USA", "AUS", "CAN", "GBR", "NZL"),
    "ACGU": ("USA", "AUS", "CAN", "GBR"),
    "TEYE": ("USA", "AUS", "GBR"),
    "NATO": NATO_MEMBERS,
    "ISAF": NATO_MEMBERS,
}

#: Country names and informal abbreviations seen in REL lists -> ISO trigraph.
COUNTRY_NAMES: dict[str, str] = {
    "UK": "GBR",
    "BRITAIN": "GBR",
    "UNITED KINGDOM": "GBR",
    "AUSTRALIA": "AUS",
    "CANADA": "CAN",
    "NEW ZEALAND": "NZL",
    "GERMANY": "DEU",
    "FRANCE": "FRA",
    "SPAIN": "ESP",
    "ITALY": "ITA",
    "CHINA": "CHN",
    "JAPAN": "JPN",
    "RUSSIA": "RUS",
    "LATVIA": "LVA",
    "UKRAINE": "UKR",
    "TURKEY": "TUR",
    "PAKISTAN": "PAK",
    "AFGHANISTAN": "AFG",
    "KAZAKHSTAN": "KAZ",
    "TAJIKISTAN": "TJK",
    "ARMENIA": "ARM",
    "BELIZE": "BLZ",
    "KENYA": "KEN",
    "SYRIA": "SYR",
    "LIBYA": "LBY",
    "IRAQ": "IRQ",
    "ISRAEL": "ISR",
    "JORDAN": "JOR",
    "EGYPT": "EGY",
    "SAUDI ARABIA": "SAU",
    "KUWAIT": "KWT",
    "YEMEN": "YEM",
    "ROYG": "YEM",
    "UAE": "ARE",
    "MEXICO": "MEX",
    "COLOMBIA": "COL",
    "INDIA": "IND",
    "KOREA": "KOR",
    "NETHERLANDS": "NLD",
    "POLAND": "POL",
    "GEORGIA": "GEO",
    "AZERBAIJAN": "AZE",
    "UZBEKISTAN": "UZB",
    "KYRGYZSTAN": "KGZ",
    "USA": "USA",
    "US": "USA",
}

#: Classification reason letters (E.O. 12958 1.5 / E.O. 13526 1.4).
REASON_TOPICS: dict[str, str] = {
    "a": "military plans, weapons systems, or operations",
    "b": "foreign government information",
    "c": "intelligence activities, sources or methods, or cryptology",
    "d": "foreign relations or foreign activities of the US, including confidential sources",
    "e": "scientific, technological, or economic matters relating to national security",
    "f": "US Government programs for safeguarding nuclear materials or facilities",
    "g": "vulnerabilities or capabilities of systems, installations, projects, plans or "
    "protection services",
    "h": "weapons of mass destruction",
}
