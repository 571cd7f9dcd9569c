-- Every checked line with a problem goes to quarantine with its file, line, field and reason.
insert into raw.quarantine
select getvariable('landed_source'), getvariable('landed_file'), line_no, problem.field, problem.reason, line, current_timestamp
from checked
where problem is not null
order by line_no;
