"""Quoted speech: the quotations of a paragraph, each with its speaker and role when the text around it names them."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from policylens.analyze.splitting import split_sentences

_OPENING_MARKS = ('"', "“", "«", "「")  # every pair of _QUOTE_PAIRS opens with one of these
_QUOTE_PAIRS = re.compile(
    r"“(?P<a>[^“”]{2,3000})”|\"(?P<b>[^\"]{2,3000})\"|«(?P<c>[^«»]{2,3000})»|「(?P<d>[^「」]{2,3000})」"
)
_VERBS = (
    r"(?i:said|says|say|told|tells|added|adds|noted|notes|stated|states|explained|explains|emphasi[sz]ed|emphasi[sz]es|"
    r"stressed|stresses|remarked|wrote|writes|argued|argues|asked|asks|insisted|declared|announced|continued|"
    r"commented|observed|warned|urged|recalled|pointed out|according to)"
)
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
_PARTICLES = ("de", "da", "van", "von", "bin", "al", "del", "la", "le")  # lower-case words inside a name
_NAME = rf"(?P<name>{_CAP}(?:\s+(?:{_CAP}|{'|'.join(_PARTICLES)})){{0,3}})"
_AFTER_VERB_NAME = re.compile(rf"^\s*[,.]?\s*{_VERBS}\s+{_NAME}")
_AFTER_NAME_VERB = re.compile(rf"^\s*[,.]?\s*{_NAME}\s+{_VERBS}\b")
_BEFORE_NAME_VERB = re.compile(rf"{_NAME}(?:,[^,\"“]{{1,120}},)?\s+{_VERBS}(?:\s+\w+){{0,2}}\s*[,:]?\s*$")
_BEFORE_VERB_NAME = re.compile(rf"{_VERBS}\s+{_NAME}(?:,[^\"“]{{1,150}})?[,:]\s*$")
NOT_NAMES = frozenset(
    "The This That These Those It Its We Our I You He She They There Here A An In On At As But And Or If When While "
    "Besides For From To With Over More Some Many Most All Even Although Though However Also".split()
)
QUOTE_MIN_WORDS = 8  # a quotation with no speaker counts as speech only when this long or ending like a sentence


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str  # "" when no sentence names one
    role: str
    paragraph: int
    how: str  # "named after the quote", "named before the quote", "continues <name>'s quote", "speaker not named"

    def as_dict(self) -> dict:
        return asdict(self)  # every field, in order, under its own name


def _clean_name(name: str) -> str:
    words = name.split()
    while words and (words[0] in NOT_NAMES):
        words = words[1:]
    while words and words[-1].lower() in _PARTICLES:
        words = words[:-1]
    return " ".join(words).rstrip(".,'’")


def _role(rest: str) -> str:
    """The role after a speaker's name: ", the Founder & CEO of ..." up to the next quote or the end of the sentence."""
    if not rest.startswith(","):
        return ""
    text = re.split(r"[\"“«「]", rest[1:], maxsplit=1)[0]
    sentences = split_sentences(text.strip())
    role = (sentences[0] if sentences else "").strip().rstrip(",;:").strip()
    last = role.rsplit(" ", 1)[-1]
    if last.endswith(".") and last[:-1].isalpha() and last[:-1].islower():
        role = role[:-1]  # the full stop of the sentence, not of an abbreviation such as "Ltd."
    return role[:150]


def extract_quotes(paragraph: str, number: int) -> list[Quote]:
    """Quotations of one paragraph, with the speaker when the text around them names one."""
    if not any(mark in paragraph for mark in _OPENING_MARKS):
        return []  # most paragraphs quote no one: the pattern is not worth running on them
    quotes: list[Quote] = []
    matches = list(_QUOTE_PAIRS.finditer(paragraph))
    for i, m in enumerate(matches):
        said = next(g for g in m.groups() if g is not None).strip()
        after_end = matches[i + 1].start() if i + 1 < len(matches) else len(paragraph)
        after = paragraph[m.end() : after_end]
        sentence_start = max(paragraph.rfind(". ", 0, m.start()) + 1, matches[i - 1].end() if i else 0)
        before = paragraph[sentence_start : m.start()]
        speaker, role, how = "", "", ""
        found = _AFTER_VERB_NAME.match(after) or _AFTER_NAME_VERB.match(after)
        if found and _clean_name(found.group("name")):
            speaker, how = _clean_name(found.group("name")), "named after the quote"
            role = _role(after[found.end("name") :]) if _AFTER_VERB_NAME.match(after) else ""
        else:
            found = _BEFORE_VERB_NAME.search(before) or _BEFORE_NAME_VERB.search(before)
            if found and _clean_name(found.group("name")):
                speaker, how = _clean_name(found.group("name")), "named before the quote"
                role = _role(before[found.end("name") :].rstrip(" ,:"))
        if not speaker and quotes and quotes[-1].speaker:
            # "…," he said: the person the paragraph last quoted; a quotation alone goes on with that person too.
            speaker, role = quotes[-1].speaker, quotes[-1].role
            how = f"continues {speaker}'s quotation in the same paragraph"
        speech = bool(speaker) or len(said.split()) >= QUOTE_MIN_WORDS or said.rstrip("”\"'’ ")[-1:] in ".,!?…"
        if not speech:
            continue
        quotes.append(Quote(said, speaker, role, number, how or "speaker not named"))
    return quotes
