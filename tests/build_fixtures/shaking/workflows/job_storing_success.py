"""Tree-shaking: a workflow that reaches some of shared/kinds.py in every way there is."""
from shared.kinds import REGISTRY, Shape, decorated, dumps, entry, limited, typed, uses_alias

EVENT_TYPE = "job.storing.success"


class Settings:
    required = ()
    optional = ()


SETTINGS = Settings()


def workflow(_request, settings):
    """Entry point: report what each reached definition gives."""
    body = [entry(), decorated(), limited(), Shape().label, typed(None), uses_alias(), [f() for f in REGISTRY]]
    return {"status_code": 200, "body": dumps(body), "headers": {}}
