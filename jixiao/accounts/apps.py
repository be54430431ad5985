from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """账号安全: sign-in throttling, password rules and history, two-factor sign-in."""

    name = "jixiao.accounts"
    verbose_name = "账号安全"

    def ready(self) -> None:
        from jixiao.accounts import checks  # noqa: F401  (registers the deploy check)
