select customer_id, name, upper(country) as country, cast(signed_up_at as date) as signed_up_at
from {{ source('raw', 'customers') }}
