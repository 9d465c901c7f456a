// The system's own downtime (SPEC.md §3.12). ledgerd records each of its starts; a FINANCE_LEAD
// declares an outage, and every violation whose deadline fell inside it is excused: it stays on
// record and leaves the totals, as a waiver would. The excusal is state kept up to date here and
// in the rules (rules.cc marks a violation raised later), so that totals stay a plain sum.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "domain/commands.h"
#include "domain/decide_support.h"
#include "domain/validation.h"

namespace salesledger {
namespace {

using namespace salesledger::v1;

constexpr int64_t kAnyNumber = int64_t{1} << 40;

// Marks every violation as an outage now says: excused when some active outage covers it.
void Reexcuse(State& state) {
  for (size_t i = 0; i < state.violations.size(); ++i) {
    Violation& v = state.violations[i];
    v.excused = state.ExcusingOutage(v.project_id, v.Deadline()) != nullptr;
  }
}

}  // namespace

absl::Status DecideDeclareOutage(const State& state, const DeclareOutageRequest& r, const DecideContext& c,
                                 Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("outage_id"), Ids("project_ids", 0, kAnyNumber), Text("reason")}));
  if (!r.has_from()) return absl::InvalidArgumentError("field 'from' is required: when the outage began");
  if (!r.has_to()) return absl::InvalidArgumentError("field 'to' is required: when the system was back");
  const absl::Time from = FromProto(r.from()), to = FromProto(r.to());
  if (from >= to) {
    return absl::InvalidArgumentError(absl::StrCat("field 'to' (", absl::FormatTime(absl::RFC3339_sec, to, absl::UTCTimeZone()),
                                                   ") must come after field 'from' (",
                                                   absl::FormatTime(absl::RFC3339_sec, from, absl::UTCTimeZone()), ")"));
  }
  // An outage is declared once it has happened: one declared ahead would excuse lateness to come.
  if (to > c.recorded_at + kMaxFutureSkew) {
    return absl::InvalidArgumentError(absl::StrCat("field 'to' is in the future (",
                                                   absl::FormatTime(absl::RFC3339_sec, to, absl::UTCTimeZone()),
                                                   "): declare an outage when it is over"));
  }
  for (const auto& p : r.project_ids()) {
    if (state.FindProject(p) == nullptr) return absl::NotFoundError(absl::StrCat("project '", p, "' not found"));
  }
  if (state.outages.contains(r.outage_id())) {
    return absl::AlreadyExistsError(absl::StrCat("outage '", r.outage_id(), "' already exists"));
  }
  Record(event, event.mutable_declare_outage(), r);
  return absl::OkStatus();
}

void ApplyDeclareOutage(State& state, const Event& event, const DeclareOutageRequest& b) {
  Outage& o = state.outages[b.outage_id()];
  o.outage_id = b.outage_id();
  o.seq = event.seq();
  o.from = FromProto(b.from());
  o.to = FromProto(b.to());
  o.project_ids.assign(b.project_ids().begin(), b.project_ids().end());
  o.reason = b.reason();
  o.declared_by = event.actor_id();
  Reexcuse(state);
}

absl::Status DecideWithdrawOutage(const State& state, const WithdrawOutageRequest& r, const DecideContext&,
                                  Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("outage_id"), Text("reason")}));
  auto it = state.outages.find(r.outage_id());
  if (it == state.outages.end()) return absl::NotFoundError(absl::StrCat("outage '", r.outage_id(), "' not found"));
  if (it->second.withdrawn_seq != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("outage '", r.outage_id(), "' was already withdrawn (seq ", it->second.withdrawn_seq, ")"));
  }
  Record(event, event.mutable_withdraw_outage(), r);
  return absl::OkStatus();
}

void ApplyWithdrawOutage(State& state, const Event& event, const WithdrawOutageRequest& b) {
  state.outages[b.outage_id()].withdrawn_seq = event.seq();
  Reexcuse(state);
}

absl::Status DecideServerStarted(const State&, const ServerStartedRequest& r, const DecideContext& c, Event& event) {
  // Only ledgerd records its own starts; the `system` principal has no token, so no client can.
  if (c.actor.person_id != kSystemPersonId) {
    return absl::PermissionDeniedError(
        absl::StrCat(c.actor.person_id, " may not server_started: ledgerd records its own starts"));
  }
  RETURN_IF_ERROR(CheckFields(r, {OptionalText("version")}));
  Record(event, event.mutable_server_started(), r);
  return absl::OkStatus();
}

void ApplyServerStarted(State&, const Event&, const ServerStartedRequest&) {}  // a statement, kept in the log

}  // namespace salesledger
