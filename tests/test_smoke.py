def test_home_answers_in_french(client, db):
    assert client.get("/fr/").status_code == 200
