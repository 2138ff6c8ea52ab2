"""Near-duplicate detection at scale: the exact path scores like the former scikit-learn
implementation, and the LSH path finds the same pairs where near-copies are planted."""

import random
import unicodedata

import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from contest.models import Event
from judging.models import KnownModel, SimilarityFinding
from judging.services import similarity
from judging.services.similarity import normalise_text, pair_search, similar_pairs
from tests.factories import accepted_entry, judging_contest

THRESHOLD = 0.45
ONSETS = ["b", "c", "ch", "d", "đ", "g", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "s"]
ONSETS += ["t", "th", "tr", "v", "x", ""]
VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
CODAS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u"]
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]


class Corpus:
    """Vietnamese-looking texts (NFC, diacritics) from a Zipf vocabulary, with near-copies."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        syllables = sorted(
            {
                unicodedata.normalize("NFC", o + v + t + c)
                for o in ONSETS
                for v in VOWELS
                for t in TONES
                for c in CODAS[:4]
            }
        )
        self.rng.shuffle(syllables)
        self.words = [
            " ".join(self.rng.sample(syllables[:1500], self.rng.choice([1, 2, 2, 3])))
            for _ in range(4000)
        ]
        self.weights = [1 / rank for rank in range(1, len(self.words) + 1)]

    def text(self, low: int = 60, high: int = 220) -> str:
        words = self.rng.choices(self.words, self.weights, k=self.rng.randint(low, high))
        sentences = [" ".join(words[i : i + 15]) + "." for i in range(0, len(words), 15)]
        return normalise_text(" ".join(sentences))

    def near_copy(self, text: str, kind: str) -> str:
        words = text.split(" ")
        if kind == "padded":
            return f"{text}\n{self.text(len(words) // 3, len(words) // 2)}"
        if kind == "excerpted":
            return f"{self.text(20, 40)} {' '.join(words[: len(words) * 2 // 3])}"
        if kind == "reordered":
            sentences = text.split(". ")
            self.rng.shuffle(sentences)
            words = ". ".join(sentences).split(" ")
        for _ in range(len(words) // 10):  # edited: a tenth of the words replaced
            words[self.rng.randrange(len(words))] = self.rng.choice(self.words[:50])
        return " ".join(words)


KINDS = ("edited", "padded", "reordered", "excerpted")


def planted_corpus(n: int = 400, copies: int = 16, seed: int = 8):
    corpus = Corpus(seed)
    texts = [corpus.text() for _ in range(n)]
    planted = set()
    for k in range(copies):
        original, copy = 2 * k, n - 1 - 3 * k
        texts[copy] = corpus.near_copy(texts[original], KINDS[k % len(KINDS)])
        planted.add((original, copy))
    return texts, planted


def reference_scores(texts, others=None):
    """The former implementation: scikit-learn's vectorizers and one sparse product."""
    corpus = texts + (others or [])
    common = {"lowercase": False, "sublinear_tf": True, "strip_accents": None}
    words = TfidfVectorizer(
        analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", **common
    )
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), **common)
    matrix = normalize(sparse.hstack([words.fit_transform(corpus), chars.fit_transform(corpus)]))
    matrix = sparse.csr_matrix(matrix)
    left = matrix[: len(texts)]
    right = left if others is None else matrix[len(texts) :]
    return (left @ right.T).toarray()


def as_dict(pairs):
    return {(i, j): score for i, j, score in pairs}


def test_exact_scores_are_the_former_tfidf_cosines_with_awkward_texts():
    texts, _planted = planted_corpus(n=40, copies=4)
    texts += [
        "một-cửa, liên thông; điện tử!!! 2024/2025",
        "một cửa liên thông điện tử 2024 2025",
        "...",  # no word at all, only characters
        "tiếp\tnhận\n\nhồ   sơ",
        "hồ sơ",
        "",
        "Ａ ａ ﬁ",  # compatibility characters stay as they are (NFC, not NFKC)
    ]
    reference = reference_scores(texts)

    found = as_dict(similar_pairs(texts, threshold=1e-6, method="exact"))

    expected = {
        (i, j): reference[i, j]
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
        if reference[i, j] >= 1e-6
    }
    assert found.keys() == expected.keys()
    assert max(abs(found[k] - expected[k]) for k in expected) < 1e-5


def test_exact_scores_against_others_are_the_former_tfidf_cosines():
    texts, _planted = planted_corpus(n=30, copies=3)
    others = [texts[0], Corpus(99).text(), texts[5] + " thêm một câu."]
    reference = reference_scores(texts, others)

    found = as_dict(similar_pairs(texts, others, threshold=0.05, method="exact"))

    expected = {
        (i, j): reference[i, j]
        for i in range(len(texts))
        for j in range(len(others))
        if reference[i, j] >= 0.05
    }
    assert found.keys() == expected.keys()
    assert max(abs(found[k] - expected[k]) for k in expected) < 1e-5


