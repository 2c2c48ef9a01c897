-- The identification run (shared/spec/identify.md) as SQL for DuckDB.
-- Placeholders (a dollar sign and a NAME in braces) are filled in by run.mjs from the policy and the files' headers;
-- the policy-dependent macros (income_points, score_level, level_options,
-- factor_points, id_sum, luhn_sum) are created by run.mjs before this file runs.

-- GB 11643 resident ID: shape, province, birth date 1900-01-01..reference date, check character.
CREATE MACRO id_ok(s) AS coalesce(
  regexp_full_match(s, '[0-9]{17}[0-9X]')
  AND substr(s, 1, 2) IN ('11','12','13','14','15','21','22','23','31','32','33','34','35','36','37',
                          '41','42','43','44','45','46','50','51','52','53','54','61','62','63','64','65',
                          '71','81','82')
  AND coalesce(try_cast(substr(s, 7, 4) || '-' || substr(s, 11, 2) || '-' || substr(s, 13, 2) AS DATE)
               BETWEEN DATE '1900-01-01' AND ${REF_DATE}, false)
  AND substr('10X98765432', (id_sum(s) % 11)::INTEGER + 1, 1) = substr(s, 18, 1), false);

CREATE TABLE cat_key AS
  SELECT code AS k, code, ord FROM pol_category UNION ALL SELECT name AS k, code, ord FROM pol_category;

-- ---------------------------------------------------------------- students
CREATE TABLE s_raw AS ${STUDENTS_RAW};

CREATE TABLE s_chk AS SELECT *, upx(student_no) AS sno, CASE
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
  FROM s_raw;

-- Among the rows otherwise right, every row of a repeated 学籍号 is rejected.
CREATE TABLE s_ok AS SELECT *, count(*) OVER (PARTITION BY sno) AS n FROM s_chk WHERE rej IS NULL;

CREATE TABLE st AS
  SELECT rn, sno, name, idn, gender, bdate, school, grade, boarding, card, gid,
         CASE WHEN idn <> '' THEN idn WHEN sno[1] = 'G' THEN substr(sno, 2) ELSE NULL END AS eff
  FROM (
    SELECT rn, sno, name, upx(id_number) AS idn, gender, pdate(birth_date) AS bdate, school_code AS school,
           pint(grade)::INTEGER AS grade, pbool(boarding) AS boarding, bank_card AS card,
           CASE WHEN id_ok(upx(guardian_id_number)) THEN upx(guardian_id_number) ELSE NULL END AS gid
    FROM s_ok WHERE n = 1);

CREATE TABLE st2 AS SELECT *, (eff IS NOT NULL AND id_ok(eff)) AS eff_ok FROM st;

-- ---------------------------------------------------------------- lists
CREATE TABLE l_raw AS ${LISTS_RAW};

CREATE TABLE l_chk AS SELECT l.*, upx(l.id_number) AS idn, c.code AS cat, CASE
    WHEN l.id_number = '' THEN {'k': 'id_number', 'r': 'MISSING_VALUE'}
    WHEN NOT id_ok(upx(l.id_number)) THEN {'k': 'id_number', 'r': 'BAD_ID'}
    WHEN l.category = '' THEN {'k': 'category', 'r': 'MISSING_VALUE'}
    WHEN c.code IS NULL THEN {'k': 'category', 'r': 'UNKNOWN_CATEGORY'}
    WHEN l.valid_from <> '' AND pdate(l.valid_from) IS NULL THEN {'k': 'valid_from', 'r': 'BAD_DATE'}
    WHEN l.valid_to <> '' AND pdate(l.valid_to) IS NULL THEN {'k': 'valid_to', 'r': 'BAD_DATE'}
    ELSE NULL END AS rej
  FROM l_raw l LEFT JOIN cat_key c ON c.k = l.category;

-- One row per (ID, category): is any entry of it in force on the reference date?
CREATE TABLE lent AS
  SELECT idn, cat, bool_or(coalesce(pdate(valid_from) <= ${REF_DATE}, true)
                       AND coalesce(${REF_DATE} <= pdate(valid_to), true)) AS inforce
  FROM l_chk WHERE rej IS NULL GROUP BY idn, cat;

