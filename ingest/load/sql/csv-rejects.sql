-- CSV rows the reader refused: quarantined with the reader's own reason and column.
insert into raw.quarantine
select getvariable('landed_source'), getvariable('landed_file'), line, column_name,
       'CSV row refused: ' || error_message, csv_line, current_timestamp
from csv_rejects
order by line;
