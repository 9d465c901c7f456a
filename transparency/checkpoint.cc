#include "transparency/checkpoint.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "transparency/merkle.h"

namespace salesledger {

std::string TreeCheckpoint::Body() const { return absl::StrCat(origin, "\n", size, "\n", absl::Base64Escape(root), "\n"); }

absl::StatusOr<TreeCheckpoint> ParseCheckpointBody(absl::string_view text) {
  if (text.empty() || text.back() != '\n') return absl::InvalidArgumentError("a checkpoint ends in a newline");
  text.remove_suffix(1);
  const std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  if (lines.size() != 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("a checkpoint is three lines (origin, size, root hash); this one has ", lines.size()));
  }
  TreeCheckpoint c;
  c.origin = std::string(lines[0]);
  if (c.origin.empty()) return absl::InvalidArgumentError("the checkpoint's origin line is empty");
  if (!absl::SimpleAtoi(lines[1], &c.size) || absl::StrCat(c.size) != lines[1]) {
    return absl::InvalidArgumentError(absl::StrCat("the checkpoint's size line '", lines[1], "' is not a decimal number"));
  }
  if (!absl::Base64Unescape(lines[2], &c.root) || c.root.size() != merkle::kHashBytes ||
      absl::Base64Escape(c.root) != lines[2]) {
    return absl::InvalidArgumentError("the checkpoint's root line is not the base64 of a 32-byte hash");
  }
  return c;
}

std::string SignCheckpoint(const TreeCheckpoint& checkpoint, const note::Signer& log) {
  return note::Sign(checkpoint.Body(), log);
}

absl::StatusOr<TreeCheckpoint> OpenCheckpoint(absl::string_view signed_note, const note::Verifier& log) {
  ASSIGN_OR_RETURN(const std::string text, note::Open(signed_note, log));
  ASSIGN_OR_RETURN(TreeCheckpoint c, ParseCheckpointBody(text));
  if (c.origin != log.name) {
    return absl::FailedPreconditionError(absl::StrCat("the checkpoint is for origin '", c.origin, "', not '", log.name,
                                                      "' (another log's)"));
  }
  return c;
}

}  // namespace salesledger
