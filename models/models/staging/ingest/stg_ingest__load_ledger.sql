-- One row per loaded file or CRM snapshot (the loaders' idempotency ledger; R11, R33).

select
    source || ':' || file as load_key,
    source,
    file,
    file_bytes,
    lines,
    loaded_rows,
    quarantined_rows,
    loaded_at
from {{ source('raw', 'load_ledger') }}
