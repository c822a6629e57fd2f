"""From (sentence, its correction) to edits: word-level alignment, then a kind and a short message
for each edit, in the words a writer would use."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from edgemodel.issue import Kind

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]|\s+", re.UNICODE)

ARTICLES = {"a", "an", "the"}
PREPOSITIONS = {"in", "on", "at", "to", "for", "of", "with", "by", "from", "about", "into", "onto", "over",
                "under", "between", "among", "through", "during", "since", "until", "towards", "toward", "upon"}
AGREEMENT = [{"is", "are", "am"}, {"was", "were"}, {"has", "have"}, {"does", "do"}, {"doesn't", "don't"},
             {"isn't", "aren't"}, {"wasn't", "weren't"}, {"hasn't", "haven't"}]
CONFUSIONS = [{"their", "there", "they're"}, {"its", "it's"}, {"your", "you're"}, {"then", "than"},
              {"affect", "effect"}, {"affects", "effects"}, {"to", "too", "two"}, {"whose", "who's"},
              {"lose", "loose"}, {"accept", "except"}, {"advice", "advise"}, {"weather", "whether"},
              {"were", "where", "we're"}, {"quiet", "quite"}, {"principal", "principle"}, {"passed", "past"},
              {"brake", "break"}, {"hear", "here"}, {"know", "no", "now"}, {"of", "off"}, {"chose", "choose"},
              {"led", "lead"}, {"peace", "piece"}, {"wear", "where"}, {"witch", "which"}, {"buy", "by", "bye"},
              {"sight", "site", "cite"}, {"compliment", "complement"}, {"stationary", "stationery"}]
# Common irregular verbs: base, past, past participle (and the regularised forms learners write).
_IRREGULAR = """be was were been|begin began begun|break broke broken|bring brought|build built|buy bought|
catch caught|choose chose chosen|come came come|cost cost|cut cut|do did done|draw drew drawn|drink drank drunk|
drive drove driven|eat ate eaten|fall fell fallen|feel felt|fight fought|find found|fly flew flown|forget forgot
forgotten|get got gotten|give gave given|go went gone|grow grew grown|have had|hear heard|hide hid hidden|hit hit|
hold held|hurt hurt|keep kept|know knew known|lead led|leave left|lend lent|let let|lie lay lain|lose lost|
make made|mean meant|meet met|pay paid|put put|read read|ride rode ridden|ring rang rung|rise rose risen|run ran run|
say said|see saw seen|sell sold|send sent|set set|shake shook shaken|shine shone|shoot shot|show showed shown|
shut shut|sing sang sung|sit sat|sleep slept|speak spoke spoken|spend spent|stand stood|steal stole stolen|
stick stuck|swim swam swum|take took taken|teach taught|tear tore torn|tell told|think thought|throw threw thrown|
understand understood|wake woke woken|wear wore worn|win won|write wrote written|feed fed|bite bit bitten|
blow blew blown|freeze froze frozen|forgive forgave forgiven|hang hung|light lit|seek sought|sink sank sunk|
spread spread|strike struck|swear swore sworn|weep wept|wind wound|bear bore born|beat beat beaten|become became|
bend bent|bet bet|bind bound|bleed bled|breed bred|burst burst|deal dealt|dig dug|forbid forbade forbidden|
quit quit|slide slid|spin spun|split split|sting stung|stink stank stunk|undertake undertook undertaken"""
VERB_FORMS: dict[str, str] = {}
for _group in _IRREGULAR.replace("\n", " ").split("|"):
    _forms = _group.split()
    for _f in _forms + [_forms[0] + "ed", _forms[0] + "d", _forms[0].rstrip("e") + "ing"]:
        VERB_FORMS.setdefault(_f, _forms[0])
VERB_FORMS.update({"is": "be", "are": "be", "am": "be", "being": "be", "has": "have", "does": "do", "goes": "go"})
_SUFFIXES = ("", "s", "es", "ed", "d", "ing", "ies", "ied", "er", "est", "ly")
# US/GB spelling variants are both correct: an edit between them is never reported.
_DIALECT = [("or", "our"), ("ize", "ise"), ("yze", "yse"), ("ization", "isation"), ("izing", "ising"),
            ("ized", "ised"), ("er", "re"), ("og", "ogue"), ("ense", "ence"), ("eled", "elled"),
            ("eling", "elling"), ("eler", "eller"), ("ors", "ours"), ("izes", "ises"), ("ers", "res")]


@dataclass(frozen=True)
class Edit:
    start: int          # character offsets in the source sentence
    end: int
    source: str
    target: str
    target_start: int   # and in the corrected sentence
    target_end: int


def tokens(s: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(s)]


def align(src: str, tgt: str) -> list[Edit]:
    """Word-level differences between src and tgt. Whitespace-only differences are not edits; an
    insertion or deletion is widened to a neighbouring word so that it has something to underline."""
    st, tt = tokens(src), tokens(tgt)
    sw = [src[a:b] if not src[a:b].isspace() else " " for a, b in st]
    tw = [tgt[a:b] if not tgt[a:b].isspace() else " " for a, b in tt]
    edits = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, sw, tw, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        # Trim whitespace tokens at the edges: they are not part of the change.
        while i1 < i2 and j1 < j2 and sw[i1] == tw[j1] == " ":
            i1, j1 = i1 + 1, j1 + 1
        while i1 < i2 and j1 < j2 and sw[i2 - 1] == tw[j2 - 1] == " ":
            i2, j2 = i2 - 1, j2 - 1
        if i1 < i2 and j1 < j2 and all(w == " " for w in sw[i1:i2] + tw[j1:j2]):
            continue  # more or less space between the same words: not worth an underline
        # Widen insertions/deletions to the next word (or the previous one at the end), with the
        # space between, so that an underline has a word to sit on.
        if i1 == i2 or j1 == j2 or all(w == " " for w in sw[i1:i2]):
            right = _word_reach(sw, tw, i2, j2, +1)
            left = _word_reach(sw, tw, i1 - 1, j1 - 1, -1)
            changed = [w for w in sw[i1:i2] + tw[j1:j2] if w != " "]
            if changed and _is_punct(changed[0]) and left:  # punctuation belongs to the word before it
                right = 0
            if right:
                i2, j2 = i2 + right, j2 + right
            elif left:
                i1, j1 = i1 - left, j1 - left
        s0 = st[i1][0] if i1 < len(st) else len(src)
        s1 = st[i2 - 1][1] if i2 > i1 else s0
        t0 = tt[j1][0] if j1 < len(tt) else len(tgt)
        t1 = tt[j2 - 1][1] if j2 > j1 else t0
        # The same leading/trailing whitespace on both sides is not part of the change.
        while s0 < s1 and t0 < t1 and src[s0].isspace() and src[s0] == tgt[t0]:
            s0, t0 = s0 + 1, t0 + 1
        while s0 < s1 and t0 < t1 and src[s1 - 1].isspace() and src[s1 - 1] == tgt[t1 - 1]:
            s1, t1 = s1 - 1, t1 - 1
        edits.append(Edit(s0, s1, src[s0:s1], tgt[t0:t1], t0, t1))
    return merge_adjacent(edits, src, tgt)


def _word_reach(sw, tw, i, j, step) -> int:
    """How many equal tokens from (i, j) in direction `step` reach the first word (0: none)."""
    n = 0
    while 0 <= i < len(sw) and 0 <= j < len(tw) and sw[i] == tw[j]:
        n += 1
        if sw[i] != " ":
            return n
        i, j = i + step, j + step
    return 0


def _sentence_break(p: Edit, e: Edit, src: str, tgt: str) -> bool:
    """A stop put in or taken out, and the next word's capital ("friend, his" -> "friend. His"): one
    change, or either half could be shown without the other ("friend, His")."""
    return (src[p.end:e.start].isspace() and tgt[p.target_end:e.target_start].isspace()
            and bool(set(p.source + p.target) & set(".!?")) and e.source.lower() == e.target.lower())


def merge_adjacent(edits: list[Edit], src: str, tgt: str) -> list[Edit]:
    """Edits that touch or overlap (after widening), or make one sentence break, are one change."""
    out: list[Edit] = []
    for e in edits:
        if out and (e.start <= out[-1].end or e.target_start <= out[-1].target_end
                    or _sentence_break(out[-1], e, src, tgt)):
            p = out.pop()
            s0, t0 = min(p.start, e.start), min(p.target_start, e.target_start)
            s1, t1 = max(p.end, e.end), max(p.target_end, e.target_end)
            e = Edit(s0, s1, src[s0:s1], tgt[t0:t1], t0, t1)
        out.append(e)
    return out


def _words(s: str) -> list[str]:
    return re.findall(r"\w+(?:['’]\w+)*", s.lower())


def _is_punct(s: str) -> bool:
    return bool(s.strip()) and not re.search(r"\w", s)


def is_dialect_variant(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    for us, gb in _DIALECT:
        for x, y in ((us, gb), (gb, us)):
            if a.endswith(x) and b.endswith(y) and a[:-len(x)] == b[:-len(y)] and len(a) - len(x) >= 2:
                return True
    # traveled/travelled, modeling/modelling...
    return a.replace("ll", "l") == b.replace("ll", "l") and a != b and len(a) > 5


def _same_stem(a: str, b: str) -> bool:
    """Inflections of one word (go/goes, apple/apples, walk/walked, study/studies, big/bigger, buy/bought)."""
    if a in VERB_FORMS and VERB_FORMS[a] == VERB_FORMS.get(b):
        return True
    for sa in _SUFFIXES:
        for sb in _SUFFIXES:
            if sa != sb and a.endswith(sa) and b.endswith(sb):
                ra, rb = a[:len(a) - len(sa)] if sa else a, b[:len(b) - len(sb)] if sb else b
                undoubled_a = ra[:-1] if len(ra) > 2 and ra[-1] == ra[-2] else ra
                undoubled_b = rb[:-1] if len(rb) > 2 and rb[-1] == rb[-2] else rb
                if ra and (ra == rb or ra.rstrip("e") == rb.rstrip("e") or ra.rstrip("y") == rb.rstrip("i")
                           or ra.rstrip("i") == rb.rstrip("y") or undoubled_a == undoubled_b) and len(ra) >= 2:
                    return True
    return False


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()


def is_inflection(edit: Edit) -> bool:
    """One word changed into another form of itself: "deaths" -> "death", "obtaining" -> "obtain"."""
    sw, tw = _words(edit.source), _words(edit.target)
    return len(sw) == len(tw) == 1 and sw != tw and _same_stem(sw[0], tw[0])


def removes_comma(edit: Edit) -> bool:
    """Only commas taken out: "and, then" -> "and then"."""
    return "," in edit.source and edit.source.replace(",", "").strip() == edit.target.strip()


def classify(edit: Edit) -> tuple[Kind, str]:
    """The kind of an edit and a short message for the writer."""
    src, tgt = edit.source, edit.target
    sw, tw = _words(src), _words(tgt)
    q = f"“{tgt.strip()}”"
    if src.lower() == tgt.lower():
        first = next((c for c in tgt if c.isalpha()), "")
        return Kind.CAPITALIZATION, ("Capitalize this word" if first.isupper() else "Use lowercase here") \
            if len(sw) <= 1 else "Capitalization"
    if sw == tw:
        if "".join(src.split()) == "".join(tgt.split()):
            return Kind.PUNCTUATION, "Missing space" if len(tgt) > len(src) else "Unnecessary space"
        added = [c for c in tgt if not c.isalnum() and not c.isspace()]
        removed = [c for c in src if not c.isalnum() and not c.isspace()]
        if "," in removed and "." in added:
            return Kind.PUNCTUATION, "Two sentences joined by a comma: start a new one"
        if "," in added and "," not in removed:
            return Kind.PUNCTUATION, "Possible missing comma"
        if "," in removed and "," not in added:
            return Kind.PUNCTUATION, "Unnecessary comma"
        if "'" in added or "’" in added:
            return Kind.PUNCTUATION, "Missing apostrophe"
        if added == ["."] and tgt.rstrip().endswith("."):
            return Kind.PUNCTUATION, "Missing period"
        if set("?!.") & set(added):
            return Kind.PUNCTUATION, f"Punctuation: use {q}"
        return Kind.PUNCTUATION, "Punctuation"
    if _is_punct(src) or _is_punct(tgt):
        return Kind.PUNCTUATION, "Punctuation"
    if len(sw) == len(tw) + 1 and len(set(sw)) < len(sw) and sorted(set(sw)) == sorted(set(tw)):
        return Kind.GRAMMAR, "Repeated word"
    if sorted(sw) == sorted(tw):
        return Kind.GRAMMAR, "Word order"
    extra = [w for w in sw if w not in tw]
    missing = [w for w in tw if w not in sw]
    if not missing and extra:
        if set(extra) <= ARTICLES:
            return Kind.GRAMMAR, "Unnecessary article"
        if set(extra) <= PREPOSITIONS:
            return Kind.GRAMMAR, "Unnecessary preposition"
        return Kind.GRAMMAR, "Unnecessary word" if len(extra) == 1 else "Unnecessary words"
    if not extra and missing:
        m = "“" + " ".join(missing) + "”"
        if set(missing) <= ARTICLES:
            return Kind.GRAMMAR, f"Missing article {m}"
        if set(missing) <= PREPOSITIONS:
            return Kind.GRAMMAR, f"Missing preposition {m}"
        return Kind.GRAMMAR, f"Missing word {m}" if len(missing) == 1 else f"Missing words {m}"
    if len(extra) == 1 and len(missing) == 1:
        a, b = extra[0], missing[0]
        if {a, b} <= ARTICLES:
            return Kind.GRAMMAR, f"Article: use “{b}”"
        if {a, b} <= PREPOSITIONS:
            return Kind.GRAMMAR, f"Preposition: use “{b}”"
        if any({a, b} <= group for group in AGREEMENT):
            return Kind.GRAMMAR, f"Subject–verb agreement: use “{b}”"
        if any({a, b} <= group for group in CONFUSIONS):
            return Kind.WORD_CHOICE, f"Did you mean “{b}”?"
        if a.replace("'", "").replace("’", "") == b.replace("'", "").replace("’", ""):
            return Kind.PUNCTUATION, "Missing apostrophe" if len(b) > len(a) else "Unnecessary apostrophe"
        if a.replace(" ", "") == b.replace(" ", "") or src.replace(" ", "").lower() == tgt.replace(" ", "").lower():
            return Kind.SPELLING, "This should be written as one word" if " " in src else "This should be two words"
        if _same_stem(a, b):
            if (a.endswith("s") != b.endswith("s")) and not (a.endswith("ss") or b.endswith("ss")):
                return Kind.GRAMMAR, f"Agreement: use “{b}”"
            if a in VERB_FORMS or b in VERB_FORMS or b.endswith(("ed", "ing")) or a.endswith(("ed", "ing")):
                return Kind.GRAMMAR, f"Verb form: use “{b}”"
            return Kind.GRAMMAR, f"Word form: use “{b}”"
        if _similar(a, b) >= 0.6:
            return Kind.SPELLING, "Possible spelling mistake"
        return Kind.WORD_CHOICE, f"Consider “{b}”"
    if src.replace(" ", "").lower() == tgt.replace(" ", "").lower():
        return Kind.SPELLING, "This should be written as one word" if len(sw) > len(tw) else "This should be two words"
    if len(sw) + len(tw) > 6:
        return Kind.STYLE, "Consider rephrasing"
    return Kind.GRAMMAR, "Grammar"
