{#-
  Phone numbers to E.164 (R2) in plain SQL, for the seven demo markets. libphonenumber is not
  available in SQL; this covers what CRM staff actually type in these markets:
  spaces, dashes, dots, brackets, "+cc", "00cc", "cc" without a plus, a national trunk "0"
  (also the "+82 010 ..." habit of keeping the trunk after the country code) and Brazilian
  carrier-selection codes ("0 15 11 9xxxx-xxxx").

  normalize_phone(phone, country_iso2) returns a STRUCT:
    e164            '+<cc><national number>' or null
    phone_country   ISO-3166 alpha-2 of the number's country code ('ZZ' = valid international
                    number outside the seven markets), or null
    failure_reason  null when normalised; else one of
                    missing | no_digits | unsupported_country_code | unknown_country | invalid_number
  The failure reason is kept so that mapping error rates can be measured (R7: < 2%).

  WhatsApp ids are already E.164 digits: use '+' || wa_id, not this macro.
-#}


{% macro phone_markets() -%}
    {{ return({
        'HK': {'cc': '852', 'trunk': false, 'nsn': '[235-9][0-9]{7}'},
        'TW': {'cc': '886', 'trunk': true,  'nsn': '(9[0-9]{8}|[2-8][0-9]{7,8})'},
        'KR': {'cc': '82',  'trunk': true,  'nsn': '(1[0-9]{8,9}|[2-6][0-9]{7,9})'},
        'SG': {'cc': '65',  'trunk': false, 'nsn': '[3689][0-9]{7}'},
        'MY': {'cc': '60',  'trunk': true,  'nsn': '(1[0-9]{8,9}|[3-9][0-9]{7,8})'},
        'BR': {'cc': '55',  'trunk': true,  'nsn': '[1-9][1-9]([2-9][0-9]{7}|9[0-9]{8})'},
        'IN': {'cc': '91',  'trunk': true,  'nsn': '[1-9][0-9]{9}'},
    }) }}
{%- endmacro %}

