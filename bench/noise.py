"""How far a benchmark run can be trusted (issue 19): medians and spreads of interleaved rounds, the machine's
condition between sizes, and the verdict a target gets — "met", "missed", "n/a" or "noisy".

Pure: no measuring here (bench.measure takes the samples and checkpoints), so every rule can be unit-tested.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# Five rounds: a verdict needs every round on the same side of its target (``agreement_reasons``). If the truth
# sat exactly at the target, five rounds would all agree by chance 2 ÷ 2^5 = 6 % of the time; three, 25 %.
MIN_ROUNDS = 5
# (max − min) ÷ median of a series' rounds, reported with every median. It no longer vetoes verdicts by itself
# (issue 19): on this kind of VM the same one-second CPU-bound job, run 12 times with no steal time and nothing
# else running, took 0.90–1.20 s (a 31 % spread) because the host varies the vCPU's speed, so a fixed 5 % limit
# on single builds can never be met. What the verdicts rest on is the round-by-round *ratio* of builds measured
# next to each other, and ``agreement_reasons`` holds a verdict back unless every round gives the same one. A
# spread above this is named in the size's line, so a reader sees how much the machine moved.
MAX_SPREAD = 0.05
# Other processes' share of the cores' time between two checkpoints (steal time included). At -j N they take it
# straight from pressrun's workers, so more than 5 % moves a timing by as much as the tightest target's margin.
MAX_OTHERS = 0.05
# Without /proc/stat only the load average is left: a damped count of runnable tasks, of which the benchmark
# explains at most one per core; half a task more than that is other work we can see.
LOAD_SLACK = 0.5
# -j N is judged against the ceiling measured around it, "within 5 %" of it (issue 19).
CEILING_MARGIN = 0.05


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def spread(values: Sequence[float]) -> float:
    """(max − min) ÷ median: 0 for one value; how far apart the rounds of one measurement landed."""
    mid = median(values)
    return (max(values) - min(values)) / mid if mid else 0.0


def ratios(a: Sequence[float], b: Sequence[float]) -> list[float]:
    """Round-by-round a ÷ b: the two were measured next to each other, so each ratio saw the same machine."""
    return [x / y for x, y in zip(a, b) if y]


def interleave(labels: Sequence[str], rounds: int) -> list[tuple[int, str]]:
    """(round, label) in measuring order: every label once a round, forwards then backwards (A B, B A, A B …).

    Interleaving puts a slow moment into one round of every label instead of all rounds of one; reversing every
    other round cancels a steady drift (a machine warming up or getting busier) that plain A B A B would hand
    to whichever label always runs second.
    """
    plan: list[tuple[int, str]] = []
    for r in range(rounds):
        plan += [(r, label) for label in (labels if r % 2 == 0 else list(reversed(labels)))]
    return plan


@dataclass
class Checkpoint:
    """The machine between two stretches of measuring: before the first size and after every size."""

    label: str
    clock: float  # time.monotonic() seconds
    load: list[float]  # load average over 1, 5 and 15 minutes
    ceiling: list[float] = field(default_factory=list)  # parallel ceiling of each repeat; empty on one core
    busy: float | None = None  # CPU seconds the benchmark's cores were busy since boot (steal included); None off Linux
    ours: float = 0.0  # CPU seconds of the benchmark itself and every child it waited for


def others_share(a: Checkpoint, b: Checkpoint, cores: int) -> float | None:
    """Share of the cores' time between a and b that went to anything but the benchmark (None: not measurable)."""
    wall = b.clock - a.clock
    if a.busy is None or b.busy is None or wall <= 0 or cores < 1:
        return None
    return max(0.0, (b.busy - a.busy) - (b.ours - a.ours)) / (wall * cores)


def window_reasons(a: Checkpoint | None, b: Checkpoint | None, cores: int) -> list[str]:
    """Why the stretch between two checkpoints cannot be trusted: other work on the cores, or a loaded machine."""
    if a is None or b is None:
        return ["machine not watched (no checkpoints)"]
    share = others_share(a, b, cores)
    if share is not None:
        return [f"other work {100 * share:.1f} % of the cores > {100 * MAX_OTHERS:.0f} %"] if share > MAX_OTHERS else []
    extra = max(a.load[0], b.load[0] - cores)  # before: nothing of ours ran; after: at most one task per core
    return [f"load {extra:.2f} beyond the benchmark's > {LOAD_SLACK}"] if extra > LOAD_SLACK else []


def series_reasons(series: Mapping[str, Sequence[float]]) -> list[str]:
    """Why these measurements cannot carry a verdict: too few rounds."""
    return [f"{name}: {len(values)} round{'s' if len(values) != 1 else ''} < {MIN_ROUNDS}"
            for name, values in series.items() if len(values) < MIN_ROUNDS]


def agreement_reasons(per_round: Sequence[float], limit: float, below: bool = True) -> list[str]:
    """Why the rounds cannot decide "value ≤ limit" (``below``; else "≥"): some rounds meet it and some miss.

    Each per-round value compares builds measured next to each other, so a slow moment of the machine moves
    both sides of one round; a verdict that every round gives is one no single moment decided.
    """
    if not per_round:
        return []
    meets = [(v <= limit) if below else (v >= limit) for v in per_round]
    if all(meets) or not any(meets):
        return []
    return [f"rounds disagree: {min(per_round):.3g}–{max(per_round):.3g} spans the target {limit:.3g}"]


def ceiling_reasons(ceilings: Sequence[float]) -> list[str]:
    """The ceiling is the median of its repeats around a measurement: as many as a measurement's rounds."""
    if not ceilings:
        return ["parallel ceiling not measured"]
    return [f"parallel ceiling: {len(ceilings)} repeats < {MIN_ROUNDS}"] if len(ceilings) < MIN_ROUNDS else []


def verdict(ok: bool | None, reasons: Sequence[str]) -> str:
    """"n/a" when not measured, "noisy" when measured on a machine or with rounds that cannot decide it."""
    if ok is None:
        return "n/a"
    if reasons:
        return "noisy"
    return "met" if ok else "missed"


def size_verdict(series: Mapping[str, Sequence[float]], window: Sequence[str]) -> str:
    """One line per size: "quiet (…)" or "too noisy: …" (the machine was busy, or too few rounds); the widest
    series is named either way, and how many went beyond MAX_SPREAD (see there why that alone is no veto)."""
    worst = max(series.items(), key=lambda kv: spread(kv[1]) if len(kv[1]) > 1 else 0.0, default=None)
    over = [name for name, values in series.items() if len(values) > 1 and spread(values) > MAX_SPREAD]
    reasons = list(window)
    rounds = min((len(v) for v in series.values()), default=0)
    if rounds < MIN_ROUNDS:
        reasons.append(f"{rounds} round{'s' if rounds != 1 else ''} < {MIN_ROUNDS}")
    if worst is None:
        widest = "nothing measured"
    else:
        widest = f"largest spread {100 * spread(worst[1]):.1f} % ({worst[0]})"
        if over:
            widest += f"; {len(over)} of {len(series)} measurements spread > {100 * MAX_SPREAD:.0f} %"
    if reasons:
        return "too noisy: " + "; ".join(reasons) + f" ({widest})"
    return f"quiet ({widest})"
