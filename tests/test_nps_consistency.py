"""Page, embed, API and command give the same numbers for the same answers."""

import json
import random
import re
from io import StringIO

import pytest
from django.core.management import call_command

from kb import nps


@pytest.fixture
def answers() -> list[int]:
    rng = random.Random(2024)
    return rng.choices(range(11), weights=[3, 1, 1, 2, 2, 4, 6, 12, 18, 25, 27], k=437)


def page_numbers(html: str) -> dict:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    interval = re.search(r"confidence interval: (\S+) to (\S+) \(margin ±(\S+) points", text)
    rows = dict(re.findall(r'<tr class="nps-row-(\w+)">.*?</td><td>([\d,]+)</td>', html))
    return {
        "display": re.search(r'<output class="nps-score">(.*?)</output>', html).group(1),
        "n": int(re.search(r"Based on ([\d,]+) responses", text).group(1).replace(",", "")),
        "counts": {name: int(value.replace(",", "")) for name, value in rows.items()},
        "interval": interval.groups(),
    }


@pytest.mark.django_db
def test_page_embed_api_and_command_agree(client, answers, tmp_path):
    pasted = "\n".join(map(str, answers))
    query = {"mode": "list", "scores": pasted, "decimals": "1"}
    page = page_numbers(client.get("/en/tools/nps/", query).content.decode())
    embed = page_numbers(client.get("/en/tools/nps/embed/", query).content.decode())

    api = client.post(
        "/api/v1/nps",
        data=json.dumps({"scores": answers, "decimals": 1}),
        content_type="application/json",
    ).json()

    csv = tmp_path / "answers.csv"
    csv.write_text("Recommend\n" + pasted + "\n", encoding="utf-8")
    out = StringIO()
    call_command("nps", str(csv), "--json", stdout=out)
    command = json.loads(out.getvalue())

    expected = nps.analyse(nps.Counts.from_scores(answers), decimals=1)
    assert page == embed
    assert page["display"] == api["nps_display"] == expected.display
    assert command["nps"] == api["nps"] == float(nps.round_half_away(expected.nps, 4))
    assert page["n"] == api["n"] == command["n"] == 437
    for name in ("promoters", "passives", "detractors"):
        assert page["counts"][name] == api[name] == command[name]
    assert command["interval"] == api["interval"]
    assert command["wald"] == api["wald"]
    shown = tuple(
        nps.format_score(api["interval"][key], 1, signed=key != "margin")
        for key in ("lower", "upper", "margin")
    )
    assert page["interval"] == shown
