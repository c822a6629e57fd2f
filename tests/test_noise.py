"""Tests for the synthetic error generator. Uses tiny lexical fixtures written to a temp dir
(same formats as ../shared/data/lexical), so no shared data is needed."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edgemodel.train.noise import (
    ERROR_TYPES,
    TOKEN_RE,
    ErrorGenerator,
    NoiseTables,
    case_like,
    expand_hunspell,
    is_dialect_variant,
)

REPO = Path(__file__).resolve().parents[1]

AFF = """SET UTF-8
SFX S Y 2
SFX S 0 s [^y]
SFX S y ies [^aeiou]y
SFX D Y 2
SFX D 0 ed [^e]
SFX D 0 d e
"""

COMMON = """the a an and of to in on at for with from about is are was were be been being it its it's
their there they're your you're then than i we you they he she this that these those have has had do
does did not no yes because everyone everything a lot some time think far fun said park car cat dog
child children went go goes going gone play plays played playing write wrote written writing writes
apple apples book books city cities big bigger biggest receive received separate across environment
definitely would people day days house houses friend friends school schools garden gardens
piece peace night knight new knew here hear week weak can could will must should may might
sat sit sits red blue green John Mary London Monday English""".split()

US_WORDS = COMMON + """color/S colored center/S traveled traveling realize/D organization gray
labeled labeling label/S learned catalog/S honor/S favor/S neighbor/S""".split()
GB_WORDS = COMMON + """colour/S coloured centre/S travelled travelling realise/D organisation grey
labelled labelling label/S learned learnt catalogue/S honour/S favour/S neighbour/S""".split()

CODESPELL = """teh->the
recieve->receive
recieved->received
becuase->because
beacuse->because
definately->definitely
woudl->would
freind->friend
colur->color
colour->color
color->colour
centre->center
realise->realize
travelled->traveled
catalogue->catalog
honour->honor
neighbourly->neighborly
organisation->organization
labelled->labeled
aple->apple, ample,
"""

CSPELL = {"dictionaryDefinitions": [{
    "name": "x",
    "flagWords": ["seperate->separate"],
    "suggestWords": ["accross->across", "grey->gray", "favourite->favorite", "envirnoment->environment"],
}]}

TOEFL = "Filename\tOffsetSpan\tMisspelling\tType\tCorrection\n" \
        "1\t1-2\tbecaus\tM\tbecause\n" \
        "1\t3-4\tenviroment\tM\tenvironment\n" \
        "1\t5-6\tpeaple\tM\tpeople\n" \
        "1\t7-8\tsub jecft\tM2\tother\n"

BIRKBECK = "$because\nbecos\nbecuz\nxqzv\n$house\nhows\n$a_lot\nalot\n"

WORDFREQ = {w.split("/")[0]: 5.0 for w in COMMON}
WORDFREQ.update({"go": 6.0, "write": 5.5, "play": 5.5, "learn": 5.0, "label": 4.5, "apple": 4.5, "child": 5.2,
                 "book": 5.3, "city": 5.4, "big": 5.5, "friend": 5.2, "school": 5.4, "house": 5.4,
                 "garden": 4.6, "day": 5.8, "person": 5.0, "class": 5.0, "room": 5.0, "classroom": 4.0,
                 "labels": 4.0, "labeled": 3.5, "labelled": 3.5, "learns": 3.5, "learning": 4.8,
                 "peace": 5.0, "piece": 5.0, "night": 5.3, "knight": 4.0})

INFL = """go,V,went,gone,going,goes
play,V,played,<>,playing,plays
write,V,wrote,written,writing,writes
learn,V,learned/learnt,<>,learning,learns
label,V,labeled/labelled,<>,labeling/labelling,labels
sit,V,sat,<>,sitting,sits
apple,N,apples
child,N,children
book,N,books
city,N,cities
friend,N,friends
school,N,schools
house,N,houses
garden,N,gardens
day,N,days
person,N,people/persons
big,A,bigger,biggest
"""

HOMOPHONES = "peace, piece\nknight, night\nnew, knew\nhear, here\nweak, week\nair, e'er, heir\n"
PREPOSITIONS = "about\nat\nbecause of\nfor\nfrom\nin\non\nof\nto\nwith\n"

SENT = ("The children went to the park because everyone said their garden is a lot of fun, "
        "and I don't think it's far from John's house.")
SENTENCES = [
    SENT,
    "Their friends play in the big garden every day, but they're not here now.",
    "I think the apples in that book are bigger than the apples in the city.",
    "She writes to her friend in London on Monday because she has a lot of time.",
    "He said it was a new school with everyone in the classroom.",
    "Mary sat in the garden; the children were playing with the dog.",
]


# (learner sentence, correction): slips seen twice are patterns; the rest must be filtered out
LEARNER_PAIRS = 2 * [
    ("The children play on the garden.", "The children play in the garden."),
    ("She went to park.", "She went to the park."),
    ("He have a lot of books.", "He has a lot of books."),
    ("We was going to the park.", "We have been going to the park."),
    ("It is a big city.", "It is not a big city."),      # a negation added: what the writer meant
    ("He went to school.", "She went to school."),       # another person: the same
    ("I recieve it.", "I receive it."),                  # a misspelling: the spelling lists' job
] + [("The cat sat at the car.", "The cat sat in the car.")]   # once: no pattern


def write_fixture(d: Path) -> Path:
    (d / "hunspell").mkdir(parents=True)
    (d / "atd").mkdir()
    (d / "hunspell" / "en_US.aff").write_text(AFF)
    (d / "hunspell" / "en_GB.aff").write_text(AFF)
    (d / "hunspell" / "en_US.dic").write_text(f"{len(US_WORDS)}\n" + "\n".join(US_WORDS) + "\n")
    (d / "hunspell" / "en_GB.dic").write_text(f"{len(GB_WORDS)}\n" + "\n".join(GB_WORDS) + "\n")
    (d / "codespell_dictionary.txt").write_text(CODESPELL)
    (d / "cspell_common_misspellings_en.json").write_text(json.dumps(CSPELL))
    (d / "toefl_spell_annotations.tsv").write_text(TOEFL)
    (d / "birkbeck_missp.dat").write_text(BIRKBECK)
    (d / "wordfreq_en_top100k_zipf.tsv").write_text("".join(f"{w}\t{z}\n" for w, z in WORDFREQ.items()))
    (d / "pyinflect_infl.csv").write_text(INFL)
    (d / "atd" / "homophonedb.txt").write_text(HOMOPHONES)
    (d / "atd" / "prepositions.txt").write_text(PREPOSITIONS)
    return d


@pytest.fixture(scope="module")
def lexdir(tmp_path_factory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("lexical"))


@pytest.fixture(scope="module")
def tables(lexdir) -> NoiseTables:
    return NoiseTables.load(lexdir, learner_pairs=LEARNER_PAIRS)


@pytest.fixture(scope="module")
def gen(tables) -> ErrorGenerator:
    return ErrorGenerator.from_tables(tables, keep_clean=0.2)


def changed_words(a: str, b: str) -> list[tuple[str, str]]:
    """Word-for-word substitutions between two sentences of equal token count."""
    ta, tb = TOKEN_RE.findall(a), TOKEN_RE.findall(b)
    if len(ta) != len(tb):
        return []
    return [(x, y) for x, y in zip(ta, tb) if x != y]


# ---------------------------------------------------------------------------------------------

def test_hunspell_expansion(lexdir):
    words = expand_hunspell(lexdir / "hunspell" / "en_GB.dic", lexdir / "hunspell" / "en_GB.aff")
    assert {"colour", "colours", "centres", "realised", "honours"} <= words
    assert "colors" not in words


def test_tables_filter_dialect_and_valid_words(tables):
    wrongs = {w for lst, _ in tables.misspellings.values() for w in lst}
    # real misspellings kept, from every source
    assert "recieve" in tables.misspellings["receive"][0]
    assert "seperate" in tables.misspellings["separate"][0]
    assert "enviroment" in tables.misspellings["environment"][0]
    assert {"becos", "becuz", "becaus", "becuase"} <= set(tables.misspellings["because"][0])
    # learner misspellings weigh more than list entries
    m = dict(zip(*tables.misspellings["because"]))
    assert m["becos"] > m["becuase"]
    # learner junk too far from the word is dropped
    assert "xqzv" not in wrongs
    # dialect pairs never become misspellings (valid words and pattern variants alike)
    for w in ("colour", "color", "centre", "realise", "travelled", "catalogue", "honour", "neighbourly",
              "organisation", "labelled", "grey", "favourite"):
        assert w not in wrongs, w
    assert "colour" not in tables.misspellings.get("color", ((), ()))[0]
    assert "color" not in tables.misspellings.get("colour", ((), ()))[0]
    # no injected misspelling is a dictionary word
    assert not any(tables.is_valid(w) for w in wrongs)


@pytest.mark.parametrize("a,b", [
    ("colour", "color"), ("Colours", "colors"), ("centre", "center"), ("centred", "centered"),
    ("realise", "realize"), ("organisation", "organization"), ("analyse", "analyze"),
    ("travelled", "traveled"), ("travelling", "traveling"), ("counsellor", "counselor"),
    ("catalogue", "catalog"), ("dialogues", "dialogs"), ("defence", "defense"), ("licence", "license"),
    ("grey", "gray"), ("programme", "program"), ("learnt", "learned"), ("fulfil", "fulfill"),
    ("fulfilment", "fulfillment"), ("encyclopaedia", "encyclopedia"), ("foetus", "fetus"),
    ("manoeuvre", "maneuver"), ("jewellery", "jewelry"), ("tyres", "tires"), ("aluminium", "aluminum"),
    ("ageing", "aging"), ("judgement", "judgment"), ("towards", "toward"), ("draught", "draft"),
    ("plough", "plow"), ("cheque", "check"), ("sceptical", "skeptical"), ("gotten", "got"),
    ("colourisation", "colorization"), ("honourable", "honorable"), ("neighbourhood", "neighborhood"),
])
def test_dialect_variants_detected(a, b):
    assert is_dialect_variant(a, b) and is_dialect_variant(b, a)


@pytest.mark.parametrize("a,b", [
    ("recieve", "receive"), ("four", "for"), ("untill", "until"), ("realy", "really"),
    ("excelent", "excellent"), ("sentense", "sentence"), ("their", "there"), ("color", "color"),
    ("your", "yor"), ("hour", "hor"), ("goverment", "government"),
])
def test_not_dialect_variants(a, b):
    assert not is_dialect_variant(a, b)


def test_case_like():
    assert case_like("Their", "there") == "There"
    assert case_like("THEIR", "there") == "THERE"
    assert case_like("their", "there") == "there"
    assert case_like("it’s", "its") == "its"
    assert case_like("its", "it's") == "it's"
    assert case_like("Its", "it's") == "It's"


@pytest.mark.parametrize("etype", ERROR_TYPES)
def test_every_type_can_be_produced(gen, etype):
    hits = 0
    for seed in range(40):
        for s in SENTENCES:
            out, types = gen.corrupt(s, random.Random(seed), types=[etype])
            assert types in ([], [etype])
            if types:
                assert out != s, (etype, s)
                hits += 1
            else:
                assert out == s
    assert hits >= 20, f"{etype} applied only {hits} times"


def test_learner_slips_are_real_word_patterns_that_keep_the_meaning(tables):
    slips = {key: dict(zip(wrongs, counts)) for key, (_, wrongs, counts) in tables.learner.items()}
    assert slips[("in",)] == {"on": 2}          # "at" was seen once
    assert slips[("the",)] == {"": 2}           # a dropped article
    assert slips[("has",)] == {"have": 2}
    assert slips[("have", "been")] == {"was": 2}
    assert not {("not",), ("she",), ("receive",)} & set(slips)


def test_learner_slips_go_where_their_correction_stands(gen):
    s = "They have been in the garden with the children."
    outs = {gen.corrupt(s, random.Random(seed), types=["learner"])[0] for seed in range(60)}
    assert outs <= {"They was in the garden with the children.", "They have been on the garden with the children.",
                    "They have been in garden with the children.", "They have been in the garden with children."}
    assert len(outs) >= 3
    assert gen.corrupt("The park.", random.Random(0), types=["learner"])[0] == "Park."


def test_types_are_known_and_output_differs(gen):
    rng = random.Random(0)
    for _ in range(300):
        for s in SENTENCES:
            out, types = gen.corrupt(s, rng)
            assert set(types) <= set(ERROR_TYPES)
            assert (out != s) == bool(types)


def test_keep_clean_share(tables):
    for keep in (0.0, 0.2, 0.5):
        g = ErrorGenerator.from_tables(tables, keep_clean=keep)
        rng = random.Random(1)
        n = 3000
        clean = sum(g.corrupt(SENTENCES[k % len(SENTENCES)], rng)[0] == SENTENCES[k % len(SENTENCES)]
                    for k in range(n))
        assert abs(clean / n - keep) < 0.04, (keep, clean / n)
    g = ErrorGenerator.from_tables(tables, keep_clean=1.0)
    for s in SENTENCES:
        assert g.corrupt(s, random.Random(3)) == (s, [])


def test_number_of_errors_mostly_one_to_three(gen):
    rng = random.Random(2)
    counts = [len(gen.corrupt(s, rng)[1]) for _ in range(300) for s in SENTENCES]
    applied = [c for c in counts if c]
    assert sum(1 <= c <= 3 for c in applied) / len(applied) > 0.8
    assert max(applied) >= 3


def test_input_not_mutated_and_deterministic(gen, tables):
    s = str(SENT)
    before = s[:]
    a = gen.corrupt(s, random.Random(42))
    b = ErrorGenerator.from_tables(tables).corrupt(s, random.Random(42))
    assert s == before
    assert a == b
    outs = {gen.corrupt(s, random.Random(k))[0] for k in range(30)}
    assert len(outs) > 10  # different seeds give different noise


def test_deterministic_across_processes(lexdir):
    code = ("import random,sys; from edgemodel.train.noise import ErrorGenerator as G; "
            f"g=G({str(lexdir)!r}); r=random.Random(7); "
            f"print([g.corrupt(s, r) for s in {SENTENCES!r} * 5])")
    outs = []
    for hashseed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hashseed, PYTHONPATH=str(REPO))
        outs.append(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                   check=True).stdout)
    assert outs[0] == outs[1] and outs[0]


def test_no_dialect_conversion_generated(gen, tables):
    rng = random.Random(5)
    sents = SENTENCES + [
        "The colour of the centre was grey, and they travelled to the labelled catalogue.",
        "The color of the center was gray, and they traveled to the labeled catalog.",
        "She learnt that the labelling of the neighbour's honour was realised.",
        "He learned that the labeling of the neighbor's honor was realized.",
    ]
    for _ in range(400):
        for s in sents:
            out, _ = gen.corrupt(s, rng)
            for x, y in changed_words(s, out):
                assert not is_dialect_variant(x, y), (x, y)
                assert not tables.crosses_dialect(x, y), (x, y)
    # verb forms keep the dialect of the original: labelling -> labelled/label/labels, never labeled
    s = "They were labelling the boxes."
    for k in range(60):
        out, types = gen.corrupt(s, random.Random(k), types=["verb_form"])
        assert "labeled" not in out and "labeling" not in out


def test_misspellings_and_typos_are_not_words(gen, tables):
    rng = random.Random(9)
    for _ in range(150):
        for s in SENTENCES:
            for etype in ("spelling", "typo"):
                out, types = gen.corrupt(s, rng, types=[etype])
                for x, y in changed_words(s, out):
                    assert not tables.is_valid(y), (etype, x, y)


def test_capitalisation_preserved(gen):
    s = "Their garden is big."
    seen = set()
    for k in range(40):
        out, types = gen.corrupt(s, random.Random(k), types=["confusion"])
        if types:
            assert out.split(" ")[0] in ("There", "They're"), out
            seen.add(out.split(" ")[0])
    assert seen == {"There", "They're"}
    for k in range(40):
        out, types = gen.corrupt("Because the garden is big, we play.", random.Random(k), types=["spelling"])
        if types and out.split(" ")[0] != "Because":
            assert out[0].isupper() and out.split(" ")[0][1:].islower(), out
    # a deleted sentence-initial article passes its capital on
    for k in range(40):
        out, types = gen.corrupt("The children went to the park.", random.Random(k), types=["article"])
        if types and not out.startswith("The "):
            assert out[0].isupper(), out
    # names keep their capitals when words move around them
    for k in range(40):
        out, _ = gen.corrupt("John said the cat sat.", random.Random(k), types=["word_order"])
        assert "john" not in out


def test_whitespace_outside_edit_is_kept(gen):
    s = "The  children\twent to   the park,  and their garden is big .\n"
    spaces = [t for t in TOKEN_RE.findall(s) if t.isspace()]
    for k in range(60):
        for etype in ("spelling", "typo", "confusion", "agreement", "verb_form", "noun_number", "capitalization"):
            out, types = gen.corrupt(s, random.Random(k), types=[etype])
            assert [t for t in TOKEN_RE.findall(out) if t.isspace()] == spaces, (etype, out)
        out, types = gen.corrupt(s, random.Random(k), types=["missing_word"])
        if types:
            out_spaces = [t for t in TOKEN_RE.findall(out) if t.isspace()]
            assert len(out_spaces) == len(spaces) - 1
            assert all(x in spaces for x in out_spaces)


def test_tokeniser_is_lossless():
    for s in SENTENCES + ["", " ", "a\u00a0b", "naïve café—ok?!", "don't it’s O'Brien's 3,000 e.g. _x_"]:
        assert "".join(TOKEN_RE.findall(s)) == s


@pytest.mark.parametrize("s", ["", " ", ".", "a", "I", "Hello", "!!!", "\n", "\u200b", "日本語の文です。",
                               "Ça va très bien, merci.", "x" * 5000, " ".join(["the"] * 3000),
                               "The cat's 'quoted' word -- and,, commas ;; here !", "A.", "I i I"])
def test_odd_inputs(gen, s):
    for k in range(5):
        out, types = gen.corrupt(s, random.Random(k))
        assert isinstance(out, str) and set(types) <= set(ERROR_TYPES)
        for etype in ERROR_TYPES:
            out, types = gen.corrupt(s, random.Random(k), types=[etype])
            assert types in ([], [etype])
        gen.corrupt(s, random.Random(k), types=list(ERROR_TYPES))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), seed=st.integers(0, 2**32 - 1), force=st.booleans())
def test_never_raises(gen, text, seed, force):
    rng = random.Random(seed)
    out, types = gen.corrupt(text, rng, types=list(ERROR_TYPES) if force else None)
    assert isinstance(out, str) and set(types) <= set(ERROR_TYPES)
    assert (out != text) == bool(types)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(COMMON + ["The", "Their", "I", ",", ".", "John", "colour", "travelled"]),
                      max_size=40), seed=st.integers(0, 1000))
def test_word_soup(gen, words, seed):
    text = " ".join(words)
    out, types = gen.corrupt(text, random.Random(seed))
    assert (out != text) == bool(types)
    for x, y in changed_words(text, out):
        assert not is_dialect_variant(x, y)


def test_empty_tables_work():
    g = ErrorGenerator.from_tables(NoiseTables(), keep_clean=0.0)
    rng = random.Random(0)
    for s in SENTENCES:
        out, types = g.corrupt(s, rng)
        assert set(types) <= set(ERROR_TYPES)


def test_unknown_type_rejected(gen):
    with pytest.raises(ValueError):
        gen.corrupt(SENT, random.Random(0), types=["nonsense"])
    with pytest.raises(ValueError):
        ErrorGenerator.from_tables(NoiseTables(), weights={"nonsense": 1.0})


def test_weights_select_types(tables):
    g = ErrorGenerator.from_tables(tables, keep_clean=0.0,
                                   weights={t: (1.0 if t == "punctuation" else 0.0) for t in ERROR_TYPES})
    rng = random.Random(0)
    for s in SENTENCES:
        out, types = g.corrupt(s, rng)
        assert set(types) <= {"punctuation"}


def test_speed_smoke(gen):
    rng = random.Random(0)
    t0 = time.perf_counter()
    for _ in range(200):
        for s in SENTENCES:
            gen.corrupt(s, rng)
    assert 1200 / (time.perf_counter() - t0) > 300  # real resources: >10k sentences/s on one core
