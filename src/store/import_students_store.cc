// The writing half of `zizhu import students`: validated rows into the store,
// in one transaction.
#include <unordered_map>

#include "store/import_students.h"

#include "core/masking.h"

namespace zizhu::store {

Result<ImportSummary> store_students(Store& store, const std::vector<RosterStudent>& rows, const std::string& file,
                                     const std::string& school_code_column, std::vector<Reject>& rejects,
                                     std::string_view scope_path, int64_t now_ms, int64_t user_id) {
  auto in_scope = [scope_path](std::string_view path) { return path.substr(0, scope_path.size()) == scope_path; };
  ImportSummary summary;
  auto tx = Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());

  // Looked up inside the transaction, so the schools cannot vanish between
  // the check and the writes.
  std::unordered_map<std::string, std::optional<int64_t>> school_ids;
  // Paths of the schools existing students are in, by school id.
  std::unordered_map<int64_t, std::string> school_paths;
  // A guardian's name is the first non-empty one given with their ID in the
  // file: siblings' rows that spell it differently must not make a second
  // import of the same file report changes.
  std::unordered_map<std::string, std::string> guardian_names;
  for (const auto& r : rows) {
    if (!school_ids.contains(r.school_code)) {
      auto school = store.find_school(r.school_code);
      if (!school) return tl::unexpected(school.error());
      std::optional<int64_t> id;
      if (*school) {
        school_paths.emplace((*school)->org_id, (*school)->path);
        if (in_scope((*school)->path)) id = (*school)->org_id;
      }
      school_ids.emplace(r.school_code, id);
    }
    if (r.guardian_id_number) {
      auto& name = guardian_names[*r.guardian_id_number];
      if (name.empty()) name = r.guardian_name;
    }
  }

  std::unordered_map<std::string, int64_t> guardian_ids;
  for (const auto& r : rows) {
    const auto& school_id = school_ids.at(r.school_code);
    if (!school_id) {
      // A school that exists but lies outside the scope is named as such only
      // to a user who could see it anyway: to everyone else it does not exist.
      rejects.push_back({file, r.row, school_code_column, r.school_code_value, std::string(kUnknownSchool)});
      ++summary.rejected;
      continue;
    }
    if (scope_path != "/") {
      auto existing = store.find_student(SensitiveText(r.student_no));
      if (!existing) return tl::unexpected(existing.error());
      if (*existing) {
        const int64_t current = (*existing)->data.school_id;
        auto found = school_paths.find(current);
        if (found == school_paths.end()) {
          auto node = store.get_org_node(current);
          if (!node) return tl::unexpected(node.error());
          found = school_paths.emplace(current, *node ? (*node)->path : std::string()).first;
        }
        if (!in_scope(found->second)) {
          rejects.push_back({file, r.row, "学籍号", r.student_no, std::string(kOutsideScope)});
          ++summary.rejected;
          continue;
        }
      }
    }
    StudentInput s;
    s.student_no = SensitiveText(r.student_no);
    s.name = r.name;
    if (r.id_number) s.id_number = SensitiveText(*r.id_number);
    s.gender = r.gender;
    s.birth_date = r.birth_date;
    s.school_id = *school_id;
    s.grade = r.grade;
    s.class_name = r.class_name;
    s.boarding = r.boarding;
    s.guardian_name = r.guardian_name;
    if (r.bank_card) s.bank_card = SensitiveText(*r.bank_card);
    if (r.guardian_id_number) {
      auto found = guardian_ids.find(*r.guardian_id_number);
      if (found == guardian_ids.end()) {
        auto g = store.upsert_guardian(
            {guardian_names.at(*r.guardian_id_number), SensitiveText(*r.guardian_id_number), std::nullopt});
        if (!g) return tl::unexpected(g.error());
        found = guardian_ids.emplace(*r.guardian_id_number, g->id).first;
      }
      s.guardian_id = found->second;
    }
    auto done = store.upsert_student(s);
    if (!done) {
      Error e = done.error();
      e.message = file + " 第 " + std::to_string(r.row) + " 行写入失败，导入已撤销 (row not written, import rolled back): " +
                  e.message;
      e.where = {file, r.row, ""};
      return tl::unexpected(std::move(e));
    }
    if (done->replaced_card_masked) {
      BankCardChange change;
      change.student_id = done->id;
      change.changed_at_ms = now_ms;
      change.changed_by = user_id;
      change.old_masked = *done->replaced_card_masked;
      change.new_masked = s.bank_card ? mask_bank_card(s.bank_card->plain()) : std::string();
      change.reason = "花名册导入 " + file;
      if (auto logged = store.add_bank_card_change(change); !logged) return tl::unexpected(logged.error());
    }
    switch (done->outcome) {
      case Outcome::kInserted: ++summary.inserted; break;
      case Outcome::kUpdated: ++summary.updated; break;
      case Outcome::kUnchanged: ++summary.unchanged; break;
    }
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return summary;
}

}  // namespace zizhu::store
