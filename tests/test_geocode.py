"""The offline gazetteer geocoder (geopy interface), and Nominatim only when enabled."""

from __future__ import annotations

import pytest

from hotspots.plan import geocode
from hotspots.plan.geocode import Candidate, GazetteerGeocoder, load_places, normalise


def _typo(text: str) -> str:
    """Return ``text`` with one letter changed (the middle one of its longest word)."""
    words = text.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[i]
    mid = len(word) // 2
    words[i] = word[:mid] + ("x" if word[mid] != "x" else "y") + word[mid + 1:]
    return " ".join(words)


PLACES = load_places()


@pytest.mark.parametrize("place", PLACES, ids=[p.name for p in PLACES])
def test_every_place_is_found_by_name_without_diacritics_and_with_a_typo(place) -> None:
    for query in (place.name, normalise(place.name), _typo(place.name)):
        found, refused = geocode.geocode(query, online=False)
        assert refused == []
        assert place.name in [c.name for c in found[:3]], (query, [c.name for c in found])


def test_aliases_with_and_without_diacritics() -> None:
    for query in ("Saraceve", "Saraçëve", "sheshi i saraceve"):
        top = geocode.search_gazetteer(query)[0]
        assert top.name == "Sheshi i Saraçëve"
        assert not top.located  # known, but not located: never a guessed point


def test_ambiguous_query_offers_several_candidates() -> None:
    names = [c.name for c in geocode.search_gazetteer("stadium")]
    assert len(names) >= 2 and names[0] == "Elbasan Arena"


def test_geopy_interface_returns_locations_of_located_places_only() -> None:
    coder = GazetteerGeocoder()
    station = coder.geocode("stacioni i trenit")
    assert station is not None and (round(station.latitude, 4), round(station.longitude, 4)) == (41.105, 20.0747)
    assert station.raw["source"].startswith("Wikipedia")
    assert coder.geocode("Saraceve") is None
    assert coder.geocode("nothing like this anywhere") is None


def test_a_result_outside_the_municipality_is_refused() -> None:
    def fake_online(query: str) -> list[Candidate]:
        return [Candidate("Sheshi Skënderbej, Tiranë", 41.3275, 19.8187, "fake", 90.0, "high")]

    found, refused = geocode.geocode("Sheshi Skenderbej Tirane", online=True, online_lookup=fake_online)
    assert found == [] and [c.name for c in refused] == ["Sheshi Skënderbej, Tiranë"]


def test_online_service_is_used_only_when_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def fake_online(query: str) -> list[Candidate]:
        calls.append(query)
        return [Candidate("Rruga e Re, Elbasan", 41.11, 20.085, "fake", 70.0, "medium")]

    monkeypatch.delenv("HOTSPOTS_NOMINATIM", raising=False)
    found, _ = geocode.geocode("Rruga e Panjohur 123", online_lookup=fake_online)
    assert calls == [] and found == []
    monkeypatch.setenv("HOTSPOTS_NOMINATIM", "1")
    found, _ = geocode.geocode("Rruga e Panjohur 123", online_lookup=fake_online)
    assert calls == ["Rruga e Panjohur 123"] and found[0].name == "Rruga e Re, Elbasan"


def test_nominatim_is_never_constructed_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    import geopy.geocoders

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("Nominatim must not be used unless enabled")

    monkeypatch.delenv("HOTSPOTS_NOMINATIM", raising=False)
    monkeypatch.setattr(geopy.geocoders, "Nominatim", refuse)
    assert geocode.geocode("xqzv nowhere")[0] == []


def test_cli_geocode_prints_candidates(sqlite_cli) -> None:  # no database read: one backend
    done = sqlite_cli("geocode", "Saraceve")
    assert done.returncode == 0 and done.stdout.startswith("Sheshi i Saraçëve\t\t\t")
    done = sqlite_cli("geocode", "stacioni i trenit")
    name, lat, lon, source, score = done.stdout.splitlines()[0].split("\t")
    assert (name, lat, lon, score) == ("Stacioni i trenit", "41.105000", "20.074700", "100")
    assert sqlite_cli("--lang", "en", "geocode", "qqqq zzzz").returncode == 1
