"""Build the partner gazetteer `models/gazetteer/gazetteer.json` from `models/sources/gazetteer/`.

Sources (hand-curated, see `models/sources/gazetteer/README.md`):
- `organisations.csv`: named organisations with partner_type and aliases (ministries are typed `ministerium`);
- `kreise.csv`, `staedte.csv`, `polizei.csv`: the administrative units of NRW, expanded here into their
  canonical names (`Kreis Soest`, `Stadt Duisburg`, `Polizeipräsidium Dortmund`, `Jobcenter Dortmund`) and the
  aliases under which texts name them (`Landkreis Lippe`, `Kreisverwaltung Soest`, `Polizei Dortmund`, …);
- `regions.txt`: region names that may stand in the place slot of an organisation name.

Output (sorted, so rebuilding is byte-identical):
  {"entries": [{"canonical", "partner_type", "aliases"}], "places": [...], "place_adjectives": {adj: place},
   "regions": [...]}

Run: `.venv/bin/python scripts/build_gazetteer.py`.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TypedDict

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "models" / "sources" / "gazetteer"
OUT = ROOT / "models" / "gazetteer" / "gazetteer.json"


class Entry(TypedDict):
    canonical: str
    partner_type: str
    aliases: list[str]


def read_csv(name: str) -> list[dict[str, str]]:
    with (SOURCES / name).open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def read_lines(name: str) -> list[str]:
    lines = (SOURCES / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def entry(canonical: str, partner_type: str, aliases: list[str]) -> Entry:
    unique = sorted({a for a in aliases if a and a != canonical})
    return {"canonical": canonical, "partner_type": partner_type, "aliases": unique}


def organisations_to_entries(rows: list[dict[str, str]]) -> list[Entry]:
    return [entry(r["canonical"], r["partner_type"], r["aliases"].split("|")) for r in rows]


def kreise_to_entries(rows: list[dict[str, str]]) -> list[Entry]:
    out = []
    for row in rows:
        name, canonical = row["name"], row["canonical"]
        own = [a for a in row.get("aliases", "").split("|") if a]  # a unit's own forms replace the Kreis forms
        aliases = own or [f"Kreis {name}", f"Landkreis {name}", f"Kreisverwaltung {name}"]
        out.append(entry(canonical, "kreis", aliases))
        jobcenter = [f"Jobcenter {a}" for a in own] or [f"Jobcenter Kreis {name}"]
        out.append(entry(f"Jobcenter {canonical}", "jobcenter", [f"Jobcenter {name}", *jobcenter]))
    return out


def staedte_to_entries(rows: list[dict[str, str]]) -> list[Entry]:
    out = []
    for row in rows:
        name = row["name"]
        out.append(entry(f"Stadt {name}", "kommune", [f"Stadtverwaltung {name}"]))
        if row["kreisfrei"] == "ja":
            out.append(entry(f"Jobcenter {name}", "jobcenter", []))
    return out


def polizei_to_entries(rows: list[dict[str, str]]) -> list[Entry]:
    return [
        entry(
            f"Polizeipräsidium {r['place']}",
            "polizei",
            [f"Polizei {r['place']}", f"Polizeipräsident {r['place']}", f"Polizeipräsidentin {r['place']}"],
        )
        for r in rows
    ]


def merge(entries: list[Entry]) -> list[Entry]:
    """One entry per canonical name; a later source adds aliases to an earlier one."""
    merged: dict[str, Entry] = {}
    for e in entries:
        key = e["canonical"]
        if key in merged:
            aliases = sorted({*merged[key]["aliases"], *e["aliases"]})
            merged[key] = entry(key, merged[key]["partner_type"], aliases)
        else:
            merged[key] = e
    return [merged[k] for k in sorted(merged)]


def places_and_adjectives(
    kreise: list[dict[str, str]], staedte: list[dict[str, str]], regions: list[str]
) -> tuple[list[str], dict[str, str]]:
    places = {r["name"] for r in staedte} | {r["name"] for r in kreise} | set(regions)
    adjectives = {r["adjective"]: r["name"] for r in [*staedte, *kreise] if r.get("adjective")}
    return sorted(places), dict(sorted(adjectives.items()))


class Gazetteer(TypedDict):
    entries: list[Entry]
    places: list[str]
    place_adjectives: dict[str, str]
    regions: list[str]


def build() -> Gazetteer:
    kreise, staedte = read_csv("kreise.csv"), read_csv("staedte.csv")
    entries = merge(
        organisations_to_entries(read_csv("organisations.csv"))
        + kreise_to_entries(kreise)
        + staedte_to_entries(staedte)
        + polizei_to_entries(read_csv("polizei.csv"))
    )
    regions = read_lines("regions.txt")
    places, adjectives = places_and_adjectives(kreise, staedte, regions)
    return {"entries": entries, "places": places, "place_adjectives": adjectives, "regions": sorted(regions)}


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(data['entries'])} entries, {len(data['places'])} places")


if __name__ == "__main__":
    main()
