"""End-to-end behaviour: incremental runs, failure isolation, determinism, offsets, the CLI."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.run import run
from pipeline.tables import COLUMNS, ROW_TYPES, read_table
from tests.conftest import ROOT, Run, copy_seeds, make_settings

FACT_TABLES = ("partners", "dates", "figures", "commitments")


def test_every_table_is_written_with_its_header(seed_run: Run) -> None:
    for name in ROW_TYPES:
        path = seed_run.tables / f"{name}.csv"
        assert path.exists(), name
        header = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert header == ",".join(COLUMNS[name])


def test_offsets_point_into_the_evidence(seed_run: Run) -> None:
    checked = 0
    for name in FACT_TABLES:
        for row in read_table(seed_run.tables / f"{name}.csv"):
            text = (seed_run.clean / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
            start, end = int(row["char_start"]), int(row["char_end"])
            ev_start, ev_end = int(row["evidence_start"]), int(row["evidence_end"])
            assert text[ev_start:ev_end] == row["evidence"], (name, row)
            assert ev_start <= start < end <= ev_end, (name, row)
            assert text[start:end] in row["evidence"]
            checked += 1
    assert checked > 0


def test_question_offsets_cover_question_and_answer(seed_run: Run) -> None:
    for row in read_table(seed_run.tables / "questions.csv"):
        text = (seed_run.clean / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
        span = " ".join(text[int(row["char_start"]) : int(row["char_end"])].split())
        assert " ".join(row["question"].split())[:40] in span


def test_second_run_processes_nothing_and_a_change_reprocesses_one(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, copy_seeds(tmp_path / "raw"))
    first = run(settings)
    assert first.processed == 5 and first.cached == 0
    before = {p.name: p.read_bytes() for p in settings.tables_dir.glob("*.csv")}
    second = run(settings)
    assert second.processed == 0 and second.cached == 5
    assert {p.name: p.read_bytes() for p in settings.tables_dir.glob("*.csv")} == before
    target = sorted(settings.raw_dir.iterdir())[3]
    target.write_text(target.read_text(encoding="utf-8") + "\nAm 1. Februar 2019 trat die Stadt Hamm bei.\n")
    third = run(settings)
    assert third.processed == 1 and third.cached == 4
    removed = sorted(settings.raw_dir.iterdir())[0]
    removed.unlink()
    fourth = run(settings)
    assert fourth.processed == 0 and fourth.removed == 1
    doc_ids = {row["doc_id"] for row in read_table(settings.tables_dir / "documents.csv")}
    assert removed.stem not in doc_ids and len(doc_ids) == 4
    assert not (settings.clean_dir / f"{removed.stem}.txt").exists()
    forced = run(make_settings(tmp_path, settings.raw_dir).__class__(**{**settings.__dict__, "force": True}))
    assert forced.processed == 4


def test_a_no_op_run_restores_edited_tables_and_redoes_damaged_results(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, copy_seeds(tmp_path / "raw"))
    run(settings)
    before = {p.name: p.read_bytes() for p in settings.tables_dir.glob("*.csv")}
    (settings.tables_dir / "partners.csv").write_text("edited by hand\n", encoding="utf-8")
    again = run(settings)  # nothing to process, but the tables are not what the results say: rebuilt
    assert again.processed == 0 and again.rows["partners"] > 0
    assert {p.name: p.read_bytes() for p in settings.tables_dir.glob("*.csv")} == before
    damaged = sorted((settings.state_dir / "results").glob("*.json"))[1]
    damaged.write_text("{not json", encoding="utf-8")
    (settings.tables_dir / "dates.csv").unlink()
    redone = run(settings)  # the rebuild finds the damaged result and processes that document again
    assert {p.name: p.read_bytes() for p in settings.tables_dir.glob("*.csv")} == before
    assert redone.failures == [] and damaged.read_text(encoding="utf-8").startswith("{")


def test_two_runs_are_byte_identical(tmp_path: Path, seed_run: Run) -> None:
    settings = make_settings(tmp_path, copy_seeds(tmp_path / "raw"), jobs=1)
    settings = dataclasses.replace(settings, keep_results=2)  # the tables stream results read back from disk too
    run(settings)
    for path in sorted(seed_run.tables.glob("*.csv")):
        assert (settings.tables_dir / path.name).read_bytes() == path.read_bytes(), path.name
    for path in sorted(seed_run.clean.glob("*.txt")):
        assert (settings.clean_dir / path.name).read_bytes() == path.read_bytes(), path.name


def _bad_inputs(raw: Path) -> dict[str, str]:
    """Bad files generated here, each named after what it reproduces; returns doc_id -> expected stage."""
    (raw / "empty_file.txt").write_bytes(b"")
    (raw / "corrupt_pdf.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage \x00\xff" * 3)
    (raw / "unknown_binary.dat").write_bytes(bytes(range(256)) * 8)
    (raw / "png_image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    (raw / "undecodable_text.txt").write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 200)
    (raw / "whitespace_only.txt").write_text("   \n\n \t \n")
    _encrypted_pdf(raw / "encrypted_pdf.pdf")
    return {
        "empty_file": "ingest",
        "corrupt_pdf": "ingest",
        "unknown_binary": "ingest",
        "png_image": "ingest",
        "undecodable_text": "ingest",
        "whitespace_only": "ingest",
        "encrypted_pdf": "ingest",
    }


def _encrypted_pdf(path: Path) -> None:
    import pypdfium2 as pdfium  # noqa: F401  (ensures the engine exists)
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, encrypt="geheim")
    c.drawString(72, 720, "Vertraulich: Partnervereinbarung mit der Stadt Hamm")
    c.save()


def test_bad_inputs_fail_alone_and_are_reported(tmp_path: Path) -> None:
    raw = copy_seeds(tmp_path / "raw")
    expected = _bad_inputs(raw)
    settings = make_settings(tmp_path, raw)
    summary = run(settings)
    failures = {row["doc_id"]: row for row in read_table(settings.tables_dir / "failures.csv")}
    assert set(failures) == set(expected)
    for doc_id, stage in expected.items():
        row = failures[doc_id]
        assert row["stage"] == stage, row
        assert "\n" not in row["message"] and row["message"], row
        assert row["source_file"] in row["message"], row
    documents = {row["doc_id"] for row in read_table(settings.tables_dir / "documents.csv")}
    assert len(documents) == 5
    assert summary.processed == 5 + len(expected)


def test_cli_exit_codes(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy2(sorted((ROOT / "corpus" / "raw").iterdir())[-1], raw)
    args = [
        sys.executable,
        "-m",
        "pipeline",
        "extract",
        "--raw",
        str(raw),
        "--clean",
        str(tmp_path / "c"),
        "--tables",
        str(tmp_path / "t"),
        "--jobs",
        "1",
    ]
    ok = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    assert "processed" in ok.stderr
    (raw / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    bad = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1
    assert "broken.pdf" in bad.stderr


def test_every_cli_command_is_documented_in_the_readme() -> None:
    from pipeline.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands: dict = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr, assignment]
    for name, sub in commands.items():
        assert f"python -m pipeline {name}" in readme, name
        for action in sub._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in readme, f"{name} {flag} not in README"


def test_text_in_legacy_encodings_and_mojibake_is_repaired(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    sentence = "Die Stadt Münster schließt sich der Initiative „Vielfalt verbindet“ an. Über 1.200 Beschäftigte."
    (raw / "cp1252_text.txt").write_bytes(sentence.encode("cp1252"))
    (raw / "utf8_mojibake.txt").write_text(sentence.encode("utf-8").decode("cp1252"), encoding="utf-8")
    (raw / "utf16_text.txt").write_bytes(sentence.encode("utf-16"))
    settings = make_settings(tmp_path, raw, jobs=1)
    summary = run(settings)
    assert not summary.failures
    for doc_id in ("cp1252_text", "utf8_mojibake", "utf16_text"):
        assert (settings.clean_dir / f"{doc_id}.txt").read_text(encoding="utf-8") == sentence, doc_id
