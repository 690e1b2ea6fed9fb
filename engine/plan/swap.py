"""Swapping one exercise of a plan for a catalogue alternative the runner's equipment allows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from engine import catalogue
from engine.plan.context import Plan

_DEFAULT_AMOUNT = {"reps": 10, "seconds": 30}


def swap(plan: Plan, day: date, name: str, replacement: str, equipment: Sequence[str]) -> Plan:
    """The plan with exercise `name` on `day` replaced by `replacement`, which must be one of
    `catalogue.alternatives(name, equipment)`; sets, load and reason carry over, the how-to
    and drawing are the new exercise's."""
    new = catalogue.get(replacement)
    if new.name not in {e.name for e in catalogue.alternatives(name, equipment)}:
        raise ValueError(f"{new.name} cannot stand in for {name} with your equipment")
    sessions = list(plan.sessions)
    for i, s in enumerate(sessions):
        if s.day != day:
            continue
        for j, p in enumerate(s.exercises):
            if p.name.lower() != name.strip().lower():
                continue
            amount = p.amount if new.dose == p.dose else _DEFAULT_AMOUNT[new.dose]
            items = list(s.exercises)
            items[j] = replace(
                p,
                name=new.name,
                category=new.category,
                muscles=new.muscles,
                dose=new.dose,
                amount=amount,
                why=f"{p.why} (In place of {p.name}.)",
                how_to=new.how_to_card(),
                drawing=new.drawing,
            )
            sessions[i] = replace(s, exercises=tuple(items))
            return replace(plan, sessions=tuple(sessions))
    raise KeyError(f"no {name} on {day.isoformat()} in this plan")
