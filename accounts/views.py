"""A signed-in user's own pages: the profile and the list of their entries."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .forms import ProfileForm
from .selectors import entries_of_user
from .services import user_update_profile


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    # A copy, so rejected input never shows up in request.user (the header shows the name).
    form = ProfileForm(request.POST or None, instance=copy.copy(request.user))
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Đã lưu hồ sơ."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_GET
def my_entries(request):
    return render(
        request, "accounts/my_entries.html", {"items": entries_of_user(user=request.user)}
    )
