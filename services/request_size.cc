#include "services/request_size.h"

#include "absl/strings/str_cat.h"

namespace salesledger {

absl::Status CheckRequestSize(const google::protobuf::Message& request) {
  const size_t bytes = request.ByteSizeLong();
  if (bytes <= kMaxRequestBytes) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "the request has ", bytes, " bytes; at most 1 MiB (", kMaxRequestBytes,
      " bytes) is accepted: split a batch into smaller ones (ledgerctl import sends at most 500 commands or 256 KiB "
      "a call), or shorten the text fields"));
}

}  // namespace salesledger
