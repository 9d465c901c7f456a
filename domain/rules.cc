#include "domain/rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/period.h"
#include "base/time_proto.h"
#include "domain/deadlines.h"

namespace salesledger {
namespace {

using namespace salesledger::v1;

std::string SupervisorOf(const State& state, const std::string& person_id) {
  auto it = state.org.people.find(person_id);
  return it == state.org.people.end() ? "" : it->second.supervisor_id;
}

// Builds violation ids <seq>.<n> in the order findings are made.
class Findings {
 public:
  Findings(State& state, const Project& project, const Event& event)
      : state_(state), project_(project), event_(event), time_(FromProto(event.recorded_at())) {}

  // The subject's fine and, when `joint_subject` is set and differs, the joint fine.
  // `late_in_month` (visit_late only) is kept apart from the rule's parameters, which are then
  // shared by every violation judged under them (Violation::late_in_month).
  // `deadline` is the one missed: an outage that held it excuses the violations (SPEC.md §3.12).
  void Add(Rule rule, uint64_t entry_seq, absl::Time deadline, const std::string& subject, int64_t amount,
           const std::string& joint_subject, int64_t joint_amount, const std::string& parameters,
           int32_t late_in_month = 0) {
    if (subject.empty()) return;
    const std::string principal =
        Record(rule, entry_seq, deadline, subject, amount, false, "", parameters, late_in_month);
    if (!joint_subject.empty() && joint_subject != subject && joint_amount > 0) {
      Record(rule, entry_seq, deadline, joint_subject, joint_amount, true, principal, parameters, late_in_month);
    }
  }

 private:
  std::string Record(Rule rule, uint64_t entry_seq, absl::Time deadline, const std::string& subject, int64_t amount,
                     bool joint, const std::string& joins, const std::string& parameters, int32_t late_in_month) {
    Violation v;
    v.violation_id = absl::StrCat(event_.seq(), ".", ++n_);
    v.rule = rule;
    v.subject_id = subject;
    v.project_id = project_.project_id;
    v.amount_fen = amount;
    v.joint = joint;
    v.joins = joins;
    v.event_seq = event_.seq();
    v.entry_seq = entry_seq;
    v.time = time_;
    v.period = Period(time_, project_.zone);
    v.policy_version = event_.policy_version();
    v.parameters = parameters;
    v.late_in_month = late_in_month;
    // A deadline is never after the time it was found missed; seconds before it fit 32 bits.
    v.deadline_before_s = static_cast<uint32_t>(
        std::clamp<int64_t>(absl::ToInt64Seconds(time_ - deadline), 0, UINT32_MAX));
    v.excused = state_.ExcusingOutage(v.project_id, v.Deadline()) != nullptr;
    std::string id = v.violation_id;
    state_.violations.Add(std::move(v));  // ids are <this seq>.<n>: always new
    return id;
  }

