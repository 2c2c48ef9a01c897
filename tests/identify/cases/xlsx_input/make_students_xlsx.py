#!/usr/bin/env python3
"""Writes students.XLSX for this case (run once; the .XLSX is committed).

A hand-made workbook, so every cell kind is exactly what the case needs:
shared and inline strings, numbers, a date-styled number (style 1 =
numFmtId 14), a boolean, a formula with its cached value, trailing empty rows.
"""
import zipfile

shared = ["学籍号", "姓名", "身份证号", "出生日期", "学校标识码", "年级", "是否寄宿",
          "监护人身份证号", "银行卡号", "J000000000000000001", "是"]

def s(ref, i):  # shared string
    return f'<c r="{ref}" t="s"><v>{i}</v></c>'

def t(ref, text):  # inline string
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

def n(ref, v, style=None):
    st = f' s="{style}"' if style is not None else ""
    return f'<c r="{ref}"{st}><v>{v}</v></c>'

rows = [
    [s(f"{c}1", i) for i, c in enumerate("ABCDEFGHI")],
    # 出生日期 2018-01-01 as a date cell (serial 43101); guardian ID as a number (treated as absent)
    [s("A2", 9), t("B2", "甲"), n("D2", 43101, 1), t("E2", "1000000001"), n("F2", 6),
     '<c r="G2" t="b"><v>1</v></c>', n("H2", 110105198001010016)],
    # 身份证号 as a number: NUMERIC_CELL
    [t("A3", "J000000000000000002"), t("B3", "乙"), n("C3", 12345), t("E3", "1000000001"), n("F3", 3)],
    # a plain number in a date column is not a date: BAD_DATE
    [t("A4", "J000000000000000003"), t("B4", "丙"), n("D4", 43101), t("E4", "1000000001"), n("F4", 3)],
    # school code as a number is fine; a bank card as a number is NUMERIC_CELL
    [t("A5", "J000000000000000004"), t("B5", "丁"), n("E5", 1000000001), n("F5", 3), n("I5", 622202000000)],
    # grade by a formula (cached value 3); boarding as a shared string
    [t("A6", "J000000000000000005"), t("B6", "戊"), t("E6", "1000000001"),
     '<c r="F6"><f>1+2</f><v>3</v></c>', s("G6", 10)],
    [t("A7", "J000000000000000006"), t("B7", "己"), t("E7", "1000000001"), t("F7", "3"),
     '<c r="G7" t="b"><v>0</v></c>'],
    [],  # trailing empty rows are dropped
    [t("A9", " "), t("B9", "")],
]
sheet_rows = "".join(f'<row r="{i + 1}">{"".join(cells)}</row>' for i, cells in enumerate(rows))
sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         f'<sheetData>{sheet_rows}</sheetData></worksheet>')
sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(shared)}" uniqueCount="{len(shared)}">'
       + "".join(f"<si><t>{x}</t></si>" for x in shared) + "</sst>")
styles = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')
workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="学生名册" sheetId="1" r:id="rId1"/></sheets></workbook>')
workbook_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                 '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                 '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                 '</Relationships>')
rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
         '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
         '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
         '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
         '</Types>')
with zipfile.ZipFile("students.XLSX", "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in [("[Content_Types].xml", types), ("_rels/.rels", rels), ("xl/workbook.xml", workbook),
                       ("xl/_rels/workbook.xml.rels", workbook_rels), ("xl/worksheets/sheet1.xml", sheet),
                       ("xl/sharedStrings.xml", sst), ("xl/styles.xml", styles)]:
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
