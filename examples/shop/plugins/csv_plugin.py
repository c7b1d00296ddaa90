from .base import Exporter, Plugin


class CsvPlugin(Plugin, format="csv"):
    """TypeError at import time: Plugin.__init_subclass__ takes no keywords."""


class CsvExporter(Exporter):
    """Inherits __enter__ but nobody defines __exit__."""

    def write(self, row):
        self.handle.append(row)


def export(rows):
    with CsvExporter() as out:  # Exporter.__enter__ returns None: out is None
        for row in rows:
            out.write(row)
