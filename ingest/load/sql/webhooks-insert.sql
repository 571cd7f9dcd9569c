-- Loads the checked webhook lines that have no problem, in file and line order (the order of
-- `parsed`, which plain projections keep).
insert into raw.webhook_receipts (receipt_id, file, line_no, received_at, path, remote_addr, headers,
                                  signature, body_sha256, body, loaded_at)
select receipt_id, file, line_no, received_at, path, remote_addr, headers,
       signature, body_sha256, body, current_timestamp
from line_checks
where problem is null;
