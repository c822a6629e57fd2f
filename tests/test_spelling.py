"""The spelling layer: the word list built from its sources, and the misspellings the checker
reports on top of the model's corrections."""
import shutil

import pytest
from conftest import ASSETS, FIXTURES

from edgemodel import Checker, CheckOptions, ModelError
from edgemodel.issue import Kind
from edgemodel.spelling import Lexicon


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon(ASSETS / "lexicon.npz")


def test_build_from_sources(tmp_path):
    np = pytest.importorskip("numpy")
    from edgemodel.train.lexicon import build, save
    arrays = build(FIXTURES / "lexical")
    save(tmp_path / "lexicon.npz", arrays)
    lex = Lexicon(tmp_path / "lexicon.npz")
    # mapped in place, not read into memory: aligned, so numpy searches the file's pages directly
    from edgemodel.spelling import map_npz
    for path in (tmp_path / "lexicon.npz", ASSETS / "lexicon.npz"):
        assert all(isinstance(a, np.memmap) for a in map_npz(path).values())
    for word in ("friends", "received", "colours", "colors", "don't", "London", "Because"):
        assert lex.check(word) is None, word                        # Hunspell forms, US and GB, any case
    assert lex.misspelling("becuase") == "because"                  # codespell
    assert lex.misspelling("recieved") == "received"                # first suggestion only
    assert lex.misspelling("alot") == "a lot"                       # two words
    assert lex.misspelling("goverment") == "government"             # cspell
    assert lex.misspelling("teh") == "the"                          # TOEFL-Spell
    assert lex.misspelling("wierd") is None                         # correction not in the dictionary
    assert lex.misspelling("color") is None                         # a word of the other dialect is no misspelling
    assert lex.check("freinds").suggestions == ["friends"]          # one edit away, common
    assert lex.check("frnt").suggestions == ["front"]


@pytest.mark.parametrize("word, first", [("becuase", "because"), ("recieved", "received"), ("dont", "don't"),
                                         ("teh", "the"), ("tomorow", "tomorrow"), ("freind's", "friend's"),
                                         ("Becuase", "Because"), ("infront", "in front"),
                                         # a common slip beats a commoner word: a letter left out, not a last one changed
                                         ("relativs", "relatives"), ("mountais", "mountains"), ("braclet", "bracelet"),
                                         ("printd", "printed"), ("iside", "inside")])
def test_misspellings_get_the_right_first_suggestion(lexicon, word, first):
    assert lexicon.check(word, sentence_start=True).suggestions[0] == first


def test_slips_are_told_apart_and_rated_by_how_often_they_were_the_one_made():
    from edgemodel.spelling import SLIPS, slip
    from edgemodel.train.lexicon import slip_rates
    kinds = {meant: SLIPS[slip(typo, meant)] for typo, meant in [
        ("relativs", "relatives"), ("relativs", "relative"), ("untill", "until"), ("ocur", "occur"),
        ("freind", "friend"), ("hte", "the"), ("dog", "bog")]}
    assert kinds == {"relatives": "omit-vowel-inner", "relative": "replace-other-last", "until": "add-double-last",
                     "occur": "omit-double-inner", "friend": "swap-inner", "the": "swap-first", "bog": "replace-other-first"}
    rates = slip_rates([("relativs", "relatives"), ("Relativs", "relatives")], {"relatives": 3.0, "relative": 4.0})
    assert rates[SLIPS.index("omit-vowel-inner")] > 0.5 > rates[SLIPS.index("replace-other-last")] > 0


def test_capitalised_words_are_flagged_only_at_the_start_of_a_sentence(lexicon):
    assert lexicon.check("Becuase", sentence_start=False) is None   # mid-sentence: maybe a name
    name_or_slip = lexicon.check("Kitchem", sentence_start=True)   # not a well-known misspelling: maybe a name
    assert name_or_slip.suggestions == ["Kitchen"] and name_or_slip.confidence < CheckOptions().threshold
    assert lexicon.check("Unforturnately", sentence_start=True).suggestions == ["Unfortunately"]   # long: a slip
    assert lexicon.check("Unforturnately", sentence_start=False) is None
    assert lexicon.check("kitchem").suggestions == ["kitchen"]


def test_confidence_follows_the_evidence(lexicon):
    known = lexicon.check("recieved").confidence          # a well-known misspelling
    common = lexicon.check("kitchem").confidence          # one edit from a common word
    rare = lexicon.check("reductases")                    # a rare valid word, one edit from a rare one
    assert known > common > rare.confidence and rare.confidence < CheckOptions().threshold < common


