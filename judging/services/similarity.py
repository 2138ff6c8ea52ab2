"""Near-duplicate detection among entries and against the register of applied models.

The score of a pair is the cosine of TF-IDF vectors over word 1–2-grams and character
3–5-grams inside words (Unicode NFC, lowercase, diacritics kept, sublinear tf, smoothed idf,
each block L2-normalised and the two weighted equally): the vectors scikit-learn's
`TfidfVectorizer` makes, built here token by token (a whitespace token's words and character
n-grams are found once for the whole corpus) and CHUNK_DOCS documents at a time.

Which pairs get a score depends on how many there are (`pair_search`, `method="auto"`):
- up to EXACT_MAX_PAIRS pairs, every pair ("exact"): blocks of rows against the rest, the
  frequent features as dense products and the rare ones sparse; never an n × n matrix.
- above, only candidates from locality-sensitive hashing ("lsh"): a MinHash signature of each
  text's SHINGLE_WORDS-word shingles (one-permutation hashing into LSH_BANDS × LSH_ROWS bins;
  shingles found in ≥ 1 % of the first COMMON_SAMPLE texts, such as the form's headings, are
  left out), cut into LSH_BANDS bands of LSH_ROWS bins. Pairs sharing a band whose signatures
  also agree on at least LSH_MIN_AGREEMENT of their bins get the exact score. A pair whose
  shingle sets overlap by Jaccard J is scored with probability about 1 − (1 − J²)^64: 99.8 %
  at J = 0.3, 98 % at J = 0.25, 93 % at J = 0.2. So the large path finds texts that share
  passages (copies, with edits, reordered, padded with other text, excerpts); pairs that
  only share vocabulary, which can pass a low threshold in exact mode, are not looked at.
  Every pair reported, in either mode, has passed the exact score.
"""

import difflib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import chain

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from contest.models import Contest
from contest.services import event_record
from submissions.enums import EntryStatus
from submissions.models import IDEA_FIELDS, Entry, EntryFile

from ..enums import SimilaritySource
from ..errors import JudgingRefused
from ..models import KnownModel, SimilarityFinding
from .jury import judging_settings_for

SCANNED_STATES = (EntryStatus.FORWARDED, EntryStatus.ACCEPTED)
TEXT_FIELDS = IDEA_FIELDS
MIN_PASSAGE_WORDS = 6
MAX_WORDS = 20000
_WORD = re.compile(r"\w+", re.UNICODE)

EXACT_MAX_PAIRS = 2_000_000  # 2,000 entries among themselves, or 100,000 × 20 models
SHINGLE_WORDS = 4
LSH_BANDS = 64
LSH_ROWS = 2
LSH_MIN_AGREEMENT = 0.1
COMMON_SAMPLE = 4000  # documents read to find the common shingles
COMMON_SHARE = 0.01
COMMON_MIN_DOCS = 10
CHUNK_DOCS = 500  # documents read (tokenised, hashed, vectorised) at a time
BLOCK_ROWS = 256  # rows scored at a time in exact mode
PAIR_BLOCK = 50_000  # candidate pairs whose signatures are compared at a time
SCORE_BLOCK = 2_000  # candidate pairs scored at a time (two rows each)
DENSE_SHARE = 0.05  # features in ≥ 5 % of the documents are multiplied as dense arrays
DENSE_BYTES = 256 * 2**20  # at most this much for the dense part of all rows
_SEED = 20260601


