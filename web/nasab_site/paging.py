"""One page of a long list (50 rows by default), for the list pages."""

from __future__ import annotations

from django.core.paginator import Paginator

PER_PAGE = 50


def page_of(request, queryset, per_page: int = PER_PAGE):
    """The page named by ``?page=`` (out-of-range or malformed numbers give the nearest page).

    In the template: iterate over the page, and ``{% include "pagination.html" %}`` with
    ``page`` in the context for the links (other query parameters are kept)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
