-- The identification run (shared/spec/identify.md) as SQL for DuckDB.
-- Placeholders (a dollar sign and a NAME in braces) are filled in by run.mjs from the policy and the files' headers;
-- the policy-dependent macros (income_points, score_level, level_options,
-- factor_points, id_sum, luhn_sum) and the raw input tables raw_<n> (each
-- file's row numbers and used columns, as read) are created by run.mjs first.
--
-- Written for speed the way DuckDB is best used (profiled with DuckDB's
-- profiler at 2 and 10 million students, see docs/performance.md): each input read once;
-- per-row checks and flags computed in one projection, with integer arithmetic
-- on the ID's 17 digits instead of substrings; repeated keys found by GROUP BY
-- + join rather than windows over ten million rows; only the rows that reach
-- results.csv carried past the flags; the allocation walk done by a window
-- (the prefix that every budget covers) and a short recursion over the rest.

-- Every output is ordered explicitly: no statement below needs insertion order.
SET preserve_insertion_order = false;

-- Province codes 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82 (ranges:
-- an IN list this long becomes a join in DuckDB's plan).
CREATE MACRO prov_ok(p) AS p BETWEEN 11 AND 15 OR p BETWEEN 21 AND 23 OR p BETWEEN 31 AND 37
  OR p BETWEEN 41 AND 46 OR p BETWEEN 50 AND 54 OR p BETWEEN 61 AND 65 OR p = 71 OR p = 81 OR p = 82;
-- A real calendar date from year, month and day numbers.
CREATE MACRO ymd_ok(y, m, d) AS m BETWEEN 1 AND 12 AND d BETWEEN 1 AND CASE
    WHEN m = 2 THEN CASE WHEN y % 4 = 0 AND (y % 100 <> 0 OR y % 400 = 0) THEN 29 ELSE 28 END
    WHEN m IN (4, 6, 9, 11) THEN 30 ELSE 31 END;
-- GB 11643 resident ID from its first 17 digits n (a BIGINT) and its check character c:
-- province, birth date 1900-01-01..reference date, check character.
CREATE MACRO id_ok_n(n, c) AS prov_ok(n // 1000000000000000)
  AND ymd_ok((n // 10000000) % 10000, (n // 100000) % 100, (n // 1000) % 100)
  AND (n // 1000) % 100000000 BETWEEN 19000101 AND ${REF_YMD}
  AND substr('10X98765432', (id_sum(n) % 11)::INTEGER + 1, 1) = c;
-- The first 17 digits of an ID of the right shape, else NULL. (Computed once
-- per ID in an inner projection: a macro argument is expanded wherever it is
-- used, so id_ok_n(id_n(x), …) would run the regular expression ~30 times.)
CREATE MACRO id_n(s) AS CASE WHEN regexp_full_match(s, '[0-9]{17}[0-9X]') THEN substr(s, 1, 17)::BIGINT ELSE NULL END;

CREATE TABLE cat_key AS
  SELECT code AS k, code, ord FROM pol_category UNION ALL SELECT name AS k, code, ord FROM pol_category;

-- ---------------------------------------------------------------- students
-- The first fault of each row (in the table's column order), and its value.
CREATE TABLE s_chk AS
  SELECT * EXCLUDE (rej), rej.k AS rej_k, rej.r AS rej_r,
         CASE rej.k WHEN 'student_no' THEN student_no WHEN 'name' THEN name WHEN 'gender' THEN gender
                    WHEN 'birth_date' THEN birth_date WHEN 'school_code' THEN school_code WHEN 'grade' THEN grade
                    WHEN 'boarding' THEN boarding WHEN 'bank_card' THEN bank_card ELSE '' END AS rej_v
  FROM (
    SELECT fidx, rn, student_no, name, id_number, gender, birth_date, school_code, grade, boarding,
           guardian_id_number, bank_card, CASE
      WHEN student_no = '' THEN {'k': 'student_no', 'r': 'MISSING_VALUE'}
      WHEN NOT (regexp_full_match(student_no, 'G[0-9]{17}[0-9Xx]') OR regexp_full_match(student_no, '[JL][0-9]{18}'))
        THEN {'k': 'student_no', 'r': 'BAD_STUDENT_NO'}
      WHEN name = '' THEN {'k': 'name', 'r': 'MISSING_VALUE'}
      WHEN gender <> '' AND gender NOT IN ('男', '女') THEN {'k': 'gender', 'r': 'BAD_GENDER'}
      WHEN birth_date <> '' AND coalesce(pdate(birth_date) > ${REF_DATE}, true) THEN {'k': 'birth_date', 'r': 'BAD_DATE'}
      WHEN school_code = '' THEN {'k': 'school_code', 'r': 'MISSING_VALUE'}
      WHEN NOT regexp_full_match(school_code, '[0-9]{10}') THEN {'k': 'school_code', 'r': 'BAD_SCHOOL_CODE'}
      WHEN grade = '' THEN {'k': 'grade', 'r': 'MISSING_VALUE'}
      WHEN coalesce(pint(grade) NOT BETWEEN 1 AND 9, true) THEN {'k': 'grade', 'r': 'BAD_GRADE'}
      WHEN pbool(boarding) IS NULL THEN {'k': 'boarding', 'r': 'BAD_BOOLEAN'}
      WHEN bank_card <> '' AND NOT regexp_full_match(bank_card, '[0-9]{12,19}') THEN {'k': 'bank_card', 'r': 'BAD_BANK_CARD'}
      ELSE NULL END AS rej
    FROM (${STUDENTS_RAW}));

-- Among the rows otherwise right, every row of a repeated 学籍号 is rejected.
CREATE TABLE s_dup AS
  SELECT upx(student_no) AS sno FROM s_chk WHERE rej_k IS NULL GROUP BY ALL HAVING count(*) > 1;

CREATE TABLE rej_s AS
  SELECT fidx, rn, rej_k AS key, rej_r AS reason, rej_v AS value FROM s_chk WHERE rej_k IS NOT NULL
  UNION ALL
  SELECT fidx, rn, 'student_no', 'DUPLICATE_STUDENT_NO', student_no FROM s_chk
    WHERE rej_k IS NULL AND upx(student_no) IN (SELECT sno FROM s_dup);
DROP TABLE raw_0;

-- The accepted roster with every per-row flag; eff_n: the effective ID's 17 digits when shaped.
CREATE TABLE st AS
  SELECT rn, sno, name, school, grade, boarding, card, gid, eff, eff_ok, idn,
         (eff IS NOT NULL AND NOT eff_ok) AS f_id_invalid,
         (starts_with(sno, 'G') AND idn <> '' AND substr(sno, 2) <> idn) AS f_id_mismatch,
         (gender <> '' AND eff_ok AND ((eff_n % 2 = 1) <> (gender = '男'))) AS f_gender_mismatch,
         coalesce(luhn_sum(card_n) % 10 <> 0, false) AS f_bank_card_luhn,
         coalesce(abs(${REF_Y} - CASE WHEN eff_ok THEN (eff_n // 10000000) % 10000 ELSE year(bdate) END
                      - CASE WHEN ${REF_MD} < CASE WHEN eff_ok THEN (eff_n // 1000) % 10000
                                                   ELSE month(bdate) * 100 + day(bdate) END THEN 1 ELSE 0 END
                      - (grade + 5)) > ${TOLERANCE}, false) AS f_age_grade
  FROM (
    SELECT *, eff_n IS NOT NULL AND coalesce(id_ok_n(eff_n, substr(eff, 18, 1)), false) AS eff_ok
    FROM (
      SELECT *, id_n(eff) AS eff_n
      FROM (
        SELECT rn, sno, name, idn, gender, pdate(birth_date) AS bdate, school_code AS school,
               pint(grade)::INTEGER AS grade, pbool(boarding) AS boarding, bank_card AS card,
               CASE WHEN bank_card <> '' THEN bank_card::UBIGINT ELSE NULL END AS card_n,
               CASE WHEN coalesce(id_ok_n(gn, substr(graw, 18, 1)), false) THEN graw ELSE NULL END AS gid,
               CASE WHEN idn <> '' THEN idn WHEN starts_with(sno, 'G') THEN substr(sno, 2) ELSE NULL END AS eff
        FROM (
          SELECT *, id_n(graw) AS gn FROM (
            SELECT c.*, upx(c.student_no) AS sno, upx(c.id_number) AS idn, upx(c.guardian_id_number) AS graw
            FROM s_chk c WHERE c.rej_k IS NULL)) s
        ANTI JOIN s_dup d ON d.sno = s.sno)));

DROP TABLE s_chk;

-- ---------------------------------------------------------------- lists
CREATE TABLE l_chk AS
  SELECT * EXCLUDE (rej), rej.k AS rej_k, rej.r AS rej_r,
         CASE rej.k WHEN 'id_number' THEN id_number WHEN 'category' THEN category WHEN 'valid_from' THEN valid_from
                    WHEN 'valid_to' THEN valid_to ELSE '' END AS rej_v
  FROM (
    SELECT l.fidx, l.rn, l.id_number, l.category, l.valid_from, l.valid_to, l.idn, c.code AS cat, CASE
      WHEN l.id_number = '' THEN {'k': 'id_number', 'r': 'MISSING_VALUE'}
      WHEN NOT coalesce(id_ok_n(l.n, substr(l.idn, 18, 1)), false) THEN {'k': 'id_number', 'r': 'BAD_ID'}
      WHEN l.category = '' THEN {'k': 'category', 'r': 'MISSING_VALUE'}
      WHEN c.code IS NULL THEN {'k': 'category', 'r': 'UNKNOWN_CATEGORY'}
      WHEN l.valid_from <> '' AND pdate(l.valid_from) IS NULL THEN {'k': 'valid_from', 'r': 'BAD_DATE'}
      WHEN l.valid_to <> '' AND pdate(l.valid_to) IS NULL THEN {'k': 'valid_to', 'r': 'BAD_DATE'}
      ELSE NULL END AS rej
    FROM (SELECT *, id_n(idn) AS n FROM (SELECT *, upx(id_number) AS idn FROM (${LISTS_RAW}))) l
    LEFT JOIN cat_key c ON c.k = l.category);

CREATE TABLE rej_l AS SELECT fidx, rn, rej_k AS key, rej_r AS reason, rej_v AS value FROM l_chk WHERE rej_k IS NOT NULL;

-- One row per (ID, category): is any entry of it in force on the reference date?
CREATE TABLE lent AS
  SELECT idn, cat, bool_or(coalesce(pdate(valid_from) <= ${REF_DATE}, true)
                       AND coalesce(${REF_DATE} <= pdate(valid_to), true)) AS inforce
  FROM l_chk WHERE rej_k IS NULL GROUP BY idn, cat;
DROP TABLE l_chk;
${DROP_LISTS_RAW};

-- Each student's matches by the category's rule (own effective ID; guardian's valid ID for household).
CREATE TABLE smatch AS
  SELECT rn, cat, bool_or(inforce) AS inforce FROM (
    SELECT s.rn, e.cat, e.inforce FROM st s JOIN lent e ON e.idn = s.eff
    UNION ALL
    SELECT s.rn, e.cat, e.inforce FROM st s JOIN lent e ON e.idn = s.gid
      JOIN pol_category c ON c.code = e.cat AND c.household)
  GROUP BY rn, cat;

CREATE TABLE sm AS
  SELECT m.rn,
         string_agg(m.cat, ';' ORDER BY c.ord) FILTER (WHERE m.inforce) AS cats,
         max(c.points) FILTER (WHERE m.inforce) AS cat_points,
         min(c.min_level) FILTER (WHERE m.inforce) AS cat_min_level,
         bool_or(NOT m.inforce) AS expired
  FROM smatch m JOIN pol_category c ON c.code = m.cat GROUP BY m.rn;

-- ---------------------------------------------------------------- applications
CREATE TABLE a_chk AS
  SELECT * EXCLUDE (rej), rej.k AS rej_k, rej.r AS rej_r,
         CASE rej.k WHEN 'student_no' THEN student_no WHEN 'household_size' THEN household_size
                    WHEN 'household_income' THEN household_income WHEN 'serious_illness' THEN serious_illness
                    WHEN 'sudden_hardship' THEN sudden_hardship WHEN 'single_parent' THEN single_parent
                    WHEN 'siblings_in_school' THEN siblings_in_school ELSE '' END AS rej_v
  FROM (
    SELECT *, upx(student_no) AS sno, CASE
      WHEN student_no = '' THEN {'k': 'student_no', 'r': 'MISSING_VALUE'}
      WHEN household_size = '' THEN {'k': 'household_size', 'r': 'MISSING_VALUE'}
      WHEN coalesce(pint(household_size) NOT BETWEEN 1 AND 30, true) THEN {'k': 'household_size', 'r': 'BAD_NUMBER'}
      WHEN household_income = '' THEN {'k': 'household_income', 'r': 'MISSING_VALUE'}
      WHEN pmoney(household_income) IS NULL THEN {'k': 'household_income', 'r': 'BAD_MONEY'}
      WHEN pbool(serious_illness) IS NULL THEN {'k': 'serious_illness', 'r': 'BAD_BOOLEAN'}
      WHEN pbool(sudden_hardship) IS NULL THEN {'k': 'sudden_hardship', 'r': 'BAD_BOOLEAN'}
      WHEN pbool(single_parent) IS NULL THEN {'k': 'single_parent', 'r': 'BAD_BOOLEAN'}
      WHEN siblings_in_school <> '' AND pint(siblings_in_school) IS NULL THEN {'k': 'siblings_in_school', 'r': 'BAD_NUMBER'}
      ELSE NULL END AS rej
    FROM (${APPS_RAW}));

-- The first right application of a 学籍号 stands; later ones are duplicates.
CREATE TABLE a_ok AS
  SELECT *, row_number() OVER (PARTITION BY sno ORDER BY rn) AS k FROM a_chk WHERE rej_k IS NULL;

CREATE TABLE ap AS
  SELECT sno, pint(household_size) AS size, pmoney(household_income) AS income, claimed_categories AS claims,
         pbool(serious_illness) AS ill, pbool(sudden_hardship) AS hard, pbool(single_parent) AS single,
         pint(siblings_in_school) AS sib
  FROM a_ok WHERE k = 1;

-- Claimed categories (code or name; an unknown one stays as written and is never verified).
CREATE TABLE aclaim AS
  SELECT p.sno, coalesce(c.code, p.part) AS code
  FROM (SELECT sno, tz(part0) AS part FROM (
          SELECT sno, unnest(regexp_split_to_array(claims, '[;；]')) AS part0 FROM ap WHERE claims <> '')) p
  LEFT JOIN cat_key c ON c.k = p.part
  WHERE p.part <> '';

CREATE TABLE claim_unv AS
  SELECT DISTINCT x.rn FROM (SELECT s.rn, a.code FROM aclaim a JOIN st s ON s.sno = a.sno) x
  ANTI JOIN (SELECT rn, cat FROM smatch WHERE inforce) m ON m.rn = x.rn AND m.cat = x.code;

-- Applications whose 学籍号 is on no accepted roster row.
CREATE TABLE nenr AS SELECT a.sno FROM ap a ANTI JOIN st s ON s.sno = a.sno;

-- ---------------------------------------------------------------- history
CREATE TABLE h_chk AS
  SELECT * EXCLUDE (rej), rej.k AS rej_k, rej.r AS rej_r,
         CASE rej.k WHEN 'school_code' THEN school_code WHEN 'school_year' THEN school_year ELSE '' END AS rej_v
  FROM (
    SELECT *, CASE
      WHEN student_no = '' AND id_number = '' THEN {'k': '', 'r': 'MISSING_VALUE'}
      WHEN school_code = '' THEN {'k': 'school_code', 'r': 'MISSING_VALUE'}
      WHEN school_year = '' THEN {'k': 'school_year', 'r': 'MISSING_VALUE'}
      ELSE NULL END AS rej
    FROM (${HISTORY_RAW}));

CREATE TABLE hy AS
  SELECT upx(student_no) AS hsno, upx(id_number) AS hid, school_code AS school
  FROM h_chk WHERE rej_k IS NULL AND school_year = ${SCHOOL_YEAR};

-- A history row names the student by ID, or by 学籍号 when either side has no ID.
CREATE TABLE dupf AS
  SELECT DISTINCT rn FROM (
    SELECT s.rn FROM st s JOIN hy h ON h.hid = s.eff WHERE h.hid <> '' AND h.school <> s.school
    UNION ALL
    SELECT s.rn FROM st s JOIN hy h ON h.hsno = s.sno
      WHERE h.hsno <> '' AND (h.hid = '' OR s.eff IS NULL) AND h.school <> s.school);

-- ---------------------------------------------------------------- budgets
CREATE TABLE b_chk AS
  SELECT * EXCLUDE (rej), rej.k AS rej_k, rej.r AS rej_r,
         CASE rej.k WHEN 'school_code' THEN school_code WHEN 'budget' THEN budget ELSE '' END AS rej_v
  FROM (
    SELECT *, CASE
      WHEN school_code = '' THEN {'k': 'school_code', 'r': 'MISSING_VALUE'}
      WHEN NOT regexp_full_match(school_code, '[0-9]{10}') THEN {'k': 'school_code', 'r': 'BAD_SCHOOL_CODE'}
      WHEN budget = '' THEN {'k': 'budget', 'r': 'MISSING_VALUE'}
      WHEN pmoney(budget) IS NULL THEN {'k': 'budget', 'r': 'BAD_MONEY'}
      ELSE NULL END AS rej
    FROM (${BUDGETS_RAW}));

CREATE TABLE b_ok AS
  SELECT *, row_number() OVER (PARTITION BY school_code ORDER BY rn) AS k FROM b_chk WHERE rej_k IS NULL;

CREATE TABLE bud AS SELECT school_code AS school, pmoney(budget) AS budget_fen FROM b_ok WHERE k = 1;

-- ---------------------------------------------------------------- flags, score, level
-- A household is the guardian's valid ID, or for a row without one the student
-- alone. Only cards on more rows than the limit can be on more households.
CREATE TABLE shared AS
  SELECT card FROM st
  WHERE card IN (SELECT card FROM st WHERE card <> '' GROUP BY card HAVING count(*) > ${SHARED_MAX})
  GROUP BY card HAVING count(DISTINCT gid) + count(*) FILTER (WHERE gid IS NULL) > ${SHARED_MAX};

-- A valid effective ID on more than one accepted row.
CREATE TABLE dupeff AS SELECT eff FROM st WHERE eff_ok GROUP BY eff HAVING count(*) > 1;

-- Accepted rows per school (schools.csv), before the roster is narrowed.
CREATE TABLE sch_n AS SELECT school, count(*) AS students FROM st GROUP BY school;

-- The rows of results.csv: applied, matched, or flagged (a candidate has
-- applied or matched, so DOWNGRADED and NO_BUDGET add no rows).
CREATE TABLE sf0 AS
  SELECT * FROM (
    SELECT s.rn, s.sno, s.name, s.school, s.grade, s.boarding,
           a.sno IS NOT NULL AS applied,
           CASE WHEN a.sno IS NOT NULL THEN (a.income::HUGEINT * 1000000) // a.size ELSE 0 END AS pc_key,
           coalesce(m.cat_points, 0)
             + CASE WHEN a.sno IS NOT NULL THEN income_points(a.size, a.income) + factor_points(a.ill, a.hard, a.single, a.sib)
                    ELSE 0 END AS score,
           m.cats, m.rn IS NOT NULL AS matched, m.cat_min_level,
           s.f_id_invalid, s.f_id_mismatch,
           (de.eff IS NOT NULL) AS f_dup_enrollment,
           (d.rn IS NOT NULL) AS f_dup_funding,
           s.f_gender_mismatch, s.f_age_grade, s.f_bank_card_luhn,
           (sh.card IS NOT NULL) AS f_shared_bank_card,
           (cu.rn IS NOT NULL) AS f_claim_unverified,
           coalesce(m.expired, false) AS f_list_expired
    FROM st s
    LEFT JOIN ap a ON a.sno = s.sno
    LEFT JOIN sm m ON m.rn = s.rn
    LEFT JOIN dupf d ON d.rn = s.rn
    LEFT JOIN shared sh ON sh.card = s.card
    LEFT JOIN claim_unv cu ON cu.rn = s.rn
    LEFT JOIN dupeff de ON de.eff = s.eff)
  WHERE applied OR matched OR ${ANY_PRE_FLAG};

DROP TABLE st;

CREATE TABLE sf AS
  SELECT *, CASE WHEN pre_blocked THEN 'BLOCKED'
                 WHEN NOT applied AND NOT (${DIRECT} AND cats IS NOT NULL) THEN 'NOT_APPLIED'
                 WHEN level IS NULL THEN 'NOT_ELIGIBLE'
                 ELSE 'CAND' END AS pre
  FROM (
    SELECT *, (${BLOCKING}) AS pre_blocked,
           CASE WHEN score_level(score) IS NULL THEN cat_min_level
                WHEN cat_min_level IS NULL THEN score_level(score)
                ELSE least(score_level(score), cat_min_level) END AS level
    FROM sf0);

-- ---------------------------------------------------------------- allocation
-- Candidates in each school's order, with their level options (own level
-- first, then lower ones when downgrading is allowed) and the running sum of
-- their own levels' amounts.
CREATE TABLE cand AS
  SELECT *, sum(own_amt) OVER (PARTITION BY school ORDER BY rnk ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum
  FROM (
    SELECT c.rn, c.school, c.level, c.rnk, c.opts, struct_extract(c.opts[1], 'amt') AS own_amt,
           list_min(list_transform(c.opts, lambda o: o.amt)) AS min_amt,
           coalesce(b.budget_fen, 0)::BIGINT AS budget
    FROM (
      SELECT rn, school, level,
             row_number() OVER (PARTITION BY school ORDER BY (cats IS NULL), level, score DESC, pc_key, sno) AS rnk,
             level_options(level, grade, boarding) AS opts
      FROM sf WHERE pre = 'CAND') c
    LEFT JOIN bud b ON b.school = c.school);

-- The walk down each school's order: while the running sum stays within the
-- budget every candidate is funded at their own level (the prefix). From the
-- first one that does not fit, the remaining budget only shrinks: each step
-- jumps to the next candidate with an option that fits and funds the first
-- such option; the candidates jumped over wait. (The same result as visiting
-- every candidate in turn, in a few steps instead of one per candidate.)
CREATE TABLE tails AS
  SELECT school, (max(budget) - coalesce(max(cum) FILTER (WHERE cum <= budget), 0))::BIGINT AS rem0,
         list({'rnk': rnk, 'm': min_amt, 'opts': opts} ORDER BY rnk) FILTER (WHERE cum > budget) AS tl
  FROM cand GROUP BY school HAVING count(*) FILTER (WHERE cum > budget) > 0;

CREATE TABLE walk AS
  WITH RECURSIVE w(school, pos, rem, lv, amt) AS (
    SELECT school, 0::BIGINT, rem0, NULL::INTEGER, NULL::BIGINT FROM tails
    UNION ALL
    SELECT school, x.rnk, rem - p.amt, p.lv, p.amt FROM (
      SELECT school, rem, x, list_filter(x.opts, lambda o: o.amt <= rem)[1] AS p FROM (
        SELECT w.school, w.rem, list_filter(t.tl, lambda e: e.rnk > w.pos AND e.m <= w.rem)[1] AS x
        FROM w JOIN tails t ON t.school = w.school)
      WHERE x IS NOT NULL))
  SELECT school, pos AS rnk, lv, amt FROM w WHERE lv IS NOT NULL;

CREATE TABLE fin AS
  SELECT *, CASE WHEN pre <> 'CAND' THEN pre WHEN funded_lv IS NOT NULL THEN 'FUNDED' ELSE 'WAITLIST' END AS status,
         coalesce(funded_lv, level) AS out_level,
         coalesce(pre = 'CAND' AND funded_lv > level, false) AS f_downgraded,
         coalesce(pre = 'CAND' AND funded_lv IS NULL AND budget = 0, false) AS f_no_budget
  FROM (
    SELECT f.*, c.rnk, c.budget,
           CASE WHEN c.cum <= c.budget THEN c.level ELSE w.lv END AS funded_lv,
           CASE WHEN c.cum <= c.budget THEN c.own_amt ELSE w.amt END AS funded_amt
    FROM sf f
    LEFT JOIN cand c ON c.rn = f.rn
    LEFT JOIN walk w ON w.school = c.school AND w.rnk = c.rnk);

CREATE TABLE fin2 AS SELECT *, concat_ws(';', ${ALL_FLAG_LIST}) AS flags FROM fin;

-- ---------------------------------------------------------------- outputs
COPY (
  SELECT line FROM (
    SELECT 0 AS grp, '' AS school, 0 AS unranked, 0::BIGINT AS rnk, '' AS sno,
           'student_no,name,school_code,status,level,amount,score,categories,flags,rank' AS line
    UNION ALL
    SELECT 1, school, CASE WHEN rnk IS NULL THEN 1 ELSE 0 END, coalesce(rnk, 0), sno,
           csvq(sno) || ',' || csvq(name) || ',' || school || ',' || status || ','
           || coalesce(out_level::VARCHAR, '') || ','
           || CASE WHEN status = 'FUNDED' THEN yuan(funded_amt) ELSE '' END || ','
           || score::VARCHAR || ',' || csvq(coalesce(cats, '')) || ',' || flags || ','
           || coalesce(rnk::VARCHAR, '')
    FROM fin2
    UNION ALL
    SELECT 1, '', 1, 0, sno, csvq(sno) || ',,,BLOCKED,,,0,,NOT_ENROLLED,' FROM nenr
  ) ORDER BY grp, school, unranked, rnk, sno
) TO ${OUT_RESULTS} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER chr(1));

CREATE TABLE sch AS
  SELECT school, count(*) FILTER (WHERE applied) AS applicants,
         count(*) FILTER (WHERE status IN ('FUNDED', 'WAITLIST')) AS candidates,
         count(*) FILTER (WHERE status = 'FUNDED') AS funded,
         ${FUNDED_LN_COLS},
         count(*) FILTER (WHERE status = 'WAITLIST') AS waitlist,
         count(*) FILTER (WHERE status = 'BLOCKED') AS blocked,
         coalesce(sum(funded_amt) FILTER (WHERE status = 'FUNDED'), 0)::BIGINT AS allocated
  FROM fin2 GROUP BY school;

COPY (
  SELECT line FROM (
    SELECT 0 AS grp, '' AS school,
           'school_code,students,applicants,candidates,funded,${FUNDED_LN_HDR},waitlist,blocked,budget,allocated,remaining' AS line
    UNION ALL
    SELECT 1, k.school,
           k.school || ',' || coalesce(n.students, 0)::VARCHAR || ',' || coalesce(applicants, 0)::VARCHAR || ','
           || coalesce(candidates, 0)::VARCHAR || ',' || coalesce(funded, 0)::VARCHAR || ','
           || ${FUNDED_LN_OUT} || ','
           || coalesce(waitlist, 0)::VARCHAR || ',' || coalesce(blocked, 0)::VARCHAR || ','
           || yuan(coalesce(b.budget_fen, 0)) || ',' || yuan(coalesce(allocated, 0)) || ','
           || yuan(coalesce(b.budget_fen, 0) - coalesce(allocated, 0))
    FROM (SELECT school FROM sch_n UNION SELECT school FROM bud) k
    LEFT JOIN sch_n n ON n.school = k.school
    LEFT JOIN sch s ON s.school = k.school
    LEFT JOIN bud b ON b.school = k.school
  ) ORDER BY grp, school
) TO ${OUT_SCHOOLS} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER chr(1));

CREATE TABLE rej AS
  SELECT * FROM rej_s
  UNION ALL SELECT * FROM rej_l
  UNION ALL SELECT fidx, rn, rej_k, rej_r, rej_v FROM a_chk WHERE rej_k IS NOT NULL
  UNION ALL SELECT fidx, rn, 'student_no', 'DUPLICATE_APPLICATION', student_no FROM a_ok WHERE k > 1
  UNION ALL SELECT fidx, rn, rej_k, rej_r, rej_v FROM h_chk WHERE rej_k IS NOT NULL
  UNION ALL SELECT fidx, rn, rej_k, rej_r, rej_v FROM b_chk WHERE rej_k IS NOT NULL
  UNION ALL SELECT fidx, rn, 'school_code', 'DUPLICATE_SCHOOL', school_code FROM b_ok WHERE k > 1;

COPY (
  SELECT line FROM (
    SELECT -1 AS fidx, 0::BIGINT AS rn, 'file,row,column,value,reason' AS line
    UNION ALL
    SELECT r.fidx, r.rn,
           csvq(f.name) || ',' || r.rn::VARCHAR || ',' || csvq(CASE WHEN r.key = '' THEN '' ELSE c.header END) || ','
           || csvq(r.value) || ',' || r.reason
    FROM rej r JOIN files f ON f.fidx = r.fidx LEFT JOIN colname c ON c.fidx = r.fidx AND c.key = r.key
  ) ORDER BY fidx, rn
) TO ${OUT_REJECTS} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER chr(1));
