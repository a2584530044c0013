"""Cross-references: who led what, regions derived from authorities, related practice."""

from __future__ import annotations

from conftest import TODAY, VALID_STUDY, write_study
from hub.pipeline import Project, check


def study(slug: str, authority: str = "west-berkshire", themes: tuple[str, ...] = ("family-networks",), published: str = "2026-03-31") -> str:
    text = VALID_STUDY.replace("authority: west-berkshire", f"authority: {authority}").replace("2026-03-31", published)
    return text.replace("  - family-networks\n", "".join(f"  - {t}\n" for t in themes))


def test_queries(project: Project) -> None:
    write_study(project, "a", study("a", "west-berkshire", ("family-networks",), "2026-01-01"))
    write_study(project, "b", study("b", "hampshire", ("family-networks", "workforce"), "2026-02-01"))
    write_study(project, "c", study("c", "cornwall", ("family-networks",), "2026-03-01"))
    write_study(project, "d", study("d", "barnet", ("workforce",), "2026-04-01"))
    write_study(
        project,
        "e",
        study("e", themes=("family-networks",)).replace("  authority: west-berkshire\n", "  organisation: ADCS\n  regions:\n    - south-west\n  partners:\n    - kent\n"),
    )
    hub, _ = check(project, TODAY)
    ref = hub.ref
    assert [s.slug for s in hub.studies] == ["d", "e", "c", "b", "a"], "newest first, then by title"
    assert [s.slug for s in hub.led_by(ref.authorities["hampshire"])] == ["b"]
    assert [s.slug for s in hub.partnered_by(ref.authorities["kent"])] == ["e"]
    assert [r.slug for r in hub.studies[1].regions] == ["south-east", "south-west"], "kent's region plus the region covered"
    south_east = ref.regions["south-east"]
    assert [s.slug for s in hub.in_region(south_east)] == ["e", "b", "a"]
    assert [s.slug for s in hub.led_in_region(south_east)] == ["e", "b", "a"]
    assert [s.slug for s in hub.covering_region(ref.regions["south-west"])] == ["e"]
    assert [t.slug for t in hub.themes_in(ref.regions["london"])] == ["workforce"]
    assert len(hub.themes_missing_in(ref.regions["london"])) == 13
    assert [a.slug for a in hub.active_authorities_in(south_east, ref.authorities["hampshire"])] == ["kent", "west-berkshire"]
    # Related practice: shares a theme; same region first, then more shared themes, then newest.
    related = [s.slug for s in hub.related(hub.studies[4])]  # a: West Berkshire, family networks
    assert related == ["e", "b", "c"]
    assert "d" not in related