def test_lsh_finds_exactly_the_pairs_of_the_exact_search_on_planted_copies():
    texts, planted = planted_corpus()

    exact = pair_search(texts, threshold=THRESHOLD, method="exact")
    lsh = pair_search(texts, threshold=THRESHOLD, method="lsh")

    exact_pairs, lsh_pairs = as_dict(exact.pairs), as_dict(lsh.pairs)
    assert planted <= exact_pairs.keys()  # every planted copy is above the threshold
    assert lsh_pairs.keys() == exact_pairs.keys()
    assert max(abs(lsh_pairs[k] - exact_pairs[k]) for k in exact_pairs) < 1e-5
    assert min(lsh_pairs.values()) >= THRESHOLD
    assert (exact.method, exact.scored) == ("exact", len(texts) * (len(texts) - 1) // 2)
    assert lsh.method == "lsh"
    assert lsh.scored <= lsh.band_candidates < exact.scored // 100


def test_lsh_against_others_finds_the_pairs_of_the_exact_search():
    texts, _planted = planted_corpus(n=200, copies=0)
    corpus = Corpus(3)
    others = [
        corpus.near_copy(texts[i], kind) for i, kind in zip((7, 50, 120), KINDS[:3], strict=True)
    ]
    others += [corpus.text() for _ in range(20)]

    exact = as_dict(similar_pairs(texts, others, threshold=THRESHOLD, method="exact"))
    lsh = as_dict(similar_pairs(texts, others, threshold=THRESHOLD, method="lsh"))

    assert {(7, 0), (50, 1), (120, 2)} <= exact.keys()
    assert lsh.keys() == exact.keys()


def test_lsh_finds_identical_texts_shorter_than_a_shingle():
    texts = ["một cửa", "trồng cây xanh ven đường quốc lộ", "một cửa", "hồ sơ trực tuyến"]

    found = similar_pairs(texts, threshold=THRESHOLD, method="lsh")

    assert [(i, j) for i, j, _s in found] == [(0, 2)]
    assert found[0][2] == pytest.approx(1.0)


def test_lsh_ignores_a_form_every_entry_shares_but_finds_the_copy_inside_it():
    corpus = Corpus(5)
    form = corpus.text(60, 60)
    texts = [f"{form} {corpus.text(80, 120)}" for _ in range(150)]
    texts.append(f"{form} {corpus.near_copy(texts[10][len(form) + 1 :], 'edited')}")

    exact = pair_search(texts, threshold=0.7, method="exact")
    lsh = pair_search(texts, threshold=0.7, method="lsh")

    assert [(i, j) for i, j, _s in lsh.pairs] == [(i, j) for i, j, _s in exact.pairs]
    assert (10, 150) in {(i, j) for i, j, _s in lsh.pairs}
    # Without dropping the form's shingles, nearly every pair would share a band.
    assert lsh.band_candidates < len(texts) * (len(texts) - 1) // 2 // 20


@pytest.mark.parametrize("method", ["exact", "lsh"])
@pytest.mark.parametrize("texts", [[], ["only one"], ["", "   "], ["...", "..."]])
def test_nothing_to_compare_gives_no_pairs(method, texts):
    assert similar_pairs(texts, threshold=THRESHOLD, method=method) == []


def test_unknown_method_is_refused():
    with pytest.raises(ValueError):
        pair_search(["a b", "a b"], threshold=THRESHOLD, method="guess")


def test_scan_of_a_large_contest_uses_lsh_and_keeps_the_findings(db, monkeypatch):
    contest = judging_contest()
    texts, _planted = planted_corpus(n=12, copies=0)
    entries = []
    for k, text in enumerate(texts):
        entry = accepted_entry(contest, title=f"Giải pháp số {k}")
        entry.solution = text
        entry.save(update_fields=["solution"])
        entries.append(entry)
    copy = accepted_entry(contest, title="Giải pháp số 3")
    copy.solution = texts[3] + " tại xã"
    copy.save(update_fields=["solution"])
    KnownModel.objects.create(contest=contest, title="Mô hình cũ", description=texts[8])
    monkeypatch.setattr(similarity, "EXACT_MAX_PAIRS", 0)  # as if the contest were national

    found = similarity.similarity_scan(contest=contest)

    findings = set(SimilarityFinding.objects.values_list("source", "entry_id", "other_entry_id"))
    assert (found, findings) == (
        2,
        {("entry", entries[3].pk, copy.pk), ("known_model", entries[8].pk, None)},
    )
    event = Event.objects.get(action="similarity_scanned")
    assert (event.data["method"], event.data["findings"]) == ("lsh", 2)
    assert float(SimilarityFinding.objects.get(source="entry").score) > 0.95
