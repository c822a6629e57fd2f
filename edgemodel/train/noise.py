"""On-the-fly synthetic error generator: clean sentence -> realistic erroneous sentence.

Training pairs are (noisy, clean). `ErrorGenerator.corrupt` only returns the noisy side; the
clean sentence is never modified.

Design
------
* The sentence is split by `TOKEN_RE` into word / whitespace / single-character tokens so that
  `"".join(tokens) == sentence` exactly. Each error edits the content of one or two tokens in
  place (a deleted word becomes "" together with one neighbouring whitespace token, an
  inserted word is glued into a neighbouring token), so everything outside the corrupted
  words is kept byte for byte. Edited tokens are locked so errors never overlap.
* Error types are drawn by weight (`DEFAULT_WEIGHTS`); a type that has no candidate in the
  sentence is dropped and another is drawn. The number of errors is geometric (mostly 1-3,
  more for long sentences); a `keep_clean` share of sentences is returned unchanged.
* Injected misspellings / typos are never valid words of the en_US or en_GB Hunspell
  dictionaries, and no replacement (misspelling, confusion, inflection, ...) may be a US/GB
  spelling variant of the original (`is_dialect_variant`): the model must never learn to
  convert one dialect into the other. Deliberate real-word errors come only from confusion
  sets and grammar rules (their/there, goes/go, a/an, apple/apples, ...).
* Everything that affects output depends only on the `random.Random` passed in (tables are
  lists/dicts built in file order; no iteration over sets), so corruption is reproducible
  across processes regardless of PYTHONHASHSEED.
"""
from __future__ import annotations

import json
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Callable, Iterable, Sequence

# ---------------------------------------------------------------------------------------------
# Tokenisation and case helpers
# ---------------------------------------------------------------------------------------------

# words (letters/digits with internal apostrophes: don't, O'Brien, it’s), whitespace runs,
# or any other single character. findall() partitions the string, so joining is exact.
TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\s+|.", re.S)

ERROR_TYPES: tuple[str, ...] = (
    "spelling",        # real misspellings (codespell, cspell, TOEFL-Spell, Birkbeck)
    "typo",            # keyboard / character slips: adjacent key, transposition, deletion, doubling
    "confusion",       # real-word confusions: their/there, its/it's, then/than, affect/effect ...
    "article",         # a/an/the missing, extra, wrong, a<->an
    "preposition",     # wrong / missing / extra preposition
    "agreement",       # subject-verb agreement: is/are, has/have, goes/go
    "verb_form",       # tense / form: went->goed, gone<->went, been<->being, to play->to playing
    "noun_number",     # apple<->apples, informations, childs
    "missing_word",    # dropped function word
    "extra_word",      # inserted function word, "more bigger"
    "repeat_word",     # "the the"
    "word_order",      # adjacent words swapped
    "punctuation",     # commas dropped/inserted, final mark missing/wrong, space before comma
    "apostrophe",      # dont, Johns, apple's
    "capitalization",  # lower-case sentence start / proper noun, "i", random capital
    "split_merge",     # alot, every one, in front -> infront
    "learner",         # a slip real learners made where its correction stands: on->in, lives->life, a dropped "the"
)

# Relative weights per drawn error (normalised), near the error-type shares of learner
# English (W&I+LOCNESS train M2): punctuation 17%, determiners 11%, prepositions 10%,
# verbs 12%, spelling+orthography 9%. Spelling stays above its learner share because
# typos are most of what native writers get wrong.
DEFAULT_WEIGHTS: dict[str, float] = {
    "spelling": 0.12,
    "typo": 0.08,
    "confusion": 0.08,
    "article": 0.11,
    "preposition": 0.09,
    "agreement": 0.07,
    "verb_form": 0.08,
    "noun_number": 0.06,
    "missing_word": 0.04,
    "extra_word": 0.03,
    "repeat_word": 0.015,
    "word_order": 0.02,
    "punctuation": 0.12,
    "apostrophe": 0.025,
    "capitalization": 0.05,
    "split_merge": 0.02,
    "learner": 0.07,
}

