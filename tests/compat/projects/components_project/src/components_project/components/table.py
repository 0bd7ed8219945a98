import dagster as dg


class TableComponent(dg.Component, dg.Model, dg.Resolvable):
    """One asset per table, named after it."""

    tables: list[str]
    group: str = "tables"

    @staticmethod
    @dg.template_var
    def default_prefix() -> str:
        return "raw"

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        def make(table: str) -> dg.AssetsDefinition:
            @dg.asset(name=table, group_name=self.group)
            def _table() -> str:
                return f"rows of {table}"

            return _table

        return dg.Definitions(assets=[make(t) for t in self.tables])
