"""Sign-in (throttled, with the second step for two-factor accounts) and the account's own security
pages: password change and two-factor enrolment."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from jixiao.accounts import services, throttle


class LoginView(auth_views.LoginView):
    """Django's sign-in, behind the throttle (jixiao.accounts.throttle)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        typed = str(request.POST.get("username", ""))
        attempt = throttle.begin(
            username=typed,
            address=throttle.client_address(request),
            device_cookie=request.COOKIES.get(throttle.DEVICE_COOKIE),
        )
        if attempt.wait.seconds:
            return self._refused(attempt.wait.seconds)
        form = self.get_form()
        if not form.is_valid():
            services.record_login_failure(typed_username=typed, attempt=attempt)
            return self.form_invalid(form)
        user = form.get_user()
        services.record_login_success(user=user, attempt=attempt)
        response = self.form_valid(form)
        cookie, _device = throttle.remember_device(
            request.COOKIES.get(throttle.DEVICE_COOKIE), attempt.username_key
        )
        throttle.set_device_cookie(response, cookie)
        return response

    def _refused(self, seconds: int) -> HttpResponse:
        form = self.get_form()
        response = self.render_to_response(
            self.get_context_data(form=form, throttled=services.wait_message(seconds)),
            status=429,
        )
        response["Retry-After"] = str(seconds)
        return response
