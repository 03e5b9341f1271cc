"""Generated marked documents whose every line holds a unique token.

The generator knows, for each token, the marking that governs it, so tests can
say from first principles (not from the engine) what a policy must withhold.
Shapes follow the real cables: routing header, letter-spaced banner, captions,
E.O. line, TAGS, SUBJECT, Classified By, numbered paragraphs with marked
sub-paragraphs and bullets, page breaks inside paragraphs, headings, signature.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hypothesis import strategies as st

LEVEL_OF_MARK: dict[str, str] = {
    "(U)": "U",
    "(u)": "U",
    "(C)": "C",
    "(c)": "C",
    "( C )": "C",
    "(S)": "S",
    "(S/NF)": "S",
    "(S//NF)": "S",
    "(C/NF)": "C",
    "(S//REL TO USA, GBR)": "S",
    "(S/REL UK)": "S",
    "(C//REL TO USA, FVEY)": "C",
    "(TS)": "TS",
    "(SBU)": "U",
    "(U//FOUO)": "U",
    "(SBU/NF)": "U",
}
CONTROLLED_MARKS = frozenset({"(SBU)", "(U//FOUO)", "(SBU/NF)"})
RANK = {"U": 0, "C": 1, "S": 2, "TS": 3}
BANNERS = {
    "U": "UNCLAS",
    "C": "C O N F I D E N T I A L",
    "S": "S E C R E T",
    "TS": "T O P S E C R E T",
}
WORDS = ["minister", "embassy", "talks", "said", "would", "delegation", "agreed", "proposal"]


@dataclass
class Portion:
    """One portion as written: its marking (None when unmarked) and its token lines."""

    mark: str | None
    tokens: list[str]
    kind: str = "paragraph"  # paragraph, sub, bullet, continuation, heading, block, subject
    parent_mark: str | None = None


@dataclass
class Cable:
    text: str
    banner_level: str
    captions: list[str]
    decl: str  # date, past, future, oadr, na, event, invalid, missing
    decl_date: dt.date | None
    origin: dt.date
    portions: list[Portion] = field(default_factory=list)

    @property
    def tokens(self) -> list[str]:
        return [t for p in self.portions for t in p.tokens]

    def governing_mark(self, portion: Portion) -> str | None:
        """The marking that governs a portion: its own, or its parent's for sub-items."""
        if portion.mark is not None:
            return portion.mark
        if portion.kind in ("sub", "bullet", "continuation"):
            return portion.parent_mark
        return None

    @property
    def level(self) -> str:
        levels = [self.banner_level] + [
            LEVEL_OF_MARK[p.mark] for p in self.portions if p.mark is not None
        ]
        return max(levels, key=lambda lvl: RANK[lvl])


class _Tokens:
    def __init__(self) -> None:
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"TOK{self.count:04d}X"


def _line(tokens: _Tokens, draw: st.DrawFn, out: list[str]) -> str:
    token = tokens.next()
    out.append(token)
    words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=6))
    return f"{token} {' '.join(words)}"


