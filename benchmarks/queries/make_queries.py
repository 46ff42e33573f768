#!/usr/bin/env python3
"""Builds benchmarks/queries/ungdc.jsonl: queries of the kinds a researcher types, cut from real text.

Usage: benchmarks/queries/make_queries.py [--data ../shared/data/ungdc] [--seeds ../shared/seeds]
                                          [--out benchmarks/queries/ungdc.jsonl]

Every query comes from one sentence of a UN General Debate speech (all 10,952, 1946-2024) or of the
policy reports in ../shared/seeds (China, Pakistan, South Asia): the sentence's collocations (two or
three words that stand together in many sentences, function words between them dropped: "debt
relief", "developing countries", "international peace security"), one or two of them joined as a
person types them ("debt relief developing countries"), in lower case unless the corpus writes the
word capitalised (Pakistan, Cameroon). The output is checked in beside this script; running it
again on the same data writes the same file (fixed seed, files in path order).

Kinds (one JSON object per line: id, kind, query, and for some filters, facets, passages):
  common    2-5 words, every one in at least 0.5% of a sample of paragraphs ("debt relief developing countries")
  rare      2-4 words, one of them in fewer than 0.1% of paragraphs ("cholera epidemic")
  phrase    a quoted run of 2-4 words seen in at least 20 paragraphs ("right of self-determination")
  name      a person named in the speeches (speakers_by_session.tsv names that occur in the text) or a
            person of the seed reports ("Kofi Annan", "Khawaja Asif"), as typed: no quotes
  filter    2-3 words with the speaking country and/or the decade of the speech they came from
            (filters: {"by": "PAK", "published": "1960s"})
  facets    2-4 common words with facets by country and year ("facets": ["by", "published"])
  passages  2-5 words in passage mode ("passages": true)

Curation: DROP lists generic speech words that make a query read like a transcript, not a search
(words such as "delegation", "session", "wish"); QUERY_DROP removes queries that were read and found
not to read like a search. Both are plain lists in this file.
"""
import argparse
import collections
import json
import pathlib
import random
import re
import tarfile

# quire's stop words (searcher/searcher.cc) plus the other function words a person does not type.
STOP = set("""a about after all also an and any are as at be been before being between both but by can
could did do does during each for from had has have he her here hers him his how i if in into is it its
itself me more most my no nor not of on once only or other our ours out over own same she should so some
such than that the their theirs them then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours
shall may might must upon us one two three also within without among amongst against towards toward
whose yet thus therefore however indeed even still just let every many much less least ever never
always now today already again further another either neither whether already per via cannot""".split())

# Words that belong to the speech, not to its subject.
DROP = set("""delegation delegations session sessions assembly general mr mrs madam sir president
vice-president chairman excellency excellencies congratulate congratulations congratulating election
elected wish wishes like express expressed expressing take taken taking opportunity pleasure honour honor
great greater greatest year years time times way ways say said saying make made making believe believes
think thought hope hoped hopes hoping wish feel felt view views regard regards regarding respect
point points fact facts question questions matter matters thing things place places part parts number
new old first second third last next past present presently particular particularly certain certainly
important importance many various several whole kind sort able unable need needs needed well good better
best far long short high low large small every country's government's nation's statement statements
speech speeches speak spoke spoken speaking hall podium address addressed addressing item items agenda
distinguished predecessor predecessors colleague colleagues friend friends gentlemen ladies applause
behalf welcome welcomed welcoming pay paid tribute thank thanks grateful gratitude appreciation
sincere sincerely warm warmly cordial cordially heartfelt indeed course shall upon would could should
per cent percent etc i.e e.g ii iii iv put come came act acting together auspicious fullest positive
contribution contributions results attention occasion devoted deep deeply noted note given give gives
remain remains remained allow allows face faced faces welcomes welcome bring brings brought posed pose
drawing draw especially close affairs assigned uphold upholding continue continues continued remain
become becomes became seek seeks sought know known see seen want wants get got go going keep kept
hold held call calls called provide provides provided include includes including recognize recognizes
ensure ensures reaffirm reaffirms reiterate reiterates stress stresses emphasize emphasizes""".split())

# Proper nouns that are not a subject on their own in these speeches.
DROP_PROPER = {"United", "Nations", "General", "Assembly", "Mr", "Mrs", "Sir", "President", "Organization",
               "Member", "States", "State", "Government", "Secretary-General", "Charter", "Council"}

QUERY_DROP = set()

WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*[A-Za-z]|[A-Za-z]")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])")

# People of the seed reports (schemas/actors.xml lists them), as a researcher would type them.
SEED_PEOPLE = ["Khawaja Asif", "Asim Munir", "Shehbaz Sharif", "Imran Khan", "Xi Jinping", "Wang Yi",
               "Narendra Modi", "Donald Trump", "Nawaz Sharif", "Pervez Musharraf"]


