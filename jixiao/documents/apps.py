from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """自评报告、数据表、评分表: one report model, several renderers."""

    name = "jixiao.documents"
    verbose_name = "文档"

    def ready(self) -> None:
        # Registers the 批量生成 job handler (jixiao.jobs.registry).
        from jixiao.documents import batch  # noqa: F401
