-- Loads the checked webhook lines that have no problem, in file and line order (the order of
-- `parsed`, which plain projections keep).
insert into raw.webhook_receipts (receipt_id, file, line_no, received_at, path, remote_addr, headers,
                                  signature, body_sha256, body, loaded_at)
select receipt_id, file, line_no, received_at, path, remote_addr, headers,
       signature, body_sha256, body, current_timestamp
from line_checks
where problem is null;

-- The fast path's rows (line_no 0, from parse-files.sql) are numbered by rowid: the insert keeps
-- the reader's order, which is the files' order, so a line's number is its row's distance from
-- its file's first row of this transaction (loaded_at is the transaction's start). Updating one
-- column of the rows just inserted costs milliseconds; a row_number() window in the insert would
-- keep the whole read on one thread. A file with a skipped or rejected line is numbered wrong
-- here and then loaded again line by line (fast-files.sql).
update raw.webhook_receipts as w
set line_no = w.rowid + 1 - f.first_rowid
from (
  select file, min(rowid) as first_rowid
  from raw.webhook_receipts
  where loaded_at = current_timestamp and line_no = 0
  group by file
) as f
where w.loaded_at = current_timestamp and w.line_no = 0 and w.file = f.file;
