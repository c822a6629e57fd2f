"""The grammar rules: a/an by sound, pronoun-verb agreement; what they flag, and the correct text
they must leave alone."""
import pytest
from conftest import ASSETS
from hypothesis import given, settings
from hypothesis import strategies as st

from edgemodel import Checker, CheckOptions, ModelError
from edgemodel.grammar import INTRO_PHRASES, PHRASES, Grammar, vowel_sound
from edgemodel.issue import Kind
from edgemodel.spelling import Lexicon


@pytest.fixture(scope="module")
def grammar():
    return Grammar(ASSETS / "verbs.tsv", Lexicon(ASSETS / "lexicon.npz"))


def found(grammar, sentence):
    return [(sentence[i.start:i.end], i.replacements) for i in grammar.check(sentence)]


@pytest.mark.parametrize("sentence, expected", [
    ("She ate a apple.", [("a", ("an",))]),
    ("It is an university.", [("an", ("a",))]),
    ("A orange fell.", [("A", ("An",))]),                   # case kept at the start of a sentence
    ("We met an European friend.", [("an", ("a",))]),
    ("I waited a hour.", [("a", ("an",))]),                 # silent h
    ("He go to school.", [("go", ("goes", "went"))]),          # the past as the second suggestion
    ("She have a dog.", [("have", ("has", "had"))]),
    ("They goes home and I wants it.", [("goes", ("go", "went")), ("wants", ("want", "wanted"))]),
    ("We goes to the beach, and we wants ice cream.", [("goes", ("go", "went")), ("wants", ("want", "wanted"))]),
    ("When he get back, he was tired.", [("get", ("got", "gets"))]),   # a sentence told in the past
    ("We was happy and they is here; I is sure.", [("was", ("were",)), ("is", ("are",)), ("is", ("am",))]),
    ("It have a roof.", [("have", ("has", "had"))]),
    ("She don't know, they isn't here; I hasn't seen it.",
     [("don't", ("doesn't",)), ("isn't", ("aren't",)), ("hasn't", ("haven't",))]),
    ("He go to school yesterday.", [("go", ("went", "goes"))]),     # the sentence is about the past
    ("Two weeks ago, they buys a car.", [("buys", ("bought", "buy"))]),
    ("I didn't went there and she can't goes.", [("went", ("go",)), ("goes", ("go",))]),
    ("He does not wants it, but you can makes it.", [("wants", ("want",)), ("makes", ("make",))]),
    ("You could of told me.", [("of", ("have",))]),
    ("In the other hand, I am agree.", [("In the other hand", ("On the other hand",)), ("am agree", ("agree",))]),
    ("It is more easier than it was, and more better.", [("more easier", ("easier",)), ("more better", ("better",))]),
    ("More faster, a more softer sound.", [("More faster", ("Faster",)), ("more softer", ("softer",))]),
    ("It had a big affect on me; it can affect on them.", [("affect", ("effect",)), ("affect on", ("affect",))]),
    ("For all intensive purposes it peaked my interest.", [("For all intensive purposes",
                                                           ("For all intents and purposes",)),
                                                          ("peaked my interest", ("piqued my interest",))]),
    ("He is suppose to know.", [("is suppose to", ("is supposed to",))]),
    ("I should have went; it has began.", [("went", ("gone",)), ("began", ("begun",))]),   # at the end too
    ("I look forward to hear from you.", [("look forward to hear", ("look forward to hearing",))]),
    ("We look forward to see you.", [("look forward to see", ("look forward to seeing",))]),   # once "seing"
    ("We will discuss about", [("discuss about", ("discuss",))]),   # a phrase ending the text (once an IndexError)
    ("Thanks.\n\nYour sincerely", [("Your sincerely", ("Yours sincerely",))]),
    ("She is taller then me.", [("then", ("than",))]),
    ("Its a nice day.", [("Its", ("It's",))]),
    ("Their is a cat and your a star.", [("Their", ("There",)), ("your", ("you're",))]),
    ("Their going to win and your going to be fine.", [("Their", ("They're",)), ("your", ("you're",))]),
    ("Your welcome!", [("Your", ("You're",))]),
    ("Your welcome to join us.", [("Your", ("You're",))]),
    ("Yesterday i went home, i'm tired and im going.", [("i", ("I",)), ("i'm", ("I'm",)), ("im", ("I'm",))]),
    ("For example the car is red.", [("example", ("example,",))]),
    ("\"However it failed.", [("However", ("However,",))]),
    ("On the other hand I agree.", [("hand", ("hand,",))]),
    ("In addition the car is red.", [("addition", ("addition,",))]),
    ("In fact it is fast.", [("fact", ("fact,",))]),
    ("Therefore the plan failed.", [("Therefore", ("Therefore,",))]),   # an opener before the clause's subject
    ("For this reason they stayed.", [("reason", ("reason,",))]),
    ("Finally the plan failed.", [("Finally", ("Finally,",))]),
    ("I went home. then I slept!  and", [("then", ("Then",))]),
    ("When I was young I played.", [("young", ("young,",))]),   # an opening clause ends at the main subject
    ("If I were you I would go.", [("you", ("you,",))]),
    ("When I saw it it was gone.", [("it", ("it,",))]),
    ("If you want a product you pay.", [("product", ("product,",))]),
    ("As soon as we left they came.", [("left", ("left,",))]),
    ("There are many problem in it.", [("problem", ("problems",))]),   # a plural after "many", "one of the"
    ("One of the reason is cost.", [("reason", ("reasons",))]),
    ("I have several reason why.", [("reason", ("reasons",))]),
    ("We saw numerous city.", [("city", ("cities",))]),
    ("For the these reasons and and the the others.", [("the these", ("these",)), ("and and", ("and",)),
                                                       ("the the", ("the",))]),   # one determiner is enough
    ("The another one left.", [("The another", ("Another",))]),
    ("I wanted to go there but it rained.", [("there", ("there,",))]),   # "but" joining two clauses
    ("I did not like the film but it was good.", [("film", ("film,",))]),
])
def test_errors_are_flagged_with_the_fix(grammar, sentence, expected):
    assert found(grammar, sentence) == expected


