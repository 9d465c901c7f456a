// The auditor's witness (`ledgerctl witness`): what it trusts, and how it decides to accept the
// log's newest checkpoint. Its state is its own file, never the log's:
//
//   salesledger witness
//   log-key <the log's verifier key>
//   accepted-at <RFC 3339 time the last checkpoint was accepted>   ; absent before the first
//   checkpoint                                                       ; likewise
//   <the last accepted signed checkpoint, verbatim, to the end of the file>
//
// Pure; thread-safe as its arguments are.
#ifndef SALESLEDGER_TRANSPARENCY_WITNESS_H_
#define SALESLEDGER_TRANSPARENCY_WITNESS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "transparency/checkpoint.h"
#include "transparency/note.h"

namespace salesledger {

struct WitnessState {
  note::Verifier log_key;
  std::string checkpoint;  // the last accepted signed note; empty before the first
  absl::Time accepted_at;

  std::string ToText() const;
};

// INVALID_ARGUMENT naming the line that is malformed.
absl::StatusOr<WitnessState> ParseWitnessState(absl::string_view text);

// Fetches the consistency proof from the tree of `old_size` to the one of `new_size`.
using ConsistencyFetcher =
    std::function<absl::StatusOr<std::vector<std::string>>(uint64_t old_size, uint64_t new_size)>;

// Whether `next` (the log's newest signed checkpoint) may be accepted after `state`. Each refusal
// is FAILED_PRECONDITION saying what failed: not signed by the trusted key, for another origin, a
// smaller tree than the one accepted, another root for the same size, or a consistency proof that
// does not verify (and at which step). A failed fetch is returned as it is. Returns `next` opened.
absl::StatusOr<TreeCheckpoint> CheckNextCheckpoint(const WitnessState& state, absl::string_view next,
                                                   const ConsistencyFetcher& fetch);

}  // namespace salesledger

#endif  // SALESLEDGER_TRANSPARENCY_WITNESS_H_
