"""One database per profile and base URL, under the platform cache directory."""

from __future__ import annotations

from ctconsole.cache.location import database_path, profile_databases

API = "https://api.coupontools.com"


def test_lives_under_the_user_cache_dir(isolated_dirs):
    path = database_path("default", API)
    assert path.is_relative_to(isolated_dirs / ".cache" / "ctconsole")
    assert path.suffix == ".sqlite3"
    assert path.name.startswith("default--api.coupontools.com--")


def test_each_profile_and_base_url_gets_its_own_file():
    paths = {
        database_path("default", API),
        database_path("shop", API),
        database_path("default", "http://127.0.0.1:8765"),
        database_path("default", "http://127.0.0.1:8766"),
    }
    assert len(paths) == 4


def test_equivalent_base_urls_share_a_file():
    assert database_path("p", API) == database_path("p", "HTTPS://API.Coupontools.com:443/")


def test_profiles_that_slug_alike_still_differ():
    assert database_path("My Shop", API) != database_path("my-shop", API)


def test_hostile_profile_names_stay_inside_the_cache_dir(tmp_path):
    path = database_path("../../etc/passwd", API, root=tmp_path)
    assert path.parent == tmp_path
    assert "/" not in path.name and not path.name.startswith(".")


def test_profile_databases_finds_every_base_url_of_a_profile(tmp_path):
    mine = [database_path("shop", API, root=tmp_path), database_path("shop", "http://127.0.0.1:1", root=tmp_path)]
    other = database_path("shop-eu", API, root=tmp_path)
    for p in (*mine, other):
        p.write_bytes(b"")
    assert profile_databases("shop", root=tmp_path) == sorted(mine)
    assert profile_databases("nobody", root=tmp_path / "missing") == []


def test_for_profile_opens_the_profiles_database(isolated_dirs):
    from ctconsole.cache import ResponseCache, account_fingerprint

    with ResponseCache.for_profile("shop", API, max_bytes=10_000) as c:
        assert c.path == database_path("shop", API)
        assert c.max_bytes == 10_000
        c.put(account_fingerprint("id"), "campaign.list", {}, b"{}")
    assert database_path("shop", API).is_file()
