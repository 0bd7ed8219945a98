select
    order_id,
    customer_id,
    cast(ordered_at as date) as ordered_at,
    status,
    cast(amount as decimal(10, 2)) as amount
from {{ source('raw', 'orders') }}
