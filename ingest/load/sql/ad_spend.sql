create or replace temp table checked as
select l.file, m.line_no, l.line, r.*,
  case
    when try_cast(r.spend_date as date) is null then {'field': 'spend_date', 'reason': 'missing or not a date (YYYY-MM-DD)'}
    when coalesce(r.channel, '') = '' then {'field': 'channel', 'reason': 'missing channel'}
    when try_cast(r.spend as double) is null then {'field': 'spend', 'reason': 'missing or not a number'}
    when try_cast(r.spend as double) < 0 then {'field': 'spend', 'reason': 'negative spend'}
    when coalesce(r.currency, '') = '' then {'field': 'currency', 'reason': 'missing currency'}
    when r.impressions is not null and try_cast(r.impressions as bigint) is null then {'field': 'impressions', 'reason': 'not a whole number'}
    when r.clicks is not null and try_cast(r.clicks as bigint) is null then {'field': 'clicks', 'reason': 'not a whole number'}
  end as problem
from csv_rows r
join csv_line_map m using (row_idx)
join landed_lines l on l.line_no = m.line_no;

insert into raw.ad_spend
select getvariable('landed_file'), line_no, spend_date::date, lower(channel), nullif(campaign_id, ''),
       spend::double, upper(currency), impressions::bigint, clicks::bigint, current_timestamp
from checked where problem is null order by line_no;
