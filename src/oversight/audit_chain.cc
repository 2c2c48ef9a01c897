#include "oversight/audit_chain.h"

#include <array>
#include <map>
#include <tuple>

#include "crypto/sm3.h"

namespace zizhu::oversight {

namespace {

constexpr std::string_view kRecordTag = "zizhu.audit.record.v1";
constexpr std::string_view kHeadTag = "zizhu.audit.head.v1";
constexpr size_t kMacBytes = 32;

// Bounds on what one record may hold. Generous for what the application
// writes; a value past them is a bug or an attack, refused rather than cut
// (except the user agent and the address, which the client chooses).
constexpr size_t kUsernameBytesMax = 128;
constexpr size_t kRolesBytesMax = 256;
constexpr size_t kOrgPathBytesMax = 512;
constexpr size_t kIpBytesMax = 64;
constexpr size_t kUserAgentBytesMax = 512;
constexpr size_t kActionBytesMax = 64;
constexpr size_t kObjectTypeBytesMax = 64;
constexpr size_t kObjectIdBytesMax = 256;
constexpr size_t kSummaryBytesMax = 16 * 1024;
constexpr size_t kKeyIdBytesMax = 16;

// How far from its place verify looks for a record's original seq when its
// MAC fails (a swap of neighbours is the common case).
constexpr int64_t kReorderWindow = 16;
// Distinct key ids whose keys verify keeps; a forged log could name any
// number of ids.
constexpr size_t kKeyCacheMax = 64;

// --- canonical form --------------------------------------------------------------

void put_u32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFFu));
}

void put_i64(std::string& out, int64_t value) {
  const auto v = static_cast<uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFFu));
}

void put_text(std::string& out, std::string_view text) {
  // Records are bounded far below 4 GiB (see the limits above and the
  // database's own); a longer text cannot reach here.
  put_u32(out, static_cast<uint32_t>(text.size()));
  out.append(text);
}

void put_opt_i64(std::string& out, const std::optional<int64_t>& value) {
  out.push_back(value ? '\x01' : '\x00');
  if (value) put_i64(out, *value);
}

std::optional<std::string> mac_bytes(std::string_view hex) {
  std::string bytes;
  if (hex.size() != 2 * kMacBytes || !crypto::from_hex(hex, bytes) || bytes.size() != kMacBytes) return std::nullopt;
  return bytes;
}

std::span<const uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

bool same_mac(std::string_view a_hex, std::string_view b_hex) {
  return a_hex.size() == b_hex.size() && crypto::equal_constant_time(as_bytes(a_hex), as_bytes(b_hex));
}

// --- append ----------------------------------------------------------------------

