"""Fixtures for the registry's tests (pytest-django; SQLite, or PostgreSQL via DATABASE_URL)."""

from __future__ import annotations

import importlib.util
import os

import pytest

# Development mode for every process the tests start (manage.py in a subprocess): the
# public development key is allowed there; nasab_site.settings refuses it elsewhere.
os.environ.setdefault("NASAB_DEV", "1")

if importlib.util.find_spec("django") is None or importlib.util.find_spec("pytest_django") is None:
    # The web extra is not installed: the engine's tests still run, these are skipped.
    collect_ignore_glob = ["test_*.py"]
else:
    from django.db import connection

    @pytest.fixture(autouse=True)
    def _append_only_tables_emptied_after_live_server(request):
        """A live-server test commits, so Django empties every table afterwards. PostgreSQL
        truncates (the append-only triggers guard UPDATE and DELETE only); SQLite deletes row
        by row, which the triggers refuse: set aside for a moment to empty those tables, before
        Django's flush (``transactional_db`` is set up inside this fixture, so it is torn
        down after it)."""
        if "live_server" not in request.fixturenames:
            yield
            return
        request.getfixturevalue("transactional_db")
        yield
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            triggers = cursor.fetchall()
            for name, _table, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            for table in sorted({t for _, t, _ in triggers}):
                cursor.execute(f'DELETE FROM "{table}"')
            for _name, _table, sql in triggers:
                cursor.execute(sql)

    @pytest.fixture(autouse=True)
    def _fast_password_hashing(settings):
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    @pytest.fixture(autouse=True)
    def _one_step_login(request, settings):
        """Tests log in with the password alone, except those marked ``second_factor``
        (test_web_auth.py), which run the TOTP step as deployed."""
        if request.node.get_closest_marker("second_factor") is None:
            settings.NASAB_REQUIRE_SECOND_FACTOR = False

    @pytest.fixture(autouse=True)
    def _anchor_place(settings, tmp_path):
        """Each test anchors into its own folder with its own signing key."""
        settings.NASAB_ANCHOR_DIR = str(tmp_path / "anchors")
        settings.NASAB_SIGNING_KEY = str(tmp_path / "keys" / "signing.pem")

    @pytest.fixture(autouse=True)
    def _search_store(settings, tmp_path):
        """Each test's compiled search store in its own directory (never var/)."""
        settings.NASAB_SEARCH_STORE = tmp_path / "search-store"

    @pytest.fixture
    def users(db):
        """One user per role (two field team members and two analysts), plus one with no role."""
        from django.contrib.auth.models import User

        from accounts.roles import Role, ensure_groups

        groups = ensure_groups()
        people = {
            "intake": Role.INTAKE,
            "field": Role.FIELD,
            "field2": Role.FIELD,
            "lab": Role.LAB,
            "lab2": Role.LAB,
            "reviewer": Role.REVIEWER,
            "board": Role.BOARD,
            "admin": Role.ADMIN,
            "norole": None,
        }
        made = {}
        for username, role in people.items():
            user = User.objects.create_user(username, password="a long test password 1")
            if role is not None:
                user.groups.add(groups[role])
            made[username] = user
        return made

    @pytest.fixture
    def site(db):
        from fieldwork.models import GraveSite, SiteStage

        return GraveSite.objects.create(
            code="GS-T01", name="Test site", governorate="hama", stage=SiteStage.EXCAVATING
        )

    @pytest.fixture
    def remains(site, users):
        from fieldwork import services
        from fieldwork.models import RemainsUnit

        return services.register_remains(
            RemainsUnit(
                code="GS-T01-R001", site=site, label_at_discovery="B1", completeness="partial"
            ),
            user=users["field"],
            place="Trench 1",
        )

    @pytest.fixture
    def sample(remains, users):
        from fieldwork import services
        from fieldwork.models import Sample

        return services.register_sample(
            Sample(
                barcode="GS-T01-R001-S1", kind="bone", skeletal_element="femur", remains=remains
            ),
            user=users["field"],
            place="Trench 1",
            seal_id="SEAL-T1",
        )

    @pytest.fixture
    def family(users):
        """A missing person with father and mother who gave swabs under consent."""
        from fieldwork import services
        from fieldwork.models import Sample
        from registry.models import Consent, ConsentSharing, MissingPerson, Relative

        person = MissingPerson.objects.create(
            name_ar="سامر ماهر علي النجار",
            name_latin="Samer Maher Ali al-Najjar",
            given_name="Samer",
            sex="M",
            birth_year=1990,
        )
        out = {"person": person}
        for role, sex in (("father", "M"), ("mother", "F")):
            relative = Relative.objects.create(
                person=person,
                name_ar=role,
                name_latin=role.title(),
                sex=sex,
                claimed_relationship=role,
            )
            consent = Consent.objects.create(relative=relative, text_version="2.1", language="ar")
            ConsentSharing.objects.create(consent=consent, recipient="Partner lab")
            out[role] = relative
            out[f"{role}_sample"] = services.register_sample(
                Sample(barcode=f"D-{role}", kind="buccal_swab", donor=relative),
                user=users["field2"],
                place="Family visit",
            )
        return out

    @pytest.fixture
    def typed_family(family, sample, users):
        """``family`` and ``sample`` with accepted DNA profiles: the remains are the son."""
        from lab.models import DNAProfile, QualityStatus

        genotypes = {
            "D-father": {"TH01": ["6", "7"], "D3S1358": ["15", "15"], "vWA": ["17", "17"]},
            "D-mother": {"TH01": ["9.3", "9.3"], "D3S1358": ["16", "17"], "vWA": ["18", "19"]},
            sample.barcode: {"TH01": ["6", "9.3"], "D3S1358": ["15", "16"], "vWA": ["17", "18"]},
        }
        from fieldwork.models import Sample

        for barcode, markers in genotypes.items():
            DNAProfile.objects.create(
                sample=Sample.objects.get(barcode=barcode),
                markers=markers,
                kit="k",
                lab="l",
                quality_status=QualityStatus.ACCEPTED,
                source_file_name="f",
                source_sha256=barcode.ljust(64, "0"),
                source_line=2,
                imported_by=users["lab"],
            )
        return family

    def disable_append_only_triggers():
        """What an attacker with database-owner rights does first."""
        with connection.cursor() as cursor:
            for table in ("custody_entry", "audit_event"):
                if connection.vendor == "sqlite":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
                else:
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")

    @pytest.fixture
    def raw_sql(db):
        """Run SQL directly against the database, append-only triggers disabled."""
        disable_append_only_triggers()

        def run(sql, params=()):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

        return run
