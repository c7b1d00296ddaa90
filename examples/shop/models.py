"""An ORM-ish model with lazy relations (scenario: lazy __getattr__)."""


class Session:
    def query(self, table, **filters):
        return [{"table": table, **filters}]


class Model:
    session = Session()

    def __init__(self, pk):
        self.pk = pk

    def __getattr__(self, name):
        # Runs on every miss and re-queries every time.
        rows = self.session.query(name, owner=self.pk)
        return rows

    def __setattr__(self, name, value):
        self.__dict__["_dirty"] = True
        self.__dict__[name] = value
