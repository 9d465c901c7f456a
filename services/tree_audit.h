// What an auditor checks of the Merkle tree against what was signed: an offered cosignature before
// it is recorded, and, for `ledgerctl verify`, the whole tree with every signed checkpoint and
// every recorded cosignature. Thread-safe as EventLog's reads are.
#ifndef SALESLEDGER_SERVICES_TREE_AUDIT_H_
#define SALESLEDGER_SERVICES_TREE_AUDIT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/event_log.h"
#include "transparency/checkpoint.h"
#include "transparency/note.h"

namespace salesledger {

struct Cosignature {
  TreeCheckpoint checkpoint;
  std::string cosigner;     // the cosigner's key name
  uint64_t timestamp = 0;   // POSIX seconds, as the cosigner signed it
};

// Checks a cosigned checkpoint (an add_cosignature command's fields): INVALID_ARGUMENT naming the
// field when the cosigner key is not a cosigner's (type 0x04), the checkpoint is not signed by
// `log_key` for its origin, or the cosignature does not verify; INVALID_ARGUMENT when its size is
// past the tree; FAILED_PRECONDITION when its root is not the tree's at its size.
absl::StatusOr<Cosignature> CheckCosignature(const EventLog& log, const note::Verifier& log_key,
                                             absl::string_view checkpoint, absl::string_view cosigner_key);

struct TreeAudit {
  uint64_t size = 0;
  std::string root;
  uint64_t checkpoints = 0;   // signed checkpoints checked
  uint64_t cosignatures = 0;  // add_cosignature events checked
};

// EventLog::VerifyTree, then every signed checkpoint (log_key's signature, its root the tree's at
// its size), then every add_cosignature event (as CheckCosignature). DATA_LOSS naming the first
// that fails, and for a cosignature what it means: the events up to its size changed after the
// cosigner saw them.
absl::StatusOr<TreeAudit> AuditTree(const EventLog& log, const note::Verifier& log_key);

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_TREE_AUDIT_H_