def test_long_words_need_less_evidence_than_short_ones(lexicon):
    threshold = CheckOptions().threshold
    for word, fix in (("carbohydarte", "carbohydrate"), ("diversifed", "diversified"), ("talkkative", "talkative")):
        found = lexicon.check(word)   # one edit from a word of Zipf 3-3.5, and too long to be a word itself
        assert found.suggestions[0] == fix and found.confidence >= threshold
    assert lexicon.check("pottesium").confidence < threshold   # "potassium": Zipf < 3, a guess


def test_a_misspelled_part_of_a_hyphenated_word_is_mended(lexicon):
    assert lexicon.check("new-fasion").suggestions[0] == "new-fashion"           # a well-known misspelling
    assert lexicon.check("three-dimentional").suggestions[0] == "three-dimensional"
    assert lexicon.check("mytho-historical").confidence < CheckOptions().threshold   # a bound form: offered only
    assert lexicon.check("mis-spelt") is None and lexicon.check("well-known") is None


def test_run_together_words_are_split(lexicon):
    threshold = CheckOptions().threshold
    for word, fix in (("thatour", "that our"), ("closedthe", "closed the"), ("whatyou", "what you")):
        found = lexicon.check(word)
        assert found.suggestions == [fix] and found.confidence >= threshold
    compound = lexicon.check("schooltrip")   # may be written solid: offered, not asserted
    assert compound.suggestions == ["school trip"] and compound.confidence < threshold
    assert lexicon.check("mebi") is None     # no split into parts of three letters or more


def test_two_edits_away_only_a_clear_look_alike_is_confident(lexicon):
    threshold = CheckOptions().threshold
    for word, fix in (("litreture", "literature"), ("posssbale", "possible")):
        found = lexicon.check(word)
        assert found.suggestions[0] == fix and found.confidence >= threshold
    close = lexicon.check("temparture")   # "departure" is about as common: offered, not asserted
    assert close.suggestions[:2] == ["temperature", "departure"] and close.confidence < threshold
    for rare in ("supremum", "peritus"):   # valid rare words two edits from common ones: suggested, not flagged
        assert lexicon.check(rare).confidence < threshold


@pytest.mark.parametrize("word", ["colour", "color", "analyse", "analyze", "theatre", "e-mail", "self-esteem",
                                  "undulating", "aren't", "Schafkopf", "NASA", "iPhone", "COVID", "x86",
                                  "Kerman's", "ok"])
def test_correct_words_names_and_acronyms_are_left_alone(lexicon, word):
    assert lexicon.check(word) is None


def test_lowercase_names_are_capitalised(lexicon, checker):
    assert [lexicon.proper_case(w) for w in ("italian", "monday", "english")] == ["Italian", "Monday", "English"]
    for word in ("polish", "china", "turkey", "des", "Italian", "table"):   # words too, foreign, or right
        assert lexicon.proper_case(word) is None
    text = "We ate italian food on monday."
    found = [i for i in checker.check(text) if i.kind is Kind.CAPITALIZATION]
    assert [(text[i.start:i.end], i.replacements[0]) for i in found] == [("italian", "Italian"), ("monday", "Monday")]


def test_checker_reports_misspellings_the_model_leaves(checker):
    text = "My freind lives in Bavaria. She recieved a letter."
    spelling = [i for i in checker.check(text) if i.kind is Kind.SPELLING]
    spans = {text[i.start:i.end]: i.replacements[0] for i in spelling}
    assert spans.get("freind") == "friend" and spans.get("recieved") == "received", spelling
    assert checker.correct(text) == "My friend lives in Bavaria. She received a letter."
    assert all(i.start < j.start for i, j in zip(checker.check(text), checker.check(text)[1:]))  # sorted
    mine = CheckOptions(dictionary=frozenset({"freind"}))
    assert "freind" not in {text[i.start:i.end] for i in checker.check(text, mine)}


def test_damaged_word_list_is_a_clear_error(tmp_path):
    shutil.copytree(ASSETS, tmp_path / "model")
    path = tmp_path / "model" / "lexicon.npz"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(ModelError, match="lexicon.npz"):
        Checker(tmp_path / "model")


def test_model_edits_that_write_a_non_word_are_dropped(checker):
    assert checker._invents_words("servitude", "serude")        # a real word made a non-word
    assert not checker._invents_words("there", "their")         # word for word
    assert not checker._invents_words("buyed", "bought")
    assert not checker._invents_words("london", "London")       # a name the dictionary knows
