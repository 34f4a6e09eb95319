"""Long lists come in pages of 50, with links that keep the search."""

from __future__ import annotations

from django.urls import reverse

from registry.models import MissingPerson


def test_person_list_pages_and_keeps_the_search(client, users):
    MissingPerson.objects.bulk_create(
        [
            MissingPerson(
                case_number=f"MP-9{i:05d}",
                name_ar="اسم",
                name_latin=f"Samer {i}",
                given_name="Samer",
            )
            for i in range(60)
        ]
        + [
            MissingPerson(
                case_number="MP-800000", name_ar="x", name_latin="Other", given_name="Other"
            )
        ]
    )
    client.force_login(users["intake"])
    url = reverse("registry:person_list")
    first = client.get(url, {"q": "Samer"}).content.decode()
    assert first.count(">MP-9") == 50 and "Page 1 of 2 (60 in all)" in first
    assert "?q=Samer&amp;page=2" in first
    second = client.get(url, {"q": "Samer", "page": "2"}).content.decode()
    assert second.count(">MP-9") == 10 and "Previous" in second
    assert "Page 2 of 2" in client.get(url, {"q": "Samer", "page": "99"}).content.decode()


def test_site_list_counts_remains_in_one_query(
    client, users, remains, django_assert_max_num_queries
):
    client.force_login(users["field"])
    with django_assert_max_num_queries(9):
        page = client.get(reverse("fieldwork:site_list")).content.decode()  # one more: the map
    assert "GS-T01" in page and "<td>1</td>" in page
