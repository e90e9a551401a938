import numpy as np
import pytest

from qa.fusion import Fusion, fuse_scores, zscores


def test_zscores_known_answer():
    z = zscores([(7, 3.0), (2, 1.0), (5, 2.0)])
    assert z == pytest.approx({7: 1.224745, 2: -1.224745, 5: 0.0}, abs=1e-6)
    assert zscores([(1, 0.5), (2, 0.5)]) == {1: 0.0, 2: 0.0}  # ties: no information, no NaN
    assert zscores([]) == {}


def test_fusion_adds_weighted_zscores_and_floors_missing_rows():
    channels = {"passage": [(0, 0.9), (2, 0.85), (1, 0.5)], "keyword": [(2, 30.0), (3, 10.0)]}
    fused = dict(fuse_scores(channels, {"passage": 0.5, "keyword": 0.5}))
    zp, zk = zscores(channels["passage"]), zscores(channels["keyword"])
    assert fused[2] == pytest.approx(0.5 * zp[2] + 0.5 * zk[2])
    assert fused[0] == pytest.approx(0.5 * zp[0] + 0.5 * min(zk.values()))  # keyword did not find row 0
    assert fused[3] == pytest.approx(0.5 * min(zp.values()) + 0.5 * zk[3])
    assert max(fused, key=fused.get) == 2  # the row both channels found wins


def test_a_clear_keyword_lead_survives_fusion():
    # Rank fusion would give row 9 (first for BM25 only, far ahead) 1/61 and rows found by both more;
    # z-scores keep the size of its lead.
    passage = [(r, 0.80 - 0.001 * r) for r in range(8)]
    keyword = [(9, 40.0)] + [(r, 5.0 - 0.1 * r) for r in range(8)]
    ranked = [row for row, _ in fuse_scores({"passage": passage, "keyword": keyword},
                                            {"passage": 0.5, "keyword": 0.5})]
    assert ranked[0] == 9


def test_zero_weight_channel_is_ignored():
    fused = fuse_scores({"passage": [(0, 0.9), (1, 0.1)], "keyword": [(1, 9.0), (0, 1.0)]},
                        {"passage": 1.0, "keyword": 0.0})
    assert [row for row, _ in fused] == [0, 1]


def test_fusion_settings_round_trip_and_old_keys():
    f = Fusion(passage=0.2, sentence=0.4, keyword=0.4)
    assert Fusion.from_dict(f.to_dict()) == f
    assert Fusion.from_dict({"dense": 1.0, "rrf_k": 60, "keyword": 0.5}).keyword == 0.5
    assert sum(f.weights(unaccented=False).values()) == pytest.approx(1.0)
    assert set(f.weights(unaccented=True)) == {"passage", "sentence", "keyword"}
    assert np.isfinite(list(dict(fuse_scores({}, {})).values()) + [0]).all()
