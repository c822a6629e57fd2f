"""Grammar rules for what the small model still misses, written to (almost) never fire on correct
text, as LanguageTool's and Harper's do:

* "a" or "an" by the sound of the next word: "a apple" -> "an apple", "an university" -> "a".
* a pronoun subject and a verb that do not agree: "He go" -> "goes", "They goes" -> "go"; when the
  sentence says it happened in the past ("yesterday", "ago", "last week"), the past form comes first.

Verb forms come from `verbs.tsv` (built by edgemodel.train.verbs).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from edgemodel.issue import Issue, Kind

TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\S")   # a word (any script: "Alanæan"), or one other character

SILENT_H = ("hour", "honest", "honor", "honour", "heir")
# u and eu words said with a "y" sound ("a university"), but not un- + i ("an unimportant")
YU = ("uni", "unanim", "unary", "use", "usu", "usa", "uta", "uti", "ute", "uto", "ura", "ure", "uri", "uro", "uru", "uvu",
      "ubiq", "uku", "ukr", "uga", "eu", "ewe")
UN_I = ("unin", "unim")
# after "a", words that are not what an article goes with ("part a is", "type a or b")
# ("an" is also dialogue's "and": "an so Ah said")
NOT_AFTER_ARTICLE = {"and", "or", "is", "are", "am", "was", "were", "as", "at", "in", "on", "of", "if", "it", "its",
                     "into", "onto", "upon", "us", "our", "an", "a", "unless", "until", "else", "so", "the", "he",
                     "she", "they", "we", "you", "then", "but", "that", "this", "to", "not", "no", "had", "has",
                     "have", "did", "do", "said", "got"}
# a subject pronoun starts a clause here, so the next word is its verb ("Did he go" is a question;
# not after "if", "that", "or": "if he approve", "asked that he go", "should he or she win")
CLAUSE_OPENERS = {",", ";", ":", '"', "“", "(", "and", "but", "so", "because", "when", "then", "while",
                  "after", "before", "since", "although", "though", "where", "as", "until"}
PAST_MARKERS = {"yesterday", "ago"}
LAST_UNITS = {"night", "week", "weekend", "month", "year", "time", "summer", "winter", "spring", "autumn", "fall",
              "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
NOT_PAST = {"tomorrow", "next", "will", "now", "every", "usually", "always", "often"}


def vowel_sound(word: str) -> bool | None:
    """Whether `word` starts with a vowel sound; None when spelling cannot tell (acronyms, most h-
    words: "an historic" is still written, numbers)."""
    w = word.lower()
    head = word.split("-")[0]
    if len(w) < 3 or not w.isascii() or any(c.isupper() for c in head[1:]) or not any(c in "aeiouy" for c in w):
        return None   # "an EU-funded", "an mRNA", "a Af", "an sql": letters said one by one
    if w.startswith(SILENT_H):
        return True
    if w[0] in "hx" or w.startswith(("oui", "unid", "euler")) or w[1] == "-":   # "an x-ray", "an Xbox": "ex"
        return None
    if w.startswith(YU) and not w.startswith(UN_I) or w == "once" or (w.startswith("one") and not w.startswith("oner")):
        return False
    return w[0] in "aeiou"


class Grammar:
    def __init__(self, verbs_path: Path, known: Callable[[str], bool] | None = None):
        self.s3: dict[str, str] = {}     # base -> third person singular
        self.base: dict[str, str] = {}   # third person singular -> base
        self.past: dict[str, str] = {}   # base -> past
        for line in Path(verbs_path).read_text(encoding="utf-8").splitlines():
            base, s3, past = line.split("\t")
            self.s3[base], self.base[s3], self.past[base] = s3, base, past
        self.past_forms = set(self.past.values())   # "an continued": a typo of "and", not of "a"
        self.known = known or (lambda w: True)

    def check(self, sentence: str, offset: int = 0) -> list[Issue]:
        """Issues in `sentence`, whose first character is at `offset` in the checked text."""
        toks = list(TOKEN.finditer(sentence))
        words = [t.group().lower() for t in toks]
        past = self._past(words)
        first = next((i for i, t in enumerate(toks) if t.group()[0].isalpha()), -1)
        out = []
        for i in range(len(toks) - 1):
            glued = sentence[toks[i].start() - 1:toks[i].start()].isalnum() or \
                sentence[toks[i + 1].end():toks[i + 1].end() + 1] in ("_", *"0123456789")   # "802.11a", "formula_1"
            if glued or sentence[toks[i].end():toks[i + 1].start()] != " ":
                continue
            found = self._article(toks[i - 1].group() if i else "", toks[i].group(), toks[i + 1].group(), i == first) \
                or (toks[i + 1].group().islower() and self._agreement(words, i, first, past))
            if found:
                replacements, message, confidence = found
                j = i if words[i] in ("a", "an") else i + 1
                out.append(Issue(offset + toks[j].start(), offset + toks[j].end(), Kind.GRAMMAR,
                                 tuple(_case_like(toks[j].group(), r) for r in replacements), message, confidence))
        return out

    def _article(self, prev: str, word: str, nxt: str, first: bool):
        low = word.lower()
        if low not in ("a", "an") or (word[0].isupper() and not first) or nxt.lower() in NOT_AFTER_ARTICLE:
            return None
        vowel = vowel_sound(nxt)
        # foreign text: "vamos a empezar", "Theater an der Wien", "Loch an Duin"
        if (vowel is None or not self.known(nxt) or nxt.lower() in self.past_forms
                or (low == "an" and not first and prev[:1].isupper())):
            return None
        if low == "a" and vowel:
            return ("an",), f"Use “an” before a vowel sound: “an {nxt}”", 0.95
        if low == "an" and not vowel:
            return ("a",), f"Use “a” before a consonant sound: “a {nxt}”", 0.95
        return None

    def _agreement(self, words: list[str], i: int, first: int, past: bool):
        pronoun, verb = words[i], words[i + 1]
        if i != first and words[i - 1] not in CLAUSE_OPENERS:
            return None
        if pronoun in ("he", "she") and verb in self.s3:
            right = (self.past[verb], self.s3[verb]) if past else (self.s3[verb],)
        elif pronoun in ("i", "they") and verb in self.base:
            base = self.base[verb]
            right = (self.past[base], base) if past else (base,)
        else:
            return None
        subject = "I" if pronoun == "i" else pronoun
        return right, f"The verb does not agree with “{subject}”" + (" (and this happened in the past)" if past else ""), 0.9

    @staticmethod
    def _past(words: list[str]) -> bool:
        """The sentence says its events are past ("yesterday", "two days ago", "last week")."""
        said = any(w in PAST_MARKERS for w in words) or any(
            w == "last" and n in LAST_UNITS for w, n in zip(words, words[1:]))
        return said and not any(w in NOT_PAST for w in words)


def _case_like(original: str, new: str) -> str:
    return new[:1].upper() + new[1:] if original[:1].isupper() else new
