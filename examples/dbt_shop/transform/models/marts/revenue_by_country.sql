select k.country_name, k.region, sum(r.orders) as orders, sum(r.revenue) as revenue
from {{ ref('customer_revenue') }} r
join {{ ref('countries') }} k on k.country = r.country
group by all
order by revenue desc