{#- ISO2 of the market whose country code starts the digit string (null if none). -#}
{% macro phone_country_of_digits(digits) -%}
    {%- set m = phone_markets() -%}
    case
    {%- for iso, p in m.items() | sort(attribute='1.cc', reverse=true) %}
        when starts_with({{ digits }}, '{{ p.cc }}') then '{{ iso }}'
    {%- endfor %}
    end
{%- endmacro %}

{#- Country code of an ISO2 market. -#}
{% macro phone_cc_of(iso) -%}
    {%- set m = phone_markets() -%}
    case {{ iso }}
    {%- for i, p in m.items() %} when '{{ i }}' then '{{ p.cc }}'{% endfor %}
    end
{%- endmacro %}

{#- The national significant number: drop one trunk '0' where the market uses it; for Brazil
    also a two-digit carrier-selection code after the trunk. -#}
{% macro phone_national(digits, iso) -%}
    case
        when {{ iso }} = 'BR' and starts_with({{ digits }}, '0') and length({{ digits }}) in (13, 14)
            then substr({{ digits }}, 4)
        when {{ iso }} in ('TW', 'KR', 'MY', 'BR', 'IN') and starts_with({{ digits }}, '0')
            then substr({{ digits }}, 2)
        else {{ digits }}
    end
{%- endmacro %}

{#- Is the national number valid for the market? -#}
{% macro phone_nsn_valid(nsn, iso) -%}
    {%- set m = phone_markets() -%}
    coalesce(case {{ iso }}
    {%- for i, p in m.items() %}
        when '{{ i }}' then regexp_full_match({{ nsn }}, '{{ p.nsn }}')
    {%- endfor %}
    end, false)
{%- endmacro %}

{% macro normalize_phone(phone, country_iso2) -%}
    {#- Each step binds its values to names through a one-element list_transform, so every
        sub-expression is written (and evaluated) once. -#}
    {%- set markets = "('" ~ (phone_markets().keys() | list | join("', '")) ~ "')" -%}
    list_transform([{
        'raw': coalesce(cast({{ phone }} as varchar), ''),
        'iso': upper(trim(cast({{ country_iso2 }} as varchar)))
    }], lambda p1: list_transform([{
        'raw': p1.raw,
        'iso': p1.iso,
        'digits': regexp_replace(p1.raw, '[^0-9]', '', 'g'),
        'has_plus': regexp_matches(p1.raw, '^\s*\+')
    }], lambda p2: list_transform([{
        'raw': p2.raw,
        'iso': p2.iso,
        'digits': p2.digits,
        -- digits after an international prefix ('+' or '00'), else null
        'intl': case when p2.has_plus then p2.digits
                     when starts_with(p2.digits, '00') then substr(p2.digits, 3) end
    }], lambda p3: list_transform([{
        'raw': p3.raw,
        'iso': p3.iso,
        'digits': p3.digits,
        'intl': p3.intl,
        'intl_iso': {{ phone_country_of_digits('p3.intl') }},
        'bare_iso': {{ phone_country_of_digits('p3.digits') }},
        'nat_nsn': {{ phone_national('p3.digits', 'p3.iso') }}
    }], lambda p4: list_transform([{
        'raw': p4.raw,
        'iso': p4.iso,
        'digits': p4.digits,
        'intl': p4.intl,
        'intl_iso': p4.intl_iso,
        'bare_iso': p4.bare_iso,
        'nat_nsn': p4.nat_nsn,
        'intl_nsn': {{ phone_national("substr(p4.intl, length(" ~ phone_cc_of('p4.intl_iso') ~ ") + 1)", 'p4.intl_iso') }},
        'bare_nsn': {{ phone_national("substr(p4.digits, length(" ~ phone_cc_of('p4.bare_iso') ~ ") + 1)", 'p4.bare_iso') }}
    }], lambda x: case
        when trim(x.raw) = ''
            then {'e164': null::varchar, 'phone_country': null::varchar, 'failure_reason': 'missing'}
        when x.digits = ''
            then {'e164': null::varchar, 'phone_country': null::varchar, 'failure_reason': 'no_digits'}
        when x.intl is not null then (case
            when x.intl_iso is null and length(x.intl) between 8 and 15 and not starts_with(x.intl, '0')
                then {'e164': '+' || x.intl, 'phone_country': 'ZZ', 'failure_reason': null::varchar}
            when x.intl_iso is null
                then {'e164': null::varchar, 'phone_country': null::varchar, 'failure_reason': 'unsupported_country_code'}
            when {{ phone_nsn_valid('x.intl_nsn', 'x.intl_iso') }}
                then {'e164': '+' || {{ phone_cc_of('x.intl_iso') }} || x.intl_nsn, 'phone_country': x.intl_iso, 'failure_reason': null::varchar}
            else {'e164': null::varchar, 'phone_country': x.intl_iso, 'failure_reason': 'invalid_number'}
        end)
        when x.iso in {{ markets }} and {{ phone_nsn_valid('x.nat_nsn', 'x.iso') }}
            then {'e164': '+' || {{ phone_cc_of('x.iso') }} || x.nat_nsn, 'phone_country': x.iso, 'failure_reason': null::varchar}
        -- the country code typed without '+' or '00' (e.g. '85291234567')
        when x.bare_iso is not null and {{ phone_nsn_valid('x.bare_nsn', 'x.bare_iso') }}
             and (x.iso is null or x.iso = x.bare_iso or x.iso not in {{ markets }})
            then {'e164': '+' || {{ phone_cc_of('x.bare_iso') }} || x.bare_nsn, 'phone_country': x.bare_iso, 'failure_reason': null::varchar}
        when x.iso is null or x.iso not in {{ markets }}
            then {'e164': null::varchar, 'phone_country': null::varchar, 'failure_reason': 'unknown_country'}
        else {'e164': null::varchar, 'phone_country': x.iso, 'failure_reason': 'invalid_number'}
    end)[1])[1])[1])[1])[1]
{%- endmacro %}

{#- Market (ISO2) of an E.164 number or a WhatsApp wa_id (digits), 'ZZ' when outside the seven. -#}
{% macro phone_country_of_e164(e164) -%}
    coalesce({{ phone_country_of_digits("ltrim(" ~ e164 ~ ", '+')") }}, case when {{ e164 }} is not null then 'ZZ' end)
{%- endmacro %}

{#- The identity form of an E.164 number. Brazil added a ninth digit to mobile numbers (2012-2016),
    but WhatsApp ids of older accounts and many CRM records still carry the 8-digit form
    (+55 DD 9xxx-xxxx vs +55 DD xxxx-xxxx): an 8-digit Brazilian number starting 6-9 (mobile)
    gets its 9, so both forms resolve to one customer key (R2). Other numbers are unchanged. -#}
{% macro canonical_e164(e164) -%}
    case
        when regexp_full_match({{ e164 }}, '\+55[1-9][1-9][6-9][0-9]{7}')
            then '+55' || substr({{ e164 }}, 4, 2) || '9' || substr({{ e164 }}, 6)
        else {{ e164 }}
    end
{%- endmacro %}
