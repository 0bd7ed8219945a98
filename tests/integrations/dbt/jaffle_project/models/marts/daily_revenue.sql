{{ config(tags=["daily"], materialized="incremental") }}
select ordered_at as day, sum(amount) as revenue
from {{ ref('stg_orders') }}
where ordered_at >= cast('{{ var("min_date", "1900-01-01") }}' as date)
  and ordered_at < cast('{{ var("max_date", "2999-01-01") }}' as date)
group by 1
