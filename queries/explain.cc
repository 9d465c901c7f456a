#include "queries/explain.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "domain/apply.h"

namespace salesledger {
namespace {

// Why the rule fired, in words, from the late entry (or, for standing rules, the one found).
std::string Why(const Violation& v, const v1::Event& entry) {
  const int64_t lag_minutes = absl::ToInt64Minutes(FromProto(entry.recorded_at()) - FromProto(entry.occurred_at()));
  switch (v.rule) {
    case Rule::kAuditOverdue:
      return absl::StrCat("the ", EventKind(entry), " at seq ", v.entry_seq,
                          " was still unaudited at the inspection of seq ", v.event_seq,
                          ", more than the allowed hours after it was recorded");
    case Rule::kPlanMissing:
      return absl::StrCat("the inspection of seq ", v.event_seq,
                          " found no sales plan or monthly feedback recorded by its deadline");
    case Rule::kVisitLate:
    case Rule::kSubscriptionBackfilled:
    case Rule::kPaymentBackfilled:
    case Rule::kServiceStepLate:
      return absl::StrCat("the ", EventKind(entry), " at seq ", v.entry_seq, " was recorded ", lag_minutes,
                          " minutes after the moment it records, past its deadline");
  }
  return "";
}

}  // namespace

absl::StatusOr<v1::ExplainViolationResponse> ExplainViolation(const State& state, const EventSource& events,
                                                              const v1::ExplainViolationRequest& request) {
  const Violation* found = state.violations.Find(request.violation_id());
  if (found == nullptr) {
    return absl::NotFoundError(absl::StrCat("violation '", request.violation_id(), "' not found"));
  }
  const Violation& v = *found;
  v1::ExplainViolationResponse out;
  out.set_violation_id(v.violation_id);
  out.set_rule(std::string(RuleName(v.rule)));
  out.set_subject_id(v.subject_id);
  out.set_amount_fen(v.amount_fen);
  out.set_joint(v.joint);
  out.set_joins(v.joins);
  out.set_policy_version(v.policy_version);
  out.set_parameters(ViolationParameters(v));
  out.set_waived(v.waived);
  ASSIGN_OR_RETURN(*out.mutable_cause(), events.Get(v.event_seq));
  if (v.entry_seq != v.event_seq) {
    ASSIGN_OR_RETURN(*out.mutable_entry(), events.Get(v.entry_seq));
  }
  if (v.waived) {
    ASSIGN_OR_RETURN(*out.mutable_waiver(), events.Get(v.waiver_seq));
  }
  const Outage* outage = v.excused ? state.ExcusingOutage(v.project_id, v.Deadline()) : nullptr;
  if (outage != nullptr) {
    ASSIGN_OR_RETURN(*out.mutable_outage(), events.Get(outage->seq));
  }
  std::string why = Why(v, v.entry_seq == v.event_seq ? out.cause() : out.entry());
  absl::StrAppend(&why, v.joint ? absl::StrCat("; a joint fine (连带) with ", v.joins.view()) : "",
                  "; judged by policy version ", v.policy_version, " (", ViolationParameters(v), ")",
                  v.waived ? absl::StrCat("; waived at seq ", v.waiver_seq, ": ", out.waiver().waive_violation().reason())
                           : "",
                  outage != nullptr
                      ? absl::StrCat("; excused by outage ", outage->outage_id, " (seq ", outage->seq, ", ",
                                     absl::FormatTime(absl::RFC3339_sec, outage->from, absl::UTCTimeZone()), " to ",
                                     absl::FormatTime(absl::RFC3339_sec, outage->to, absl::UTCTimeZone()),
                                     "): its deadline ",
                                     absl::FormatTime(absl::RFC3339_sec, v.Deadline(), absl::UTCTimeZone()),
                                     " fell while the system was down: ", outage->reason)
                      : "");
  out.set_explanation(why);
  return out;
}

}  // namespace salesledger
