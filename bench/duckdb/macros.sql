-- Value readers of identify.md ("Reading files"), as DuckDB macros.
-- Trim ASCII white space and U+3000; NULL (absent, empty) becomes ''.
-- trim() with a set of characters is slow in DuckDB (the profile at 2 million
-- students put ~19 s of CPU in it), and almost no value needs it: it runs
-- only when the first character or the last bytes are white space.
CREATE MACRO tz(x) AS CASE
  WHEN x IS NULL OR x = '' THEN ''
  WHEN ord(x) IN (32, 9, 10, 11, 12, 13, 12288) OR suffix(x, ' ') OR suffix(x, chr(9)) OR suffix(x, chr(10))
       OR suffix(x, chr(11)) OR suffix(x, chr(12)) OR suffix(x, chr(13)) OR suffix(x, chr(12288))
    THEN trim(x, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(12288))
  ELSE x END;

-- A final lower-case x upper-cased (学籍号, 身份证号).
CREATE MACRO upx(s) AS CASE WHEN suffix(s, 'x') THEN substr(s, 1, length(s) - 1) || 'X' ELSE s END;

-- Dates: YYYY-MM-DD, YYYYMMDD, YYYY/M/D; NULL when unreadable or not on the calendar.
CREATE MACRO pdate(s) AS CASE
  WHEN regexp_full_match(s, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN try_cast(s AS DATE)
  WHEN regexp_full_match(s, '[0-9]{8}') THEN try_cast(substr(s, 1, 4) || '-' || substr(s, 5, 2) || '-' || substr(s, 7, 2) AS DATE)
  WHEN regexp_full_match(s, '[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}') THEN try_cast(
      split_part(s, '/', 1) || '-' || lpad(split_part(s, '/', 2), 2, '0') || '-' || lpad(split_part(s, '/', 3), 2, '0') AS DATE)
  ELSE NULL END;

-- Booleans: NULL when unreadable.
CREATE MACRO pbool(s) AS CASE
  WHEN s = '' THEN false
  WHEN lower(s) IN ('是', 'y', '1', 'true') THEN true
  WHEN lower(s) IN ('否', 'n', '0', 'false') THEN false
  ELSE NULL END;

-- Integers: ASCII digits only; NULL when not readable (or too large).
CREATE MACRO pint(s) AS CASE WHEN regexp_full_match(s, '[0-9]+') THEN try_cast(s AS BIGINT) ELSE NULL END;

-- Money in yuan to whole fen: digits with optional groups of three, optional
-- one or two decimals. NULL when unreadable.
CREATE MACRO pmoney(s) AS CASE
  WHEN regexp_full_match(s, '([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]{1,2})?')
  THEN try_cast(replace(split_part(s, '.', 1), ',', '') AS BIGINT) * 100
       + CASE WHEN contains(s, '.') THEN rpad(split_part(s, '.', 2), 2, '0')::BIGINT ELSE 0 END
  ELSE NULL END;

-- Yuan with two decimals from fen.
CREATE MACRO yuan(f) AS (f // 100)::VARCHAR || '.' || lpad((f % 100)::VARCHAR, 2, '0');

-- A CSV field, quoted only when it holds a comma, a quote, a CR or an LF.
CREATE MACRO csvq(x) AS CASE WHEN regexp_matches(x, '[,"\r\n]') THEN '"' || replace(x, '"', '""') || '"' ELSE x END;
