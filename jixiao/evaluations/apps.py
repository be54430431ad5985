from django.apps import AppConfig
from django.db.models.signals import post_save, pre_save


class EvaluationsConfig(AppConfig):
    name = "jixiao.evaluations"
    verbose_name = "绩效自评"

    def ready(self) -> None:
        # Registers the list export's job handler with jixiao.jobs.
        from jixiao.evaluations import jobs  # noqa: F401
        from jixiao.evaluations.names import fill_names, follow_campaign, follow_organisation

        pre_save.connect(fill_names, sender="evaluations.Evaluation", dispatch_uid="eval-names")
        post_save.connect(
            follow_organisation, sender="organisations.Organisation", dispatch_uid="org-names"
        )
        post_save.connect(
            follow_campaign, sender="campaigns.Campaign", dispatch_uid="campaign-year"
        )
