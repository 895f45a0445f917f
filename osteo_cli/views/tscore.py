"""Views of `osteo tscore`: the category, its boundaries, caveats and a gauge."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from osteo_cli.document import Cell, Document
from osteo_cli.figures import gauge
from osteo_cli.views.common import facts, footer, meta, sources_grid

if TYPE_CHECKING:
    from osteo_cli.density import Classification
    from osteo_cli.knowledge import Loaded


def tscore_document(loaded: Loaded, result: Classification) -> Document:
    density = loaded.kb.bone_density
    value = format(result.value, "f")
    rows: list[tuple[str, Cell]] = [
        ("Category", result.category.name),
        ("Means", result.category.meaning),
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
        rows.append(
            (
                "Fracture",
                "The WHO categories count a fragility fracture only with a T-score of "
                f"{density.osteoporosis_at_or_below:.1f} or lower; see the caveats below on fracture risk.",
            )
        )
    rows += [("Caveats", tuple(density.caveats)), ("Sources", ", ".join(density.sources))]
    grid = facts(None, rows)
    figure = gauge(
        result.value, Decimal(str(density.osteoporosis_at_or_below)), Decimal(str(density.normal_at_or_above))
    )
    fracture = " with a fragility fracture" if result.fracture else ""
    return Document(
        [grid, sources_grid(loaded.kb, density.sources)],
        title=f"T-score {value}{fracture}: {result.category.name}",
        figure=figure,
        footer=footer(loaded),
    )


def tscore_json(loaded: Loaded, result: Classification) -> dict[str, Any]:
    density = loaded.kb.bone_density
    return {
        **meta(loaded),
        "tscore": float(result.value),
        "fracture": result.fracture,
        "category": {"id": result.key, "name": result.category.name, "meaning": result.category.meaning},
        "boundaries": {
            "normal_at_or_above": density.normal_at_or_above,
            "osteoporosis_at_or_below": density.osteoporosis_at_or_below,
        },
        "caveats": density.caveats,
        "sources": density.sources,
    }