def speeches_from(data):
    """(name, text) of every speech in the archive, in path order."""
    texts = {}
    with tarfile.open(data / "ungdc-txt.tar.xz", "r|xz") as tar:  # a stream: read in archive order
        for m in tar:
            if m.isfile() and m.name.endswith(".txt"):
                texts[m.name] = tar.extractfile(m).read().decode("utf-8", "replace")
    for name in sorted(texts):
        yield pathlib.Path(name).stem, texts[name]


def words_of(sentence):
    return WORD.findall(sentence.replace("\u2019", "'"))


def content(sentence):
    """The sentence's words in order, None for a word that breaks a collocation (punctuation between
    clauses, speech words); function words are left out without breaking it."""
    out = []
    for clause in re.split(r"[,;:()\[\]\u2014\u2013\"\u201c\u201d]| - ", sentence):
        for w in words_of(clause):
            low = w.lower()
            if low in STOP:
                continue
            out.append(None if low in DROP or len(low) < 3 or w in DROP_PROPER or low.endswith("'s") else w)
        out.append(None)
    return out


def main():
    here = pathlib.Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(here.parents[2] / "shared" / "data" / "ungdc"))
    ap.add_argument("--seeds", default=str(here.parents[2] / "shared" / "seeds"))
    ap.add_argument("--out", default=str(here / "ungdc.jsonl"))
    ap.add_argument("--per-kind", type=int, default=50)
    args = ap.parse_args()
    rnd = random.Random(15)
    data = pathlib.Path(args.data)

    # One pass: document frequencies and case over every 4th paragraph, sentences from every speech.
    df, lower = collections.Counter(), collections.Counter()
    paragraphs = 0
    sentences = []  # (country, year, sentence)
    name_counts = collections.Counter()
    for n, (name, text) in enumerate(speeches_from(data)):
        country, _, year = name.split("_")
        lines = [l.strip() for l in text.splitlines() if l.strip()]
        for i, line in enumerate(lines):
            if i % 4 == 0:
                paragraphs += 1
                ws = words_of(line)
                df.update({w.lower() for w in ws})
                lower.update({w for w in ws[1:] if w.islower()})
        if n % 3 == 0:
            ws = words_of(text)
            for size in (2, 3):
                for i in range(len(ws) - size + 1):
                    if ws[i][0].isupper() and ws[i + size - 1][0].isupper():
                        name_counts[" ".join(ws[i:i + size])] += 1
        for line in rnd.sample(lines, min(6, len(lines))):
            parts = [s for s in SENTENCE.split(re.sub(r"^\d+\.\s*", "", line)) if 40 < len(s) < 400]
            if parts:
                sentences.append((country, int(year), rnd.choice(parts)))
    seed_sentences = []
    for f in sorted(pathlib.Path(args.seeds).glob("*.txt")):
        for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
            seed_sentences += [s for s in SENTENCE.split(line.strip()) if 40 < len(s) < 400]

    def share(w):
        return df[w.lower()] / paragraphs

    def typed(w):
        """Lower case unless the corpus mostly writes the word capitalised."""
        low = w.lower()
        return low if w.islower() or lower[low] >= 0.3 * df[low] else w

    # Collocations: 2 or 3 adjacent content words seen in at least 8 sentences and at least 5 times as
    # often together as apart.
    grams = collections.Counter()
    for _, _, sentence in sentences:
        ws = [typed(w) if w else None for w in content(sentence)]
        for size in (2, 3):
            for i in range(len(ws) - size + 1):
                g = ws[i:i + size]
                if all(g) and len(set(g)) == size:
                    grams[tuple(g)] += 1

    def collocation(g, min_count=8):
        if grams[g] < min_count:
            return False
        expected = len(sentences)
        for w in g:
            expected *= max(share(w), 1 / paragraphs)
        return grams[g] >= 5 * expected

    def collocations_of(sentence, min_count=8):
        ws = [typed(w) if w else None for w in content(sentence)]
        found = []
        for size in (3, 2):
            for i in range(len(ws) - size + 1):
                g = tuple(ws[i:i + size])
                if all(g) and len(set(g)) == size and collocation(g, min_count):
                    if not any(i < j + len(h) and j < i + size for j, h in found):
                        found.append((i, g))
        return [g for _, g in sorted(found)]

    used = collections.Counter()

    def words_query(sentence, lo, hi, rare=False):
        found = collocations_of(sentence, 3 if rare else 8)
        if rare:
            found = [g for g in found if any(3 / paragraphs <= share(w) < 0.001 and w.isalpha() for w in g)]
        elif any(share(w) < 0.005 for g in found for w in g):
            return None
        found = [g for g in found if used[g] < 3]  # no collocation leads more than three queries
        if not found:
            return None
        rnd.shuffle(found)
        words = list(found[0])
        used[found[0]] += 1
        target = rnd.randint(lo, hi)
        for g in found[1:]:
            if len(words) + len(g) <= target and not set(g) & set(words):
                words += g
        # Short of the size drawn: another subject word of the sentence, as people add one more word.
        extra = [typed(w) for w in content(sentence) if w and share(w) >= 0.01 and w.isalpha()]
        extra = sorted(set(extra) - set(words))
        rnd.shuffle(extra)
        while len(words) < target and extra:
            words.append(extra.pop())
        return words if lo <= len(words) <= hi else None

    rnd.shuffle(sentences)
    rnd.shuffle(seed_sentences)
    pools = collections.defaultdict(list)
    seen = set()

    def add(kind, query, **extra):
        key = (kind, query.lower())
        if key in seen or query.lower() in QUERY_DROP:
            return False
        seen.add(key)
        pools[kind].append({"kind": kind, "query": query, **extra})
        return True

    # A tenth of the word kinds come from the seed reports, the rest from the speeches.
    seed_quota = max(1, args.per_kind // 10)
    speech_sources = iter(sentences)
    for kind, lo, hi in (("common", 2, 5), ("passages", 2, 5), ("facets", 2, 4), ("rare", 2, 4), ("filter", 2, 3)):
        from_seeds = 0
        for sentence in seed_sentences:
            if from_seeds >= seed_quota or kind == "filter":
                break
            words = words_query(sentence, lo, hi, kind == "rare")
            if words and add(kind, " ".join(words), **({"passages": True} if kind == "passages" else {}),
                             **({"facets": ["by", "published"]} if kind == "facets" else {})):
                from_seeds += 1
        for country, year, sentence in speech_sources:
            if len(pools[kind]) >= args.per_kind:
                break
            words = words_query(sentence, lo, hi, kind == "rare")
            if not words:
                continue
            extra = {}
            if kind == "passages":
                extra["passages"] = True
            if kind == "facets":
                extra["facets"] = ["by", "published"]
            if kind == "filter":
                choice = rnd.random()
                decade = f"{year // 10 * 10}s"
                extra["filters"] = ({"by": country} if choice < 0.4 else {"published": decade} if choice < 0.7
                                    else {"by": country, "published": decade})
            add(kind, " ".join(words), **extra)

    # Phrases: runs of 2-4 words (function words inside kept) seen in at least 20 sentences.
    phrase_grams = collections.Counter()
    for _, _, sentence in sentences:
        ws = words_of(sentence)
        for size in (2, 3, 4):
            for i in range(1, len(ws) - size + 1):
                g = ws[i:i + size]
                lows = [w.lower() for w in g]
                if lows[0] in STOP or lows[-1] in STOP or any(w in DROP or w in DROP_PROPER for w in g):
                    continue
                if all(w.lower() in STOP for w in g[1:-1]) and size > 2 or size == 2:
                    phrase_grams[" ".join(typed(w) for w in g)] += 1
    frequent = sorted(g for g, c in phrase_grams.items() if c >= 20 and collocation(tuple(
        w for w in g.split() if w.lower() not in STOP), 20))
    rnd.shuffle(frequent)
    for g in frequent:
        if len(pools["phrase"]) >= args.per_kind - seed_quota:
            break
        add("phrase", f'"{g}"')
    seed_grams = collections.Counter()
    for sentence in seed_sentences:
        ws = words_of(sentence)
        for i in range(len(ws) - 2):
            g = ws[i:i + 3]
            if g[0].lower() not in STOP and g[-1].lower() not in STOP and not any(w.lower() in DROP for w in g):
                seed_grams[" ".join(typed(w) for w in g)] += 1
    for g, c in sorted(seed_grams.items(), key=lambda x: (-x[1], x[0]))[:seed_quota]:
        add("phrase", f'"{g}"')

    # Names: speakers who are also named in the speeches, and the seed reports' people.
    speakers = set()
    for line in (data / "speakers_by_session.tsv").read_text(encoding="utf-8", errors="replace").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) > 4:
            name = re.sub(r"\s+", " ", cols[4]).strip()
            if re.fullmatch(r"[A-Z][a-z]+( [A-Z][a-z]+){1,2}", name) and not name.startswith(("Mr ", "Mrs ")):
                speakers.add(name)
    named = sorted(s for s in speakers if name_counts[s] >= 3)
    rnd.shuffle(named)
    for s in named:
        if len(pools["name"]) >= args.per_kind - len(SEED_PEOPLE):
            break
        add("name", s)
    for s in SEED_PEOPLE:
        add("name", s)

    with open(args.out, "w", encoding="utf-8") as out:
        n = 0
        for kind in ("common", "rare", "phrase", "name", "filter", "facets", "passages"):
            for q in pools[kind][:args.per_kind]:
                n += 1
                out.write(json.dumps({"id": f"{kind}-{n:03d}", **q}, ensure_ascii=False) + "\n")
    print(f"make_queries: {n} queries in {args.out} "
          + ", ".join(f"{k} {min(len(v), args.per_kind)}" for k, v in sorted(pools.items())))


if __name__ == "__main__":
    main()
