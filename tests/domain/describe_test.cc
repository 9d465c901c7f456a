// Records' states in words (domain/describe.h), as refusals quote them.
#include "domain/describe.h"

#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"

namespace salesledger::testing {
namespace {

TEST(DescribeTest, UnitsByStatus) {
  Unit u;
  u.unit_id = "A1";
  struct Row {
    UnitStatus status;
    bool rejected;
    std::string words;
  };
  u.reservation_id = "R1";
  u.subscription_id = "S1";
  u.contract_id = "K1";
  for (const Row& r : std::vector<Row>{{UnitStatus::kDraft, false, "DRAFT (not yet reviewed)"},
                                       {UnitStatus::kDraft, true, "DRAFT (sent back by the last review)"},
                                       {UnitStatus::kReviewed, false, "REVIEWED (waiting for marketing's confirm_setup)"},
                                       {UnitStatus::kAvailable, false, "AVAILABLE"},
                                       {UnitStatus::kHeld, false, "HELD (held by the sales lead)"},
                                       {UnitStatus::kReserved, false, "RESERVED (reservation R1)"},
                                       {UnitStatus::kSubscribed, false, "SUBSCRIBED (subscription S1)"},
                                       {UnitStatus::kContracted, false, "CONTRACTED (contract K1)"}}) {
    u.status = r.status;
    u.rejected = r.rejected;
    EXPECT_EQ(DescribeUnit(u), r.words);
  }
}

TEST(DescribeTest, AuditsDecisionsAndVoids) {
  Auditable a;
  EXPECT_EQ(DescribeAudit(a), "not audited");
  a.audit = AuditStatus::kApproved;
  a.audit_seq = 33;
  EXPECT_EQ(DescribeAudit(a), "audited at seq 33");
  a.audit = AuditStatus::kRejected;
  EXPECT_EQ(DescribeAudit(a), "rejected at seq 33");
  EXPECT_EQ(DescribeDecision(DecisionStatus::kPending, 0), "pending");
  EXPECT_EQ(DescribeDecision(DecisionStatus::kRejected, 41), "rejected at seq 41");
  Project p;
  EXPECT_EQ(DescribeVoided(p, 7), "voided");  // no approved void on record: the bare fact
  p.voids["VD1"] = VoidRequest{"VD1", 7, "gw01", DecisionStatus::kRejected, 8};
  p.voids["VD2"] = VoidRequest{"VD2", 7, "gw01", DecisionStatus::kApproved, 9};
  EXPECT_EQ(DescribeVoided(p, 7), "voided by void VD2 at seq 9");
}

}  // namespace
}  // namespace salesledger::testing