def normalise_text(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").lower()


def entry_text(entry: Entry) -> str:
    parts = [getattr(entry, f) for f in TEXT_FIELDS]
    parts += [f.extracted_text for f in entry.files.all()]
    return normalise_text("\n".join(p for p in parts if p))


def known_model_text(model: KnownModel) -> str:
    return normalise_text(f"{model.title}\n{model.description}")


@dataclass(frozen=True)
class PairSearch:
    """The pairs found, best first, and how much work finding them took."""

    pairs: list[tuple[int, int, float]]
    method: str  # "exact" or "lsh"
    possible: int  # n(n − 1)/2 among the texts, n × m against others
    band_candidates: int  # lsh: distinct pairs sharing a band (exact: every pair)
    scored: int  # pairs whose cosine was computed


def similar_pairs(
    texts: list[str], others: list[str] | None = None, *, threshold: float, method: str = "auto"
) -> list[tuple[int, int, float]]:
    """(i, j, score) with score ≥ threshold: among `texts` (i < j) when `others` is None,
    else between texts[i] and others[j]."""
    return pair_search(texts, others, threshold=threshold, method=method).pairs


def pair_search(
    texts: list[str], others: list[str] | None = None, *, threshold: float, method: str = "auto"
) -> PairSearch:
    """`similar_pairs` with its counts. `method`: "exact", "lsh" or "auto" (exact up to
    EXACT_MAX_PAIRS pairs)."""
    n, cross = len(texts), others is not None
    possible = n * len(others) if cross else n * (n - 1) // 2
    if method == "auto":
        method = "exact" if possible <= EXACT_MAX_PAIRS else "lsh"
    if method not in ("exact", "lsh"):
        raise ValueError(method)
    corpus = texts + (others or [])
    if possible == 0 or not any(t.strip() for t in corpus):
        return PairSearch([], method, possible, 0, 0)
    space = _TfidfSpace(corpus, signatures=method == "lsh")
    if not space.words:  # no word at all: scikit-learn refused such a corpus, so do we
        return PairSearch([], method, possible, 0, 0)
    if method == "exact":
        found = _exact_pairs(space, n, cross=cross, threshold=threshold)
        band_candidates = scored = possible
    else:
        found, band_candidates, scored = _lsh_pairs(space, n, cross=cross, threshold=threshold)
    pairs = sorted((i, j - n if cross else j, s) for i, j, s in found)
    pairs.sort(key=lambda t: -t[2])  # best first, equal scores in (i, j) order
    return PairSearch(pairs, method, possible, band_candidates, scored)


def _char_ngrams(token: str) -> list[str]:
    """scikit-learn's `char_wb` n-grams (3–5) of one whitespace-separated token."""
    w = f" {token} "
    out = []
    for n in range(3, 6):
        offset = 0
        out.append(w[:n])
        while offset + n < len(w):
            offset += 1
            out.append(w[offset : offset + n])
        if offset == 0:  # a short token counts once
            break
    return out


def _mix(x):
    """splitmix64's finaliser on an array of uint64 (wrapping arithmetic)."""
    import numpy as np

    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


class _Chunk:
    """Some documents read: their whitespace tokens and \\w+ words as ids, with the (local)
    document of each."""

    def __init__(self, size, tokens, token_doc, words, word_doc):
        self.size, self.tokens, self.token_doc = size, tokens, token_doc
        self.words, self.word_doc = words, word_doc

    def bigrams(self):
        """Codes (first << 32 | second) of consecutive words, and their documents."""
        import numpy as np

        same = self.word_doc[:-1] == self.word_doc[1:]
        codes = (self.words[:-1][same] << np.int64(32)) | self.words[1:][same]
        return codes, self.word_doc[:-1][same]


class _TfidfSpace:
    """Vocabularies and document frequencies of a corpus, read once in chunks (and, for lsh,
    each text's MinHash signature); TF-IDF rows of any documents on demand."""

    def __init__(self, corpus: list[str], *, signatures: bool):
        import numpy as np

        self.corpus = corpus
        self.words: dict[str, int] = {}  # \w+ token → word feature
        self.tokens: dict[str, int] = {}  # whitespace token → its row in the tables below
        self.ngrams: dict[str, int] = {}  # character n-gram → char feature
        # Per token, its words and its character n-grams with their counts: arrays, and the
        # tokens learnt since they were last built.
        self._words_of = [np.zeros(1, np.int64), np.zeros(0, np.int64)]  # indptr, ids
        self._ngrams_of = [np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)]
        self._new_words_of, self._new_ngrams_of = ([], []), ([], [], [])
        word_df = np.zeros(0, np.int64)
        char_df = np.zeros(0, np.int64)
        bigram_df = _CodeTally()
        n = len(corpus)
        self.signatures = np.zeros((n, LSH_BANDS * LSH_ROWS), np.uint32) if signatures else None
        self.hashed = np.zeros(n, bool)  # has at least one shingle
        common, waiting = None, []  # shingles of the first documents, until `common` is known
        for start in range(0, n, CHUNK_DOCS):
            chunk = self._read(corpus[start : start + CHUNK_DOCS], learn=True)
            present = _keys_matrix(chunk.word_doc, chunk.words, (chunk.size, len(self.words)))
            word_df = _grow(word_df, len(self.words)) + np.bincount(
                present.indices, minlength=len(self.words)
            )
            codes, code_doc = chunk.bigrams()
            codes, inverse = np.unique(codes, return_inverse=True)
            present = _keys_matrix(code_doc, inverse, (chunk.size, len(codes)))
            bigram_df.add(codes, np.bincount(present.indices, minlength=len(codes)))
            present = _keys_matrix(chunk.token_doc, chunk.tokens, (chunk.size, len(self.tokens)))
            present = present @ self._token_ngrams(binary=True)
            char_df = _grow(char_df, len(self.ngrams)) + np.bincount(
                present.indices, minlength=len(self.ngrams)
            )
            if signatures:
                waiting.append((start, chunk.size, *_shingles(chunk)))
                if common is None and start + chunk.size >= min(n, COMMON_SAMPLE):
                    common = _common_shingles(waiting)
                while common is not None and waiting:
                    first, size, codes, shingle_doc = waiting.pop()
                    self.signatures[first : first + size], self.hashed[first : first + size] = (
                        _minhash(codes, shingle_doc, size, common)
                    )
        self.bigrams, bigram_df = bigram_df.result()
        df = np.concatenate([word_df, bigram_df, char_df])
        self.idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
        # Columns by decreasing document frequency: the first `dense` are multiplied as
        # dense arrays in exact mode (they make nearly all of the products' work).
        by_df = np.argsort(-df, kind="stable")
        self.column = np.empty(len(df), np.int64)
        self.column[by_df] = np.arange(len(df))
        frequent = int((df >= max(2, math.ceil(DENSE_SHARE * n))).sum())
        self.dense = min(frequent, max(1, DENSE_BYTES // (4 * n)))

    def _read(self, docs: list[str], *, learn: bool = False) -> _Chunk:
        import numpy as np

        split = [doc.split() for doc in docs]
        flat = list(chain.from_iterable(split))
        if learn:
            for token in [t for t in dict.fromkeys(flat) if t not in self.tokens]:
                self._learn_token(token)
        tokens = np.fromiter(map(self.tokens.__getitem__, flat), np.int64, len(flat))
        token_doc = np.repeat(np.arange(len(docs)), [len(s) for s in split])
        self._build_tables()
        indptr, word_ids = self._words_of
        per_token = np.diff(indptr)[tokens]
        ends = np.cumsum(per_token)
        at = np.repeat(indptr[tokens] - (ends - per_token), per_token) + np.arange(
            ends[-1] if len(ends) else 0
        )
        return _Chunk(len(docs), tokens, token_doc, word_ids[at], np.repeat(token_doc, per_token))

    def _learn_token(self, token: str) -> None:
        words, ngrams = self.words, self.ngrams
        sizes, ids = self._new_words_of
        before = len(ids)
        ids.extend(words.setdefault(w, len(words)) for w in _WORD.findall(token))
        sizes.append(len(ids) - before)
        sizes, ids, counts = self._new_ngrams_of
        found = Counter(ngrams.setdefault(g, len(ngrams)) for g in _char_ngrams(token))
        ids.extend(found.keys())
        counts.extend(found.values())
        sizes.append(len(found))
        self.tokens[token] = len(self.tokens)

    def _build_tables(self) -> None:
        """Append the tokens learnt since the last call to the per-token arrays."""
        import numpy as np

        for table, new in (
            (self._words_of, self._new_words_of),
            (self._ngrams_of, self._new_ngrams_of),
        ):
            if not new[0]:
                continue
            ends = table[0][-1] + np.cumsum(np.array(new[0], np.int64))
            table[0] = np.concatenate([table[0], ends])
            table[1] = np.concatenate([table[1], np.array(new[1], np.int64)])
            if len(table) == 3:
                table[2] = np.concatenate([table[2], np.array(new[2], np.float32)])
            for part in new:
                part.clear()

    def _token_ngrams(self, *, binary: bool = False):
        """Tokens × character n-grams: how often each occurs in each token (or whether)."""
        import numpy as np
        from scipy import sparse

        self._build_tables()
        indptr, ids, counts = self._ngrams_of
        return sparse.csr_matrix(
            (np.ones_like(counts) if binary else counts, ids, indptr),
            shape=(len(self.tokens), len(self.ngrams)),
        )

    def rows(self, indices):
        """L2-normalised TF-IDF rows (float32 CSR) of corpus[i] for i in indices, columns
        ordered by decreasing document frequency."""
        import numpy as np
        from scipy import sparse

        n_words, n_bigrams = len(self.words), len(self.bigrams)
        out = [sparse.csr_matrix((0, len(self.idf)), dtype=np.float32)]
        for start in range(0, len(indices), CHUNK_DOCS):
            chunk = self._read([self.corpus[i] for i in indices[start : start + CHUNK_DOCS]])
            codes, code_doc = chunk.bigrams()
            word = _count_matrix(
                np.concatenate([chunk.word_doc, code_doc]),
                np.concatenate([chunk.words, n_words + np.searchsorted(self.bigrams, codes)]),
                (chunk.size, n_words + n_bigrams),
            )
            tokens = _count_matrix(chunk.token_doc, chunk.tokens, (chunk.size, len(self.tokens)))
            char = (tokens @ self._token_ngrams()).tocsr()
            for block, offset in ((word, 0), (char, n_words + n_bigrams)):
                block.data = (np.log(block.data) + 1) * self.idf[offset + block.indices]
                _normalise(block)
            both = sparse.hstack([word, char], format="csr", dtype=np.float32)
            both.indices = self.column[both.indices]
            _normalise(both)  # each block has length 1 (or 0): the two weigh the same
            both.has_sorted_indices = False
            both.sort_indices()
            out.append(both)
        return sparse.vstack(out, format="csr")


def _count_matrix(rows, cols, shape):
    """CSR (float32) of how often each (row, col) occurs."""
    import numpy as np
    from scipy import sparse

    keys, counts = np.unique(rows * shape[1] + cols, return_counts=True)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(keys // shape[1], minlength=shape[0]))])
    return sparse.csr_matrix((counts.astype(np.float32), keys % shape[1], indptr), shape=shape)


def _keys_matrix(rows, cols, shape):
    """CSR (float32) with a 1 where (row, col) occurs."""
    import numpy as np
    from scipy import sparse

    keys = _distinct(rows * max(1, shape[1]) + cols)
    counts = np.bincount(keys // max(1, shape[1]), minlength=shape[0])
    indptr = np.concatenate([[0], np.cumsum(counts)])
    return sparse.csr_matrix(
        (np.ones(len(keys), np.float32), keys % max(1, shape[1]), indptr), shape=shape
    )


class _CodeTally:
    """Document frequencies of int64 codes (word bigrams), merged by sorting now and then."""

    def __init__(self):
        import numpy as np

        self.codes, self.df = np.zeros(0, np.int64), np.zeros(0, np.int64)
        self._pending: list = []
        self._pending_size = 0

    def add(self, codes, df) -> None:
        self._pending.append((codes, df))
        self._pending_size += len(codes)
        if self._pending_size > max(len(self.codes), 1 << 20):
            self._merge()

    def _merge(self) -> None:
        import numpy as np

        codes = np.concatenate([self.codes, *(c for c, _d in self._pending)])
        df = np.concatenate([self.df, *(d for _c, d in self._pending)])
        order = np.argsort(codes, kind="stable")
        codes, df = codes[order], df[order]
        first = np.flatnonzero(_run_starts(codes))
        self.codes, self.df = codes[first], np.add.reduceat(df, first) if len(first) else df
        self._pending, self._pending_size = [], 0

    def result(self):
        self._merge()
        return self.codes, self.df


def _run_starts(ordered):
    """Where each run of equal values of a sorted array starts."""
    import numpy as np

    starts = np.empty(len(ordered), bool)
    starts[:1] = True
    starts[1:] = ordered[1:] != ordered[:-1]
    return starts


def _distinct(values):
    """Sorted distinct values (np.unique's hash table is far slower on these arrays)."""
    import numpy as np

    values = np.sort(values)
    return values[_run_starts(values)]


def _grow(counts, size: int):
    import numpy as np

    return np.concatenate([counts, np.zeros(size - len(counts), counts.dtype)])


def _normalise(matrix) -> None:
    """Each row of a CSR matrix to unit length, in place (empty rows stay empty)."""
    import numpy as np

    per_row = np.diff(matrix.indptr)
    squares = np.bincount(
        np.repeat(np.arange(matrix.shape[0]), per_row),
        matrix.data.astype(np.float64) ** 2,
        minlength=matrix.shape[0],
    )
    norms = np.sqrt(squares)
    norms[norms == 0] = 1
    matrix.data = (matrix.data / np.repeat(norms, per_row)).astype(np.float32)


def _shingles(chunk: _Chunk):
    """Hashes of each document's SHINGLE_WORDS-word shingles (one of all its words when it has
    fewer), and the document of each."""
    import numpy as np

    words, doc = chunk.words.astype(np.uint64), chunk.word_doc
    width = SHINGLE_WORDS
    starts = np.flatnonzero(doc[: max(0, len(doc) - width + 1)] == doc[width - 1 :])
    prime = np.uint64(0x100000001B3)
    codes = words[starts]
    for offset in range(1, width):
        codes = codes * prime + words[starts + offset]
    shingle_doc = doc[starts]
    per_doc = np.bincount(doc, minlength=chunk.size)
    short = np.flatnonzero((per_doc > 0) & (per_doc < width))
    if len(short):
        first = np.searchsorted(doc, short)
        extra = words[first]
        for offset in range(1, width - 1):
            has = offset < per_doc[short]
            extra[has] = extra[has] * prime + words[first[has] + offset]
        codes = np.concatenate([codes, extra])
        shingle_doc = np.concatenate([shingle_doc, short])
    return _mix(codes ^ np.uint64(_SEED)), shingle_doc


def _common_shingles(chunks: list):
    """Sorted hashes of the shingles in at least COMMON_SHARE (and COMMON_MIN_DOCS) of the
    first documents read: a form's headings, set phrases. Left in, they would make every pair
    of documents that share them a candidate. Counted in 2²² buckets of the hash: a rare
    shingle sharing a bucket with a common one is dropped with it, which costs nothing."""
    import numpy as np

    buckets = np.zeros(1 << 22, np.int64)
    for _first, size, codes, shingle_doc in chunks:
        codes, inverse = np.unique(codes, return_inverse=True)
        present = _keys_matrix(shingle_doc, inverse, (size, len(codes)))
        np.add.at(
            buckets, codes >> np.uint64(42), np.bincount(present.indices, minlength=len(codes))
        )
    docs = sum(size for _first, size, _c, _d in chunks)
    common = buckets >= max(COMMON_MIN_DOCS, math.ceil(COMMON_SHARE * docs))
    return _distinct(
        np.concatenate([c[common[c >> np.uint64(42)]] for _first, _size, c, _d in chunks])
    )


def _minhash(codes, shingle_doc, size: int, common):
    """Each document's MinHash signature over its shingles but the common ones (unless it has
    no other), by one-permutation hashing: each shingle hashed once into one of the
    signature's bins, the bin keeping the least value; an empty bin takes the value of the
    next filled one to its right, mixed with the distance (rotation densification). Also
    whether each document has any shingle."""
    import numpy as np

    bins = LSH_BANDS * LSH_ROWS
    bits = bins.bit_length() - 1
    assert bins == 1 << bits, "the number of bins must be a power of two"
    if len(common) and len(codes):
        at = np.minimum(np.searchsorted(common, codes), len(common) - 1)
        is_common = common[at] == codes
        has_other = np.bincount(shingle_doc[~is_common], minlength=size) > 0
        keep = ~is_common | ~has_other[shingle_doc]
        codes, shingle_doc = codes[keep], shingle_doc[keep]
    # One sort: (document, bin) in the high bits, the value's 32 bits below.
    slot = shingle_doc.astype(np.uint64) << np.uint64(bits) | codes >> np.uint64(64 - bits)
    values = (codes >> np.uint64(32 - bits)) & np.uint64(0xFFFFFFFF)
    ordered = np.sort(slot << np.uint64(32) | values)
    first_of_slot = _run_starts(ordered >> np.uint64(32))
    least = ordered[first_of_slot]
    filled = np.zeros((size, bins), bool)
    signatures = np.zeros((size, bins), np.uint32)
    at = (least >> np.uint64(32)).astype(np.int64)
    filled.flat[at] = True
    signatures.flat[at] = (least & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    hashed = filled.any(axis=1)
    if not filled[hashed].all():
        twice = np.concatenate([filled, filled], axis=1)
        position = np.where(twice, np.arange(2 * bins), 2 * bins)
        following = np.minimum.accumulate(position[:, ::-1], axis=1)[:, ::-1][:, :bins]
        rows, cols = np.nonzero(~filled & hashed[:, None])
        source = following[rows, cols]
        distance = (source - cols).astype(np.uint64)
        borrowed = signatures[rows, source % bins].astype(np.uint64)
        signatures[rows, cols] = (
            _mix(borrowed << np.uint64(16) | distance) >> np.uint64(32)
        ).astype(np.uint32)
    return signatures, hashed


def _exact_pairs(space: _TfidfSpace, n: int, *, cross: bool, threshold: float):
    """Every pair, BLOCK_ROWS rows at a time."""
    import numpy as np

    def split(matrix):
        return matrix[:, : space.dense].toarray(), matrix[:, space.dense :].tocsr()

    found = []
    if cross:
        right_dense, right_sparse = split(space.rows(np.arange(n, len(space.corpus))))
    else:
        right_dense, right_sparse = split(space.rows(np.arange(n)))
    for chunk in range(0, n, CHUNK_DOCS):
        if cross:
            left_dense, left_sparse = split(
                space.rows(np.arange(chunk, min(n, chunk + CHUNK_DOCS)))
            )
        for start in range(chunk, min(n, chunk + CHUNK_DOCS), BLOCK_ROWS):
            stop = min(n, start + BLOCK_ROWS, chunk + CHUNK_DOCS)
            if cross:
                a, b = start - chunk, stop - chunk
                first = 0  # column of right_* that is others[0]
                sims = left_dense[a:b] @ right_dense.T
                extra = (left_sparse[a:b] @ right_sparse.T).tocoo()
            else:
                first = start  # only columns after the block's first row
                sims = right_dense[start:stop] @ right_dense[start:].T
                extra = (right_sparse[start:stop] @ right_sparse[start:].T).tocoo()
            sims[extra.row, extra.col] += extra.data  # a product has no duplicates
            rows, cols = np.nonzero(sims >= threshold)
            i, j = start + rows, first + cols
            keep = np.ones(len(i), bool) if cross else j > i
            found += zip(
                i[keep].tolist(),
                (j[keep] + (n if cross else 0)).tolist(),
                sims[rows[keep], cols[keep]].tolist(),
                strict=True,
            )
    return found


def _lsh_pairs(space: _TfidfSpace, n: int, *, cross: bool, threshold: float):
    """Candidates from the signatures' bands, checked by signature agreement, then scored."""
    import numpy as np

    size = len(space.corpus)
    codes = _band_candidates(space.signatures, space.hashed)
    first, second = codes // size, codes % size
    keep = (first < n) & (second >= n) if cross else second < n
    first, second = first[keep], second[keep]
    band_candidates = len(first)
    need = math.ceil(LSH_MIN_AGREEMENT * space.signatures.shape[1])
    agreeing = np.zeros(len(first), bool)
    for start in range(0, len(first), PAIR_BLOCK):
        a, b = first[start : start + PAIR_BLOCK], second[start : start + PAIR_BLOCK]
        agreeing[start : start + PAIR_BLOCK] = (space.signatures[a] == space.signatures[b]).sum(
            axis=1
        ) >= need
    first, second = first[agreeing], second[agreeing]
    involved = _distinct(np.concatenate([first, second]))
    rows = space.rows(involved)
    a_rows, b_rows = np.searchsorted(involved, first), np.searchsorted(involved, second)
    found = []
    for start in range(0, len(first), SCORE_BLOCK):
        block = slice(start, start + SCORE_BLOCK)
        scores = rows[a_rows[block]].multiply(rows[b_rows[block]]).sum(axis=1)
        scores = np.asarray(scores, np.float32).ravel()
        keep = scores >= threshold
        found += zip(
            first[block][keep].tolist(),
            second[block][keep].tolist(),
            scores[keep].tolist(),
            strict=True,
        )
    return found, band_candidates, len(first)


def _band_candidates(signatures, hashed):
    """Distinct pairs (as first · size + second, first < second) that share a band."""
    import numpy as np

    size = len(signatures)
    ids = np.flatnonzero(hashed)
    found = [np.zeros(0, np.int64)]
    for band in range(LSH_BANDS):
        key = np.zeros(len(ids), np.uint64)
        for column in range(band * LSH_ROWS, (band + 1) * LSH_ROWS):
            key = _mix(key ^ signatures[ids, column].astype(np.uint64))
        order = np.argsort(key, kind="stable")
        found.append(_pairs_in_runs(key[order], ids[order], size))
        if band % 8 == 7:
            found = [_distinct(np.concatenate(found))]
    return _distinct(np.concatenate(found))


def _pairs_in_runs(keys, ids, size: int):
    """Every pair of ids whose (sorted) keys are equal, as first · size + second."""
    import numpy as np

    if len(keys) < 2:
        return np.zeros(0, np.int64)
    new_run = _run_starts(keys)
    run = np.cumsum(new_run) - 1
    run_start = np.flatnonzero(new_run)
    run_end = np.concatenate([run_start[1:], [len(keys)]])[run]
    position = np.flatnonzero(run_end - run_start[run] > 1)
    out, step = [np.zeros(0, np.int64)], 1
    while True:
        position = position[position + step < run_end[position]]
        if not len(position):
            break
        a, b = ids[position], ids[position + step]
        out.append(np.minimum(a, b) * size + np.maximum(a, b))
        step += 1
    return np.concatenate(out)


def shared_passages(a: str, b: str, *, limit: int = 5) -> list[str]:
    """The longest word sequences (≥ MIN_PASSAGE_WORDS words) the two texts share."""
    wa, wb = _WORD.findall(a)[:MAX_WORDS], _WORD.findall(b)[:MAX_WORDS]
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size >= MIN_PASSAGE_WORDS]
    blocks.sort(key=lambda m: -m.size)
    return [" ".join(wa[m.a : m.a + m.size]) for m in blocks[:limit]]


def similarity_scan(*, contest: Contest) -> int:
    """Replace the contest's findings with a fresh scan. Returns how many were found."""
    threshold = float(judging_settings_for(contest=contest).similarity_threshold)
    entries = list(
        Entry.objects.filter(contest=contest, status__in=SCANNED_STATES)
        .order_by("id")
        .prefetch_related(
            Prefetch("files", queryset=EntryFile.objects.only("id", "entry_id", "extracted_text"))
        )
    )
    texts = [entry_text(e) for e in entries]
    models_ = list(KnownModel.objects.filter(contest=contest).order_by("id"))
    model_texts = [known_model_text(m) for m in models_]
    among = pair_search(texts, threshold=threshold)
    findings = [
        SimilarityFinding(
            contest=contest,
            entry=entries[i],
            source=SimilaritySource.ENTRY,
            other_entry=entries[j],
            score=round(score, 3),
            passages=shared_passages(texts[i], texts[j]),
        )
        for i, j, score in among.pairs
    ]
    if models_:
        findings += [
            SimilarityFinding(
                contest=contest,
                entry=entries[i],
                source=SimilaritySource.KNOWN_MODEL,
                known_model=models_[j],
                score=round(min(score, 1.0), 3),
                passages=shared_passages(texts[i], model_texts[j]),
            )
            for i, j, score in similar_pairs(texts, model_texts, threshold=threshold)
        ]
    with transaction.atomic():
        SimilarityFinding.objects.filter(contest=contest).delete()
        SimilarityFinding.objects.bulk_create(findings)
        event_record(
            target=contest,
            action="similarity_scanned",
            data={
                "entries": len(entries),
                "findings": len(findings),
                "method": among.method,
                "scored_pairs": among.scored,
            },
        )
    return len(findings)


def similarity_scan_request(*, contest: Contest, by) -> None:
    from ..tasks import task_similarity_scan

    if not by.has_perm("contest.run_judging", contest):
        raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))
    transaction.on_commit(lambda: task_similarity_scan.delay(contest_id=contest.pk))