@pytest.mark.parametrize("sentence", [
    "It took an hour and a one-time fee.",
    "An honest man and a university student.",
    "It was an unimportant detail in a European city.",
    "An FBI agent works on an EU-funded project with an mRNA vaccine.",
    "She lives near the Theater an der Wien.",                # German
    "Vamos a empezar mañana.",                                # Spanish
    "The 802.11a also works, but part a is hard.",
    "Is it an historic moment?",                              # h-words are left to the writer
    "Did he go home?",                                        # a question
    "I made him go and let it go.",                           # objects, not subjects
    "He lay down and she found it.",                          # pasts that look like bases
    "He still lives here and she even likes it.",             # adverbs
    "The judge asked that he go free if he wish.",            # subjunctive
    "He will go tomorrow, and he goes every day.",
    "They go and I like it, but he goes.",
    "You guys are great, and we humans agree.",
    "If he were rich, as it were, Donald and I were glad; the scene before you is lit; i is a root.",
    "It far outstripped them, and he even likes it.",
    "It would of course fail, given the might of the army.",
    "It was worse then.",                                     # "then" in time
    "One or more smaller parties and more older people had more Lower Layer areas.",   # "more" counts them
    "Their going to war was a choice; your welcome was warm; your going away party.",   # possessives
    "High negative affect, or to affect on-line processing.",
    "Whatever talent he might have did not lie there; what income he had came from work; they had bit parts.",
    "Cato the Younger then rose, and its owner left.",
    "Let i be the index; the letter i was added; (i) is a list item; IBM System i runs.",
    "He meant to pay 'im a compliment; Fremd im eigenen Land.",
    "Would taxis be cheaper, and must records always sound so?",
    "They were at each others' throats; we move forward to see more.",   # questions: a noun, not a verb
    "The can opens easily; it would put them off; you didn't read it.",
    "However hard he tried, he failed; for example the car.",   # "however" as "no matter how"; mid-sentence
    "For example, the car is red. Moreover, it is fast.",
    "In addition to that, and finally it ended.",
    "Therefore released in 1990, it sold. Instead of rain, sun. Similarly named towns exist.",   # not before a clause
    "In short order, they left. Lastly and most importantly, it ended. Interestingly enough, it works.",
    "It has cars, bikes etc. and more (see fig. the left; approx. ten). Mr. smith left... and came to Hiawatha, Kan. and left. He said \"no. ok\".",
    "As a result of the war, in contrast to peace, prices rose. Thus the car is red.",
    "When I was young, I played.", "Because I love you and she agrees.", "If I want it.",   # objects
    "If you think that I am right say so.", "Since they said they would come.", "When he and I met.",
    "After the end of World War I in 1918 it grew.", "It rained when I was young I think.",   # no opening clause
    "When I told him someone had torn it out, he shouted.",   # the writer placed the clause's comma
    "Many thought that it was. Many believe that. These include: cats. These individual cases are rare.",
    "Most of the time we sleep. Many people came. It had several firm, gray fibres. No one of his age ran.",
    "At the same time as the war ended it rained.", "Finally released in 1990, it sold.",
    "Point me to to support it; he came in in time; that that is; the a priori case; the every-day life.",
    "Everything has gone from me but the hope.", "It was not the meat at all but the heat.",
    "We liked it a lot, and it was fun but we left.", "Nobody in the whole town came but the mayor.",
    "He had a numerous family. The many lose. Many other things. Many more came. I gave much information.",
])
def test_correct_text_is_left_alone(grammar, sentence):
    assert found(grammar, sentence) == []


