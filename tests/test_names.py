"""Name resolution: every name resolves however it is typed; unknown names get suggestions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from osteo_cli.errors import UsageError
from osteo_cli.knowledge import load
from osteo_cli.knowledge.models import Agent, Family
from osteo_cli.queries.names import claims, complete, completion_names, normalize, resolve

KB = load(None).kb
CLAIMS = list(claims(KB))


def _respell(name: str, data: st.DataObject) -> str:
    """The same name with random case and random runs of space, '-' or '_' between words."""
    words = normalize(name).split(" ")
    cased = ["".join(data.draw(st.sampled_from([c.lower(), c.upper()])) for c in w) for w in words]
    separators = [data.draw(st.sampled_from([" ", "-", "_", "  ", " - ", "__"])) for _ in cased[1:]]
    out = cased[0] + "".join(sep + word for sep, word in zip(separators, cased[1:], strict=True))
    pad = data.draw(st.sampled_from(["", " ", "  "]))
    return pad + out + pad


@given(claim=st.sampled_from(CLAIMS), data=st.data())
def test_every_name_resolves_in_any_case_and_spacing(claim, data) -> None:  # type: ignore[no-untyped-def]
    typed = _respell(claim.name, data)
    found = resolve(KB, typed)
    assert (found.claim.kind, found.entry.id) == (claim.kind, claim.id)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Prolia", "denosumab"),
        ("FORTEO", "teriparatide"),
        ("Reclast", "zoledronic-acid"),
        ("zoledronic acid", "zoledronic-acid"),
        ("zoledronic-acid", "zoledronic-acid"),
        ("zoledronic_acid", "zoledronic-acid"),
        ("Evenity", "romosozumab"),
        ("tymlos", "abaloparatide"),
        ("Jubbonti", "denosumab"),
        ("Xgeva", "denosumab"),
        ("Zometa", "zoledronic-acid"),
    ],
)
def test_brands_and_spellings_resolve_to_agents(typed: str, expected: str) -> None:
    found = resolve(KB, typed)
    assert isinstance(found.entry, Agent)
    assert found.entry.id == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("bisphosphonates", "bisphosphonates"),
        ("Bisphosphonate", "bisphosphonates"),
        ("PTH analog", "pth-analogs"),
        ("parathyroid hormone analogs", "pth-analogs"),
        ("rankl inhibitor", "rankl-inhibitors"),
        ("sclerostin-inhibitors", "sclerostin-inhibitors"),
    ],
)
def test_family_names_and_singulars_resolve_to_families(typed: str, expected: str) -> None:
    found = resolve(KB, typed)
    assert isinstance(found.entry, Family)
    assert found.entry.id == expected


def test_denosumab_is_the_agent_not_its_family() -> None:
    assert isinstance(resolve(KB, "denosumab").entry, Agent)


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("prolai", "'Prolia'"),
        ("zolendronic", "'Zoledronic acid'"),
        ("teriparatid", "'Teriparatide'"),
        ("bisphosponates", "'Bisphosphonates'"),
    ],
)
def test_misspelt_names_suggest_the_closest(typed: str, suggested: str) -> None:
    with pytest.raises(UsageError) as caught:
        resolve(KB, typed)
    assert caught.value.exit_code == 2
    assert f"no drug or family called '{typed}'; did you mean {suggested}" in str(caught.value)


def test_unrelated_name_points_to_the_list() -> None:
    with pytest.raises(UsageError, match="run 'osteo drugs list' to see every name"):
        resolve(KB, "aspirin")


@given(st.text(max_size=40))
def test_any_text_resolves_or_raises_usage_error(typed: str) -> None:
    try:
        found = resolve(KB, typed)
    except UsageError as exc:
        assert exc.exit_code == 2
    else:
        assert normalize(found.claim.name) == normalize(typed)


def test_completion_offers_shell_friendly_names_by_prefix() -> None:
    names = completion_names(KB)
    assert complete(names, "deno") == ["denosumab"]
    assert complete(names, "den") == ["denosumab", "denbrayce"]  # an EU Xgeva biosimilar
    assert complete(names, "Zoledronic A") == ["zoledronic-acid"]
    assert complete(names, "fos") == ["fosamax", "fosamax-plus-d"]
    assert complete(names, "qqq") == []
    assert len(names) == len(set(names))
    for name in complete(names, ""):  # each offered name leads to the entry that claims it
        assert normalize(resolve(KB, name).claim.name) == normalize(name), name
