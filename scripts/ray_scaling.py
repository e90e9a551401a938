"""Build time of one corpus embedded locally and through a local Ray with 1 and 2 workers.

    python scripts/ray_scaling.py --squad ../shared/data/mlqa-r-vi.json [--paragraphs 96] [--encoder onnx-int8]

Prints figures; asserts nothing. Each build starts from an empty index folder with the encoder
already loaded in this process; a Ray build's time includes starting and stopping the local Ray
(`ray.init`) and loading the encoder in each actor, which is what a user of `qa index --ray` waits for.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from qa.build import build_from_articles
from qa.cli import set_offline_environment
from qa.embed import load_embedder
from qa.evaluate import read_squad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--squad", default="../shared/data/mlqa-r-vi.json")
    parser.add_argument("--paragraphs", type=int, default=96)
    parser.add_argument("--encoder", default="onnx-int8", choices=["torch", "onnx-fp32", "onnx-int8"])
    args = parser.parse_args()
    set_offline_environment()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    from qa.ray_embed import RayEmbedder

    articles, _ = read_squad(Path(args.squad))
    articles = articles[: args.paragraphs]
    local = load_embedder(encoder=args.encoder)
    local.embed_query("khởi động")
    print(f"{len(articles)} paragraphs, encoder {args.encoder}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("local (no Ray)", None), ("local Ray, 1 worker", 1), ("local Ray, 2 workers", 2)]
        for label, workers in runs:
            started = time.perf_counter()
            embedder = local if workers is None else RayEmbedder(local, workers=workers, num_cpus=workers)
            try:
                index = build_from_articles(articles, Path(tmp) / label.replace(" ", "_"), model=embedder,
                                            progress=False)
            finally:
                if workers is not None:
                    embedder.close()
            seconds = time.perf_counter() - started
            report = index.build_report
            print(f"  {label:22} {seconds:6.1f} s   {report.chunks_embedded / seconds:5.2f} passages/s "
                  f"({report.chunks_embedded} passages, {report.sentences_embedded} sentences)", flush=True)


if __name__ == "__main__":
    main()
