{#-
  Incremental strategy `replace_tail` for per-customer histories (conversations, exchanges): a
  new message changes only the customer's session it lands in and those after it, so a model
  recomputes, per touched customer, every row from a cutoff onwards and this strategy replaces
  exactly that tail. Config:
    tail_key     the partition (customer_key);
    tail_column  the ordering column; per key the cutoff is the smallest value among the new rows,
                 and every stored row of that key at or after it is replaced;
    unique_key   optional: stored rows whose key reappears elsewhere (a message or conversation
                 that moved to another customer) are replaced too;
    tail_cutoffs optional: the name of a macro selecting the key and `tail_from` for keys whose tail is
                 replaced even when the model emits no row for them (a late message can remove a
                 row, e.g. a policy violation); run before the target changes.
  The model must emit, for each key it emits at all (or names in tail_cutoffs), every row at or
  after that key's cutoff. A null key is a partition of its own.
-#}
{% macro get_incremental_replace_tail_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set unique_key = arg_dict['unique_key'] -%}
    {%- set tail_key = config.require('tail_key') -%}
    {%- set tail_column = config.require('tail_column') -%}
    {%- set tail_cutoffs = config.get('tail_cutoffs') -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }} as stored
    using (
        select tail_key, min(tail_from) as tail_from
        from (
            select {{ tail_key }} as tail_key, {{ tail_column }} as tail_from from {{ source }}
            {%- if tail_cutoffs %}
            union all
            select {{ tail_key }}, tail_from from ({{ context[tail_cutoffs]() }})
            {%- endif %}
        )
        group by all
    ) as tails
    where stored.{{ tail_key }} is not distinct from tails.tail_key and stored.{{ tail_column }} >= tails.tail_from;
    {% if unique_key %}
    delete from {{ target }}
    where {{ unique_key }} in (select {{ unique_key }} from {{ source }});
    {% endif %}
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }}
{%- endmacro %}
