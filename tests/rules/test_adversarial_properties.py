"""Composed adversarial documents never release a token of a portion the policy withholds.

Hypothesis builds documents out of the pieces that broke marking readers:
numbering leads and bullets, quoted replies and table pipes, marks wrapped
over a line end, paragraphs collapsed onto one line, a ``Classified By`` line
with the first paragraph glued to it, banners that are odd, spaced, damaged or
missing, and marks spelled in lower case, with extra spaces, damaged, in
full width, with Cyrillic look-alikes or with invisible characters inside.
Every portion holds a unique token whose reading is known from how the
document was composed; the oracle in tests/adversarial_docs.py (the same one
the document sweep uses) says which tokens each policy must withhold, on both
sides of the declassification date.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.adversarial_docs import (
    FORMATS,
    POLICIES,
    RANK,
    Document,
    Portion,
    Truth,
    check,
    describe,
)

# No shrinking: a composed document is already small (one to six portions), and
# shrinking one that leaks re-runs every policy, date and format hundreds of times.
SETTINGS = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: A reviewer's reading -> the ways documents spell it.
MARKS: dict[str, tuple[str, ...]] = {
    "U": ("(U)",),
    "C": ("(C)", "(Confidential)"),
    "S": ("(S)", "(SECRET)"),
    "TS": ("(TS)",),
    "S//NF": ("(S//NF)", "(S/NF)", "(S NF)", "(SECRET//NOFORN)"),
    "C//NF": ("(C//NF)", "(C/NF)"),
    "S//REL TO USA, GBR": ("(S//REL TO USA, GBR)", "(S/REL UK)"),
    "S//REL TO USA, FVEY": ("(S//REL TO USA, FVEY)",),
    "C//REL TO USA, AUS": ("(C//REL TO USA, AUS)",),
    "U//FOUO": ("(U//FOUO)", "(FOUO)"),
    "U//SBU": ("(SBU)", "(U//SBU)"),
    "U//LES": ("(LES)",),
    "U//LOU": ("(LOU)",),
    "S//FGI GBR": ("(//GBR S)",),
}
BANNERS: dict[str, tuple[str, ...]] = {
    "U": ("UNCLASSIFIED", "UNCLAS", "Unclassified"),
    "C": ("CONFIDENTIAL", "C O N F I D E N T I A L", "Confidential", "C ONFIDENTIAL"),
    "S": ("SECRET", "S E C R E T", "Secret", "SE C R E T"),
    "S//NF": ("SECRET//NOFORN", "Secret/Noforn", "SECRET NOFORN", "Classification: SECRET//NOFORN"),
    "TS": ("TOP SECRET", "Top Secret", "T O P S E C R E T"),
    "U//FOUO": ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "UNCLASSIFIED//FOUO"),
    "U//CUI": ("CUI", "CUI//SP-PRVCY"),
}
LEADS = (
    "", "1. ", "2.3 ", "(1) ", "ii. ", "Para 3. ", "– ", "▪ ", "+ ", "# ", "Q: ", "1/ ",
    "[2] ", "¹ ", "• ", "-- ", "a) ", "A. ", "¶4. ",
)  # fmt: skip
QUOTES = ("", "> ", ">> ", "| ")
WORDS = (
    "minister", "convoy", "délégation", "réunion", "harbour", "Élysée", "ledger",
    "naïve", "courier", "agreed", "tanker", "inspection", "façade", "route",
)  # fmt: skip
DECL_LINES = ("E.O. 12958: DECL: {mdy}", "Declassify On: {ymd}", "DECL: {mdy}")
LOOKALIKES = str.maketrans({"S": "Ѕ", "C": "С", "T": "Т", "E": "Е", "O": "О", "N": "Ν"})
FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def _spellings() -> dict[str, Callable[[str], str]]:
    """Ways a mark or banner is written that a reviewer still reads the same."""
    return {
        "plain": lambda m: m,
        "lower": str.lower,
        "spaced": lambda m: m.replace("(", "( ").replace(")", " )").replace("//", " // "),
        "damaged": lambda m: m.removeprefix("("),
        "full-width": lambda m: m.translate(FULL_WIDTH),
        "look-alike": lambda m: m.translate(LOOKALIKES),
        "zero-width": lambda m: m[:1] + "\u200b" + m[1:],
        "soft-hyphen": lambda m: m[:2] + "\u00ad" + m[2:],
        "word-joiner": lambda m: m[:-1] + "\u2060" + m[-1:],
        "bidi": lambda m: "\u202a" + m + "\u202c",
    }


SPELLINGS = _spellings()


def _token(level: str, number: int) -> str:
    return f"TKN-{level[0]}-{number:04d}"


@st.composite
def composed(draw: st.DrawFn) -> Document:
    """One document, with the reviewer's reading of every token in it."""
    banner_key = draw(st.sampled_from([None, *BANNERS]))
    banner = Truth.read(banner_key) if banner_key else None
    decl = draw(st.none() | st.dates(dt.date(2001, 1, 1), dt.date(2030, 12, 31)))
    spell = draw(st.sampled_from(sorted(SPELLINGS)))
    lines: list[str] = []
    if banner_key:
        lines += [SPELLINGS[spell](draw(st.sampled_from(BANNERS[banner_key]))), ""]
    decl_line = ""
    if decl is not None:
        form = draw(st.sampled_from(DECL_LINES))
        decl_line = form.format(mdy=decl.strftime("%m/%d/%Y"), ymd=decl.strftime("%Y%m%d"))
        if draw(st.booleans()):
            lines += [decl_line, ""]
            decl_line = ""
    glued = draw(st.booleans())
    count = draw(st.integers(1, 6))
    keys = draw(st.lists(st.sampled_from([None, *MARKS]), min_size=count, max_size=count))
    if glued:  # the first paragraph glued to the Classified By line, as cables have it
        keys[0] = keys[0] or "C"
    top = max((RANK[Truth.read(k).level] for k in keys if k), default=0)
    fallback = banner or Truth.read(next(lv for lv, r in RANK.items() if r == top))
    tokens: dict[str, Portion] = {}
    previous: tuple[Truth, ...] = ()
    body = "Classified By: Political Counselor, reasons 1.4 (b) and (d)." if glued else ""
    for index, key in enumerate(keys):
        join = draw(st.sampled_from(["\n\n", "\n", " "])) if index else " " if glued else ""
        readings: tuple[Truth, ...]
        if key:
            readings = (Truth.read(key),)
        elif join == " " and previous:
            readings = previous  # on the same line: it reads as the portion before it
        else:
            readings = tuple(dict.fromkeys((fallback, *previous)))
        previous = readings
        # A quote prefix or a table pipe starts a line, never the middle of one.
        quote = "" if join == " " else draw(st.sampled_from(QUOTES))
        mark = ""
        lead = draw(st.sampled_from(LEADS))
        spelling = "unmarked"
        if key:
            spelling = draw(st.sampled_from(sorted(SPELLINGS)))
            mark = draw(st.sampled_from(MARKS[key]))
            if spelling != "damaged" or len(mark) > 3 or lead[:1].isdigit():
                # "C) text" alone is a list label; "7. C) text" is a damaged mark
                mark = SPELLINGS[spelling](mark)
            else:
                spelling = "plain"
        words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=5))
        number = 8000 + 10 * index
        first = _token(readings[0].level, number)
        text = " ".join(filter(None, [lead + mark, words[0], first, *words[1:]])) + "."
        wrap = draw(st.sampled_from(["none", "mark", "body"]))
        traits = (
            f"mark {spelling}",
            f"lead {lead.strip() or 'none'}",
            f"quote {quote.strip() or 'none'}",
            f"wrap {wrap if wrap != 'mark' or '/' in mark else 'none'}",
            "glued to Classified By" if index == 0 and glued else f"join {join!r}",
        )
        tokens[first] = Portion(readings, traits)
        if wrap == "mark" and "/" in mark:  # "(S//" at a line end, "NF) text" on the next
            cut = text.index("/", len(lead)) + 1
            while text[cut] == "/":
                cut += 1
            text = text[:cut] + "\n" + quote + text[cut:]
        elif wrap == "body":
            second = _token(readings[0].level, number + 1)
            tokens[second] = Portion(readings, traits)
            text += f"\n{quote}{draw(st.sampled_from(WORDS))} {second} followed."
        body += join + quote + text + (" |" if quote == "| " else "")
    lines.append(body)
    if decl_line:
        lines += ["", decl_line]
    if banner_key and draw(st.booleans()):
        lines += ["", SPELLINGS[spell](BANNERS[banner_key][0])]
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    return Document("composed", "composed", text.encode("utf-8"), banner, decl, tokens)


@given(doc=composed())
@SETTINGS
def test_composed_document_never_releases_a_withheld_token(doc: Document) -> None:
    for policy in POLICIES:
        for as_of in doc.as_of_dates():
            for fmt in FORMATS:
                result = check(doc, policy, as_of, fmt)
                where = f"under {policy} as of {as_of} in {fmt}:\n{doc.data.decode()}"
                assert result.crash is None, f"crashed with {result.crash} {where}"
                assert not result.leaked, f"over-released {describe(doc, result.leaked)} {where}"
