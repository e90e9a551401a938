"""Score fusion of the retrieval channels: passage vectors, sentence vectors and BM25.

Each channel's scores over its candidates are turned into z-scores (so a cosine of 0.85
and a BM25 score of 23 become comparable), then added with weights. Unlike reciprocal-rank
fusion, a passage that one channel scores far above the rest keeps its lead: on MLQA-vi
this found the right paragraph in the top 5 for 2-3 points more questions than RRF.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

CHANNELS = ("passage", "sentence", "keyword")


@dataclass(frozen=True)
class Fusion:
    """Channel weights, chosen with `scripts/tune_fusion.py` on MLQA-vi and the sample question set.

    Questions typed without diacritics have their own weights: their dense channels see a
    question whose accents were restored by guesswork, their keyword channel does not.
    """

    passage: float = 0.3
    sentence: float = 0.3
    keyword: float = 0.4
    passage_unaccented: float = 0.3
    sentence_unaccented: float = 0.3
    keyword_unaccented: float = 0.4
    candidates: int = 50  # per channel, before fusion

    def weights(self, unaccented: bool) -> dict[str, float]:
        if unaccented:
            return {"passage": self.passage_unaccented, "sentence": self.sentence_unaccented,
                    "keyword": self.keyword_unaccented}
        return {"passage": self.passage, "sentence": self.sentence, "keyword": self.keyword}

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Fusion:
        """Read the manifest's fusion block, ignoring keys of other versions."""
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


def zscores(scored: list[tuple[int, float]]) -> dict[int, float]:
    """Row -> (score - mean) / std over one channel's candidates; all 0 when they are tied."""
    if not scored:
        return {}
    values = np.array([s for _, s in scored], dtype=np.float64)
    std = values.std()
    z = (values - values.mean()) / std if std > 1e-12 else np.zeros_like(values)
    return {row: float(v) for (row, _), v in zip(scored, z, strict=True)}


def fuse_scores(channels: dict[str, list[tuple[int, float]]], weights: dict[str, float]) -> list[tuple[int, float]]:
    """Weighted sum of z-scores, best first.

    A row missing from a channel's candidates gets that channel's lowest z-score: it was
    not among the best, so it is scored as if it were just below them.
    """
    normalised = {name: zscores(scored) for name, scored in channels.items() if weights.get(name, 0.0) > 0}
    floors = {name: min(z.values()) for name, z in normalised.items() if z}
    rows = set().union(*normalised.values()) if normalised else set()
    fused = {row: sum(weights[name] * z.get(row, floors.get(name, 0.0)) for name, z in normalised.items())
             for row in rows}
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))