def test_vowel_sound_by_spelling():
    assert [vowel_sound(w) for w in ("apple", "hour", "unit", "uncle", "one", "once", "eulogy", "umbrella")] == \
        [True, True, False, True, False, False, False, True]
    assert vowel_sound("NASA") is None and vowel_sound("house") is None and vowel_sound("x-ray") is None


def test_checker_reports_rules_beside_the_model_and_word_list(checker):
    sentence = "He go to school yesterday and buyed a apple."
    issues = checker.check(sentence)
    assert checker.correct(sentence) == "He went to school yesterday and bought an apple."
    assert {sentence[i.start:i.end]: i.kind for i in issues}["a"] == Kind.GRAMMAR
    assert checker.correct(sentence, CheckOptions(disabled_kinds=frozenset({Kind.GRAMMAR}))).startswith("He go to")


def test_verb_table_is_optional_unless_the_model_card_lists_it(tmp_path):
    import json
    import shutil
    for f in ASSETS.iterdir():
        if f.is_file() and f.name != "verbs.tsv":
            shutil.copy(f, tmp_path / f.name)
    with pytest.raises(ModelError, match="verbs.tsv is missing"):
        Checker(tmp_path)
    card = json.loads((tmp_path / "model.json").read_text())
    del card["files"]["verbs.tsv"]
    (tmp_path / "model.json").write_text(json.dumps(card))
    checker = Checker(tmp_path)
    assert checker.grammar is None and checker.correct("She ate a apple.") == "She ate a apple."


def test_verb_table_leaves_out_what_says_nothing_about_agreement(tmp_path):
    from edgemodel.train.verbs import verb_rows
    (tmp_path / "pyinflect_infl.csv").write_text(
        "go,V,went,gone,going,goes\nlie,V,lied/lay,lain,lying,lies\nlay,V,laid,<>,laying,lays\n"
        "still,V,stilled,<>,stilling,stills\nwould,V,woulded,<>,woulding,woulds\ngo,N,goes\n"
        "zorp,V,zorped,<>,zorping,zorps\nput,V,put,<>,putting,puts\ncome,V,came,come,coming,comes\n"
        "walk,V,walked,<>,walking,walks\n")
    (tmp_path / "wordfreq_en_top100k_zipf.tsv").write_text("".join(
        f"{w}\t4.0\n" for w in "go went goes lie lied lies lay laid lays still stilled stills would put puts come "
                                "came comes walk walked walks".split()))
    # "went", "came", "lied" (lie, lain) can only be pasts; "walked" is also a participle; "lay", "put" are pasts
    assert verb_rows(tmp_path) == [("come", "comes", "came", "1"), ("go", "goes", "went", "1"),
                                   ("lie", "lies", "lied", "1"), ("walk", "walks", "walked", "")]


@pytest.mark.parametrize("before,original,replacement,after,unasked", [
    ("issued earlier than the", "originals", "original", ", it is", True),   # the writer's choice
    ("Modern medicine usually", "treats", "treat", " depression.", True),
    ("I would like some further", "informations", "information", ".", False),   # never plural
    ("In the name of education they", "spreads", "spread", " it.", False),      # a plural subject
    ("There are many", "car", "cars", " here.", False),
    ("The", "car", "cars", " are red.", False),                                 # a plural verb
    ("I saw a", "cats", "cat", ".", False),
    ("It", "go", "went", " well.", False),                                      # not about number
])
def test_number_changes_need_something_asking_for_them(before, original, replacement, after, unasked):
    from edgemodel.grammar import unasked_number_change
    assert unasked_number_change(before, original, replacement, after) is unasked


def test_every_phrase_fix_is_spelt_right():
    lexicon = Lexicon(ASSETS / "lexicon.npz")
    assert [fix for fix in PHRASES.values() if not all(map(lexicon.known, fix.split()))] == []


# the rules' own trigger phrases and words, in any order, with and without punctuation and case
_TRIGGERS = sorted(set(PHRASES) | set(INTRO_PHRASES) | {w for p in PHRASES for w in p.split()}
                   | {"a", "an", "i", "im", "he", "they", "was", "were", "go", "goes", "etc", "home", "then", "to",
                      "when", "if", "as", "soon", "it", "you", "but", "the", "these", "many", "one", "of", "reason",
                      "problem", "city", "and", "not"})


@given(st.lists(st.sampled_from(_TRIGGERS + [".", ",", "!", "?", "\n", "'", "--"]), max_size=8), st.booleans())
@settings(max_examples=500, deadline=None)
def test_any_mix_of_trigger_words_gives_valid_issues(grammar, words, capitalise):
    text = " ".join(words)
    text = text.capitalize() if capitalise else text
    for issue in grammar.check(text):
        assert 0 <= issue.start <= issue.end <= len(text) and issue.replacements[0] != text[issue.start:issue.end]
