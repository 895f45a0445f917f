"""Views of `osteo tscore`: the category, its boundaries, caveats and a gauge."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from osteo_cli.queries.tscore import boundaries
from osteo_cli.render.document import Cell, Document, View
from osteo_cli.views.common import facts, footer, meta, sources_grid, with_sources
from osteo_cli.views.figures import gauge

if TYPE_CHECKING:
    from osteo_cli.knowledge import Loaded
    from osteo_cli.queries.tscore import Classification


def _clinical_meaning(result: Classification) -> str:
    text = (
        f"Osteoporosis diagnosed from the fragility fracture ({result.site}), not from the T-score "
        "alone: a clinical diagnosis (the rule is below)."
    )
    if result.possible:
        text += f" For a {result.site} fracture the rule applies in some cases only: the doctor decides."
    return text


def _name(result: Classification) -> str:
    """The category's name; "Possible osteoporosis" where the fracture's rule holds only in some cases."""
    return f"Possible {result.category.name.lower()}" if result.possible else result.category.name


def tscore_document(loaded: Loaded, result: Classification, columns: int | None = None) -> Document:
    density = loaded.kb.bone_density
    value = format(result.value, "f")
    clinical = density.clinical_diagnosis
    rows: list[tuple[str, Cell]] = [
        ("Category", _name(result) + (" (clinical diagnosis, from the fracture)" if result.clinical else "")),
        ("Means", _clinical_meaning(result) if result.clinical else result.category.meaning),
        (
            "Boundaries",
            (
                f"{density.normal_at_or_above:.1f} or higher: {density.normal.name.lower()}",
                f"below {density.normal_at_or_above:.1f} and above {density.osteoporosis_at_or_below:.1f}: "
                f"{density.low_bone_mass.name.lower()}",
                f"{density.osteoporosis_at_or_below:.1f} or lower: {density.osteoporosis.name.lower()}",
                f"{density.osteoporosis_at_or_below:.1f} or lower with a fragility fracture: "
                f"{density.severe_osteoporosis.name.lower()}",
            ),
        ),
    ]
    if result.fracture and not result.fracture_counted:
        where = f" at the {result.site}" if result.site and result.site != "other" else ""
        hint = "" if result.site else " Give the site (osteo tscore VALUE --fracture hip) to apply the clinical rule."
        rows.append(
            (
                "Fracture",
                f"A fragility fracture{where} does not change the category at this T-score.{hint}",
            )
        )
    if clinical:
        rows.append(("Clinical diagnosis", clinical.text))
    cited = [*density.sources, *(clinical.sources if clinical else [])]
    rows += [("Caveats", tuple(density.caveats)), ("Sources", ", ".join(dict.fromkeys(cited)))]
    grid = facts(None, rows)
    figure = gauge(
        result.value,
        *boundaries(density),
        columns=columns,
    )
    at = f" ({result.site})" if result.site else ""
    fracture = f" with a fragility fracture{at}" if result.fracture else ""
    return Document(
        [grid, sources_grid(loaded.kb, cited)],
        title=f"T-score {value}{fracture}: {_name(result)}",
        figure=figure,
        footer=footer(loaded),
    )


def tscore_json(loaded: Loaded, result: Classification) -> dict[str, Any]:
    density = loaded.kb.bone_density
    body = {
        **meta(loaded),
        "tscore": float(result.value),
        "fracture": result.fracture,
        "fracture_site": result.site,
        "clinical_diagnosis": result.clinical,
        "possible": result.possible,
        "category": {"id": result.key, "name": result.category.name, "meaning": result.category.meaning},
        "boundaries": {
            "normal_at_or_above": density.normal_at_or_above,
            "osteoporosis_at_or_below": density.osteoporosis_at_or_below,
        },
        "caveats": density.caveats,
        "clinical_rule": None if density.clinical_diagnosis is None else dataclasses.asdict(density.clinical_diagnosis),
        "sources": density.sources,
    }
    return with_sources(loaded.kb, body)


def tscore_view(loaded: Loaded, result: Classification, columns: int | None = None) -> View:
    return View(lambda: tscore_document(loaded, result, columns), lambda: tscore_json(loaded, result))