-- Each student's matches by the category's rule (own effective ID; guardian's valid ID for household).
CREATE TABLE smatch AS
  SELECT rn, cat, bool_or(inforce) AS inforce FROM (
    SELECT s.rn, e.cat, e.inforce FROM st2 s JOIN lent e ON e.idn = s.eff
    UNION ALL
    SELECT s.rn, e.cat, e.inforce FROM st2 s JOIN lent e ON e.idn = s.gid
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
CREATE TABLE a_raw AS ${APPS_RAW};

CREATE TABLE a_chk AS SELECT *, upx(student_no) AS sno, CASE
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
  FROM a_raw;

-- The first right application of a 学籍号 stands; later ones are duplicates.
CREATE TABLE a_ok AS SELECT *, row_number() OVER (PARTITION BY sno ORDER BY rn) AS k FROM a_chk WHERE rej IS NULL;

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
  SELECT DISTINCT s.rn FROM aclaim x JOIN st2 s ON s.sno = x.sno
  WHERE NOT EXISTS (SELECT 1 FROM smatch m WHERE m.rn = s.rn AND m.cat = x.code AND m.inforce);

-- ---------------------------------------------------------------- history
CREATE TABLE h_raw AS ${HISTORY_RAW};

CREATE TABLE h_chk AS SELECT *, CASE
    WHEN student_no = '' AND id_number = '' THEN {'k': '', 'r': 'MISSING_VALUE'}
    WHEN school_code = '' THEN {'k': 'school_code', 'r': 'MISSING_VALUE'}
    WHEN school_year = '' THEN {'k': 'school_year', 'r': 'MISSING_VALUE'}
    ELSE NULL END AS rej
  FROM h_raw;

CREATE TABLE hy AS
  SELECT upx(student_no) AS hsno, upx(id_number) AS hid, school_code AS school
  FROM h_chk WHERE rej IS NULL AND school_year = ${SCHOOL_YEAR};

-- A history row names the student by ID, or by 学籍号 when either side has no ID.
CREATE TABLE dupf AS
  SELECT DISTINCT rn FROM (
    SELECT s.rn FROM st2 s JOIN hy h ON h.hid = s.eff WHERE h.hid <> '' AND h.school <> s.school
    UNION ALL
    SELECT s.rn FROM st2 s JOIN hy h ON h.hsno = s.sno
      WHERE h.hsno <> '' AND (h.hid = '' OR s.eff IS NULL) AND h.school <> s.school);

-- ---------------------------------------------------------------- budgets
CREATE TABLE b_raw AS ${BUDGETS_RAW};

CREATE TABLE b_chk AS SELECT *, CASE
    WHEN school_code = '' THEN {'k': 'school_code', 'r': 'MISSING_VALUE'}
    WHEN NOT regexp_full_match(school_code, '[0-9]{10}') THEN {'k': 'school_code', 'r': 'BAD_SCHOOL_CODE'}
    WHEN budget = '' THEN {'k': 'budget', 'r': 'MISSING_VALUE'}
    WHEN pmoney(budget) IS NULL THEN {'k': 'budget', 'r': 'BAD_MONEY'}
    ELSE NULL END AS rej
  FROM b_raw;

CREATE TABLE b_ok AS SELECT *, row_number() OVER (PARTITION BY school_code ORDER BY rn) AS k FROM b_chk WHERE rej IS NULL;

CREATE TABLE bud AS SELECT school_code AS school, pmoney(budget) AS budget_fen FROM b_ok WHERE k = 1;

-- ---------------------------------------------------------------- flags, score, level
-- A household is the guardian's valid ID, or for a row without one the student alone.
CREATE TABLE shared AS
  SELECT card FROM st2 WHERE card <> ''
  GROUP BY card HAVING count(DISTINCT coalesce(gid, 'row:' || rn::VARCHAR)) > ${SHARED_MAX};

CREATE TABLE sf0 AS
  SELECT s.rn, s.sno, s.name, s.school, s.grade, s.boarding,
         a.sno IS NOT NULL AS applied,
         CASE WHEN a.sno IS NOT NULL THEN (a.income::HUGEINT * 1000000) // a.size ELSE 0 END AS pc_key,
         coalesce(m.cat_points, 0)
           + CASE WHEN a.sno IS NOT NULL THEN income_points(a.size, a.income) + factor_points(a.ill, a.hard, a.single, a.sib)
                  ELSE 0 END AS score,
         m.cats, m.rn IS NOT NULL AS matched, m.cat_min_level,
         (s.eff IS NOT NULL AND NOT s.eff_ok) AS f_id_invalid,
         (s.sno[1] = 'G' AND s.idn <> '' AND substr(s.sno, 2) <> s.idn) AS f_id_mismatch,
         (s.eff_ok AND count(*) OVER (PARTITION BY s.eff) > 1) AS f_dup_enrollment,
         (d.rn IS NOT NULL) AS f_dup_funding,
         (s.gender <> '' AND s.eff_ok AND (((ascii(substr(s.eff, 17, 1)) - 48) % 2 = 1) <> (s.gender = '男'))) AS f_gender_mismatch,
         CASE WHEN s.eff_ok THEN try_cast(substr(s.eff, 7, 4) || '-' || substr(s.eff, 11, 2) || '-' || substr(s.eff, 13, 2) AS DATE)
              ELSE s.bdate END AS bd,
         (s.card <> '' AND luhn_sum(reverse(s.card), length(s.card)) % 10 <> 0) AS f_bank_card_luhn,
         (sh.card IS NOT NULL) AS f_shared_bank_card,
         (cu.rn IS NOT NULL) AS f_claim_unverified,
         coalesce(m.expired, false) AS f_list_expired
  FROM st2 s
  LEFT JOIN ap a ON a.sno = s.sno
  LEFT JOIN sm m ON m.rn = s.rn
  LEFT JOIN dupf d ON d.rn = s.rn
  LEFT JOIN shared sh ON sh.card = s.card
  LEFT JOIN claim_unv cu ON cu.rn = s.rn;

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
    FROM (
      SELECT * EXCLUDE (bd),
             coalesce(abs(year(${REF_DATE}) - year(bd)
                          - CASE WHEN month(${REF_DATE}) * 100 + day(${REF_DATE}) < month(bd) * 100 + day(bd) THEN 1 ELSE 0 END
                          - (grade + 5)) > ${TOLERANCE}, false) AS f_age_grade
      FROM sf0));

-- ---------------------------------------------------------------- allocation
CREATE TABLE cand AS
  SELECT rn, school, level,
         row_number() OVER (PARTITION BY school ORDER BY (cats IS NULL), level, score DESC, pc_key, sno) AS rnk,
         level_options(level, grade, boarding) AS opts
  FROM sf WHERE pre = 'CAND';

-- The walk down each school's order with the remaining budget: the first level
-- option (own level, then lower ones when downgrading is allowed) that fits.
CREATE TABLE walk AS
  WITH RECURSIVE w(school, rnk, rem, lv, amt) AS (
    SELECT sc.school, 0::BIGINT, coalesce(b.budget_fen, 0)::BIGINT, NULL::INTEGER, NULL::BIGINT
    FROM (SELECT DISTINCT school FROM cand) sc LEFT JOIN bud b ON b.school = sc.school
    UNION ALL
    SELECT school, rnk, rem - coalesce(p.amt, 0), p.lv, p.amt FROM (
      SELECT c.school, c.rnk, w.rem, list_filter(c.opts, lambda o: o.amt <= w.rem)[1] AS p
      FROM w JOIN cand c ON c.school = w.school AND c.rnk = w.rnk + 1))
  SELECT school, rnk, lv, amt FROM w WHERE rnk > 0;

CREATE TABLE fin AS
  SELECT f.*, c.rnk, w.amt AS funded_amt,
         CASE WHEN f.pre <> 'CAND' THEN f.pre WHEN w.lv IS NOT NULL THEN 'FUNDED' ELSE 'WAITLIST' END AS status,
         CASE WHEN w.lv IS NOT NULL THEN w.lv ELSE f.level END AS out_level,
         coalesce(f.pre = 'CAND' AND w.lv > f.level, false) AS f_downgraded,
         coalesce(f.pre = 'CAND' AND w.lv IS NULL AND coalesce(b.budget_fen, 0) = 0, false) AS f_no_budget
  FROM sf f
  LEFT JOIN cand c ON c.rn = f.rn
  LEFT JOIN walk w ON w.school = c.school AND w.rnk = c.rnk
  LEFT JOIN bud b ON b.school = f.school;

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
    FROM fin2 WHERE applied OR matched OR flags <> ''
    UNION ALL
    SELECT 1, '', 1, 0, a.sno, csvq(a.sno) || ',,,BLOCKED,,,0,,NOT_ENROLLED,'
    FROM ap a WHERE NOT EXISTS (SELECT 1 FROM st2 s WHERE s.sno = a.sno)
  ) ORDER BY grp, school, unranked, rnk, sno
) TO ${OUT_RESULTS} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER chr(1));

