#include "transparency/witness.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "transparency/merkle.h"

namespace salesledger {
namespace {

constexpr char kHeader[] = "salesledger witness\n";

}  // namespace

std::string WitnessState::ToText() const {
  std::string out = absl::StrCat(kHeader, "log-key ", log_key.ToString(), "\n");
  if (!checkpoint.empty()) {
    absl::StrAppend(&out, "accepted-at ", absl::FormatTime(absl::RFC3339_sec, accepted_at, absl::UTCTimeZone()),
                    "\ncheckpoint\n", checkpoint);
  }
  return out;
}

absl::StatusOr<WitnessState> ParseWitnessState(absl::string_view text) {
  if (!absl::ConsumePrefix(&text, kHeader)) {
    return absl::InvalidArgumentError("a witness state file starts with the line 'salesledger witness'");
  }
  WitnessState state;
  const size_t split = text.find("\ncheckpoint\n");
  absl::string_view head = split == absl::string_view::npos ? text : text.substr(0, split + 1);
  if (split != absl::string_view::npos) state.checkpoint = std::string(text.substr(split + 12));
  bool key = false;
  for (absl::string_view line : absl::StrSplit(head, '\n', absl::SkipEmpty())) {
    if (absl::ConsumePrefix(&line, "log-key ")) {
      ASSIGN_OR_RETURN(state.log_key, note::ParseVerifierKey(line));
      key = true;
    } else if (absl::ConsumePrefix(&line, "accepted-at ")) {
      std::string error;
      if (!absl::ParseTime(absl::RFC3339_full, line, &state.accepted_at, &error)) {
        return absl::InvalidArgumentError(absl::StrCat("accepted-at '", line, "': ", error));
      }
    } else {
      return absl::InvalidArgumentError(absl::StrCat("the line '", line, "' is not part of a witness state"));
    }
  }
  if (!key) return absl::InvalidArgumentError("a witness state names the log's verifier key (log-key)");
  return state;
}

absl::StatusOr<TreeCheckpoint> CheckNextCheckpoint(const WitnessState& state, absl::string_view next,
                                                   const ConsistencyFetcher& fetch) {
  absl::StatusOr<TreeCheckpoint> opened = OpenCheckpoint(next, state.log_key);
  if (!opened.ok()) {
    return absl::FailedPreconditionError(absl::StrCat("the log's checkpoint is refused: ", opened.status().message()));
  }
  if (state.checkpoint.empty()) return opened;
  ASSIGN_OR_RETURN(const TreeCheckpoint last, OpenCheckpoint(state.checkpoint, state.log_key));
  const std::string since = absl::StrCat("the checkpoint accepted at ",
                                         absl::FormatTime(absl::RFC3339_sec, state.accepted_at, absl::UTCTimeZone()),
                                         " (tree size ", last.size, ", root ", absl::Base64Escape(last.root), ")");
  if (opened->size < last.size) {
    return absl::FailedPreconditionError(absl::StrCat("the log now shows a smaller tree (size ", opened->size,
                                                      ") than ", since, ": it was rolled back or replaced"));
  }
  if (opened->size == last.size) {
    if (opened->root != last.root) {
      return absl::FailedPreconditionError(absl::StrCat("the log now shows root ", absl::Base64Escape(opened->root),
                                                        " for the same tree size as ", since,
                                                        ": the log was rewritten"));
    }
    return opened;
  }
  ASSIGN_OR_RETURN(std::vector<std::string> proof, fetch(last.size, opened->size));
  if (absl::Status s = merkle::VerifyConsistency(last.size, opened->size, proof, last.root, opened->root); !s.ok()) {
    return absl::FailedPreconditionError(absl::StrCat("the log's tree of size ", opened->size,
                                                      " is not consistent with ", since, ": ", s.message(),
                                                      ". The entries up to size ", last.size,
                                                      " were changed after the witness saw them"));
  }
  return opened;
}

}  // namespace salesledger
