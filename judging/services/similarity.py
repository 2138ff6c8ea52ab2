"""Near-duplicate detection among entries and against the register of applied models.

TF-IDF over word 1–2-grams and character 3–5-grams (Unicode NFC, lowercase, diacritics
kept), cosine similarity as one sparse matrix product: no pairwise loop in Python."""

import difflib
import re
import unicodedata

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from contest.models import Contest
from contest.outbox import outbox_enqueue
from contest.services import event_record
from submissions.enums import EntryStatus
from submissions.models import Entry, EntryFile

from ..enums import SimilaritySource
from ..errors import JudgingRefused
from ..models import KnownModel, SimilarityFinding
from .jury import judging_settings_for

SCANNED_STATES = (EntryStatus.FORWARDED, EntryStatus.ACCEPTED)
TEXT_FIELDS = (
    "title",
    "summary",
    "problem",
    "solution",
    "expected_effect",
    "implementation",
    "replication",
)
MIN_PASSAGE_WORDS = 6
MAX_WORDS = 20000
_WORD = re.compile(r"\w+", re.UNICODE)
WORD_PATTERN = r"(?u)\b\w+\b"


def normalise_text(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").lower()


def entry_text(entry: Entry) -> str:
    parts = [getattr(entry, f) for f in TEXT_FIELDS]
    parts += [f.extracted_text for f in entry.files.all()]
    return normalise_text("\n".join(p for p in parts if p))


def known_model_text(model: KnownModel) -> str:
    return normalise_text(f"{model.title}\n{model.description}")


def similar_pairs(texts: list[str], others: list[str] | None = None, *, threshold: float):
    """(i, j, score) with score ≥ threshold: among `texts` (i < j) when `others` is None,
    else between texts[i] and others[j]."""
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    corpus = texts + (others or [])
    if len(corpus) < 2 or not any(t.strip() for t in corpus):
        return []
    common = {"lowercase": False, "sublinear_tf": True, "strip_accents": None, "dtype": np.float32}
    words = TfidfVectorizer(
        analyzer="word", ngram_range=(1, 2), token_pattern=WORD_PATTERN, **common
    )
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), **common)
    try:
        matrix = sparse.hstack([words.fit_transform(corpus), chars.fit_transform(corpus)])
    except ValueError:  # empty vocabulary
        return []
    matrix = normalize(matrix.tocsr())
    left = matrix[: len(texts)]
    if others is None:
        sims = sparse.triu(left @ left.T, k=1).tocoo()
    else:
        sims = (left @ matrix[len(texts) :].T).tocoo()
    keep = sims.data >= threshold
    return sorted(
        zip(
            sims.row[keep].tolist(), sims.col[keep].tolist(), sims.data[keep].tolist(), strict=True
        ),
        key=lambda t: -t[2],
    )


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
    findings = [
        SimilarityFinding(
            contest=contest,
            entry=entries[i],
            source=SimilaritySource.ENTRY,
            other_entry=entries[j],
            score=round(score, 3),
            passages=shared_passages(texts[i], texts[j]),
        )
        for i, j, score in similar_pairs(texts, threshold=threshold)
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
            data={"entries": len(entries), "findings": len(findings)},
        )
    return len(findings)


def similarity_scan_request(*, contest: Contest, by) -> None:
    from ..tasks import task_similarity_scan

    if not by.has_perm("contest.run_judging", contest):
        raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))
    outbox_enqueue(task_similarity_scan, contest_id=contest.pk)
