"""Cross-references: who led what, regions derived from authorities, related practice."""

from __future__ import annotations

from pathlib import Path

from conftest import TODAY, VALID_STUDY, distinct, write_study
from hub.core.project import Project
from hub.model.records import CaseStudy
from hub.pipeline import check


def study(
    slug: str,
    authority: str = "west-berkshire",
    themes: tuple[str, ...] = ("family-networks",),
    published: str = "2026-03-31",
) -> str:
    text = (
        distinct(VALID_STUDY, slug)
        .replace("authorities: west-berkshire", f"authorities: {authority}")
        .replace("2026-03-31", published)
    )
    return text.replace("  - family-networks\n", "".join(f"  - {t}\n" for t in themes))


def test_queries(project: Project) -> None:
    write_study(project, "a", study("a", "west-berkshire", ("family-networks",), "2026-01-01"))
    write_study(project, "b", study("b", "hampshire", ("family-networks", "workforce"), "2026-02-01"))
    write_study(project, "c", study("c", "cornwall", ("family-networks",), "2026-03-01"))
    write_study(project, "d", study("d", "barnet", ("workforce",), "2026-04-01"))
    write_study(
        project,
        "e",
        study("e", themes=("family-networks",)).replace(
            "  authorities: west-berkshire\n",
            "  organisation: ADCS\n  partners:\n    - kent\n    - isles-of-scilly\n",
        ),
    )
    catalogue, _ = check(project, TODAY)
    ref = catalogue.ref
    assert [s.slug for s in catalogue.studies] == ["d", "e", "c", "b", "a"], "newest first, then by title"
    assert [s.slug for s in catalogue.led_by(ref.authorities["hampshire"])] == ["b"]
    assert [s.slug for s in catalogue.partnered_by(ref.authorities["kent"])] == ["e"]
    assert [r.slug for r in catalogue.studies[1].regions] == ["south-east", "south-west"], (
        "the regions of the authorities taking part"
    )
    south_east = ref.regions["south-east"]
    assert [s.slug for s in catalogue.in_region(south_east)] == ["e", "b", "a"]
    assert [s.slug for s in catalogue.led_in_region(south_east)] == ["b", "a"], "e is led by an organisation"
    assert [s.slug for s in catalogue.covering_region(ref.regions["south-west"])] == ["e"]
    assert [t.slug for t in catalogue.themes_in(ref.regions["london"])] == ["workforce"]
    assert len(catalogue.themes_missing_in(ref.regions["london"])) == len(ref.themes) - 1
    assert [a.slug for a in catalogue.active_authorities_in(south_east, ref.authorities["hampshire"])] == [
        "kent",
        "west-berkshire",
    ]
    # Related practice: shares a theme; same region first, then more shared themes, then newest.
    related = [s.slug for s in catalogue.related(catalogue.studies[4])]  # a: West Berkshire, family networks
    assert related == ["e", "b", "c"]
    assert "d" not in related


def test_related_practice_matches_ranking_every_candidate(tmp_path: Path) -> None:
    """The shortcut through same-region groups gives exactly the ranking over every case study
    sharing a theme, for authority-led, regional and national work alike."""
    from random import Random

    from conftest import copy_project
    from hub.commands.bench import synthetic_study

    project = copy_project(tmp_path, studies=True)  # the real ones include regional and national work
    catalogue, _ = check(project, TODAY)
    rng = Random(7)
    authorities = [
        a for a in catalogue.ref.authorities if catalogue.ref.authorities[a].region.slug in ("south-east", "london")
    ]
    for n in range(300):
        write_study(project, f"synthetic-{n:05d}", synthetic_study(n, authorities, list(catalogue.ref.themes)[:4], rng))
    catalogue, _ = check(project, TODAY)

    def brute_force(study: CaseStudy, limit: int = 5) -> tuple[CaseStudy, ...]:
        def nearness(s: CaseStudy) -> tuple[int, int, int, str]:
            national = s.lead.national or study.lead.national
            place = 1 if national else 0 if study.region_slugs & s.region_slugs else 2
            return (place, -len(study.theme_slugs & s.theme_slugs), -s.published.toordinal(), s.slug)

        shared = [s for s in catalogue.studies if s.slug != study.slug and study.theme_slugs & s.theme_slugs]
        return tuple(sorted(shared, key=nearness)[:limit])

    for study in catalogue.studies:
        assert catalogue.related(study) == brute_force(study), study.slug
    same_region = [s for s in catalogue.studies if all(s.region_slugs & r.region_slugs for r in catalogue.related(s))]
    assert len(same_region) > 250, "most lists are filled from the same region (the shortcut)"
    assert any(s.lead.national for s in catalogue.studies) and any(not s.lead.leads for s in catalogue.studies)
