#include "queries/read_support.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/validation.h"

namespace salesledger {

absl::StatusOr<Ref<Project>> ProjectOf(const State& state, const std::string& project_id) {
  RETURN_IF_ERROR(CheckId("project_id", project_id));
  const Project* p = state.FindProject(project_id);
  if (p == nullptr) return absl::NotFoundError(absl::StrCat("project '", project_id, "' not found"));
  return std::cref(*p);
}

int PageSize(int requested) {
  constexpr int kDefaultPageSize = 100, kMaxPageSize = 1000;
  return requested <= 0 ? kDefaultPageSize : std::min(requested, kMaxPageSize);
}

const char* AuditName(AuditStatus audit) {
  switch (audit) {
    case AuditStatus::kNone: return "NONE";
    case AuditStatus::kApproved: return "APPROVED";
    case AuditStatus::kRejected: return "REJECTED";
  }
  return "?";
}

const char* SetupName(SetupStatus setup) {
  switch (setup) {
    case SetupStatus::kDraft: return "DRAFT";
    case SetupStatus::kReviewed: return "REVIEWED";
    case SetupStatus::kConfirmed: return "CONFIRMED";
  }
  return "?";
}

absl::StatusOr<absl::CivilDay> ParseDay(const char* field, const std::string& text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(absl::StrCat("field '", field, "' must be a day YYYY-MM-DD; got '", text, "'"));
  }
  return day;
}

int64_t Percentile(std::vector<uint32_t> values, int pct) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t rank = (values.size() * pct + 99) / 100;
  return values[std::max<size_t>(rank, 1) - 1];
}

}  // namespace salesledger
