"""Django's JSON serializer without its one loss: DjangoJSONEncoder cuts datetimes to
milliseconds (ECMA-262), and a backup must give back every instant exactly. Reading needs
nothing special: the stock JSON deserializer parses microseconds."""

import datetime as dt

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder

Deserializer = django_json.Deserializer


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()
