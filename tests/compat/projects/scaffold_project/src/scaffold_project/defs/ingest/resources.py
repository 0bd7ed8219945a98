import dagster as dg


class Currency(dg.ConfigurableResource):
    symbol: str = "EUR"


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"currency": Currency(symbol="USD")})
