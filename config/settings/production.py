"""Production: HTTPS only, secrets from the environment, nothing embedded."""

from .base import *  # noqa: F403
from .base import MAILERS, SECRET_KEY, ConfigurationError, env, require_secret_key

DEBUG = False
SECRET_KEY = require_secret_key(SECRET_KEY)
if MAILERS["default"]["BACKEND"] != "django.core.mail.backends.smtp.EmailBackend":
    # Sign-up needs a verified address: mail written to a file inside a container is lost.
    raise ConfigurationError(
        "EMAIL_URL phải được đặt khi chạy production (smtp+tls://user:pass@mail.example.vn:587)"
    )

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Load balancers and the container health check probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
