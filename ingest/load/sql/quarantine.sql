-- Every checked line with a problem goes to quarantine with its file, line, field and reason
-- (the line's text comes from landed_lines: `checked` does not carry it).
insert into raw.quarantine
select getvariable('landed_source'), c.file, c.line_no, c.problem.field, c.problem.reason, l.line, current_timestamp
from checked as c
join landed_lines as l on l.file = c.file and l.line_no = c.line_no
where c.problem is not null
order by c.file, c.line_no;