CREATE TABLE sch AS
  SELECT school, count(*) AS students, count(*) FILTER (WHERE applied) AS applicants,
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
           k.school || ',' || coalesce(students, 0)::VARCHAR || ',' || coalesce(applicants, 0)::VARCHAR || ','
           || coalesce(candidates, 0)::VARCHAR || ',' || coalesce(funded, 0)::VARCHAR || ','
           || ${FUNDED_LN_OUT} || ','
           || coalesce(waitlist, 0)::VARCHAR || ',' || coalesce(blocked, 0)::VARCHAR || ','
           || yuan(coalesce(b.budget_fen, 0)) || ',' || yuan(coalesce(allocated, 0)) || ','
           || yuan(coalesce(b.budget_fen, 0) - coalesce(allocated, 0))
    FROM (SELECT school FROM sch UNION SELECT school FROM bud) k
    LEFT JOIN sch s ON s.school = k.school
    LEFT JOIN bud b ON b.school = k.school
  ) ORDER BY grp, school
) TO ${OUT_SCHOOLS} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER chr(1));

CREATE TABLE rej AS
  SELECT fidx, rn, rej.k AS key, rej.r AS reason,
         CASE rej.k WHEN 'student_no' THEN student_no WHEN 'name' THEN name WHEN 'gender' THEN gender
                    WHEN 'birth_date' THEN birth_date WHEN 'school_code' THEN school_code WHEN 'grade' THEN grade
                    WHEN 'boarding' THEN boarding WHEN 'bank_card' THEN bank_card ELSE '' END AS value
  FROM s_chk WHERE rej IS NOT NULL
  UNION ALL SELECT fidx, rn, 'student_no', 'DUPLICATE_STUDENT_NO', student_no FROM s_ok WHERE n > 1
  UNION ALL
  SELECT fidx, rn, rej.k, rej.r,
         CASE rej.k WHEN 'id_number' THEN id_number WHEN 'category' THEN category WHEN 'valid_from' THEN valid_from
                    WHEN 'valid_to' THEN valid_to ELSE '' END
  FROM l_chk WHERE rej IS NOT NULL
  UNION ALL
  SELECT fidx, rn, rej.k, rej.r,
         CASE rej.k WHEN 'student_no' THEN student_no WHEN 'household_size' THEN household_size
                    WHEN 'household_income' THEN household_income WHEN 'serious_illness' THEN serious_illness
                    WHEN 'sudden_hardship' THEN sudden_hardship WHEN 'single_parent' THEN single_parent
                    WHEN 'siblings_in_school' THEN siblings_in_school ELSE '' END
  FROM a_chk WHERE rej IS NOT NULL
  UNION ALL SELECT fidx, rn, 'student_no', 'DUPLICATE_APPLICATION', student_no FROM a_ok WHERE k > 1
  UNION ALL
  SELECT fidx, rn, rej.k, rej.r,
         CASE rej.k WHEN 'school_code' THEN school_code WHEN 'school_year' THEN school_year ELSE '' END
  FROM h_chk WHERE rej IS NOT NULL
  UNION ALL
  SELECT fidx, rn, rej.k, rej.r, CASE rej.k WHEN 'school_code' THEN school_code WHEN 'budget' THEN budget ELSE '' END
  FROM b_chk WHERE rej IS NOT NULL
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
