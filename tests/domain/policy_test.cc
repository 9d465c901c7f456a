// The built-in policy (the seed's, SPEC.md §6.1) and the checks of a published one.
#include "domain/policy.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace salesledger::testing {
namespace {

using ::testing::HasSubstr;

TEST(PolicyTest, TheDefaultIsTheSeed) {
  const v1::Policy p = DefaultPolicy();
  EXPECT_EQ(p.version(), 1u);
  EXPECT_EQ(p.visit_late().cutoff_minute_of_day(), 1440);
  EXPECT_EQ(p.visit_late().warnings_per_month(), 1);
  EXPECT_EQ(p.visit_late().amount_fen(), 5000);
  EXPECT_EQ(p.subscription_backfilled().max_lag_minutes(), 30);
  EXPECT_EQ(p.subscription_backfilled().joint_amount_fen(), 10000);
  EXPECT_EQ(p.payment_backfilled().amount_fen(), 10000);
  EXPECT_EQ(p.audit_overdue().after_hours(), 24);
  EXPECT_EQ(p.service_step_late().max_lag_minutes(), 24 * 60);
  EXPECT_EQ(p.plan_missing().amount_fen(), 0);
  EXPECT_EQ(p.inspection_minute_of_day(), 18 * 60);
  EXPECT_THAT(CheckPolicy(p), IsOk());
}

TEST(PolicyTest, EachNumberIsRangeChecked) {
  struct Row {
    std::function<void(v1::Policy&)> edit;
    std::string message;
  };
  const std::vector<Row> rows = {
      {[](v1::Policy& p) { p.clear_visit_late(); }, "field 'policy.visit_late' is required"},
      {[](v1::Policy& p) { p.mutable_visit_late()->set_cutoff_minute_of_day(0); },
       "field 'policy.visit_late.cutoff_minute_of_day' must be in 1..1440; got 0"},
      {[](v1::Policy& p) { p.mutable_payment_backfilled()->set_amount_fen(-1); },
       "field 'policy.payment_backfilled.amount_fen' must be in 0..1000000000000; got -1"},
      {[](v1::Policy& p) { p.mutable_audit_overdue()->set_after_hours(0); },
       "field 'policy.audit_overdue.after_hours' must be in 1..8760; got 0"},
      {[](v1::Policy& p) {
         p.mutable_plan_missing()->set_plan_deadline_month(2);
         p.mutable_plan_missing()->set_plan_deadline_day(29);
       },
       "field 'policy.plan_missing.plan_deadline_day' must be in 1..28; got 29"},
      {[](v1::Policy& p) { p.mutable_plan_missing()->set_feedback_day(29); },
       "field 'policy.plan_missing.feedback_day' must be in 1..28; got 29"},
      {[](v1::Policy& p) { p.set_inspection_minute_of_day(1440); },
       "field 'policy.inspection_minute_of_day' must be in 0..1439; got 1440"},
  };
  for (const Row& r : rows) {
    v1::Policy p = DefaultPolicy();
    r.edit(p);
    EXPECT_THAT(CheckPolicy(p), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(r.message))) << r.message;
  }
}

}  // namespace
}  // namespace salesledger::testing
