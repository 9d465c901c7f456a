#include "domain/policy.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "domain/validation.h"

namespace salesledger {

using salesledger::v1::LagRule;
using salesledger::v1::Policy;

namespace {

LagRule Lag(int64_t minutes, int64_t amount, int64_t joint) {
  LagRule r;
  r.set_enabled(true);
  r.set_max_lag_minutes(minutes);
  r.set_amount_fen(amount);
  r.set_joint_amount_fen(joint);
  return r;
}

absl::Status Range(const std::string& field, int64_t value, int64_t lo, int64_t hi) {
  if (value < lo || value > hi) {
    return absl::InvalidArgumentError(
        absl::StrCat("field 'policy.", field, "' must be in ", lo, "..", hi, "; got ", value));
  }
  return absl::OkStatus();
}

absl::Status CheckLag(const std::string& name, bool present, const LagRule& r) {
  if (!present) return absl::InvalidArgumentError(absl::StrCat("field 'policy.", name, "' is required"));
  if (auto s = Range(name + ".max_lag_minutes", r.max_lag_minutes(), 0, 525600); !s.ok()) return s;
  if (auto s = Range(name + ".amount_fen", r.amount_fen(), 0, kMaxMoneyFen); !s.ok()) return s;
  return Range(name + ".joint_amount_fen", r.joint_amount_fen(), 0, kMaxMoneyFen);
}

}  // namespace

Policy DefaultPolicy() {
  Policy p;
  p.set_version(1);
  auto* visit = p.mutable_visit_late();
  visit->set_enabled(true);
  visit->set_cutoff_minute_of_day(1440);
  visit->set_warnings_per_month(1);
  visit->set_amount_fen(5000);
  *p.mutable_subscription_backfilled() = Lag(30, 10000, 10000);
  *p.mutable_payment_backfilled() = Lag(30, 10000, 10000);
  auto* audit = p.mutable_audit_overdue();
  audit->set_enabled(true);
  audit->set_after_hours(24);
  audit->set_amount_fen(10000);
  audit->set_joint_amount_fen(10000);
  *p.mutable_service_step_late() = Lag(24 * 60, 10000, 10000);
  auto* plan = p.mutable_plan_missing();
  plan->set_enabled(true);
  plan->set_plan_deadline_month(1);
  plan->set_plan_deadline_day(31);
  plan->set_plan_days_after_project(30);
  plan->set_feedback_day(5);
  plan->set_amount_fen(0);
  p.set_reserve_unit_minutes(30);
  p.set_sign_contract_minutes(30);
  p.set_request_change_minutes(30);
  p.set_inspection_minute_of_day(18 * 60);
  p.set_token_max_age_days(kDefaultTokenMaxAgeDays);
  return p;
}

absl::Status CheckPolicy(const Policy& p) {
  if (!p.has_visit_late()) return absl::InvalidArgumentError("field 'policy.visit_late' is required");
  const auto& v = p.visit_late();
  if (auto s = Range("visit_late.cutoff_minute_of_day", v.cutoff_minute_of_day(), 1, 1440); !s.ok()) return s;
  if (auto s = Range("visit_late.warnings_per_month", v.warnings_per_month(), 0, 1000); !s.ok()) return s;
  if (auto s = Range("visit_late.amount_fen", v.amount_fen(), 0, kMaxMoneyFen); !s.ok()) return s;
  if (auto s = CheckLag("subscription_backfilled", p.has_subscription_backfilled(), p.subscription_backfilled());
      !s.ok()) {
    return s;
  }
  if (auto s = CheckLag("payment_backfilled", p.has_payment_backfilled(), p.payment_backfilled()); !s.ok()) return s;
  if (auto s = CheckLag("service_step_late", p.has_service_step_late(), p.service_step_late()); !s.ok()) return s;
  if (!p.has_audit_overdue()) return absl::InvalidArgumentError("field 'policy.audit_overdue' is required");
  const auto& a = p.audit_overdue();
  if (auto s = Range("audit_overdue.after_hours", a.after_hours(), 1, 8760); !s.ok()) return s;
  if (auto s = Range("audit_overdue.amount_fen", a.amount_fen(), 0, kMaxMoneyFen); !s.ok()) return s;
  if (auto s = Range("audit_overdue.joint_amount_fen", a.joint_amount_fen(), 0, kMaxMoneyFen); !s.ok()) return s;
  if (!p.has_plan_missing()) return absl::InvalidArgumentError("field 'policy.plan_missing' is required");
  const auto& m = p.plan_missing();
  if (auto s = Range("plan_missing.plan_deadline_month", m.plan_deadline_month(), 1, 12); !s.ok()) return s;
  // A day every year has: 30 Feb would quietly become 2 March, and 29 Feb would move.
  const int days_in_month = static_cast<int>(
      (absl::CivilDay(absl::CivilMonth(2001, m.plan_deadline_month()) + 1) - 1).day());
  if (auto s = Range("plan_missing.plan_deadline_day", m.plan_deadline_day(), 1, days_in_month); !s.ok()) return s;
  if (auto s = Range("plan_missing.plan_days_after_project", m.plan_days_after_project(), 0, 366); !s.ok()) return s;
  if (auto s = Range("plan_missing.feedback_day", m.feedback_day(), 1, 28); !s.ok()) return s;
  if (auto s = Range("plan_missing.amount_fen", m.amount_fen(), 0, kMaxMoneyFen); !s.ok()) return s;
  for (auto [name, value] : {std::pair<const char*, int64_t>{"reserve_unit_minutes", p.reserve_unit_minutes()},
                             {"sign_contract_minutes", p.sign_contract_minutes()},
                             {"request_change_minutes", p.request_change_minutes()}}) {
    if (auto s = Range(name, value, 0, 525600); !s.ok()) return s;
  }
  if (auto s = Range("token_max_age_days", p.token_max_age_days(), 0, 3650); !s.ok()) return s;
  return Range("inspection_minute_of_day", p.inspection_minute_of_day(), 0, 1439);
}

}  // namespace salesledger
