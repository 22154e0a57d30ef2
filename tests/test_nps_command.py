"""manage.py nps: survey exports on the command line, exit code 2 on bad input."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def survey(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("id;Score;comment\n1;9;top\n2;10;\n3;6;bof\n4;;\n5;8;\n", encoding="utf-8")
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("nps", *args, stdout=out)
    return out.getvalue()


def test_report_gives_the_score_counts_and_interval(survey):
    output = run(str(survey))
    assert "NPS: +25 (n = 4, 1 blank answer skipped)" in output
    assert "Promoters (9–10): 2 (50%)" in output
    assert "95% confidence interval (adjusted Wald):" in output
    assert "Fewer than 30 responses" in output


def test_json_is_the_api_object(survey, client):
    printed = json.loads(run(str(survey), "--json"))
    api = client.post(
        "/api/v1/nps",
        data=json.dumps({"scores": [9, 10, 6, None, 8]}),
        content_type="application/json",
    ).json()
    warnings = printed.pop("warnings")
    api.pop("warnings")
    assert printed == api
    assert warnings[0]["code"] == "column_guessed"


def test_compare_and_confidence(survey, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("0\n1\n2\n9\n", encoding="utf-8")
    data = json.loads(run(str(survey), "--compare", str(other), "--confidence", "99", "--json"))
    assert data["comparison"]["confidence"] == 0.99
    assert data["compare"]["nps_display"] == "-50"


def test_column_by_name_or_number(survey):
    by_name = json.loads(run(str(survey), "--column", "score", "--json"))
    by_number = json.loads(run(str(survey), "--column", "2", "--json"))
    assert by_name["nps"] == by_number["nps"] == 25.0


@pytest.mark.parametrize(
    ("make", "args", "expected"),
    [
        (lambda d: d / "missing.csv", [], "does not exist"),
        (lambda d: d, [], "is a directory, not a file"),
        (lambda d: _write(d / "x.xlsx", b"PK\x03\x04\x00\x00binary"), [], "looks like XLSX"),
        (lambda d: _write(d / "bin.csv", bytes(range(256)) * 4), [], "not a CSV file"),
        (lambda d: _write(d / "e.csv", b""), [], "The file is empty."),
        (lambda d: _write(d / "s.csv", b"score\n9\n"), ["--column", "nope"], "no column “nope”"),
        (lambda d: _write(d / "s.csv", b"score\n9\n"), ["--confidence", "0.5"], "90%, 95% or 99%"),
        (lambda d: _write(d / "s.csv", b"score\n9\n11\n"), [], "“11” is not a score"),
        (lambda d: _write(d / "s.csv", b"score\n\n\n"), [], "no responses"),
    ],
)
def test_bad_input_exits_with_code_2_and_a_clear_message(tmp_path, make, args, expected):
    path = make(tmp_path)
    with pytest.raises(CommandError) as raised:
        run(str(path), *args)
    assert raised.value.returncode == 2
    assert expected in str(raised.value)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_bad_decimals_exit_2():
    with pytest.raises(CommandError) as raised:
        run("/nonexistent.csv", "--decimals", "3")
    assert raised.value.returncode == 2
    assert "0, 1 or 2" in str(raised.value)


def test_messages_in_french_and_italian(tmp_path):
    with pytest.raises(CommandError) as french:
        run(str(tmp_path / "absent.csv"), "--lang", "fr")
    assert "Le fichier «\xa0" in str(french.value)
    with pytest.raises(CommandError) as italian:
        run(str(tmp_path / "absent.csv"), "--lang", "it")
    assert "non esiste" in str(italian.value)


def test_the_real_command_line_exits_2_without_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "nps", str(tmp_path / "absent.csv")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr_FR.UTF-8", "Le fichier «\xa0"), ("it_IT.UTF-8", "non esiste"), ("C", "does not exist")],
)
def test_the_command_line_speaks_the_terminals_language(tmp_path, lang, expected):
    """manage.py activates the terminal's language; the command keeps it unless --lang."""
    survey = _write(tmp_path / "s.csv", b"score\n9\n10\n3\n")
    env = {"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin", "LANG": lang}
    missing = subprocess.run(
        [sys.executable, "manage.py", "nps", str(tmp_path / "absent.csv")],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert missing.returncode == 2
    assert expected in missing.stderr
    report = subprocess.run(
        [sys.executable, "manage.py", "nps", str(survey), "--decimals", "1"],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert report.returncode == 0
    assert {"fr": "+33,3", "it": "+33,3"}.get(lang[:2], "NPS: +33.3") in report.stdout
    assert ("Promoteurs" in report.stdout) is lang.startswith("fr")


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--confidence", "nan", "The confidence level must be"),
        ("--confidence", "1e308", "The confidence level must be"),
        ("--confidence", "٩٥", "The confidence level must be"),
        ("--confidence", "9" * 5000, "The confidence level must be"),
        ("--confidence", "", "The confidence level must be"),
        ("--decimals", "٣", "The number of decimals must be 0, 1 or 2"),
        ("--decimals", "１", "The number of decimals must be 0, 1 or 2"),
        ("--decimals", "1e0", "The number of decimals must be 0, 1 or 2"),
        ("--decimals", "-1", "The number of decimals must be 0, 1 or 2"),
        ("--decimals", "9" * 400, "The number of decimals must be 0, 1 or 2"),
        ("--column", "x" * 5000, "This file has no column"),
        ("--column", "99999999", "This file has no column"),
        ("--column", "٢", "This file has no column"),
    ],
)
def test_nonsense_options_exit_2_with_a_clear_message(survey, option, value, expected):
    with pytest.raises(CommandError) as raised:
        run(str(survey), option, value)
    assert raised.value.returncode == 2
    assert expected in str(raised.value)
    assert len(str(raised.value)) < 600  # the offending value is cut, not echoed whole


def test_a_file_over_the_cap_exits_2(tmp_path):
    from kb import nps

    path = tmp_path / "big.csv"
    path.write_bytes(b"score\n" + b"9\n" * (nps.MAX_BYTES // 2))
    with pytest.raises(CommandError) as raised:
        run(str(path))
    assert raised.value.returncode == 2
    message = str(raised.value).replace("\xa0", " ")
    assert "The file is too large: the calculator reads CSV files of up to 10.0 MB" in message