// At most `bytes_max` bytes, cut before a UTF-8 character that would not fit.
std::string cut_utf8(std::string_view text, size_t bytes_max) {
  if (text.size() <= bytes_max) return std::string(text);
  size_t end = bytes_max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

Result<void> check_entry(const AuditEntry& e, std::string_view key_id, std::span<const uint8_t> key) {
  auto too_long = [](std::string_view field, size_t max) {
    return fail("BAD_VALUE", "审计记录的 " + std::string(field) + " 过长 (audit field too long, at most " +
                                 std::to_string(max) + " bytes)");
  };
  if (key.empty() || key_id.empty() || key_id.size() > kKeyIdBytesMax) {
    return fail("BAD_VALUE", "审计密钥无效 (no audit key)");
  }
  if (e.action.empty()) return fail("BAD_VALUE", "审计记录缺少操作 (audit record without an action)");
  if (e.outcome != "ok" && e.outcome != "denied" && e.outcome != "failed") {
    return fail("BAD_VALUE", "审计记录的结果须为 ok、denied 或 failed (bad outcome): " + e.outcome);
  }
  const std::array<std::tuple<std::string_view, const std::string*, size_t>, 7> bounded = {{
      {"username", &e.username, kUsernameBytesMax},
      {"roles", &e.roles, kRolesBytesMax},
      {"org_path", &e.org_path, kOrgPathBytesMax},
      {"action", &e.action, kActionBytesMax},
      {"object_type", &e.object_type, kObjectTypeBytesMax},
      {"object_id", &e.object_id, kObjectIdBytesMax},
      {"summary", &e.summary, kSummaryBytesMax},
  }};
  for (const auto& [field, value, max] : bounded) {
    if (value->size() > max) return too_long(field, max);
  }
  return {};
}

Result<int64_t> append_locked(store::Store& store, const AuditEntry& e, std::string_view key_id,
                              std::span<const uint8_t> key) {
  auto head = store.audit_head();
  if (!head) return tl::unexpected(head.error());
  auto last = store.last_audit();
  if (!last) return tl::unexpected(last.error());
  const bool consistent = (!*head && !*last) || (*head && *last && (*last)->seq == (*head)->seq &&
                                                 same_mac((*last)->mac, (*head)->mac));
  if (!consistent) {
    return fail("AUDIT_CHAIN_BROKEN",
                "审计日志链头与末条记录不符，已拒绝追加；请运行 zizhu audit verify 查明 "
                "(the audit log's head does not match its last record; run zizhu audit verify)");
  }
  store::AuditRecord r;
  r.seq = *head ? (*head)->seq + 1 : 1;
  r.at_ms = e.at_ms;
  r.user_id = e.user_id;
  r.username = e.username;
  r.roles = e.roles;
  r.org_id = e.org_id;
  r.org_path = e.org_path;
  r.ip = cut_utf8(e.ip, kIpBytesMax);
  r.user_agent = cut_utf8(e.user_agent, kUserAgentBytesMax);
  r.action = e.action;
  r.object_type = e.object_type;
  r.object_id = e.object_id;
  r.outcome = e.outcome;
  r.summary = e.summary;
  r.key_id = std::string(key_id);
  r.prev_mac = *head ? (*head)->mac : kGenesisMac;
  auto mac = record_mac(key, r);
  if (!mac) return fail("AUDIT_CHAIN_BROKEN", "审计日志链头的 MAC 格式不正确 (the head's mac is not hex)");
  r.mac = *mac;
  if (auto ok = store.append_audit(r); !ok) return tl::unexpected(ok.error());

  store::AuditHead next{r.seq, r.mac, r.key_id, {}};
  next.head_mac = *head_mac(key, next);  // r.mac is well-formed hex: we just made it
  if (auto ok = store.set_audit_head(next); !ok) return tl::unexpected(ok.error());
  return r.seq;
}

// --- verify ----------------------------------------------------------------------

// Ends the read snapshot (if verify began it) on every path.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(store::Store& store) : store_(store) {}
  Result<void> begin() {
    if (store_.in_transaction()) return {};  // the caller's transaction is the snapshot
    if (auto ok = store_.begin_read(); !ok) return ok;
    owned_ = true;
    return {};
  }
  ~ReadSnapshot() {
    // Nothing was written: rolling back only ends the snapshot.
    if (owned_) (void)store_.rollback();
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  store::Store& store_;
  bool owned_ = false;
};

class KeyCache {
 public:
  explicit KeyCache(const KeyLookup& lookup) : lookup_(lookup) {}
  // The key, or nullopt when unknown.
  const std::optional<std::vector<uint8_t>>& get(const std::string& key_id) {
    auto found = cache_.find(key_id);
    if (found != cache_.end()) return found->second;
    std::optional<std::vector<uint8_t>> key = lookup_ ? lookup_(key_id) : std::nullopt;
    if (key && key->empty()) key.reset();
    if (cache_.size() < kKeyCacheMax) return cache_.emplace(key_id, std::move(key)).first->second;
    scratch_ = std::move(key);
    return scratch_;
  }

 private:
  const KeyLookup& lookup_;
  std::map<std::string, std::optional<std::vector<uint8_t>>, std::less<>> cache_;
  std::optional<std::vector<uint8_t>> scratch_;
};

bool mac_holds(std::span<const uint8_t> key, const store::AuditRecord& r) {
  auto mac = record_mac(key, r);
  return mac && same_mac(*mac, r.mac);
}

ChainProblem problem(ChainFault fault, int64_t seq, std::string detail) {
  return ChainProblem{fault, seq, std::move(detail)};
}

std::string n(int64_t v) { return std::to_string(v); }

// Why record `r` at its place fails its MAC. `expected_prev` is the MAC the
// chain wants it to link to.
Result<ChainProblem> diagnose_bad_mac(store::Store& store, std::span<const uint8_t> key, const store::AuditRecord& r,
                                      const std::string& expected_prev) {
  // Moved? The record's MAC holds at another seq: near its place, or right
  // after the record it links to.
  auto pred = store.audit_seq_with_mac(r.prev_mac);
  if (!pred) return tl::unexpected(pred.error());
  std::vector<int64_t> candidates;
  if (*pred) candidates.push_back(**pred + 1);
  if (r.prev_mac == kGenesisMac) candidates.push_back(1);
  for (int64_t d = 1; d <= kReorderWindow; ++d) {
    candidates.push_back(r.seq + d);
    if (r.seq - d >= 1) candidates.push_back(r.seq - d);
  }
  for (int64_t seq : candidates) {
    if (seq == r.seq) continue;
    store::AuditRecord moved = r;
    moved.seq = seq;
    if (!mac_holds(key, moved)) continue;
    if (*pred || r.prev_mac == kGenesisMac) {
      return problem(ChainFault::kReordered, r.seq,
                     "第 " + n(r.seq) + " 条记录原为第 " + n(seq) + " 条，记录顺序被调换 (record seq " + n(r.seq) +
                         " was seq " + n(seq) + ": records reordered)");
    }
    return problem(ChainFault::kRemoved, r.seq,
                   "第 " + n(r.seq) + " 条记录原为第 " + n(seq) + " 条，其前的记录被删除后重新编号 (record seq " +
                       n(r.seq) + " was seq " + n(seq) + ": records before it removed and the rest renumbered)");
  }
  // Inserted? The chain goes around it: the next record links to the one
  // before it.
  auto next = store.audit_range(r.seq, 1);
  if (!next) return tl::unexpected(next.error());
  if (!next->empty() && same_mac(next->front().prev_mac, expected_prev)) {
    return problem(ChainFault::kInserted, r.seq,
                   "第 " + n(r.seq) + " 条记录不属于审计链，是插入的 (record seq " + n(r.seq) +
                       " is not part of the chain: inserted)");
  }
  // A copy? A genuine chain never holds one MAC twice.
  auto twin = store.audit_seq_with_mac(r.mac);
  if (!twin) return tl::unexpected(twin.error());
  if (*twin && **twin != r.seq) {
    return problem(ChainFault::kInserted, r.seq,
                   "第 " + n(r.seq) + " 条记录复制了第 " + n(**twin) + " 条的 MAC，是插入的 (record seq " + n(r.seq) +
                       " carries the MAC of seq " + n(**twin) + ": inserted)");
  }
  return problem(ChainFault::kChanged, r.seq,
                 "第 " + n(r.seq) + " 条记录的内容与其 MAC 不符，已被修改 (record seq " + n(r.seq) +
                     ": content does not match its MAC: changed)");
}

}  // namespace