_WORD_CHARS = re.compile(r"^[A-Za-z][A-Za-z'’-]*$")
def case_like(src: str, new: str) -> str:
    """Give `new` the capitalisation pattern of `src` (UPPER, Title, or as-is) and its apostrophe style."""
    if not new:
        return new
    if "’" in src:
        new = new.replace("'", "’")
    letters = [c for c in src if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return new.upper()
    if src[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def _lower_first(tok: str) -> str:
    return tok[:1].lower() + tok[1:]


def _upper_first(tok: str) -> str:
    return tok[:1].upper() + tok[1:]


def _levenshtein(a: str, b: str, limit: int = 1 << 30) -> int:
    """Edit distance; returns limit + 1 as soon as it is known to exceed `limit`."""
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    if len(a) - len(b) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        left = i
        best = i
        for j, cb in enumerate(b, 1):
            x = prev[j - 1] + (ca != cb)
            y = prev[j] + 1
            if y < x:
                x = y
            y = left + 1
            if y < x:
                x = y
            cur.append(x)
            left = x
            if x < best:
                best = x
        if best > limit:
            return limit + 1
        prev = cur
    return prev[-1]


# ---------------------------------------------------------------------------------------------
# US/GB dialect variants
# ---------------------------------------------------------------------------------------------

# GB-form regex -> US form (applied to a lower-cased word); whole families such as
# tyre/tyres/tyred map onto the US family so any pair inside a family compares equal.
_DIALECT_STEMS: list[tuple[re.Pattern, str]] = [(re.compile(p), r) for p, r in [
    (r"^grey", "gray"), (r"^tyre", "tire"), (r"^kerb", "curb"), (r"^cheque", "check"),
    (r"^storey", "story"), (r"^draught", "draft"), (r"^plough", "plow"), (r"^mould", "mold"),
    (r"^moult", "molt"), (r"^smoulder", "smolder"), (r"^programme", "program"),
    (r"^aluminium", "aluminum"), (r"sulph", "sulf"), (r"^pyjama", "pajama"),
    (r"^jewellery", "jewelry"), (r"^whisky", "whiskey"), (r"^whiskies", "whiskeys"),
    (r"^tonne", "ton"), (r"^disc(?=s?$)", "disk"), (r"^axe$", "ax"),
    (r"^practis", "practic"), (r"^licens", "licenc"), (r"^licenc", "licens"),
    (r"^defence", "defense"), (r"^offence", "offense"), (r"^pretence", "pretense"),
    (r"^mum(?=(s|my|mies)?$)", "mom"), (r"^sceptic", "skeptic"), (r"^artefact", "artifact"),
    (r"^cos(?=(y|ier|iest|ily|iness|ies)$)", "coz"), (r"^doughnut", "donut"), (r"^gaol", "jail"),
    (r"^annexe", "annex"), (r"dgement", "dgment"), (r"^ageing", "aging"), (r"^manoeuv", "maneuv"),
    (r"^fulfil(?!l)", "fulfill"), (r"^enrol(?!l)", "enroll"), (r"^distil(?!l)", "distill"),
    (r"^instil(?!l)", "instill"), (r"^enthral(?!l)", "enthrall"), (r"^appal(?!l)", "appall"),
    (r"^instal(?!l)", "install"), (r"^skilful", "skillful"), (r"^wilful", "willful"),
    (r"^woollen", "woolen"), (r"^learnt$", "learned"), (r"^spelt$", "spelled"),
    (r"^burnt$", "burned"), (r"^dreamt$", "dreamed"), (r"^leant$", "leaned"),
    (r"^leapt$", "leaped"), (r"^smelt$", "smelled"), (r"^spilt$", "spilled"),
    (r"^spoilt$", "spoiled"), (r"^knelt$", "kneeled"), (r"^dwelt$", "dwelled"),
    (r"^gotten$", "got"), (r"^(to|after|back|for|up|down|out|in)wards$", r"\1ward"),
    (r"^amongst$", "among"), (r"^whilst$", "while"), (r"^aeroplane", "airplane"),
    (r"^arse", "ass"), (r"^cypher", "cipher"), (r"^dyke", "dike"), (r"^enquir", "inquir"),
    (r"^fiord", "fjord"), (r"^glycerine", "glycerin"), (r"^liquorice", "licorice"),
    (r"^omelette", "omelet"), (r"^pedlar", "peddler"), (r"^tsar", "czar"), (r"^yog(?:ho|h)urt", "yogurt"),
    (r"^moustache", "mustache"), (r"^carburett", "carburet"), (r"^chilli", "chili"),
    (r"^furore", "furor"), (r"^nought", "naught"), (r"^maths$", "math"), (r"^speciality", "specialty"),
    (r"^behove", "behoove"), (r"^mediaeval", "medieval"),
]]
_DIALECT_RULES: list[tuple[re.Pattern, str]] = [(re.compile(p), r) for p, r in [
    # -our/-or: colour, honourable, favourite, behaviour (not four/your/hour: >=2 letters before)
    (r"(?<=[a-z][a-z])our(?=(s|ed|ing|ite|ites|itism|able|ably|ful|fully|less|er|ers|ism|isms|ist"
     r"|ists|hood|hoods|ly|y|ise|ize|ised|ized|ises|izes|ising|izing|isation|ization|al)?$)", "or"),
    # -ise/-ize, -yse/-yze, -isation/-ization
    (r"(?<=[a-z][a-z])is(?=(e|ed|es|ing|er|ers|ation|ations|ational|able)$)", "iz"),
    (r"(?<=[a-z])ys(?=(e|ed|es|ing|er|ers|ation)$)", "yz"),
    # -re/-er: centred/centring first, then centre, fibre, metres, litre
    (r"(?<=[bt])r(?=(ed|ing)$)", "er"),
    (r"(?<=[bcdgtv])re(?=(s|d)?$)", "er"),
    # -ogue/-og
    (r"ogue(?=(s|d)?$)", "og"),
    (r"ogu(?=(ed|ing|er|ers)$)", "og"),
    # ae/oe: encyclopaedia, anaemia, foetus, oestrogen
    (r"ae(?!$)", "e"),
    (r"oe(?=[bcdfgklmnpqrtvz])", "e"),
    # -eable: likeable/likable, sizeable (not noticeable/changeable)
    (r"(?<=[^cg])eable", "able"),
]]
# travelled/traveled, counsellor, labelling (polysyllabic base, unstressed last syllable)
_DOUBLE_L = re.compile(r"^(.*[aeiouy].*[aeiou])ll(ed|ing|er|ers|ery|ous|ously|ation|or|ors|ment|ments)$")
# one search tells whether any rule can apply (most words: none), which keeps loading fast
_DIALECT_TRIGGER = re.compile("|".join(f"(?:{rx.pattern})" for rx, _ in _DIALECT_STEMS + _DIALECT_RULES)
                              + "|" + _DOUBLE_L.pattern)
_STEM_PREFIXES = tuple(sorted({re.match(r"[a-z]*", rx.pattern[1:]).group() for rx, _ in _DIALECT_STEMS
                                 if rx.pattern.startswith("^") and rx.pattern[1:2].isalpha()}))
_SUFFIXES = tuple(a + b for a in ("is", "ys") for b in ("e", "ed", "es", "ing", "er", "ers", "ation", "ations",
                                                        "ational", "able")) \
    + tuple(c + "re" + e for c in "bcdgtv" for e in ("", "s", "d")) \
    + tuple(c + "r" + e for c in "bt" for e in ("ed", "ing")) \
    + tuple("ogu" + e for e in ("e", "es", "ed", "ing", "er", "ers")) + ("wards",)


def _may_vary(w: str) -> bool:
    """Cheap necessary condition for any dialect rule to apply (keeps loading fast)."""
    return ("our" in w or "ae" in w or "oe" in w or "ll" in w or "eable" in w or "sulph" in w
            or "dgement" in w or w.endswith(_SUFFIXES) or w.startswith(_STEM_PREFIXES))


_norm_cache: dict[str, str] = {}


def dialect_norm(word: str) -> str:
    """Map a word onto a spelling shared by its US and GB variants (colour -> color, centre -> center)."""
    w = word.lower()
    r = _norm_cache.get(w)
    if r is not None:
        return r
    if not _may_vary(w) or not _DIALECT_TRIGGER.search(w):
        return w
    r = w
    for rx, rep in _DIALECT_STEMS:
        r = rx.sub(rep, r)
    for rx, rep in _DIALECT_RULES:
        r = rx.sub(rep, r)
    m = _DOUBLE_L.match(r)
    if m:
        r = m.group(1) + "l" + m.group(2)
    if len(_norm_cache) < 500_000:
        _norm_cache[w] = r
    return r


def is_dialect_variant(a: str, b: str) -> bool:
    """True if a and b (case-insensitively different) are US/GB spelling variants of each other."""
    a, b = a.lower(), b.lower()
    if a == b or abs(len(a) - len(b)) > 3:
        return False
    return dialect_norm(a) == dialect_norm(b)


# ---------------------------------------------------------------------------------------------
# Static lists (small, curated)
# ---------------------------------------------------------------------------------------------

# Frequent real-word confusions (not, or not only, in the homophone database), with selection
# weights: a group's weight is how likely one of its words is picked when it occurs (homophone
# database groups weigh 1). Very frequent words (to, of, and) weigh less so they don't dominate.
CURATED_CONFUSIONS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("their", "there", "they're"), 10), (("its", "it's"), 10), (("your", "you're"), 10),
    (("then", "than"), 8), (("affect", "effect"), 8), (("affects", "effects"), 8),
    (("affected", "effected"), 6), (("to", "too"), 1), (("whose", "who's"), 8), (("lose", "loose"), 8),
    (("losing", "loosing"), 6), (("accept", "except"), 6), (("weather", "whether"), 6),
    (("quiet", "quite"), 6), (("advice", "advise"), 6), (("lead", "led"), 4), (("passed", "past"), 5),
    (("were", "where", "we're"), 4), (("of", "off"), 0.5), (("breath", "breathe"), 5),
    (("choose", "chose"), 5), (("desert", "dessert"), 4), (("principal", "principle"), 5),
    (("stationary", "stationery"), 5), (("complement", "compliment"), 5), (("farther", "further"), 3),
    (("which", "witch"), 1), (("hear", "here"), 5), (("know", "no", "now"), 3), (("new", "knew"), 3),
    (("right", "write"), 4), (("week", "weak"), 4), (("piece", "peace"), 4), (("threw", "through"), 3),
    (("through", "thorough", "though"), 3), (("though", "thought"), 4), (("brake", "break"), 4),
    (("site", "sight", "cite"), 4), (("allowed", "aloud"), 3), (("are", "our"), 2), (("form", "from"), 1),
    (("bought", "brought"), 4), (("lose", "loss"), 4), (("live", "life"), 3), (("later", "latter"), 5),
    (("personal", "personnel"), 5), (("beside", "besides"), 4), (("council", "counsel"), 4),
    (("emigrate", "immigrate"), 4), (("eminent", "imminent"), 4), (("adverse", "averse"), 4),
    (("elicit", "illicit"), 4), (("discreet", "discrete"), 4), (("role", "roll"), 3), (("sole", "soul"), 3),
    (("waist", "waste"), 3), (("wander", "wonder"), 4), (("whole", "hole"), 3), (("wood", "would"), 2),
    (("wear", "where", "were"), 2), (("buy", "by"), 1.5), (("one", "won"), 1.5), (("hour", "our"), 2),
    (("an", "and"), 0.4), (("as", "has"), 0.4), (("want", "won't"), 2), (("that", "than"), 0.4),
    (("everyday", "every day"), 4), (("awhile", "a while"), 3), (("dose", "does"), 2),
    (("sense", "since"), 3), (("cloths", "clothes"), 4), (("lightning", "lightening"), 4),
    (("precede", "proceed"), 4), (("conscience", "conscious"), 4), (("among", "between"), 1.5),
    (("fewer", "less"), 3), (("many", "much"), 2), (("who", "which"), 1), (("whom", "who"), 3),
    (("lay", "lie"), 2), (("laid", "lain"), 3), (("rise", "raise"), 3), (("sit", "set"), 1.5),
    (("assure", "ensure", "insure"), 3), (("anyway", "anyways"), 2), (("maybe", "may be"), 3),
    (("into", "in to"), 1),
)

SUBJECT_PLURAL = frozenset("i you we they".split())
SUBJECT_SINGULAR = frozenset("he she it this that there".split())
MODALS = frozenset("can could will would shall should may might must".split())
DO_FORMS = frozenset("do does did don't doesn't didn't".split())
BE_FORMS = frozenset("is are was were be been being am".split())
SG_DETERMINERS = frozenset("a an one this that every each another either neither".split())
PL_DETERMINERS = frozenset("these those many several few both various numerous two three four five six seven eight nine ten".split())
DETERMINERS = frozenset("a an the this that these those my your his her its our their some any no every each "
                        "another many much several few both all".split())
OBJECT_STARTS = frozenset("the a an his her their my our your its this that these those him them me us it".split())
ARTICLES = ("a", "an", "the")
STOPWORDS = frozenset(
    "a an the this that these those my your his her its our their me him us them i you he she it we they "
    "mine yours hers ours theirs who whom whose which what where when why how there here and or but nor so "
    "yet if than then as because although though while whether not no yes all any both each either neither "
    "every few many much more most some such other another own same one ones none nothing something "
    "anything everything is are was were be been being am has have had do does did will would shall should "
    "can could may might must ought per via vs also only just very too even still already again ever never "
    "in on at to for of with by from about into onto over under through during since until between within "
    "among across against after before upon towards toward without around behind beyond near off out up down "
    "like unlike except zero one two three four five six seven eight nine ten eleven twelve twenty "
    "hundred thousand million billion".split())

MIN_LEARNER_SLIPS = 2    # a learner slip seen once is not a pattern
MIN_LEARNER_SEEN = 20    # a key's slip rate is not trusted on fewer occurrences than this
# Annotators also rewrite what an essay means ("has any chance" -> "has not any chance", "her" -> "his"
# from the essay's context): as injected slips these would teach changes no reader could check.
NEGATIONS = frozenset("not no never nothing none nobody nowhere neither nor cannot".split())
PERSONS = tuple(frozenset(g.split()) for g in (
    "i me my mine myself", "we us our ours ourselves", "you your yours yourself yourselves",
    "he him his himself", "she her hers herself", "it its itself they them their theirs themselves"))
# stopwords that say something: a learner does not drop them (an annotator adds them)
MEANING_WORDS = NEGATIONS | frozenset(
    "only also even still already again ever very too just all every each both either more most many much "
    "few some any same own other another yes zero one two three four five six seven eight nine ten eleven "
    "twelve twenty hundred thousand million billion".split())


def _changes_meaning(key: tuple[str, ...], slip: tuple[str, ...]) -> bool:
    """Writing `slip` where `key` is right would change what the sentence says, not how well."""
    if not slip:   # a dropped word: only a function word that carries no meaning of its own
        return len(key) > 1 or key[0] not in STOPWORDS or key[0] in MEANING_WORDS
    negated = [any(w in NEGATIONS or w.endswith("n't") for w in words) for words in (key, slip)]
    persons = [{k for k, group in enumerate(PERSONS) for w in words if w in group} for words in (key, slip)]
    return negated[0] != negated[1] or bool(persons[0] and persons[1] and persons[0] != persons[1])


def _lower(token: str) -> str:
    """How learner slips are keyed: lower case, one apostrophe."""
    return token.lower().replace("’", "'")


def _lower_words(sentence: str) -> list[str]:
    return [_lower(w) for w in TOKEN_RE.findall(sentence) if not w.isspace()]


# agreement swaps (lower-case); contractions included
AGREEMENT_SWAPS: dict[str, tuple[str, ...]] = {
    "is": ("are",), "are": ("is",), "was": ("were",), "were": ("was",), "am": ("is", "are"),
    "has": ("have",), "have": ("has",), "does": ("do",), "do": ("does",),
    "isn't": ("aren't",), "aren't": ("isn't",), "wasn't": ("weren't",), "weren't": ("wasn't",),
    "hasn't": ("haven't",), "haven't": ("hasn't",), "doesn't": ("don't",), "don't": ("doesn't",),
    "this": ("these",), "these": ("this",), "that": ("those",), "those": ("that",),
}

