// The audit chain (server.md, Audit log; docs/audit.md): every record carries
// an HMAC-SM3 over its own fields and the previous record's MAC, and a head row
// holds the last record's seq and MAC under a MAC of its own. Whoever can write
// the database file but does not hold the key cannot change, remove, insert or
// reorder records, nor cut the log short, without verify() naming the first
// record where it happened.
//
// Keys are passed in (a span and its id), never read here: the key ring is the
// application's (crypto/key_ring.h, KeyRing::audit_key).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/store.h"

namespace zizhu::oversight {

// What the application records: who, from where, did what to which object,
// with what outcome. Filled by app/audit_log.cc from the request's actor.
struct AuditEntry {
  int64_t at_ms = 0;
  std::optional<int64_t> user_id;  // empty for the system or an unknown user
  std::string username;
  std::string roles;  // role keys, comma-separated
  std::optional<int64_t> org_id;
  std::string org_path;
  std::string ip;
  std::string user_agent;  // kept to 512 bytes
  std::string action;      // "user.create", "student.reveal", ...
  std::string object_type;
  std::string object_id;
  std::string outcome = "ok";  // "ok", "denied", "failed"
  // JSON text of what changed or why. Never a plain sensitive value: IDs,
  // cards and phones are named (which field), not quoted.
  std::string summary = "{}";
};

// The audit key for a key id, or nullopt when the ring does not hold it.
using KeyLookup = std::function<std::optional<std::vector<uint8_t>>(std::string_view key_id)>;

// How the chain is broken at the first bad place.
enum class ChainFault : uint8_t {
  kChanged,     // a record's MAC does not match its content
  kRemoved,     // records are missing: a gap in seq, or a record not linked to the one before it
  kInserted,    // a record that is not part of the chain (beyond the head, or skipped by the next record's link)
  kReordered,   // a record whose MAC holds at another seq: records were moved
  kTruncated,   // the log ends before the head says it does
  kHeadInvalid, // the head row is missing or its MAC does not match
  kUnknownKey,  // a record (or the head) names a key the ring does not hold
};

std::string_view chain_fault_key(ChainFault fault);    // "changed", "removed", ...
std::string_view chain_fault_label(ChainFault fault);  // "记录被修改", ...

struct ChainProblem {
  ChainFault fault = ChainFault::kChanged;
  int64_t seq = 0;     // the first bad record (for kRemoved and kTruncated: the first missing one)
  std::string detail;  // for people, Chinese with English in parentheses
};

struct VerifyReport {
  int64_t records = 0;   // records read (up to the problem, if any)
  int64_t last_seq = 0;  // seq of the last record read
  std::optional<int64_t> head_seq;
  std::optional<ChainProblem> problem;  // the first one found
  bool intact() const { return !problem.has_value(); }
};

class AuditChain {
 public:
  // Appends one record and moves the head, inside the caller's transaction
  // when one is open (so the record commits or rolls back with the change it
  // describes), else in a transaction of its own. The new record's seq.
  //
  // Appends are serialised by the database: the head is read and written
  // under the write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: the head row
  // locked FOR UPDATE), and seq is the table's primary key, so two appends
  // can never both commit the same seq. There is deliberately no in-process
  // mutex: under SQLite only the holder of the write lock can be here anyway,
  // and under PostgreSQL a mutex held while waiting for the head's row lock
  // deadlocks against a transaction that appends twice.
  //
  // Refuses (AUDIT_CHAIN_BROKEN) to chain onto a head that does not match the
  // last record: the log was tampered with; `zizhu audit verify` says where.
  Result<int64_t> append(store::Store& store, const AuditEntry& entry, std::string_view key_id,
                         std::span<const uint8_t> key);

  // Walks the whole log in seq order in one read snapshot, with bounded
  // memory (slices of kVerifySliceRecords), and reports the first problem.
  // An error only when the walk itself fails (the database cannot be read).
  static Result<VerifyReport> verify(store::Store& store, const KeyLookup& keys);
};

inline constexpr int64_t kVerifySliceRecords = 1000;

// The previous MAC of the first record: 32 zero bytes, in hex.
extern const std::string kGenesisMac;

// The bytes a record's MAC covers, before the previous MAC (docs/audit.md):
// a version tag and every field but prev_mac and mac, each length-prefixed,
// so that no two different records have the same canonical form.
std::string canonical_record(const store::AuditRecord& record);
// HMAC-SM3(key, canonical_record(record) || prev_mac bytes), hex; nullopt
// when record.prev_mac is not 64 hex digits.
std::optional<std::string> record_mac(std::span<const uint8_t> key, const store::AuditRecord& record);
// HMAC-SM3(key, tag || seq || key_id || mac bytes), hex; nullopt when
// head.mac is not 64 hex digits.
std::optional<std::string> head_mac(std::span<const uint8_t> key, const store::AuditHead& head);

}  // namespace zizhu::oversight
