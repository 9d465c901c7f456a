#include "domain/rule.h"

#include "gtest/gtest.h"

namespace salesledger {
namespace {

TEST(RuleTest, NamesRoundTripAndStandingRules) {
  for (Rule r : {Rule::kVisitLate, Rule::kSubscriptionBackfilled, Rule::kPaymentBackfilled, Rule::kAuditOverdue,
                 Rule::kServiceStepLate, Rule::kPlanMissing}) {
    EXPECT_EQ(ParseRule(RuleName(r)), r);
  }
  EXPECT_EQ(RuleName(Rule::kPaymentBackfilled), "payment_backfilled");
  EXPECT_FALSE(ParseRule("late").has_value());
  EXPECT_TRUE(IsStanding(Rule::kAuditOverdue));
  EXPECT_TRUE(IsStanding(Rule::kPlanMissing));
  EXPECT_FALSE(IsStanding(Rule::kVisitLate));
}

}  // namespace
}  // namespace salesledger
