// Evidence files of applications (证明材料, aid-cycle.md OPEN): PDF, JPEG or
// PNG, checked by content, at most 10 MiB and 10 per application, kept
// encrypted outside the database (store/blob_store.h) with a row naming the
// application, what the file is, who gave it and when. Added and removed
// under the application's own rule (cycle OPEN, within the dates); read by
// those who may read the application, each read recorded in the audit log.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

inline constexpr size_t kEvidencePerApplicationMax = 10;
inline constexpr uint64_t kEvidenceBytesMax = 10 * 1024 * 1024;

struct EvidenceView {
  int64_t id = 0;
  int64_t application_id = 0;
  std::string kind;  // pdf, jpeg, png
  int64_t size_bytes = 0;
  std::string note;
  std::string sm3;
  int64_t uploaded_at_ms = 0;
  bool removed = false;
};

// `note` says what the file is (1-100 bytes, e.g. 低保证). Bytes after the
// file's end marker (a phone's trailer, an appended video) are not kept.
Result<EvidenceView> add_evidence(App& app, store::Store& store, const Actor& actor, int64_t application_id,
                                  std::string_view content, std::string_view note);
Result<std::vector<EvidenceView>> list_evidence(App& app, store::Store& store, const Actor& actor,
                                                int64_t application_id);

struct EvidenceFile {
  EvidenceView evidence;
  std::string bytes;
  std::string mime_type;
  std::string file_name;  // e.g. evidence-12.pdf
};
// The file, checked against its hash; recorded as a view of personal data.
Result<EvidenceFile> read_evidence(App& app, store::Store& store, const Actor& actor, int64_t evidence_id);
Result<EvidenceView> remove_evidence(App& app, store::Store& store, const Actor& actor, int64_t evidence_id);

}  // namespace zizhu::app
