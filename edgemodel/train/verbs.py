"""Build `assets/verbs.tsv`, the verb forms the grammar rules need (see edgemodel.grammar).

    python -m edgemodel.train.verbs --data ../shared/data --out assets/verbs.tsv

One line per common verb: base, third person singular, past, and "1" when the past can only be a
past ("went": not a participle, not a verb's base), so "didn't went" can only mean "didn't go"
(pyinflect's AGID table, MIT/SCOWL).
Left out, because "he" + the word says nothing about agreement: bases that are also a past, or
another verb's participle or -s form ("He lay down", "found", "saw", "read", "put", "cleans");
modals, auxiliaries and other closed-class words the table lists as verbs ("would", "need not",
"be"); words far more often adverbs after a subject ("He still", "She even"); and rows whose
forms are not real words ("justs").
"""
from __future__ import annotations

import argparse
from pathlib import Path

from edgemodel.train.corpus import DEFAULT_DATA
from edgemodel.train.noise import STOPWORDS, read_wordfreq

MIN_ZIPF = 3.0
NOT_AGREEMENT = {"be", "need", "dare", "ought", "used", "better", "beware", "even", "still", "further", "just",
                 "really", "last", "well", "long", "back", "down", "up", "out", "off", "home", "near", "right",
                 "round", "forward", "best", "second", "first", "guest", "wed", "later", "pretty", "half", "sort"}


def verb_rows(lexical: Path) -> list[tuple[str, str, str, str]]:
    zipf = read_wordfreq(lexical / "wordfreq_en_top100k_zipf.tsv")
    verbs, form_of, pasts, lemmas = [], {}, set(), set()   # form_of: a past, participle or -s form -> its verbs
    for line in (lexical / "pyinflect_infl.csv").read_text(encoding="utf-8").splitlines():
        cols = line.split(",")
        if len(cols) != 6 or cols[1] != "V":
            continue
        base, its_pasts, its_participles, its_s3 = cols[0], *(c.split("/") for c in (cols[2], cols[3], cols[5]))
        lemmas.add(base)
        pasts.update(its_pasts)
        for form in its_pasts + its_participles + its_s3:
            form_of.setdefault(form, set()).add(base)
        past, s3 = its_pasts[0], its_s3[0]
        participles = set(its_pasts if its_participles == ["<>"] else its_participles)
        if (base.isalpha() and base.islower() and zipf.get(base, 0.0) >= MIN_ZIPF and s3.endswith("s")
                and past in zipf and s3 in zipf and base not in (STOPWORDS - {"do", "have"}) | NOT_AGREEMENT):
            verbs.append((base, s3, past, past not in participles))
    return sorted({(base, s3, past, "1" if only and past not in lemmas else "")
                   for base, s3, past, only in verbs if base not in pasts and not form_of.get(base, set()) - {base}})


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=Path("assets/verbs.tsv"))
    args = ap.parse_args(argv)
    rows = verb_rows(args.data / "lexical")
    args.out.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} verbs -> {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
