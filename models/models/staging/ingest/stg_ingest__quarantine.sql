-- Lines the loaders could not load, with where they came from and why (nothing is dropped).

select
    source || ':' || file || ':' || line_no as quarantine_key,
    source,
    file,
    line_no,
    field,
    reason,
    raw_line,
    quarantined_at
from {{ source('raw', 'quarantine') }}
