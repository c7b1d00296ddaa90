"""A chaining query DSL (scenario: fluent builders and context managers)."""


class Query:
    def __init__(self):
        self.filters = []
        self.columns = []

    def filter(self, **conditions):
        self.filters.append(conditions)
        return self

    def select(self, *columns):
        self.columns.extend(columns)
        return self

    def order_by(self, column):
        self.order = column
        # forgot `return self`: Query().order_by("id").select(...) fails


class Transaction:
    def __enter__(self):
        self.active = True
        return self

    def __exit__(self, exc_type, exc, tb):
        self.active = False
        return True  # swallows every exception, KeyboardInterrupt included


def active_users():
    base = Query().filter(active=True)
    admins = base.filter(role="admin")
    staff = base.filter(role="staff")  # mutates the same object as `admins`
    return admins, staff
