"""Evaluate the geoparser on the shared corpora with the EUPEG metric.

- `metrics`: the scorer, pure functions (matching, P/R/F1, acc@161, AUC, km).
- `corpus`: the shared JSON Lines corpora (by path, never copied into the project).
- `eupeg`: EUPEG's stored outputs and gold, which prove the metric against published rows.
- `runner`: runs a Geoparser over a corpus (worker processes) and scores it.

The runner imports the geoparser only when called, so scoring needs no spaCy.
"""

from ingest.evaluation.corpus import GoldDocument, load_corpus, shared_eval_dir
from ingest.evaluation.metrics import (
    DistanceScore,
    DocumentScore,
    EndToEndScore,
    GoldMention,
    Prediction,
    combine,
    distance_score,
    gold_span_errors,
    haversine_km,
    match_mentions,
    precision_recall_f1,
    score_corpus,
    score_document,
)

__all__ = [
    "DistanceScore", "DocumentScore", "EndToEndScore", "GoldDocument", "GoldMention", "Prediction",
    "combine", "distance_score", "gold_span_errors", "haversine_km", "load_corpus", "match_mentions",
    "precision_recall_f1", "score_corpus", "score_document", "shared_eval_dir",
]  # fmt: skip
