"""Pagination shared by the list pages: one page of a queryset and the list's query string
(filters, sort, search) to keep in the page links of templates/components/pagination.html."""

from django.core.paginator import Page, Paginator
from django.http import QueryDict

PAGE_SIZE = 50


def page_of(params: QueryDict, queryset, *, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    """The page that `params` ask for (the first or the last one when the number is missing
    or out of range) and the parameters without "page", url-encoded for the page links.
    Two queries: the count and the page's rows."""
    page = Paginator(queryset, per_page).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return page, query.urlencode()