@st.composite
def cables(draw: st.DrawFn) -> Cable:
    """A cable with random markings, captions, instruction and structure."""
    tokens = _Tokens()
    origin = draw(st.dates(min_value=dt.date(1996, 1, 1), max_value=dt.date(2010, 12, 31)))
    banner_level = draw(st.sampled_from(["U", "C", "S", "C", "S"]))
    captions = draw(st.lists(st.sampled_from(["SIPDIS", "NOFORN", "SENSITIVE"]), unique=True))
    decl = draw(st.sampled_from(["past", "future", "oadr", "na", "event", "invalid", "missing"]))
    decl_date: dt.date | None = None
    lines = [
        "VZCZCXYZ0001",
        "OO RUEHWEB",
        "DE RUEHFR #1234 2371716",
        f"ZN{'R' if banner_level == 'U' else 'Y'} {banner_level[0] * 5} ZZH",
        f"O {origin.day:02d}1716Z {origin.strftime('%b').upper()} {origin.year % 100:02d}",
        "FM AMEMBASSY PARIS",
        "TO RUEHC/SECSTATE WASHDC IMMEDIATE 0001",
        "",
        f"{BANNERS[banner_level]} PARIS 001234",
        "",
    ]
    for caption in captions:
        lines += [caption, ""]
    if decl in ("past", "future"):
        years = draw(st.integers(min_value=1, max_value=25))
        decl_date = origin.replace(year=origin.year + years) if origin.day < 29 else origin
        lines.append(f"E.O. 12958: DECL: {decl_date.strftime('%m/%d/%Y')}")
    elif decl == "oadr":
        lines.append("E.O. 12958: DECL: OADR")
    elif decl == "na":
        lines.append("E.O. 12958: N/A")
    elif decl == "event":
        lines.append("E.O. 12958: DECL: TEN YEARS AFTER THE TREATY")
    elif decl == "invalid":
        lines.append("E.O. 12958: DECL: 13/45/2016")
    lines += ["TAGS: PREL PGOV FR", ""]
    cable = Cable("", banner_level, captions, decl, decl_date, origin)
    subject_mark = draw(st.sampled_from([None, "(U)", "(C)", "(SBU)"]))
    subject_tokens: list[str] = []
    subject = _line(tokens, draw, subject_tokens)
    lines += [f"SUBJECT: {subject_mark + ' ' if subject_mark else ''}{subject}", ""]
    cable.portions.append(Portion(subject_mark, subject_tokens, "subject"))
    if banner_level != "U":
        lines += ["Classified By: Ambassador Jane Roe for reasons 1.4 (b) and (d)", ""]
    count = draw(st.integers(min_value=1, max_value=6))
    for number in range(1, count + 1):
        lines += _paragraph(draw, tokens, cable, number)
    lines += ["ROE", ""]
    cable.text = "\n".join(lines)
    return cable


def stricter(parent: str | None, sibling: str | None) -> str | None:
    """docs/markings.md 2.7: an unmarked sub-item inherits its parent; after a marked sibling
    it must not inherit less than that sibling (same level: NOFORN wins)."""
    if parent is None or sibling is None:
        return parent
    p, q = RANK[LEVEL_OF_MARK[parent]], RANK[LEVEL_OF_MARK[sibling]]
    if p != q:
        return sibling if q > p else parent
    if "NF" in sibling and "NF" not in parent:
        return sibling
    return parent


def _paragraph(draw: st.DrawFn, tokens: _Tokens, cable: Cable, number: int) -> list[str]:
    para_mark = draw(st.sampled_from([None, *LEVEL_OF_MARK]))
    out: list[str] = []
    body = [_line(tokens, draw, out) for _ in range(draw(st.integers(1, 3)))]
    head = f"¶{number}. {para_mark + ' ' if para_mark else ''}"
    lines = [head + body[0], *body[1:]]
    cable.portions.append(Portion(para_mark, out))
    open_mark, sibling = para_mark, None  # the portion text runs on in, and a marked sub-item
    if draw(st.booleans()):
        sub_mark = draw(st.sampled_from([None, "(S/NF)", "(C)", "(U)"]))
        sub_tokens: list[str] = []
        text = _line(tokens, draw, sub_tokens)
        lines.append(f"A. {sub_mark + ' ' if sub_mark else ''}{text}")
        cable.portions.append(Portion(sub_mark, sub_tokens, "sub", parent_mark=para_mark))
        if sub_mark is not None:
            open_mark, sibling = sub_mark, sub_mark
    if draw(st.booleans()):
        bullet_mark = draw(st.sampled_from([None, "(C)", "(U)", "(SBU)"]))
        bullet_tokens: list[str] = []
        text = _line(tokens, draw, bullet_tokens)
        lines.append(f"-- {bullet_mark + ' ' if bullet_mark else ''}{text}")
        inherited = stricter(para_mark, sibling) if sibling is not None else open_mark
        cable.portions.append(Portion(bullet_mark, bullet_tokens, "bullet", parent_mark=inherited))
        open_mark = bullet_mark if bullet_mark is not None else inherited
    if draw(st.booleans()):
        cont_tokens: list[str] = []
        lines += ["", "PARIS 00001234  002 OF 002", "", _line(tokens, draw, cont_tokens)]
        cable.portions.append(Portion(None, cont_tokens, "continuation", parent_mark=open_mark))
    if draw(st.booleans()):
        block_tokens: list[str] = []
        lines += ["", _line(tokens, draw, block_tokens) + "."]
        cable.portions.append(Portion(None, block_tokens, "block"))
    return [*lines, ""]
