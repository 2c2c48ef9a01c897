// Helpers shared by the XLSX tests: packages built from hand-written XML with
// libzip, and rows read back as plain strings with their cell types.
#pragma once

#include <zip.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "io/csv_test_util.h"
#include "io/table.h"

namespace zizhu::io::testing {

// Writes a zip holding `parts` (name → bytes) and returns its path.
inline std::string write_zip(const std::string& name, const std::map<std::string, std::string>& parts) {
  const std::string path = temp_path(name);
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (z == nullptr) std::abort();
  for (const auto& [part, bytes] : parts) {
    // libzip reads the source at zip_close: the map outlives it.
    zip_source_t* src = zip_source_buffer(z, bytes.data(), bytes.size(), 0);
    if (src == nullptr || zip_file_add(z, part.c_str(), src, ZIP_FL_OVERWRITE) < 0) std::abort();
  }
  if (zip_close(z) != 0) std::abort();
  return path;
}

inline std::string sheet_xml(const std::string& sheet_data) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
         "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
         "<sheetData>" + sheet_data + "</sheetData></worksheet>";
}

inline std::string workbook_xml(bool date1904 = false) {
  return std::string("<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                     "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">") +
         (date1904 ? "<workbookPr date1904=\"1\"/>" : "<workbookPr/>") +
         "<sheets><sheet name=\"数据\" sheetId=\"1\" r:id=\"rId7\"/>"
         "<sheet name=\"Other\" sheetId=\"2\" r:id=\"rId8\"/></sheets></workbook>";
}

inline std::string rels_xml() {
  return "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId8\" Type=\"worksheet\" Target=\"worksheets/sheet1.xml\"/>"
         "<Relationship Id=\"rId7\" Type=\"worksheet\" Target=\"/xl/worksheets/data.xml\"/>"
         "</Relationships>";
}

// A package whose first sheet is xl/worksheets/data.xml (found through the
// relationships; sheet1.xml is a decoy second sheet).
inline std::map<std::string, std::string> package(const std::string& sheet_data,
                                                  std::map<std::string, std::string> extra = {}) {
  std::map<std::string, std::string> parts{
      {"xl/workbook.xml", workbook_xml()},
      {"xl/_rels/workbook.xml.rels", rels_xml()},
      {"xl/worksheets/data.xml", sheet_xml(sheet_data)},
      {"xl/worksheets/sheet1.xml", sheet_xml("<row r=\"1\"><c t=\"inlineStr\"><is><t>decoy</t></is></c></row>")},
  };
  for (auto& [k, v] : extra) parts[k] = v;
  return parts;
}

struct TypedRow {
  long number = 0;
  std::vector<std::string> cells;
  std::vector<CellType> types;
};

// Reads every row; a failure ends the list with a row numbered -1.
inline std::vector<TypedRow> read_typed(TableReader& r) {
  std::vector<TypedRow> rows;
  Row row;
  for (;;) {
    auto got = r.next(row);
    if (!got) {
      rows.push_back(TypedRow{-1, {got.error().describe()}, {}});
      break;
    }
    if (!*got) break;
    TypedRow t{row.number, {}, {}};
    for (const Cell& c : row.cells) {
      t.cells.emplace_back(c.text);
      t.types.push_back(c.type);
    }
    rows.push_back(std::move(t));
  }
  return rows;
}

}  // namespace zizhu::io::testing
