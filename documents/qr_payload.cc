#include "documents/qr_payload.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace salesledger {
namespace {

constexpr char kHeader[] = "salesledger document v1\n";

absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("the QR code is not a salesledger document's: ", what));
}

}  // namespace

std::string QrPayload::ToText() const {
  return absl::StrCat(kHeader, "entry ", entry_seq, " ", absl::Base64Escape(entry_leaf), "\nprint ", print_seq, "\n",
                      checkpoint);
}

absl::StatusOr<QrPayload> ParseQrPayload(absl::string_view text) {
  if (!absl::ConsumePrefix(&text, kHeader)) return Malformed("its first line is not 'salesledger document v1'");
  QrPayload p;
  const size_t entry_end = text.find('\n');
  if (entry_end == absl::string_view::npos) return Malformed("no 'entry' line");
  const std::vector<absl::string_view> entry = absl::StrSplit(text.substr(0, entry_end), ' ');
  if (entry.size() != 3 || entry[0] != "entry" || !absl::SimpleAtoi(entry[1], &p.entry_seq) || p.entry_seq == 0 ||
      !absl::Base64Unescape(entry[2], &p.entry_leaf) || p.entry_leaf.size() != 32) {
    return Malformed("the 'entry' line is not 'entry <seq> <base64 of 32 bytes>'");
  }
  text.remove_prefix(entry_end + 1);
  const size_t print_end = text.find('\n');
  absl::string_view print = text.substr(0, print_end);
  if (print_end == absl::string_view::npos || !absl::ConsumePrefix(&print, "print ") ||
      !absl::SimpleAtoi(print, &p.print_seq) || p.print_seq == 0) {
    return Malformed("the 'print' line is not 'print <seq>'");
  }
  p.checkpoint = std::string(text.substr(print_end + 1));
  if (p.checkpoint.empty()) return Malformed("it holds no checkpoint");
  return p;
}

}  // namespace salesledger
