// What the read models share: the project a query names, pages, names of states. Internal to
// queries/. Pure; thread-safe as their arguments are.
#ifndef SALESLEDGER_QUERIES_READ_SUPPORT_H_
#define SALESLEDGER_QUERIES_READ_SUPPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "domain/decide_support.h"
#include "domain/state.h"

namespace salesledger {

// The project a query names: INVALID_ARGUMENT for a malformed id, NOT_FOUND for no such project.
// Who may read it is the service's business (domain/access.h).
absl::StatusOr<Ref<Project>> ProjectOf(const State& state, const std::string& project_id);

// A page's size: the request's, else 100, at most 1000.
int PageSize(int requested);

const char* AuditName(AuditStatus audit);   // NONE, APPROVED, REJECTED
const char* SetupName(SetupStatus setup);   // DRAFT, REVIEWED, CONFIRMED

// A day YYYY-MM-DD; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<absl::CivilDay> ParseDay(const char* field, const std::string& text);

// The value at `pct` percent by nearest rank (0 for none).
int64_t Percentile(std::vector<uint32_t> values, int pct);

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_READ_SUPPORT_H_