# prepositions commonly confused, with the usual substitutes first
PREP_CONFUSIONS: dict[str, tuple[str, ...]] = {
    "in": ("on", "at", "into", "to", "with", "for", "of"),
    "on": ("in", "at", "about", "onto", "for", "to"),
    "at": ("in", "on", "to", "for", "with"),
    "to": ("for", "in", "at", "with", "into", "on", "of"),
    "for": ("to", "of", "since", "during", "about", "in", "with"),
    "of": ("for", "from", "about", "in", "on", "to", "with"),
    "with": ("by", "to", "for", "of", "in", "at"),
    "by": ("with", "from", "in", "on", "at"),
    "from": ("of", "by", "since", "than", "to"),
    "about": ("of", "on", "for", "in"),
    "into": ("in", "to", "on"),
    "onto": ("on", "to"),
    "over": ("above", "on", "in"),
    "under": ("below", "in"),
    "through": ("by", "across", "in", "with"),
    "during": ("in", "for", "on", "while"),
    "since": ("for", "from"),
    "until": ("to", "till", "by"),
    "between": ("among", "in"),
    "within": ("in", "inside"),
    "among": ("between", "in"),
    "across": ("through", "over", "in"),
    "against": ("to", "with", "for"),
    "after": ("since", "from"),
    "before": ("until", "ago"),
    "upon": ("on",),
    "towards": ("to", "for"),
    "toward": ("to", "for"),
}
STOPWORDS = STOPWORDS | frozenset(PREP_CONFUSIONS)
PREP_INSERT = ("to", "about", "of", "for", "on", "in", "with", "at", "from")
PREP_INSERT_W = (0.3, 0.16, 0.12, 0.12, 0.08, 0.08, 0.06, 0.05, 0.03)

MISSING_WORD_W: dict[str, float] = {
    "to": 3, "is": 3, "are": 2.5, "was": 2, "were": 1.5, "be": 2, "that": 2.5, "of": 2, "it": 2,
    "have": 1.5, "has": 1.5, "had": 1, "will": 1.5, "would": 1, "can": 1, "there": 1, "been": 1.5,
    "do": 1, "does": 1, "did": 1, "and": 1.5, "for": 1, "in": 1, "on": 1, "at": 0.8, "with": 0.8,
    "i": 0.7, "we": 0.7, "they": 0.7, "he": 0.5, "she": 0.5, "you": 0.5, "am": 1, "by": 0.5,
    "as": 0.8, "which": 0.5, "who": 0.5, "than": 0.5, "if": 0.3, "so": 0.3, "also": 0.3,
}
EXTRA_WORDS = ("the", "to", "of", "that", "is", "be", "it", "a", "for", "very", "and", "in", "will", "also")
EXTRA_WORDS_W = (3, 2.5, 1.5, 1.5, 1, 1, 1, 1.5, 1, 0.7, 0.8, 0.8, 0.5, 0.5)

# uncountable nouns learners pluralise
UNCOUNTABLE = ("information", "advice", "furniture", "equipment", "knowledge", "luggage", "baggage",
               "homework", "evidence", "research", "progress", "traffic", "feedback", "software",
               "stuff", "vocabulary", "behaviour", "behavior", "scenery", "machinery", "jewellery",
               "jewelry", "clothing", "weather", "music", "money", "news", "garbage", "rubbish",
               "pollution", "accommodation", "transportation", "grammar", "wealth", "health")
NOUN_NUMBER_SKIP = frozenset("data media criteria agenda news series species means headquarters".split())

# two words -> wrongly merged
CURATED_MERGES: tuple[tuple[str, str], ...] = (
    ("a lot", "alot"), ("at least", "atleast"), ("in front", "infront"), ("as well", "aswell"),
    ("each other", "eachother"), ("even though", "eventhough"), ("in fact", "infact"),
    ("of course", "ofcourse"), ("thank you", "thankyou"), ("no one", "noone"), ("in case", "incase"),
    ("in spite", "inspite"), ("every time", "everytime"), ("high school", "highschool"),
    ("a little", "alittle"), ("as soon", "assoon"), ("in order", "inorder"), ("all the", "allthe"),
    ("a bit", "abit"), ("so much", "somuch"), ("at all", "atall"), ("each one", "eachone"),
    ("no longer", "nolonger"), ("at the", "atthe"), ("of the", "ofthe"),
    ("in the", "inthe"), ("to the", "tothe"), ("on the", "onthe"), ("and the", "andthe"),
    ("it is", "itis"), ("is a", "isa"), ("would be", "wouldbe"), ("has been", "hasbeen"),
)
# one word -> wrongly split. Left out on purpose: cannot/can not, forever/for ever, any more/anymore
# (both spellings are standard, at least in one dialect).
CURATED_SPLITS: tuple[tuple[str, str], ...] = (
    ("everyone", "every one"), ("everything", "every thing"), ("everybody", "every body"),
    ("someone", "some one"), ("something", "some thing"), ("sometimes", "some times"),
    ("somewhere", "some where"), ("somehow", "some how"), ("anyone", "any one"),
    ("anything", "any thing"), ("anybody", "any body"), ("anywhere", "any where"),
    ("nobody", "no body"), ("nothing", "no thing"), ("already", "all ready"),
    ("altogether", "all together"), ("without", "with out"), ("within", "with in"),
    ("however", "how ever"), ("themselves", "them selves"), ("myself", "my self"),
    ("yourself", "your self"), ("itself", "it self"), ("himself", "him self"),
    ("herself", "her self"), ("ourselves", "our selves"), ("into", "in to"), ("onto", "on to"),
    ("throughout", "through out"), ("because", "be cause"), ("today", "to day"),
    ("tomorrow", "to morrow"), ("tonight", "to night"), ("whatever", "what ever"),
    ("wherever", "where ever"), ("whenever", "when ever"), ("although", "all though"),
    ("nevertheless", "never the less"), ("furthermore", "further more"), ("nowadays", "now a days"),
    ("online", "on line"), ("another", "an other"), ("meanwhile", "mean while"),
    ("otherwise", "other wise"), ("moreover", "more over"), ("weekend", "week end"), ("homework", "home work"),
    ("classroom", "class room"), ("bedroom", "bed room"), ("basketball", "basket ball"),
    ("football", "foot ball"), ("newspaper", "news paper"), ("upon", "up on"), ("indeed", "in deed"),
    ("maybe", "may be"), ("outside", "out side"), ("inside", "in side"), ("upstairs", "up stairs"),
    ("afternoon", "after noon"),
    ("grandmother", "grand mother"), ("grandfather", "grand father"), ("background", "back ground"),
    ("worldwide", "world wide"), ("countryside", "country side"), ("lifestyle", "life style"),
    ("itself", "its self"), ("whereas", "where as"), ("thereby", "there by"), ("hereby", "here by"),
)
_SPLIT_MIN_ZIPF = 4.0
# second halves of closed compounds that learners write apart (foot ball, class room, any way)
_COMPOUND_HEADS = ("ball", "room", "work", "time", "where", "thing", "body", "self", "side", "day",
                   "way", "book", "land", "house", "light", "line", "port", "paper", "ground",
                   "wide", "stairs", "board", "life", "style", "place", "shop", "town", "yard", "week",
                   "end", "hood", "ward", "wards", "door", "fall", "water", "fire", "air", "bed", "school",
                   "man", "men", "woman", "women", "hand", "head", "sun", "snow", "rain", "wind", "out",
                   "over", "mate", "friend", "craft", "field", "weight", "mark", "case", "piece",
                   "box", "bird", "fly", "boat", "car", "way", "made", "wise", "note", "word", "phone")
_COMPOUND_HEADS_BY_LEN = tuple(sorted(set(_COMPOUND_HEADS), key=lambda h: (-len(h), h)))

_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _keyboard_neighbours() -> dict[str, str]:
    pos = {c: (r, i) for r, row in enumerate(_KEYBOARD_ROWS) for i, c in enumerate(row)}
    out: dict[str, str] = {}
    for c, (r, i) in pos.items():
        nb = []
        for dr, di in ((0, -1), (0, 1), (-1, 0), (-1, 1), (1, -1), (1, 0)):
            rr, ii = r + dr, i + di
            if 0 <= rr < 3 and 0 <= ii < len(_KEYBOARD_ROWS[rr]):
                nb.append(_KEYBOARD_ROWS[rr][ii])
        out[c] = "".join(nb)
    return out


KEY_NEIGHBOURS = _keyboard_neighbours()


def _regular_past(base: str) -> str:
    if base.endswith("e"):
        return base + "d"
    if len(base) > 2 and base.endswith("y") and base[-2] not in "aeiou":
        return base[:-1] + "ied"
    return base + "ed"


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

# verb slots in the inflection table
BASE, PAST, PP, ING, S3 = range(5)