const std::string kGenesisMac(2 * kMacBytes, '0');

std::string_view chain_fault_key(ChainFault fault) {
  switch (fault) {
    case ChainFault::kChanged: return "changed";
    case ChainFault::kRemoved: return "removed";
    case ChainFault::kInserted: return "inserted";
    case ChainFault::kReordered: return "reordered";
    case ChainFault::kTruncated: return "truncated";
    case ChainFault::kHeadInvalid: return "head_invalid";
    case ChainFault::kUnknownKey: return "unknown_key";
  }
  return "";
}

std::string_view chain_fault_label(ChainFault fault) {
  switch (fault) {
    case ChainFault::kChanged: return "记录被修改";
    case ChainFault::kRemoved: return "记录被删除";
    case ChainFault::kInserted: return "记录被插入";
    case ChainFault::kReordered: return "记录顺序被调换";
    case ChainFault::kTruncated: return "日志末尾被截断";
    case ChainFault::kHeadInvalid: return "链头无效";
    case ChainFault::kUnknownKey: return "密钥未知";
  }
  return "";
}

std::string canonical_record(const store::AuditRecord& r) {
  std::string out;
  out.reserve(256 + r.summary.size() + r.user_agent.size());
  put_text(out, kRecordTag);
  put_i64(out, r.seq);
  put_i64(out, r.at_ms);
  put_opt_i64(out, r.user_id);
  put_text(out, r.username);
  put_text(out, r.roles);
  put_opt_i64(out, r.org_id);
  put_text(out, r.org_path);
  put_text(out, r.ip);
  put_text(out, r.user_agent);
  put_text(out, r.action);
  put_text(out, r.object_type);
  put_text(out, r.object_id);
  put_text(out, r.outcome);
  put_text(out, r.summary);
  put_text(out, r.key_id);
  return out;
}

std::optional<std::string> record_mac(std::span<const uint8_t> key, const store::AuditRecord& r) {
  auto prev = mac_bytes(r.prev_mac);
  if (!prev) return std::nullopt;
  std::string data = canonical_record(r);
  data += *prev;  // fixed length, after a self-delimiting form: unambiguous
  return crypto::to_hex(crypto::hmac_sm3(key, data));
}

std::optional<std::string> head_mac(std::span<const uint8_t> key, const store::AuditHead& head) {
  auto mac = mac_bytes(head.mac);
  if (!mac) return std::nullopt;
  std::string data;
  put_text(data, kHeadTag);
  put_i64(data, head.seq);
  put_text(data, head.key_id);
  data += *mac;
  return crypto::to_hex(crypto::hmac_sm3(key, data));
}

Result<int64_t> AuditChain::append(store::Store& store, const AuditEntry& entry, std::string_view key_id,
                                   std::span<const uint8_t> key) {
  if (auto ok = check_entry(entry, key_id, key); !ok) return tl::unexpected(ok.error());
  if (store.in_transaction()) return append_locked(store, entry, key_id, key);
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto seq = append_locked(store, entry, key_id, key);
  if (!seq) return seq;
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return seq;
}

