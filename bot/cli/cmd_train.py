"""`supportbot train`: build the NLU model from `nlu/data/train/` and the knowledge base's
sentence vectors, showing progress, so the first message does not wait for either."""

from __future__ import annotations

import argparse
import sys
import time


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("train", help="train the NLU model (deterministic with --seed)")
    # No default from nlu.model here: importing it loads spaCy for every other command too.
    parser.add_argument(
        "--seed", type=int, default=None, help="random seed (default: nlu.model.DEFAULT_SEED)"
    )
    parser.add_argument(
        "--force", action="store_true", help="rebuild even if a model for this data exists"
    )
    parser.set_defaults(handler=run)


def _progress(task: str, epoch: int, epochs: int, loss: float) -> None:
    if epoch == 1 or epoch == epochs or epoch % 5 == 0:
        print(
            f"  {task:<10} epoch {epoch:>2}/{epochs}  loss {loss:.4f}", file=sys.stderr, flush=True
        )


def run(args: argparse.Namespace) -> int:
    from nlu.kb import KnowledgeBase, load_entries
    from nlu.model import DEFAULT_SEED, build_model
    from nlu.paths import kb_path

    seed = DEFAULT_SEED if args.seed is None else args.seed
    started = time.perf_counter()
    print(f"training the NLU model (seed {seed})...", file=sys.stderr, flush=True)
    directory = build_model(seed=seed, progress=_progress, force=args.force)
    elapsed = time.perf_counter() - started
    print(f"model ready in {elapsed:.1f} s: {directory}")
    started = time.perf_counter()
    kb = KnowledgeBase(load_entries(kb_path()))
    elapsed = time.perf_counter() - started
    print(f"knowledge base ready in {elapsed:.1f} s: {len(kb.entries)} questions")
    return 0