  State& state_;
  const Project& project_;
  const Event& event_;
  const absl::Time time_;
  int n_ = 0;
};

std::string LagParameters(const LagRule& r) {
  return absl::StrCat("max_lag_minutes=", r.max_lag_minutes(), " amount_fen=", r.amount_fen(),
                      " joint_amount_fen=", r.joint_amount_fen());
}

void Inspect(State& state, const Project& project, const Event& event, const Policy& policy, Findings& findings) {
  const absl::Time t = FromProto(event.recorded_at());
  Project& p = state.projects[project.project_id];
  // (a) audit_overdue: auditable items recorded before T - after_hours, still unaudited, not voided
  // or cancelled, not charged before; in the order of the seq of the entry.
  if (policy.audit_overdue().enabled()) {
    const auto& rule = policy.audit_overdue();
    const absl::Time cutoff = t - absl::Hours(rule.after_hours());
    std::vector<std::pair<uint64_t, Auditable*>> due;
    auto consider = [&](Auditable& a, bool cancelled) {
      // A rejected item was audited (its maker must void it); only untouched ones are overdue.
      if (!a.voided && !cancelled && !a.overdue_charged && a.audit == AuditStatus::kNone && a.recorded_at < cutoff) {
        due.push_back({a.seq, &a});
      }
    };
    for (auto& [id, x] : p.payments) consider(x, false);
    for (auto& [id, x] : p.refunds) consider(x, false);
    for (auto& [id, x] : p.subscriptions) consider(x, x.status == SubscriptionStatus::kCancelled);
    for (auto& [id, x] : p.contracts) consider(x, x.status == ContractStatus::kCancelled);
    std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    const std::string params = absl::StrCat("after_hours=", rule.after_hours(), " amount_fen=", rule.amount_fen(),
                                            " joint_amount_fen=", rule.joint_amount_fen());
    for (auto& [seq, item] : due) {
      if (p.accountant_id.empty()) break;  // no designated accountant: nobody to charge
      item->overdue_charged = true;
      findings.Add(Rule::kAuditOverdue, seq, item->recorded_at + absl::Hours(rule.after_hours()), p.accountant_id,
                   rule.amount_fen(), SupervisorOf(state, p.accountant_id), rule.joint_amount_fen(), params);
    }
  }
  // (b) plan_missing: the year's plan by its deadline; each month's feedback by the feedback day.
  if (policy.plan_missing().enabled()) {
    const auto& rule = policy.plan_missing();
    std::vector<std::string> marketing;
    for (const auto& [id, person] : state.org.people) {
      if (person.HasRole(MARKETING) && !person.shared && person.active &&
          person.project_ids.contains(p.project_id)) {
        marketing.push_back(id);
      }
    }
    std::sort(marketing.begin(), marketing.end());
    auto flag = [&](const std::string& key, absl::Time deadline, const std::string& what) {
      // With nobody to flag the item stays open, as audit_overdue's do without an accountant.
      if (marketing.empty() || !p.plan_flags_raised.insert(key).second) return;
      for (const auto& person : marketing) {
        findings.Add(Rule::kPlanMissing, event.seq(), deadline, person, rule.amount_fen(), "", 0,
                     absl::StrCat(what, " plan_deadline=", rule.plan_deadline_month(), "-", rule.plan_deadline_day(),
                                  " plan_days_after_project=", rule.plan_days_after_project(),
                                  " feedback_day=", rule.feedback_day()));
      }
    };
    const absl::CivilDay today = absl::ToCivilDay(t, p.zone);
    const int year = static_cast<int>(today.year());
    const absl::Time jan_deadline =
        absl::FromCivil(absl::CivilDay(year, rule.plan_deadline_month(), rule.plan_deadline_day()) + 1, p.zone);
    // "30 days after the project was defined" is a day, as "31 Jan" is: the plan is due by its end.
    const absl::Time after_project = absl::FromCivil(
        absl::ToCivilDay(p.defined_at, p.zone) + rule.plan_days_after_project() + 1, p.zone);
    const absl::Time plan_deadline = std::max(jan_deadline, after_project);
    if (t > plan_deadline) {
      auto first = p.first_plan_recorded.find(year);
      if (first == p.first_plan_recorded.end() || first->second > plan_deadline) {
        flag(absl::StrCat(year), plan_deadline, absl::StrCat("sales plan ", year));
      }
    }
    // Months after the one the project was defined in, whose feedback deadline has passed.
    absl::CivilMonth month = absl::CivilMonth(absl::ToCivilDay(p.defined_at, p.zone)) + 1;
    for (;; ++month) {
      const absl::Time deadline = absl::FromCivil(absl::CivilDay(month + 1) + rule.feedback_day(), p.zone);
      if (deadline >= t) break;
      const std::string m = absl::FormatCivilTime(month).substr(0, 7);
      auto first = p.feedback_recorded.find(m);
      if (first == p.feedback_recorded.end() || first->second > deadline) {
        flag(m, deadline, absl::StrCat("feedback ", m));
      }
    }
  }
}

}  // namespace

void ApplyRules(State& state, const Event& event, const PolicyOverride* judge_by) {
  Project* project = state.FindProject(event.project_id());
  if (project == nullptr || event.policy_version() == 0 || event.policy_version() > state.policies.size()) return;
  const bool what_if = judge_by != nullptr && Period(FromProto(event.recorded_at()), project->zone) == judge_by->period;
  const Policy& policy = what_if ? judge_by->policy : state.policies[event.policy_version() - 1];
  Findings findings(state, *project, event);
  if (event.has_run_inspection()) {
    Inspect(state, *project, event, policy, findings);
    return;
  }
  const std::optional<Deadline> deadline = DeadlineOf(policy, *project, event);
  if (!deadline) return;
  const absl::Time recorded = FromProto(event.recorded_at());
  const absl::Time occurred = FromProto(event.occurred_at());
  const bool late = deadline->Late(recorded);
  const std::string subject = EntrySubject(state, *project, event);
  const std::string period = Period(recorded, project->zone);

  TimelinessCell& cell = state.timeliness[TimelinessKey{project->project_id, subject, EventKind(event), period}];
  ++cell.entries;
  if (late) {
    ++cell.late;
    cell.late_deadlines.push_back(deadline->at);
  }
  cell.lag_seconds.push_back(
      static_cast<uint32_t>(std::clamp<int64_t>(absl::ToInt64Seconds(recorded - occurred), 0, UINT32_MAX)));
  if (!late) return;
  // A shared account is never charged: on a project with no sales lead its late entry fines nobody.
  if (auto it = state.org.people.find(subject); it != state.org.people.end() && it->second.shared) return;

  switch (event.body_case()) {
    case Event::kLogVisit: {
      const auto& rule = policy.visit_late();
      if (!rule.enabled()) return;
      const int n = ++state.late_visits[{subject, period}];
      const int64_t amount = n <= rule.warnings_per_month() ? 0 : rule.amount_fen();
      findings.Add(Rule::kVisitLate, event.seq(), deadline->at, subject, amount, "", 0,
                   absl::StrCat("cutoff_minute_of_day=", rule.cutoff_minute_of_day(), " warnings_per_month=",
                                rule.warnings_per_month(), " amount_fen=", rule.amount_fen()),
                   n);
      return;
    }
    case Event::kCreateSubscription: {
      const auto& rule = policy.subscription_backfilled();
      if (!rule.enabled()) return;
      findings.Add(Rule::kSubscriptionBackfilled, event.seq(), deadline->at, subject, rule.amount_fen(), project->sales_lead_id,
                   rule.joint_amount_fen(), LagParameters(rule));
      return;
    }
    case Event::kRecordPayment:
    case Event::kRefundPayment:
    case Event::kTransferPayment: {
      const auto& rule = policy.payment_backfilled();
      if (!rule.enabled()) return;
      findings.Add(Rule::kPaymentBackfilled, event.seq(), deadline->at, subject, rule.amount_fen(), SupervisorOf(state, subject),
                   rule.joint_amount_fen(), LagParameters(rule));
      return;
    }
    case Event::kRecordServiceStep: {
      const auto& rule = policy.service_step_late();
      if (!rule.enabled()) return;
      findings.Add(Rule::kServiceStepLate, event.seq(), deadline->at, subject, rule.amount_fen(), SupervisorOf(state, subject),
                   rule.joint_amount_fen(), LagParameters(rule));
      return;
    }
    default:
      return;  // timeliness only
  }
}

}  // namespace salesledger