@dataclass
class NoiseTables:
    """Everything the generator needs, as plain in-memory structures (buildable from fixtures)."""
    valid: frozenset = frozenset()                                    # Hunspell words (exact case), US+GB
    us_only: frozenset = frozenset()                                  # lower-case words only in en_US
    gb_only: frozenset = frozenset()                                  # lower-case words only in en_GB
    zipf: dict = field(default_factory=dict)                          # lower word -> Zipf frequency
    misspellings: dict = field(default_factory=dict)                  # correct -> (wrong spellings, weights)
    confusions: dict = field(default_factory=dict)                    # word -> (alternatives, weights)
    confusion_boost: dict = field(default_factory=dict)               # word -> selection weight
    verbs: list = field(default_factory=list)                         # [(base, past, pp, ing, s3)], each a tuple of variants
    verb_forms: dict = field(default_factory=dict)                    # form -> tuple of (verb idx, slots tuple)
    irregular_verbs: frozenset = frozenset()                          # verb idx with irregular past
    noun_plural: dict = field(default_factory=dict)                   # singular -> plural
    noun_singular: dict = field(default_factory=dict)                 # plural -> singular
    article_nouns: frozenset = frozenset()                            # noun-only forms (article insertion)
    comparatives: dict = field(default_factory=dict)                  # bigger -> "more", biggest -> "most"
    prepositions: tuple = ()                                          # single-word prepositions
    merges: dict = field(default_factory=dict)                        # (w1, w2) lower -> merged
    splits: dict = field(default_factory=dict)                        # word lower -> "w1 w2"
    learner: dict = field(default_factory=dict)                       # (1-2 lower words) -> (rate, slips, weights)

    # -- validity --------------------------------------------------------------------------------
    def is_valid(self, w: str) -> bool:
        v = self.valid
        return w in v or w.lower() in v or w.capitalize() in v

    def dialect(self, w: str) -> str:
        """"us" / "gb" if the word is in only one of the two dictionaries, else ""."""
        w = w.lower()
        return "us" if w in self.us_only else "gb" if w in self.gb_only else ""

    def crosses_dialect(self, a: str, b: str) -> bool:
        """Replacing a by b would swap dialects (or the two are spelling variants)."""
        da, db = self.dialect(a), self.dialect(b)
        return bool(da and db and da != db) or is_dialect_variant(a, b)

    # -- loading ---------------------------------------------------------------------------------
    @classmethod
    def load(cls, lexical_dir: Path | str, min_zipf: float = 3.0, verbose: bool = False,
             learner_pairs: Iterable[tuple[str, str]] = ()) -> "NoiseTables":
        """`learner_pairs`: real (learner sentence, correction) pairs to learn slips from (see
        `_build_learner_patterns`); none, and the "learner" error type never applies."""
        d = Path(lexical_dir)
        t0 = time.time()
        dicts: dict[str, set[str]] = {}
        for name in ("en_US", "en_GB"):
            dic = d / "hunspell" / f"{name}.dic"
            dicts[name] = expand_hunspell(dic, d / "hunspell" / f"{name}.aff") if dic.exists() else set()
        valid = dicts["en_US"] | dicts["en_GB"]
        us_low = {w.lower() for w in dicts["en_US"]}
        gb_low = {w.lower() for w in dicts["en_GB"]}
        zipf = read_wordfreq(d / "wordfreq_en_top100k_zipf.tsv")
        t = cls(valid=frozenset(valid), zipf=zipf, us_only=frozenset(us_low - gb_low) if gb_low else frozenset(),
                gb_only=frozenset(gb_low - us_low) if us_low else frozenset())
        del dicts, us_low, gb_low
        t._build_misspellings(d)
        t._build_confusions(d / "atd" / "homophonedb.txt")
        t._build_inflections(d / "pyinflect_infl.csv", min_zipf)
        t._build_prepositions(d / "atd" / "prepositions.txt")
        t._build_split_merge()
        t._build_learner_patterns(learner_pairs)
        if verbose:
            print(f"noise tables loaded in {time.time() - t0:.1f}s: {len(t.valid)} valid words, "
                  f"{len(t.misspellings)} misspelt words, {len(t.confusions)} confusables, "
                  f"{len(t.verbs)} verbs, {len(t.noun_plural)} nouns", file=sys.stderr)
        return t

    # misspellings ----------------------------------------------------------------------------------
    def _build_misspellings(self, d: Path) -> None:
        # (wrong, right, source) with source 0: first suggestion of a list, 1: secondary suggestion,
        # 2: real learner misspelling. Sources 1 and 2 must be close to the word; learner
        # misspellings are drawn 3x as often as list entries.
        pairs: list[tuple[str, str, int]] = []
        p = d / "codespell_dictionary.txt"
        if p.exists():
            for line in p.read_text(encoding="utf-8").splitlines():
                pairs.extend((w, r, int(k > 0)) for k, (w, r) in enumerate(_parse_arrow(line)))
        p = d / "cspell_common_misspellings_en.json"
        if p.exists():
            data = json.loads(p.read_text(encoding="utf-8"))
            for dd in data.get("dictionaryDefinitions", [data]):
                for key in ("flagWords", "suggestWords"):
                    for line in dd.get(key, []):
                        pairs.extend((w, r, int(k > 0)) for k, (w, r) in enumerate(_parse_arrow(line)))
        p = d / "toefl_spell_annotations.tsv"
        if p.exists():
            for line in p.read_text(encoding="utf-8").splitlines()[1:]:
                cols = line.split("\t")
                if len(cols) >= 5 and cols[3].startswith("M"):
                    pairs.append((cols[2].strip(), cols[4].strip(), 2))
        p = d / "birkbeck_missp.dat"
        if p.exists():
            right = None
            for line in p.read_text(encoding="utf-8", errors="replace").splitlines():
                line = line.strip()
                if line.startswith("$"):
                    right = line[1:]
                elif line and right:
                    pairs.append((line, right, 2))
        out: dict[str, dict[str, float]] = {}
        seen: set[tuple[str, str]] = set()
        for wrong, right, source in pairs:
            if right.islower():
                wrong = wrong.lower()
            if (wrong, right) in seen:
                if source == 2 and wrong in out.get(right, {}):
                    out[right][wrong] = 3.0
                continue
            seen.add((wrong, right))
            if len(right) <= 2 or not (_WORD_CHARS.match(wrong) and _WORD_CHARS.match(right)):
                continue   # entries for "to", "of", "an" are odd (rto, og, un); the typo type covers them
            if wrong.lower() == right.lower() or self.is_valid(wrong) or is_dialect_variant(wrong, right):
                continue
            wl, rl = wrong.lower(), right.lower()
            if source:
                limit = max(2, round(0.4 * len(right)))
                if len(wrong) < 2 or _levenshtein(wl, rl, limit) > limit:
                    continue
            if self.dialect(rl) and _levenshtein(dialect_norm(wl), dialect_norm(rl)) < _levenshtein(wl, rl):
                continue   # "taveled" for "travelled" carries the other dialect's spelling
            out.setdefault(right, {})[wrong] = 3.0 if source == 2 else 1.0
        self.misspellings = {k: (tuple(v), tuple(v.values())) for k, v in out.items()}

    # confusions ------------------------------------------------------------------------------------
    def _build_confusions(self, path: Path) -> None:
        groups: list[tuple[tuple[str, ...], float, bool]] = [(g, w, True) for g, w in CURATED_CONFUSIONS if w > 0]
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip() or line.startswith("#"):
                    continue
                g = tuple(w.strip() for w in line.split(",") if w.strip())
                # homophones of function words (in/inn, for/four, a/eh) are not realistic slips
                g = tuple(w for w in g if w.islower() and _WORD_CHARS.match(w) and w not in STOPWORDS)
                if len(g) >= 2:
                    groups.append((g, 1.0, False))
        alts: dict[str, dict[str, float]] = {}
        boost: dict[str, float] = {}
        for g, wt, curated in groups:
            for w in g:
                if " " in w:
                    continue
                for o in g:
                    if o == w or is_dialect_variant(w, o):
                        continue
                    if curated:
                        aw = 1.0
                    else:
                        z = self.zipf.get(o, 0.0)
                        if z < 3.0 or self.zipf.get(w, 0.0) < 3.0:   # obscure homophones ("e'er", "wen")
                            continue
                        aw = z - 2.0
                    prev = alts.setdefault(w, {})
                    prev[o] = max(prev.get(o, 0.0), aw)
                if w in alts:
                    boost[w] = max(boost.get(w, 0.0), wt)
        self.confusions = {w: (tuple(a), tuple(a.values())) for w, a in alts.items() if a}
        self.confusion_boost = {w: boost[w] for w in self.confusions}

    # inflections -----------------------------------------------------------------------------------
    def _build_inflections(self, path: Path, min_zipf: float) -> None:
        if not path.exists():
            return
        z = self.zipf
        verbs: list[tuple[tuple[str, ...], ...]] = []
        forms: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
        irregular: set[int] = set()
        noun_lemmas: dict[str, None] = {}
        verb_or_adj_words: set[str] = set()
        nouns_pl: dict[str, str] = {}
        nouns_sg: dict[str, str] = {}
        comparatives: dict[str, str] = {}
        rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]
        for cols in rows:
            if len(cols) < 3:
                continue
            lemma, pos = cols[0], cols[1]
            if not lemma.isalpha() or not lemma.islower() or z.get(lemma, 0.0) < min_zipf:
                continue
            if pos == "V" and len(cols) == 6 and lemma != "be":
                if lemma in STOPWORDS and lemma not in ("do", "have"):
                    continue
                slots = [[v for v in c.split("/") if v] for c in cols[2:6]]
                if slots[1] == ["<>"]:
                    slots[1] = slots[0]
                slots = [[v for v in vs if v.isalpha() and (self.is_valid(v) or not self.valid)] for vs in slots]
                variants = [[lemma]] + slots  # base, past, pp, ing, s3
                if any(not v for v in variants):
                    continue
                idx = len(verbs)
                verbs.append(tuple(tuple(v) for v in variants))
                if variants[PAST][0] != _regular_past(lemma) or variants[PP][0] != variants[PAST][0]:
                    irregular.add(idx)
                per_form: dict[str, list[int]] = {}
                for s, vs in enumerate(variants):
                    for v in vs:
                        per_form.setdefault(v, []).append(s)
                for f, ss in per_form.items():
                    forms.setdefault(f, []).append((idx, tuple(ss)))
                    verb_or_adj_words.add(f)
            elif pos == "N" and len(cols) == 3:
                pls = [v for v in cols[2].split("/") if v and v.isalpha() and v not in STOPWORDS
                       and (self.is_valid(v) or not self.valid) and z.get(v, 0.0) >= max(2.5, z.get(lemma, 0.0) - 2.5)]
                if not pls or lemma in NOUN_NUMBER_SKIP or lemma in STOPWORDS:
                    continue
                noun_lemmas[lemma] = None
                if pls[0] != lemma:
                    nouns_pl.setdefault(lemma, pls[0])
                    for pl in pls:
                        if pl != lemma and pl.isalpha():
                            nouns_sg.setdefault(pl, lemma)
            elif pos == "A" and len(cols) == 4:
                verb_or_adj_words.add(lemma)
                comp = cols[2].split("/")[0]
                sup = cols[3].split("/")[0]
                if z.get(comp, 0.0) >= 2.5 and comp.endswith("er") or comp in ("better", "worse"):
                    comparatives.setdefault(comp, "more")
                if z.get(sup, 0.0) >= 2.5 and sup.endswith("est") or sup in ("best", "worst"):
                    comparatives.setdefault(sup, "most")
        self.verbs = verbs
        self.verb_forms = {f: tuple(v) for f, v in forms.items()}
        self.irregular_verbs = frozenset(irregular)
        # do not treat "better"/"more" etc. as nouns to pluralise
        self.noun_plural = {k: v for k, v in nouns_pl.items() if k not in comparatives}
        self.noun_singular = {k: v for k, v in nouns_sg.items() if k not in comparatives and k not in nouns_pl}
        art = [w for w in noun_lemmas if w not in verb_or_adj_words]
        art += [nouns_pl[w] for w in art if w in nouns_pl and nouns_pl[w] not in verb_or_adj_words]
        self.article_nouns = frozenset(art)
        self.comparatives = comparatives

    def _build_prepositions(self, path: Path) -> None:
        preps: list[str] = []
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                w = line.strip()
                if w and " " not in w and w.isalpha() and w in PREP_CONFUSIONS:
                    preps.append(w)
        self.prepositions = tuple(dict.fromkeys(preps or PREP_CONFUSIONS))

    def _build_learner_patterns(self, pairs: Iterable[tuple[str, str]]) -> None:
        """The word-level slips in real learner sentences, keyed by their correction: ("on",) -> "in"
        (304 times in W&I+FCE train), ("lives",) -> "life", ("the",) -> "" (dropped). Only real-word
        slips (misspellings have their own lists), of one or two words, seen at least twice (once may
        be one writer's or one annotator's whim). A key's rate, slips per occurrence in the corrected
        text ("lives" 0.18, "the" 0.05, "and" 0.009), weighs where in a sentence a slip goes."""
        slips: Counter = Counter()
        seen: Counter = Counter()
        for src, tgt in pairs:
            a, b = _lower_words(src), _lower_words(tgt)
            seen.update((w,) for w in b)
            seen.update(zip(b, b[1:]))
            for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
                key, slip = tuple(b[j1:j2]), tuple(a[i1:i2])
                if op != "equal" and 1 <= len(key) <= 2 and len(slip) <= 2 \
                        and all(w[:1].isalpha() for w in key + slip):
                    slips[key, slip] += 1
        kept: dict[tuple, list[tuple[str, int]]] = {}
        for (key, slip), n in slips.items():   # first-seen order: deterministic
            if n < MIN_LEARNER_SLIPS or _changes_meaning(key, slip):
                continue
            if not all(map(self.is_valid, slip)) or any(self.crosses_dialect(x, y) for x in key for y in slip):
                continue
            kept.setdefault(key, []).append((" ".join(slip), n))
        self.learner = {key: (sum(n for _, n in found) / max(seen[key], MIN_LEARNER_SEEN),
                              tuple(w for w, _ in found), tuple(n for _, n in found))
                        for key, found in kept.items()}

    def _build_split_merge(self) -> None:
        for two, one in CURATED_MERGES:
            a, b = two.split(" ")
            self.merges.setdefault((a, b), one)
        for one, two in CURATED_SPLITS:
            self.splits.setdefault(one, two)


