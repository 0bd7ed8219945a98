-- Every order has a positive amount.
select * from {{ ref('stg_orders') }} where amount <= 0