Result<VerifyReport> AuditChain::verify(store::Store& store, const KeyLookup& keys) {
  ReadSnapshot snapshot(store);
  if (auto ok = snapshot.begin(); !ok) return tl::unexpected(ok.error());
  KeyCache cache(keys);
  VerifyReport report;

  auto head = store.audit_head();
  if (!head) return tl::unexpected(head.error());
  // The head is trusted (to tell a record beyond it) only when its own MAC
  // holds.
  std::optional<ChainProblem> head_problem;
  if (*head) {
    const store::AuditHead& h = **head;
    report.head_seq = h.seq;
    const auto& key = cache.get(h.key_id);
    if (!key) {
      head_problem = problem(ChainFault::kUnknownKey, h.seq,
                             "链头使用的密钥 " + h.key_id + " 不在密钥环中 (the head's key " + h.key_id + " is unknown)");
    } else {
      auto mac = head_mac(*key, h);
      if (!mac || !same_mac(*mac, h.head_mac)) {
        head_problem = problem(ChainFault::kHeadInvalid, h.seq,
                               "链头（第 " + n(h.seq) + " 条）的 MAC 不符，链头被修改 (the head's MAC does not match)");
      }
    }
  }
  const bool head_trusted = *head && !head_problem;

  int64_t prev_seq = 0;
  std::string prev_mac = kGenesisMac;
  int64_t after = 0;
  // Bounded: each slice moves `after` forward by at least one record, and
  // seq is an int64.
  for (;;) {
    auto slice = store.audit_range(after, kVerifySliceRecords);
    if (!slice) return tl::unexpected(slice.error());
    if (slice->empty()) break;
    for (const store::AuditRecord& r : *slice) {
      ++report.records;
      report.last_seq = r.seq;
      if (head_trusted && r.seq > (*head)->seq) {
        report.problem = problem(ChainFault::kInserted, r.seq,
                                 "第 " + n(r.seq) + " 条记录在链头（第 " + n((*head)->seq) + " 条）之后，是插入的 (record seq " +
                                     n(r.seq) + " lies beyond the head: inserted)");
        return report;
      }
      const auto& key = cache.get(r.key_id);
      if (!key) {
        report.problem = problem(ChainFault::kUnknownKey, r.seq,
                                 "第 " + n(r.seq) + " 条记录使用的密钥 " + r.key_id + " 不在密钥环中 (record seq " +
                                     n(r.seq) + ": key " + r.key_id + " is unknown)");
        return report;
      }
      if (!mac_holds(*key, r)) {
        auto diagnosis = diagnose_bad_mac(store, *key, r, prev_mac);
        if (!diagnosis) return tl::unexpected(diagnosis.error());
        report.problem = std::move(*diagnosis);
        return report;
      }
      const int64_t expected = prev_seq + 1;
      if (r.seq > expected) {
        const std::string which = r.seq - 1 == expected ? n(expected) : n(expected) + " 至 " + n(r.seq - 1);
        const std::string which_en = r.seq - 1 == expected ? n(expected) : n(expected) + ".." + n(r.seq - 1);
        report.problem = problem(ChainFault::kRemoved, expected,
                                 "第 " + which + " 条记录缺失 (record seq " + which_en + " removed)");
        return report;
      }
      if (r.seq < expected || !same_mac(r.prev_mac, prev_mac)) {
        // A record whose own MAC holds, but not linked to the one before it.
        report.problem = problem(ChainFault::kRemoved, r.seq,
                                 "第 " + n(r.seq) + " 条记录与前一条记录不相连，其间的记录缺失 (record seq " + n(r.seq) +
                                     " does not link to the record before it: records removed)");
        return report;
      }
      prev_seq = r.seq;
      prev_mac = r.mac;
    }
    after = slice->back().seq;
  }

  if (head_problem) {
    report.problem = std::move(head_problem);
  } else if (!*head) {
    if (report.records > 0) {
      report.problem = problem(ChainFault::kHeadInvalid, prev_seq,
                               "审计日志有记录但没有链头，链头被删除 (records but no head: the head was removed)");
    }
  } else if ((*head)->seq > prev_seq) {
    report.problem = problem(ChainFault::kTruncated, prev_seq + 1,
                             "链头为第 " + n((*head)->seq) + " 条，但日志止于第 " + n(prev_seq) + " 条：第 " +
                                 n(prev_seq + 1) + " 条起被删除 (the log ends at seq " + n(prev_seq) +
                                 " but the head says " + n((*head)->seq) + ": truncated)");
  } else if (!same_mac((*head)->mac, prev_mac)) {
    report.problem = problem(ChainFault::kTruncated, prev_seq,
                             "末条记录（第 " + n(prev_seq) + " 条）与链头不符 (the last record does not match the head)");
  }
  return report;
}

}  // namespace zizhu::oversight
