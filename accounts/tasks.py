"""Mail about the account (verification, password reset), sent outside the request."""

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def task_send_account_mail(
    *, subject: str, body: str, html: str, from_email: str, to: list[str]
) -> None:
    """Send one message already rendered in the request (it carries a one-time link, so
    there is no row to re-read). Sending it twice is harmless: the link stays valid."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
