from .base import Plugin


class ExportMixin(Plugin):
    """Shared export logic for plugins (it is itself a Plugin)."""

    def export_name(self):
        return type(self).__name__.lower()
