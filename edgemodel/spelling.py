"""Spelling: words no dictionary knows, with suggestions ranked by how common they are.

The model fixes the misspellings it has learned; this catches the rest, as every spell checker
does. The known words (every form of the Hunspell en_US and en_GB dictionaries, and the 100k
most frequent words on the web unless they are well-known misspellings), the frequencies of the
words worth suggesting and a table of common misspellings are stored as sorted 64-bit hashes in
`lexicon.npz`: 340k words take ~4 MB instead of ~30 MB as Python strings. Built by
`edgemodel.train.lexicon`.
"""
from __future__ import annotations

import functools
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LETTERS = "abcdefghijklmnopqrstuvwxyz'"
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")   # letters of any script: "Händler" is one word
_POSSESSIVE = re.compile(r"['’]s$")


try:
    from _blake2 import blake2b   # CPython's own: hashlib would also load OpenSSL (~3 MB mapped) for nothing
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b


def word_hash(word: str) -> int:
    return int.from_bytes(blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def hash_array(words) -> np.ndarray:
    return np.fromiter((word_hash(w) for w in words), dtype=np.uint64)


MIN_EDITS2, MAX_EDITS2 = 6, 12   # word lengths worth searching two edits away
LONG_WORD = 8      # letters: from here on, a one-edit guess needs less evidence
SPLIT_ZIPF, FUNCTION_ZIPF = 35, 65   # Zipf x 10 of both parts of a split word, and of its commoner part
PROPER_ZIPF = 35   # Zipf x 10: names common enough that their lowercase form is a slip ("italian")
OFFERED = 0.6      # a guess only offered, below the checker's default threshold (unless the model doubts the word too)


def _most_common_first(ranked: tuple[int, str]) -> tuple[int, str]:
    return -ranked[0], ranked[1]


def edits1(word: str, letters: str = LETTERS) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion (of `letters`) away (Norvig)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters})


# The kinds of slip that turn a word into a misspelling one edit away: a letter left out, added
# (a doubled one, a vowel, a consonant) or replaced (a vowel by a vowel, or otherwise), or two
# letters swapped; at the first letter, the last, or inside. In the order of lexicon.npz's "channel".
_VOWELS = frozenset("aeiouy")
SLIPS = tuple(f"{op}-{letter}-{at}" for op in ("omit", "add") for letter in ("double", "vowel", "other")
              for at in ("first", "inner", "last")) + tuple(
              f"replace-{letter}-{at}" for letter in ("vowel", "other") for at in ("first", "inner", "last")) + (
              "swap-first", "swap-inner")


def slip(typo: str, meant: str) -> int:
    """Index in SLIPS of the slip that makes `typo` of `meant` (one edit apart, not equal)."""
    n, m = len(meant), len(typo)
    i = 0
    while i < min(n, m) and meant[i] == typo[i]:
        i += 1
    at = "first" if i == 0 else "last" if i >= max(n, m) - 1 else "inner"
    if m != n:   # a letter of the longer word is missing from the shorter one
        longer = meant if m < n else typo
        c = longer[i]
        letter = "double" if c in longer[max(i - 1, 0):i] + longer[i + 1:i + 2] else "vowel" if c in _VOWELS else "other"
        return SLIPS.index(f"{'omit' if m < n else 'add'}-{letter}-{at}")
    if typo[i + 1:] == meant[i + 1:]:
        letter = "vowel" if meant[i] in _VOWELS and typo[i] in _VOWELS else "other"
        return SLIPS.index(f"replace-{letter}-{at}")
    return SLIPS.index("swap-first" if i == 0 else "swap-inner")


@dataclass(frozen=True)
class Misspelling:
    suggestions: list[str]   # best first
    confidence: float        # that the word is misspelled and the first suggestion is meant


def map_npz(path: Path) -> dict[str, np.ndarray]:
    """The arrays of an uncompressed .npz, memory-mapped in place: a lookup reads only the pages it
    touches, and they are clean file pages the system can drop, not the process's own memory."""
    arrays = {}
    with zipfile.ZipFile(path) as z, open(path, "rb") as f:
        for info in z.infolist():
            if info.compress_type != zipfile.ZIP_STORED:
                raise ValueError(f"{info.filename} is compressed: rebuild with edgemodel.train.lexicon")
            f.seek(info.header_offset + 26)   # the local header: name and extra-field lengths, then the .npy
            name_len, extra_len = struct.unpack("<HH", f.read(4))
            f.seek(name_len + extra_len, 1)
            fmt = np.lib.format
            read_header = fmt.read_array_header_1_0 if fmt.read_magic(f) == (1, 0) else fmt.read_array_header_2_0
            shape, fortran, dtype = read_header(f)
            offset = f.tell()
            mapped = np.memmap(f, dtype=dtype, mode="r", offset=offset, shape=shape, order="F" if fortran else "C")
            # numpy copies a misaligned array whole on every search: then one copy up front is cheaper
            arrays[info.filename.removesuffix(".npy")] = mapped if offset % dtype.alignment == 0 else np.array(mapped)
    return arrays


