"""The sections of a medicine's monograph, in the order `drugs show` presents them.

What a patient needs first comes first: what it is, how to take it, what to do after a
missed dose, what to avoid; then the rest. Kept apart from the views so the command can
offer the names as choices without importing them.
"""

from __future__ import annotations

from enum import StrEnum


class Section(StrEnum):
    overview = "overview"
    dosing = "dosing"
    missed_dose = "missed-dose"
    practical = "practical"
    contraindications = "contraindications"
    interactions = "interactions"
    kidney = "kidney"
    safety = "safety"
    side_effects = "side-effects"
    monitoring = "monitoring"
    pregnancy = "pregnancy"
    approvals = "approvals"
    evidence = "evidence"
    duration = "duration"
    stopping = "stopping"
    sources = "sources"


SECTIONS: tuple[Section, ...] = tuple(Section)
