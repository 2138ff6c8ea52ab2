"""Pagination shared by the list pages: one page of a queryset and the list's query string
(filters, sort, search) to keep in the page links of templates/components/pagination.html."""

from django.core.paginator import Page, Paginator
from django.http import QueryDict

PAGE_SIZE = 50


class _CountedPaginator(Paginator):
    """A Paginator told its count. The last page is read like the others (up to `per_page`
    rows), not cut at the count: with a count some seconds old, rows added since show on it
    unless they overflow it."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached property

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


def page_of(
    params: QueryDict, queryset, *, per_page: int = PAGE_SIZE, count: int | None = None
) -> tuple[Page, str]:
    """The page that `params` ask for (the first or the last one when the number is missing
    or out of range) and the parameters without "page", url-encoded for the page links.
    Two queries: the count and the page's rows; one when the caller already knows `count`
    (a contest-wide total kept with its time, the ranking's counts)."""
    if count is None:
        paginator = Paginator(queryset, per_page)
    else:
        paginator = _CountedPaginator(queryset, per_page, count=count)
    page = paginator.get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return page, query.urlencode()