class Lexicon:
    def __init__(self, path: Path):
        a = map_npz(path)
        self._words, self._zipf = a["words"], a["zipf"]              # sorted hashes; Zipf frequency x 10
        self._fixes, self._fix_to = a["fixes"], a["fix_to"]          # sorted misspelling hashes -> target index
        self._targets, self._target_starts = a["targets"], a["target_starts"]   # UTF-8 corrections, back to back
        # log10 of how likely each kind of slip is (SLIPS); a word list without them ranks by frequency alone
        self._slips = np.log10(a["channel"]) if "channel" in a else np.zeros(len(SLIPS))

    def _find(self, table: np.ndarray, words: list[str]) -> np.ndarray:
        """Index of each word's hash in `table`, or -1."""
        h = hash_array(words)
        i = np.minimum(np.searchsorted(table, h), len(table) - 1)
        return np.where(table[i] == h, i, -1)

    def known(self, word: str) -> bool:
        forms = {word, word.lower(), word.capitalize()}
        return bool((self._find(self._words, list(forms)) >= 0).any())

    def frequency(self, words: list[str]) -> np.ndarray:
        """Zipf frequency x 10 of each word (0: known but rare, or not to be suggested; -1: unknown)."""
        i = self._find(self._words, words)
        return np.where(i >= 0, self._zipf[np.maximum(i, 0)].astype(np.int16), -1)

    def misspelling(self, word: str) -> str | None:
        """The correction of a well-known misspelling ("recieved" -> "received")."""
        i = int(self._find(self._fixes, [word])[0])
        if i < 0:
            return None
        t = int(self._fix_to[i])
        return bytes(self._targets[self._target_starts[t]:self._target_starts[t + 1]]).decode("utf-8")

    @functools.lru_cache(maxsize=4096)   # a document repeats its unknown words, and two-edit search is slow
    def suggestions(self, word: str, limit: int = 3) -> Misspelling | None:
        """Corrections for a lowercase unknown word: the known misspelling first, then the common
        dictionary words one edit away, the likeliest first (none for three-letter words, where too
        many words are one edit away)."""
        fix = self.misspelling(word)
        out = [fix] if fix else []
        top = margin = 0.0
        if len(word) > 3:
            ranked = self._ranked(edits1(word) - {word}, min_freq=20)   # Zipf >= 2
            # The likeliest meant word: common, and made into this one by a common slip ("relativs":
            # "relatives" lost an e, rather than "relative" got an s for an e).
            out += [c for _, c in sorted(ranked, key=lambda fc: -(fc[0] / 10 + self._slips[slip(word, fc[1])]))]
            top = ranked[0][0] / 10 if ranked else 0.0
            margin = top - (ranked[1][0] / 10 if len(ranked) > 1 else 0.0)
        if not out and MIN_EDITS2 <= len(word) <= MAX_EDITS2:
            # Two edits away ("temparture", ~0.1 s a word, only for words nothing nearer explains), the
            # second only dropping, swapping or writing a vowel (a fifth of the work): only common words.
            # Confident only for a clear winner of about the same length and the same first and last
            # letters, which writers rarely get wrong; a rare word ("supremum") is two edits from many.
            ranked = sorted({r for e in edits1(word) for r in self._ranked(edits1(e, "aeiouy"), min_freq=30)},
                            key=_most_common_first)
            if ranked:
                (f, best), margin = ranked[0], ranked[0][0] - (ranked[1][0] if len(ranked) > 1 else 0)
                shaped = best[0] == word[0] and best[-1] == word[-1] and abs(len(best) - len(word)) <= 1
                return Misspelling([c for _, c in ranked[:limit]], 0.85 if f >= 40 and margin >= 5 and shaped else OFFERED)
        if not out:
            return self._split(word)
        # A rare valid word (a Latin name, a technical term) is one edit from rare words; a misspelling
        # from a common one. Short words have many neighbours: a one-edit guess there is weaker, and a
        # long one is rarely a word, so a clear winner of Zipf 3 is enough there ("carbohydarte").
        # (Measured on W&I learner words and clean text: the long-word case fixes 43 more misspellings,
        # makes 17 more wrong changes, and fires in 0.03% more clean sentences.)
        clear = top >= 3.5 and len(word) >= 5 or top >= 3.0 and margin >= 1.0 and len(word) >= LONG_WORD
        return Misspelling(list(dict.fromkeys(out))[:limit], 0.95 if fix else 0.9 if clear else OFFERED)

    def _split(self, word: str) -> Misspelling | None:
        """A missing space that nothing else explains ("thatour" -> "that our"): confident when one
        part is a very common word, as it is when learners run words together; otherwise offered
        only ("schooltrip" -> "school trip": compounds are often written solid)."""
        splits = []
        for i in range(3, len(word) - 2):
            a, b = word[:i], word[i:]
            fa, fb = (int(f) for f in self.frequency([a, b]))
            if min(fa, fb) >= SPLIT_ZIPF:
                splits.append((max(fa, fb) >= FUNCTION_ZIPF, fa + fb, f"{a} {b}"))
        if not splits:
            return None
        common, _, best = max(splits)
        return Misspelling([best], 0.9 if common else OFFERED)

    def _ranked(self, candidates: set[str], min_freq: int) -> list[tuple[int, str]]:
        """(Zipf x 10, word) of the candidates that are words at least that common, most common first."""
        words = sorted(candidates)
        return sorted(((int(f), c) for c, f in zip(words, self.frequency(words)) if f >= min_freq),
                      key=_most_common_first)

    def proper_case(self, word: str) -> str | None:
        """The capitalised form of a lowercase name the dictionaries only know capitalised, if it is
        common: "italian" -> "Italian", "monday" -> "Monday" (not "polish", "china": words too; "english"
        is one for Hunspell, in billiards, but a slip in writing).
        Short ones are left alone: "des", "du", "se" are often foreign words in names."""
        if len(word) < 4 or not word.isascii() or not word.isalpha() or not word.islower():
            return None
        lower, upper = self.frequency([word, word.capitalize()])
        return word.capitalize() if (lower <= 0 or word == "english") and upper >= PROPER_ZIPF else None

    def check(self, word: str, sentence_start: bool = False) -> Misspelling | None:
        """Whether `word` is misspelled, with suggestions. Conservative, since false alarms are what
        users hate most: acronyms, numbers, short words and capitalised words (names) are left alone,
        except at the start of a sentence ("Becuase", "Unforturnately")."""
        possessive = _POSSESSIVE.search(word)
        if possessive:   # "freind's" -> "friend's"
            found = self.check(word[:possessive.start()], sentence_start)
            return Misspelling([f + possessive.group() for f in found.suggestions], found.confidence) if found else None
        word = word.replace("’", "'")
        if len(word) < 3 or not word.isascii() or not WORD.fullmatch(word) or any(c.isupper() for c in word[1:]):
            return None
        if all(self.known(part) for part in word.split("-")):
            return None
        if word[0].isupper():
            if not sentence_start:
                return None
            # Opening a sentence, a capital says nothing: a well-known misspelling, or a long word (a
            # slip more often than a name: "Unforturnately", "Globalitation"), is checked as lowercase.
            # A shorter one is as often a name ("Handke" -> "Handle", "Compuer" -> "Computer"; 65 each in
            # 60k clean and 30k FCE sentences): only offered.
            lower = word.lower()
            slip = self.misspelling(lower) is not None or len(word) >= LONG_WORD
            found = self.suggestions(lower) if slip or len(word) >= 5 else None
            if found is None:
                return None
            confidence = found.confidence if slip else min(found.confidence, OFFERED)
            return Misspelling([s[0].upper() + s[1:] for s in found.suggestions], confidence)
        parts = word.split("-")
        unknown = [k for k, part in enumerate(parts) if not self.known(part)]
        if len(parts) > 1 and not self.misspelling(word) and len(unknown) == 1 and min(map(len, parts)) >= 3:
            # "new-fasion": mend the part (not after a prefix: "re-inforced" is "reinforced"). Confident
            # only for a well-known misspelling: parts are often bound forms ("mytho-", "anarcha-", "mis-").
            k = unknown[0]
            found = self.suggestions(parts[k]) if len(parts[k]) >= 4 and parts[k].islower() else None
            if found is None:
                return None
            confidence = found.confidence if self.misspelling(parts[k]) else min(found.confidence, OFFERED)
            return Misspelling(["-".join(parts[:k] + [s] + parts[k + 1:]) for s in found.suggestions], confidence)
        return self.suggestions(word)