def _parse_arrow(line: str) -> list[tuple[str, str]]:
    """`wrong->right1, right2,` (codespell / cspell) -> [(wrong, right1), (wrong, right2)]."""
    line = line.strip()
    if "->" not in line or line.startswith("#"):
        return []
    wrong, _, rhs = line.partition("->")
    wrong = wrong.strip()
    out = []
    for r in rhs.split(","):
        r = r.strip()
        if r and " " not in r:
            out.append((wrong, r))
    return out


def read_wordfreq(path: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            w, _, f = line.partition("\t")
            try:
                out[w] = float(f)
            except ValueError:
                continue
    return out


def expand_hunspell(dic: Path, aff: Path) -> set[str]:
    """All surface forms of a Hunspell dictionary (prefix/suffix rules with cross products).

    Good enough for English dictionaries without continuation classes or compounding."""
    rules: dict[str, tuple[str, bool, list]] = {}
    if aff.exists():
        for line in aff.read_text(encoding="utf-8-sig", errors="replace").splitlines():
            parts = line.split()
            if len(parts) < 4 or parts[0] not in ("SFX", "PFX"):
                continue
            kind, flag = parts[0], parts[1]
            if flag not in rules and parts[2] in ("Y", "N") and len(parts) == 4:
                rules[flag] = (kind, parts[2] == "Y", [])
                continue
            if len(parts) >= 4 and flag in rules:
                strip = "" if parts[2] == "0" else parts[2]
                add = parts[3].split("/")[0]
                add = "" if add == "0" else add
                cond = parts[4] if len(parts) > 4 else "."
                try:
                    rx = re.compile(cond + "$" if kind == "SFX" else "^" + cond)
                except re.error:
                    continue
                rules[flag][2].append((strip, add, rx))
    out: set[str] = set()
    lines = dic.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    for i, line in enumerate(lines):
        line = line.strip()
        if not line or (i == 0 and line.isdigit()):
            continue
        word, _, flags = line.split()[0].partition("/")   # en_GB lines may carry tab-separated morphology
        out.add(word)
        if not flags:
            continue
        suffixed: list[str] = []
        prefixes = []
        for fl in flags:
            r = rules.get(fl)
            if r is None:
                continue
            kind, cross, entries = r
            if kind == "PFX":
                prefixes.append(r)
                continue
            for strip, add, rx in entries:
                if rx.search(word) and (not strip or word.endswith(strip)):
                    nw = (word[: len(word) - len(strip)] if strip else word) + add
                    out.add(nw)
                    if cross:
                        suffixed.append(nw)
        for kind, cross, entries in prefixes:
            for strip, add, rx in entries:
                if rx.search(word) and (not strip or word.startswith(strip)):
                    out.add(add + word[len(strip):])
                    if cross:
                        for s in suffixed:
                            out.add(add + s[len(strip):])
    return out


# ---------------------------------------------------------------------------------------------
# Per-sentence state
# ---------------------------------------------------------------------------------------------

_OPENERS = frozenset("(\"“‘'[{")
_CLOSERS = frozenset(",.;:!?)\"”’']}")


class _Sent:
    __slots__ = ("toks", "words", "locked", "first", "n_words", "solo")

    def __init__(self, sentence: str):
        self.toks: list[str] = TOKEN_RE.findall(sentence)
        self.words: list[int] = [i for i, t in enumerate(self.toks) if t[:1].isalnum()]
        self.locked: set[int] = set()
        self.first: int = next((i for i in self.words if self.toks[i][:1].isalpha()), -1)
        self.n_words = len(self.words)
        t, n = self.toks, len(self.toks)
        # words standing alone (not inside "single-player", "3/4", "e.g"): safe to delete, move or insert at
        self.solo: frozenset[int] = frozenset(
            i for i in self.words
            if (i == 0 or t[i - 1].isspace() or t[i - 1] in _OPENERS)
            and (i == n - 1 or t[i + 1].isspace() or t[i + 1] in _CLOSERS))

    def free_words(self) -> list[int]:
        lk = self.locked
        return [i for i in self.words if i not in lk]

    def free_solo(self) -> list[int]:
        lk, so = self.locked, self.solo
        return [i for i in self.words if i not in lk and i in so]

    def next_word(self, i: int) -> int:
        """Index of the word token following token i if only whitespace separates them, else -1."""
        t = self.toks
        j = i + 1
        if j < len(t) and t[j].isspace():
            j += 1
            if j < len(t) and t[j][:1].isalnum():
                return j
        return -1

    def prev_word(self, i: int) -> int:
        t = self.toks
        j = i - 1
        if j >= 0 and t[j].isspace():
            j -= 1
            if j >= 0 and t[j][:1].isalnum():
                return j
        return -1


# ---------------------------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------------------------

class ErrorGenerator:
    def __init__(self, lexical_dir: Path | str | None = None, seed: int = 0, keep_clean: float = 0.2,
                 weights: dict[str, float] | None = None, max_errors: int = 6,
                 tables: NoiseTables | None = None, learner_pairs: Iterable[tuple[str, str]] = ()):
        if tables is None:
            if lexical_dir is None:
                raise ValueError("need lexical_dir or tables")
            tables = NoiseTables.load(lexical_dir, learner_pairs=learner_pairs)
        self.t = tables
        self.rng = random.Random(seed)
        self.keep_clean = keep_clean
        self.max_errors = max_errors
        w = dict(DEFAULT_WEIGHTS)
        if weights:
            unknown = set(weights) - set(ERROR_TYPES)
            if unknown:
                raise ValueError(f"unknown error types: {sorted(unknown)}")
            w.update(weights)
        self.weights = w
        self._ops: dict[str, Callable[[_Sent, random.Random], bool]] = {
            name: getattr(self, "_op_" + name) for name in ERROR_TYPES
        }

    @classmethod
    def from_tables(cls, tables: NoiseTables, **kwargs) -> "ErrorGenerator":
        return cls(tables=tables, **kwargs)

    # -- public ----------------------------------------------------------------------------------
    def corrupt(self, sentence: str, rng: random.Random | None = None,
                types: Sequence[str] | None = None) -> tuple[str, list[str]]:
        """Return (noisy sentence, error types applied). `types` forces those types (once each,
        in order, no keep_clean); a forced type with no candidate in the sentence is skipped."""
        rng = rng if rng is not None else self.rng
        if not sentence:
            return sentence, []
        if types is None and rng.random() < self.keep_clean:
            return sentence, []
        st = _Sent(sentence)
        if not st.words:
            # nothing but punctuation/whitespace: at most a punctuation slip
            plan = list(types) if types is not None else ["punctuation"]
            plan = [p for p in plan if p == "punctuation"]
        elif types is not None:
            plan = list(types)
        else:
            plan = None
        applied: list[str] = []
        if plan is not None:
            for name in plan:
                if name not in self._ops:
                    raise ValueError(f"unknown error type {name!r}")
                if self._ops[name](st, rng):
                    applied.append(name)
        else:
            n = self._n_errors(st.n_words, rng)
            names = list(ERROR_TYPES)
            wts = [self.weights.get(nm, 0.0) for nm in names]
            while len(applied) < n and names:
                k = rng.choices(range(len(names)), weights=wts)[0] if sum(wts) > 0 else None
                if k is None:
                    break
                if self._ops[names[k]](st, rng):
                    applied.append(names[k])
                else:
                    del names[k], wts[k]
        out = "".join(st.toks)
        if out == sentence:
            return sentence, []
        return out, applied

    def _n_errors(self, n_words: int, rng: random.Random) -> int:
        cap = max(1, min(self.max_errors, 1 + n_words // 4))
        # learners make about one error in 5-6 words; this gives about one in 8 for a 20-word sentence
        cont = min(0.65, 0.3 + 0.015 * n_words)
        n = 1
        while n < cap and rng.random() < cont:
            n += 1
        return n

    # -- helpers ---------------------------------------------------------------------------------
    def _pos_cap(self, st: _Sent, i: int) -> bool:
        """Token i is the sentence's first word and capitalised only because of its position."""
        if i != st.first:
            return False
        tok = st.toks[i]
        return (tok[:1].isupper() and tok[1:] == tok[1:].lower() and tok != "I"
                and not tok.startswith(("I'", "I’")) and tok.lower() in self.t.valid
                and tok not in self.t.valid)   # "May", "Bill", "Spencer" may be names: keep them capitalised

    def _replace(self, st: _Sent, i: int, new: str) -> bool:
        old = st.toks[i]
        if not new or new == old or self.t.crosses_dialect(old, new.split(" ", 1)[0]):
            return False
        st.toks[i] = new
        st.locked.add(i)
        return True

    def _delete(self, st: _Sent, i: int) -> bool:
        if i not in st.solo:
            return False
        t = st.toks
        n = len(t)
        left = i - 1 if i > 0 and t[i - 1].isspace() and (i - 1) not in st.locked else -1
        right = i + 1 if i + 1 < n and t[i + 1].isspace() and (i + 1) not in st.locked else -1
        if left < 0 and right < 0:
            return False
        if right >= 0 and (left < 0 or (right + 1 < n and (t[right + 1][:1].isalnum() or t[right + 1] in "(\"'[“‘"))):
            kill = right
        else:
            kill = left
        if self._pos_cap(st, i):
            nxt = next((j for j in st.words if j > i), -1)
            if nxt >= 0 and nxt not in st.locked and t[nxt][:1].islower():
                t[nxt] = _upper_first(t[nxt])
                st.locked.add(nxt)
            st.first = nxt
        t[i] = ""
        t[kill] = ""
        st.locked.update((i, kill))
        return True

    def _insert_before(self, st: _Sent, i: int, word: str) -> bool:
        if i not in st.solo:
            return False
        t = st.toks
        tok = t[i]
        if self._pos_cap(st, i):
            t[i] = _upper_first(word) + " " + _lower_first(tok)
        elif i == st.first and tok[:1].isupper():
            t[i] = _upper_first(word) + " " + tok
        else:
            t[i] = word + " " + tok
        st.locked.add(i)
        return True

    @staticmethod
    def _mid_cap(st: _Sent, i: int) -> bool:
        """Capitalised word not at the sentence start (a name): grammar ops leave it alone."""
        return i != st.first and st.toks[i][:1].isupper()

    # -- error types -----------------------------------------------------------------------------
    def _op_spelling(self, st: _Sent, rng: random.Random) -> bool:
        ms = self.t.misspellings
        cands, wts, lists = [], [], []
        for i in st.free_words():
            tok = st.toks[i]
            lst = ms.get(tok)
            if lst is None and tok[:1].isupper():
                lst = ms.get(tok.lower())
            if lst:
                cands.append(i)
                wts.append(len(tok) ** 1.5)
                lists.append(lst)
        if not cands:
            return False
        k = rng.choices(range(len(cands)), weights=wts)[0]
        i = cands[k]
        tok = st.toks[i]
        wrongs, weights = lists[k]
        new = case_like(tok, rng.choices(wrongs, weights=weights)[0])
        return self._replace(st, i, new)

    def _op_typo(self, st: _Sent, rng: random.Random) -> bool:
        cands = [i for i in st.free_words() if len(st.toks[i]) >= 3 and st.toks[i].isalpha()]
        if not cands:
            return False
        for _ in range(6):
            i = rng.choices(cands, weights=[len(st.toks[j]) for j in cands])[0]
            tok = st.toks[i]
            new = self._typo(tok, rng)
            if new and new != tok and not self.t.is_valid(new) and not is_dialect_variant(tok, new):
                return self._replace(st, i, new)
        return False

    @staticmethod
    def _typo(w: str, rng: random.Random) -> str:
        n = len(w)
        # slips on the first letter are rare
        p = rng.randrange(n) if rng.random() < 0.15 else rng.randrange(1, n)
        kind = rng.choices(("sub", "swap", "del", "ins", "double", "undouble"),
                           weights=(0.3, 0.2, 0.22, 0.1, 0.1, 0.08))[0]
        c = w[p]
        if kind == "sub":
            nb = KEY_NEIGHBOURS.get(c.lower())
            if not nb:
                return ""
            r = rng.choice(nb)
            return w[:p] + (r.upper() if c.isupper() else r) + w[p + 1:]
        if kind == "swap":
            if p >= n - 1:
                p = n - 2
            if w[p] == w[p + 1]:
                return ""
            return w[:p] + w[p + 1] + w[p] + w[p + 2:]
        if kind == "del":
            return w[:p] + w[p + 1:]
        if kind == "ins":
            nb = KEY_NEIGHBOURS.get(c.lower())
            if not nb:
                return ""
            r = rng.choice(nb)
            return w[:p] + r + w[p:] if rng.random() < 0.5 else w[:p + 1] + r + w[p + 1:]
        if kind == "double":
            return w[:p + 1] + w[p] + w[p + 1:] if c.isalpha() else ""
        # undouble: remove one letter of a double letter (occurred -> occured)
        doubles = [k for k in range(n - 1) if w[k] == w[k + 1]]
        if not doubles:
            return ""
        k = rng.choice(doubles)
        return w[:k] + w[k + 1:]

    def _op_confusion(self, st: _Sent, rng: random.Random) -> bool:
        conf, boost = self.t.confusions, self.t.confusion_boost
        cands, wts = [], []
        for i in st.free_words():
            tok = st.toks[i]
            low = tok.lower().replace("’", "'")
            if low in conf and not self._mid_cap(st, i):
                cands.append((i, low))
                wts.append(boost.get(low, 1.0))
        if not cands:
            return False
        i, low = rng.choices(cands, weights=wts)[0]
        alts, aw = conf[low]
        new = rng.choices(alts, weights=aw)[0]
        if is_dialect_variant(low, new):
            return False
        tok = st.toks[i]
        if " " in new:  # "every day"
            a, b = new.split(" ", 1)
            new = case_like(tok, a) + " " + b
        else:
            new = case_like(tok, new)
        return self._replace(st, i, new)

    def _op_article(self, st: _Sent, rng: random.Random) -> bool:
        t = st.toks
        arts = [i for i in st.free_solo() if t[i].lower() in ARTICLES]
        r = rng.random()
        if arts and r < 0.4:  # missing article
            return self._delete(st, rng.choice(arts))
        if arts and r < 0.8:  # wrong article
            i = rng.choice(arts)
            low = t[i].lower()
            nxt = st.next_word(i)
            nxt_vowel = nxt >= 0 and t[nxt][:1].lower() in "aeiou"
            if low == "the":
                # the right form only: "the airport" -> "a airport" would teach both "an airport" and
                # "the airport" as the fix for "a airport"
                new = "an" if nxt_vowel else "a"
            elif rng.random() < 0.45:  # a <-> an
                new = "an" if low == "a" else "a"
            else:
                new = "the"
            return self._replace(st, i, case_like(t[i], new))
        # extra article before a noun without a determiner
        cands = []
        for i in st.free_solo():
            if t[i].lower() in self.t.article_nouns and not self._mid_cap(st, i) \
                    and (i != st.first or self._pos_cap(st, i)):
                p = st.prev_word(i)
                if p < 0 or t[p].lower() not in DETERMINERS:
                    cands.append(i)
        if not cands:
            if arts:
                return self._delete(st, rng.choice(arts))
            return False
        i = rng.choice(cands)
        low = t[i].lower()
        if rng.random() < 0.55:
            art = "the"
        else:
            art = "an" if (low[:1] in "aeiou") == (rng.random() < 0.85) else "a"
        return self._insert_before(st, i, art)

    def _op_preposition(self, st: _Sent, rng: random.Random) -> bool:
        t = st.toks
        preps = set(self.t.prepositions)
        cands = [i for i in st.free_solo() if t[i].lower() in preps and not self._mid_cap(st, i)]
        r = rng.random()
        if cands and r < 0.6:
            i = rng.choice(cands)
            low = t[i].lower()
            alts = PREP_CONFUSIONS.get(low, ("in", "on", "at", "to", "for", "of"))
            wts = [1.0 / (k + 1) for k in range(len(alts))]
            new = rng.choices(alts, weights=wts)[0]
            if new == low or is_dialect_variant(low, new):
                return False
            return self._replace(st, i, case_like(t[i], new))
        if cands and r < 0.8:
            return self._delete(st, rng.choice(cands))
        # extra preposition between a word and its object ("discuss about the")
        ins = []
        for i in st.free_solo():
            if t[i].lower() in OBJECT_STARTS and i != st.first:
                p = st.prev_word(i)
                if p >= 0 and t[p].lower() not in preps and t[p].lower() not in DETERMINERS and t[p].isalpha():
                    ins.append(i)
        if not ins:
            if cands:
                return self._delete(st, rng.choice(cands))
            return False
        i = rng.choice(ins)
        return self._insert_before(st, i, rng.choices(PREP_INSERT, weights=PREP_INSERT_W)[0])

    def _op_agreement(self, st: _Sent, rng: random.Random) -> bool:
        t = st.toks
        vf = self.t.verb_forms
        verbs = self.t.verbs
        cands: list[tuple[int, str, float]] = []
        for i in st.free_words():
            tok = t[i]
            if self._mid_cap(st, i):
                continue
            low = tok.lower().replace("’", "'")
            if low in AGREEMENT_SWAPS:
                wt = 0.5 if low in ("this", "that", "these", "those", "do") else 3.0
                new = rng.choice(AGREEMENT_SWAPS[low])
                cands.append((i, new, wt))
                continue
            entries = vf.get(low)
            if not entries:
                continue
            p = st.prev_word(i)
            pl = t[p].lower() if p >= 0 else ""
            for idx, slots in entries:
                forms = verbs[idx]
                if S3 in slots and BASE not in slots:
                    # "runs", "cells": only when it cannot be a plural noun, or a singular subject precedes
                    if low not in self.t.noun_singular or pl in SUBJECT_SINGULAR or pl in ("who", "which"):
                        cands.append((i, self._variant(forms[BASE], low), 2.0))
                        break
                if BASE in slots and S3 not in slots and not any(PAST in s2 or PP in s2 for _, s2 in entries):
                    if pl in SUBJECT_PLURAL or pl in MODALS or pl in DO_FORMS or (
                            pl in self.t.noun_singular and low not in self.t.noun_plural):
                        cands.append((i, self._variant(forms[S3], low), 2.0))
                        break
        if not cands:
            return False
        i, new, _ = rng.choices(cands, weights=[c[2] for c in cands])[0]
        return self._replace(st, i, case_like(t[i], new))

    def _op_verb_form(self, st: _Sent, rng: random.Random) -> bool:
        t = st.toks
        vf = self.t.verb_forms
        verbs = self.t.verbs
        cands: list[tuple[int, int, tuple[int, ...], float]] = []
        for i in st.free_words():
            tok = t[i]
            low = tok.lower()
            if low in ("been", "being") and not self._mid_cap(st, i):
                cands.append((i, -1, (), 2.0))
                continue
            entries = vf.get(low)
            if not entries or self._mid_cap(st, i):
                continue
            # "tilled" is till's, not til's: take the most frequent lemma
            idx, slots = entries[0] if len(entries) == 1 else max(
                entries, key=lambda e: self.t.zipf.get(self.t.verbs[e[0]][BASE][0], 0.0))
            p = st.prev_word(i)
            pl = t[p].lower() if p >= 0 else ""
            if BASE in slots and (pl == "to" or pl in MODALS or pl in DO_FORMS):
                cands.append((i, idx, slots, 2.0))
            elif PAST in slots or PP in slots:
                cands.append((i, idx, slots, 2.5 if idx in self.t.irregular_verbs else 1.5))
            elif ING in slots:
                cands.append((i, idx, slots, 1.5 if pl in BE_FORMS else 0.4))
        if not cands:
            return False
        i, idx, slots, _ = rng.choices(cands, weights=[c[3] for c in cands])[0]
        tok = t[i]
        low = tok.lower()
        if idx < 0:
            new = {"been": ("being", "be"), "being": ("been", "be")}[low][0 if rng.random() < 0.75 else 1]
            return self._replace(st, i, case_like(tok, new))
        forms = [self._variant(v, low) for v in verbs[idx]]
        options: list[tuple[str, float]] = []
        if PAST in slots or PP in slots:
            if idx in self.t.irregular_verbs:
                reg = _regular_past(forms[BASE])
                if not self.t.is_valid(reg):
                    options.append((reg, 2.0))            # over-regularisation: goed, buyed
                other = forms[PP] if PAST in slots else forms[PAST]
                options.append((other, 2.5))              # went <-> gone
            options += [(forms[BASE], 1.5), (forms[ING], 0.5)]
        elif BASE in slots:
            options += [(forms[ING], 1.5), (forms[PAST], 1.0), (forms[S3], 0.7)]
        elif ING in slots:
            options += [(forms[BASE], 1.5), (forms[PP], 0.7), (forms[PAST], 0.3)]
        # never another variant of the same slot (learnt/learned, got/gotten)
        own = {v for s in slots for v in verbs[idx][s]} | {low}
        options = [(o, w) for o, w in options if o and o not in own and not self._same_slot(low, o, idx)]
        if not options:
            return False
        new = rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]
        return self._replace(st, i, case_like(tok, new))

    def _variant(self, variants: tuple[str, ...], orig: str) -> str:
        """The variant of an inflection slot in the same dialect as the original word
        (labelling -> labelled, not labeled)."""
        d = self.t.dialect(orig)
        if d and len(variants) > 1:
            for v in variants:
                if self.t.dialect(v) == d:
                    return v
            for v in variants:
                if not self.t.dialect(v):
                    return v
        return variants[0]

    def _same_slot(self, a: str, b: str, idx: int) -> bool:
        """b fills one of the same slots of verb idx as a (spelt/spelled, got/gotten alternatives)."""
        sa = next((s for j, s in self.t.verb_forms.get(a, ()) if j == idx), ())
        sb = next((s for j, s in self.t.verb_forms.get(b, ()) if j == idx), ())
        return bool(set(sa) & set(sb))

    def _op_noun_number(self, st: _Sent, rng: random.Random) -> bool:
        t = st.toks
        pl, sg = self.t.noun_plural, self.t.noun_singular
        cands: list[tuple[int, str, float]] = []
        for i in st.free_words():
            if self._mid_cap(st, i):
                continue
            low = t[i].lower()
            p = st.prev_word(i)
            prev = t[p].lower() if p >= 0 else ""
            if low in UNCOUNTABLE and prev not in ("a", "an"):
                cands.append((i, low + "s", 2.0))
            elif not self._nounish(st, i, low, prev):
                continue
            elif low in pl:
                new = pl[low]
                if low != new:
                    wt = 3.0 if prev in SG_DETERMINERS else 1.0
                    # over-regularised plural: childs, mans
                    if not new.endswith("s") and not self.t.is_valid(low + "s") and rng.random() < 0.35:
                        new = low + "s"
                    cands.append((i, new, wt))
            elif low in sg:
                wt = 3.0 if prev in PL_DETERMINERS else 1.0
                cands.append((i, sg[low], wt))
        if not cands:
            return False
        i, new, _ = rng.choices(cands, weights=[c[2] for c in cands])[0]
        if is_dialect_variant(t[i], new):
            return False
        return self._replace(st, i, case_like(t[i], new))

    def _nounish(self, st: _Sent, i: int, low: str, prev: str) -> bool:
        """Likely a head noun: noun-only word, or after a determiner and not followed by another noun."""
        nxt = st.next_word(i)
        if nxt >= 0:
            nl = st.toks[nxt].lower()
            if nl in self.t.noun_plural or nl in self.t.noun_singular:
                return False   # modifier ("student union") or ambiguous
        if low in self.t.article_nouns:
            return True
        return prev in DETERMINERS and low not in self.t.verb_forms

    def _op_missing_word(self, st: _Sent, rng: random.Random) -> bool:
        t = st.toks
        cands, wts = [], []
        for i in st.free_solo():
            w = MISSING_WORD_W.get(t[i].lower())
            if w and not self._mid_cap(st, i) and st.n_words > 2:
                cands.append(i)
                wts.append(w)
        if not cands:
            return False
        return self._delete(st, rng.choices(cands, weights=wts)[0])

    def _op_extra_word(self, st: _Sent, rng: random.Random) -> bool:
        t = st.toks
        free = st.free_solo()
        if not free:
            return False
        # "more bigger", "most biggest"
        comps = [i for i in free if t[i].lower() in self.t.comparatives]
        if comps and rng.random() < 0.5:
            i = rng.choice(comps)
            return self._insert_before(st, i, self.t.comparatives[t[i].lower()])
        # "must to go"
        modal_next = [j for i in free if t[i].lower() in MODALS
                      for j in (st.next_word(i),) if j >= 0 and j not in st.locked and j in st.solo
                      and t[j].lower() in self.t.verb_forms]
        if modal_next and rng.random() < 0.4:
            return self._insert_before(st, rng.choice(modal_next), "to")
        cands = [i for i in free if i != st.first or self._pos_cap(st, i)]
        if not cands:
            return False
        i = rng.choice(cands)
        word = rng.choices(EXTRA_WORDS, weights=EXTRA_WORDS_W)[0]
        p = st.prev_word(i)
        if t[i].lower() == word or (p >= 0 and t[p].lower() == word):
            return False
        return self._insert_before(st, i, word)

    def _op_repeat_word(self, st: _Sent, rng: random.Random) -> bool:
        t = st.toks
        free = st.free_words()
        if not free:
            return False
        free = [i for i in free if len(t[i]) > 1 or t[i] in ("a", "A", "I")]
        if not free:
            return False
        wts = [3.0 if len(t[i]) <= 4 else 1.0 for i in free]
        i = rng.choices(free, weights=wts)[0]
        tok = t[i]
        second = _lower_first(tok) if self._pos_cap(st, i) else tok
        t[i] = tok + " " + second
        st.locked.add(i)
        return True

    def _op_word_order(self, st: _Sent, rng: random.Random) -> bool:
        t = st.toks
        pairs = []
        for i in st.free_solo():
            j = st.next_word(i)
            if j >= 0 and j not in st.locked and j in st.solo and t[i].isalpha() and t[j].isalpha() and t[i].lower() != t[j].lower():
                pairs.append((i, j))
        if not pairs:
            return False
        i, j = rng.choice(pairs)
        a, b = t[i], t[j]
        if self._pos_cap(st, i) and b[:1].islower():
            a, b = _lower_first(a), _upper_first(b)
        t[i], t[j] = b, a
        st.locked.update((i, j))
        return True

    def _op_punctuation(self, st: _Sent, rng: random.Random) -> bool:
        t = st.toks
        n = len(t)
        lk = st.locked
        options: list[tuple[str, float]] = []
        commas = [i for i in range(n) if t[i] == "," and i not in lk
                  and not (0 < i < n - 1 and t[i - 1][-1:].isdigit() and t[i + 1][:1].isdigit())]
        if commas:
            options.append(("drop_comma", 3.0))
        last = n - 1
        while last >= 0 and t[last].isspace():
            last -= 1
        final = last if last >= 0 and t[last] in ".?!" and last not in lk else -1
        if final >= 0:
            options.append(("final", 2.0))
        gaps = [i for i in st.free_words() if i != st.first and st.next_word(i) >= 0 and i + 1 not in lk
                and t[i].lower() not in DETERMINERS and t[i].lower() not in PREP_CONFUSIONS]
        if gaps:
            options.append(("insert_comma", 1.5))
        if commas or final >= 0:
            options.append(("space_before", 0.3))
        semis = [i for i in range(n) if t[i] in ";:" and i not in lk]
        if semis:
            options.append(("semicolon", 0.5))
        if not options:
            return False
        kind = rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]
        if kind == "drop_comma":
            i = rng.choice(commas)
            t[i] = ""
            lk.add(i)
            return True
        if kind == "final":
            mark = t[final]
            r = rng.random()
            if mark == "." and r < 0.7 or mark != "." and r < 0.2:
                t[final] = ""
            elif mark == ".":
                t[final] = rng.choices(("?", "!", ",", ".."), weights=(0.4, 0.15, 0.25, 0.2))[0]
            else:
                t[final] = "."
            lk.add(final)
            return True
        if kind == "insert_comma":
            # commas before conjunctions/complementisers are the usual learner slip
            hot = {"that", "and", "but", "because", "which", "so", "or", "to", "when", "if", "who"}
            wts = [3.0 if t[st.next_word(i)].lower() in hot else 1.0 for i in gaps]
            i = rng.choices(gaps, weights=wts)[0]
            t[i] = t[i] + ","
            lk.add(i)
            return True
        if kind == "space_before":
            pos = commas + ([final] if final >= 0 else [])
            i = rng.choice(pos)
            if i == 0 or t[i - 1].isspace():
                return False
            t[i] = " " + t[i]
            lk.add(i)
            return True
        i = rng.choice(semis)
        t[i] = ","
        lk.add(i)
        return True

    def _op_apostrophe(self, st: _Sent, rng: random.Random) -> bool:
        t = st.toks
        n = len(t)
        groups: dict[str, list[tuple[int, str]]] = {"contraction": [], "its": [], "possessive": [], "plural": []}
        for i in st.free_words():
            tok = t[i]
            low = tok.lower()
            if "'" in tok or "’" in tok:
                if low in ("it's", "it’s"):
                    groups["its"].append((i, tok[:2] + "s"))
                elif low.endswith(("'s", "’s")) and low[:-2] not in ("he", "she", "that", "what", "there", "who", "here", "let"):
                    groups["possessive"].append((i, tok.replace("'", "").replace("’", "")))   # John's -> Johns
                else:
                    groups["contraction"].append((i, tok.replace("'", "").replace("’", "")))  # don't -> dont
            elif low == "its":
                groups["its"].append((i, tok[:2] + "'s"))
            elif low in self.t.noun_singular and low.endswith("s") and not self._mid_cap(st, i):
                p = st.prev_word(i)
                if self._nounish(st, i, low, t[p].lower() if p >= 0 else ""):
                    groups["plural"].append((i, case_like(tok, self.t.noun_singular[low] + "'s")))  # apple's
        # plural possessive "the students' books" -> "the students books"
        for i in range(1, n):
            if t[i] in ("'", "’") and i not in st.locked and (i - 1) not in st.locked and t[i - 1][-1:] == "s" \
                    and t[i - 1][:1].isalpha() and (i + 1 >= n or t[i + 1].isspace()):
                groups["possessive"].append((i, ""))
        weights = {"contraction": 4.0, "its": 3.0, "possessive": 2.0, "plural": 0.7}
        kinds = [k for k in groups if groups[k]]
        if not kinds:
            return False
        kind = rng.choices(kinds, weights=[weights[k] for k in kinds])[0]
        i, new = rng.choice(groups[kind])
        if new == t[i]:
            return False
        t[i] = new
        st.locked.add(i)
        return True

    def _op_capitalization(self, st: _Sent, rng: random.Random) -> bool:
        t = st.toks
        groups: dict[str, list[tuple[int, str]]] = {"start": [], "i": [], "proper": [], "proper_common": [], "random": []}
        f = st.first
        if f >= 0 and f not in st.locked and t[f][:1].isupper() and t[f] != "I" and not t[f].startswith(("I'", "I’")):
            letters = [c for c in t[f] if c.isalpha()]
            if not (len(letters) > 1 and all(c.isupper() for c in letters)):
                groups["start"].append((f, _lower_first(t[f])))
        for i in st.free_words():
            tok = t[i]
            if tok == "I" or tok.startswith(("I'", "I’")):
                groups["i"].append((i, "i" + tok[1:]))
            elif i != f and tok[:1].isupper() and tok[1:].islower() and tok.isalpha():
                # proper noun written in lower case (english, monday, paris); "Hall" -> "hall" is
                # also an error but looks like an ordinary word, so it is drawn less often
                groups["proper_common" if tok.lower() in self.t.valid else "proper"].append((i, tok.lower()))
            elif i != f and tok.islower() and tok.isalpha() and len(tok) > 3 and tok not in STOPWORDS:
                groups["random"].append((i, _upper_first(tok)))
        weights = {"start": 3.0, "i": 3.0, "proper": 2.0, "proper_common": 0.7, "random": 0.4}
        kinds = [k for k in groups if groups[k]]
        if not kinds:
            return False
        kind = rng.choices(kinds, weights=[weights[k] for k in kinds])[0]
        i, new = rng.choice(groups[kind])
        return self._replace(st, i, new)

    def _op_split_merge(self, st: _Sent, rng: random.Random) -> bool:
        t = st.toks
        merges, splits, z = self.t.merges, self.t.splits, self.t.zipf
        groups: dict[str, list[tuple[int, int, str]]] = {"merge": [], "merge_article": [], "split": [], "compound": []}
        for i in st.free_words():
            low = t[i].lower()
            if self._mid_cap(st, i):
                continue
            if low in splits:
                groups["split"].append((i, -1, splits[low]))
            elif len(low) >= 7 and low.isalpha() and t[i].islower():
                # generic compound split: football -> foot ball, classroom -> class room
                for head in _COMPOUND_HEADS_BY_LEN:
                    if low.endswith(head) or low.endswith(head + "s"):
                        k = len(low) - len(head) - (0 if low.endswith(head) else 1)
                        a, b = low[:k], low[k:]
                        if len(a) >= 3 and z.get(a, 0) >= _SPLIT_MIN_ZIPF and z.get(b, 0) >= 3.0:
                            groups["compound"].append((i, -1, a + " " + b))
                            break
            j = st.next_word(i)
            if j >= 0 and j not in st.locked and not self._mid_cap(st, j):
                key = (low, t[j].lower())
                if key in merges:
                    # "ofthe"-style missing spaces are slips; lexical merges (alot, infront) are errors
                    groups["merge_article" if key[1] in ARTICLES else "merge"].append((i, j, merges[key]))
        weights = {"merge": 3.0, "split": 3.0, "compound": 1.0, "merge_article": 0.4}
        kinds = [k for k in groups if groups[k]]
        if not kinds:
            return False
        kind = rng.choices(kinds, weights=[weights[k] for k in kinds])[0]
        if kind == "merge_article" and rng.random() < 0.7:
            return False   # keep "ofthe" rare even when it is the only option
        i, j, new = rng.choice(groups[kind])
        tok = t[i]
        if j < 0:
            a, b = new.split(" ", 1)
            return self._replace(st, i, case_like(tok, a) + " " + b)
        t[i] = case_like(tok, new)
        for k in range(i + 1, j + 1):
            t[k] = ""
        st.locked.update(range(i, j + 1))
        return True

    def _op_learner(self, st: _Sent, rng: random.Random) -> bool:
        t, slips = st.toks, self.t.learner
        cands = []   # (first, last word token, pattern)
        for i in st.free_solo():   # not inside "number-one"
            if self._mid_cap(st, i):
                continue
            low = _lower(t[i])
            if (low,) in slips:
                cands.append((i, i, slips[low,]))
            j = st.next_word(i)
            if j in st.solo and j not in st.locked and not self._mid_cap(st, j):
                pair = (low, _lower(t[j]))
                if pair in slips:
                    cands.append((i, j, slips[pair]))
        if not cands:
            return False
        i, j, (_, wrongs, weights) = rng.choices(cands, weights=[c[2][0] for c in cands])[0]
        wrong = rng.choices(wrongs, weights=weights)[0]
        if not wrong:
            return self._delete(st, i)
        if i == j:
            return self._replace(st, i, case_like(t[i], wrong))
        t[i], t[i + 1], t[j] = case_like(t[i], wrong), "", ""
        st.locked.update(range(i, j + 1))
        return True


# ---------------------------------------------------------------------------------------------
# Demo: python -m edgemodel.train.noise [lexical_dir] [clean_file]
# ---------------------------------------------------------------------------------------------

def _demo(argv: list[str]) -> None:
    from edgemodel.train.corpus import DEFAULT_DATA
    lex = Path(argv[0]) if argv else DEFAULT_DATA / "lexical"
    clean = Path(argv[1]) if len(argv) > 1 else DEFAULT_DATA / "clean" / "wiki.dev.txt"
    t0 = time.time()
    gen = ErrorGenerator(lex, seed=0)
    print(f"loaded in {time.time() - t0:.2f}s")
    sents = [s.strip() for s in clean.read_text(encoding="utf-8").splitlines() if s.strip()]
    rng = random.Random(1)
    for s in sents[:20]:
        noisy, types = gen.corrupt(s, rng)
        print(f"CLEAN: {s}\nNOISY: {noisy}\nTYPES: {types}\n")
    rng = random.Random(2)
    n_words = sum(len(s.split()) for s in sents) / len(sents)
    t0 = time.perf_counter()
    reps = 2
    for _ in range(reps):
        for s in sents:
            gen.corrupt(s, rng)
    dt = time.perf_counter() - t0
    print(f"throughput: {reps * len(sents) / dt:.0f} sentences/s ({n_words:.1f} words/sentence avg)")


if __name__ == "__main__":
    _demo(sys.argv[1:])
