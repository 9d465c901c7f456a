// Each command's happy path and the refusals its row in SPEC.md §3 implies, through a real Ledger.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/sha256.h"
#include "queries/customers.h"
#include "queries/documents.h"
#include "queries/payments.h"
#include "queries/reports.h"
#include "queries/statements.h"
#include "queries/timeliness.h"
#include "queries/units.h"
#include "queries/views.h"
#include "tests/testing/ledger_harness.h"
#include "tests/testing/status_matchers.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;
using Code = absl::StatusCode;

constexpr char kS1[] =
    R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"gw01",)"
    R"("price_fen":190000000,"payment_plan_id":"MORTGAGE30","occurred_at":"2026-03-01T09:00:00+08:00"})";

class CommandsTest : public ::testing::Test {
 protected:
  void Subscribe() { h_.Must("kf01", "create_subscription", kS1); }
  void Pay(const std::string& id, const std::string& kind = "DEPOSIT", int64_t amount = 5000000,
           const std::string& sub = "S1") {
    h_.Must("sy01", "record_payment",
            absl::StrCat(R"({"project_id":"BJF","payment_id":")", id, R"(","customer_id":"C1",)",
                         sub.empty() ? "" : absl::StrCat(R"("subscription_id":")", sub, R"(",)"), R"("kind":")", kind,
                         R"(","amount_fen":)", amount, R"(,"method":"CASH","occurred_at":")", h_.At(), R"("})"));
  }
  std::string Change(const std::string& id, const std::string& target, const std::string& kind,
                     const std::string& extra = "") {
    return absl::StrCat(R"({"project_id":"BJF","change_id":")", id, R"(","target_id":")", target, R"(","kind":")", kind,
                        R"(","reason":"客户要求")", extra, "}");
  }
  std::string Decide(const std::string& id, bool approve = true) {
    return absl::StrCat(R"({"project_id":"BJF","change_id":")", id, R"(","approve":)", approve ? "true" : "false", "}");
  }
  std::string Target(const std::string& id, const std::string& more = "") {
    return absl::StrCat(R"({"project_id":"BJF","target_id":")", id, R"(")", more, "}");
  }

  testing::LedgerHarness h_;
};

// ---- organisation and policy ----

TEST_F(CommandsTest, ProjectsAndPeople) {
  EXPECT_THAT(h_.Do("admin", "define_project", R"({"project_id":"BJF","name":"x"})"),
              StatusIs(Code::kAlreadyExists, HasSubstr("project 'BJF'")));
  EXPECT_THAT(h_.Do("admin", "define_project", R"({"project_id":"P2","name":"x","time_zone":"Mars/Olympus"})"),
              StatusIs(Code::kInvalidArgument, HasSubstr("Mars/Olympus")));
  ASSERT_THAT(h_.Do("admin", "define_project", R"({"project_id":"P2","name":"x"})"), IsOk());
  EXPECT_EQ(h_.Read([](const State& s) { return s.projects.at("P2").time_zone; }), "Asia/Shanghai");
  EXPECT_THAT(h_.Do("admin", "add_person", R"({"person_id":"gw01","name":"x","roles":["CASHIER"]})"),
              StatusIs(Code::kAlreadyExists, HasSubstr("gw01")));
  EXPECT_THAT(h_.Do("admin", "add_person", R"({"person_id":"p3","name":"x","roles":["CASHIER"],"project_ids":["NOPE"]})"),
              StatusIs(Code::kNotFound, HasSubstr("NOPE")));
  EXPECT_THAT(h_.Do("admin", "update_person", R"({"person_id":"p3","name":"x","roles":["CASHIER"],"active":true})"),
              StatusIs(Code::kNotFound, HasSubstr("p3")));
  EXPECT_THAT(h_.Do("admin", "update_person", R"({"person_id":"gw02","name":"x","roles":["CONSULTANT"],"supervisor_id":"gw02","active":true})"),
              StatusIs(Code::kInvalidArgument, HasSubstr("own supervisor")));
  // A supervisor chain may not come back to the person: gw01 reports to xs01.
  EXPECT_THAT(h_.Do("admin", "update_person",
                    R"({"person_id":"xs01","name":"x","roles":["SALES_LEAD"],"supervisor_id":"gw01","active":true})"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("xs01 cannot report to gw01: the chain would loop "
                                                            "(xs01 -> gw01 -> xs01)")));
  ASSERT_THAT(h_.Do("admin", "update_person",
                    R"({"person_id":"gw02","name":"x","roles":["CONSULTANT"],"supervisor_id":"gw01","active":true})"),
              IsOk());
  EXPECT_THAT(h_.Do("admin", "update_person",
                    R"({"person_id":"xs01","name":"x","roles":["SALES_LEAD"],"supervisor_id":"gw02","active":true})"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("(xs01 -> gw02 -> gw01 -> xs01)")));
  // A deactivated person can no longer act.
  ASSERT_THAT(h_.Do("admin", "update_person",
                    R"({"person_id":"gw02","name":"顾二","roles":["CONSULTANT"],"project_ids":["BJF"],"active":false})"),
              IsOk());
  EXPECT_THAT(h_.Do("gw02", "record_plan_feedback", R"({"project_id":"BJF","month":"2026-03","analysis":"x"})"),
              StatusIs(Code::kUnauthenticated, HasSubstr("gw02")));
  EXPECT_THAT(h_.Do("admin", "set_project_leads", R"({"project_id":"BJF","sales_lead_id":"kf01","accountant_id":"kj01"})"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("SALES_LEAD")));
}

TEST_F(CommandsTest, TokensAreIssuedOnceAndRevokedAtOnce) {
  auto issued = h_.Run("admin", "issue_token", R"({"person_id":"gw01","token_id":"t1"})", "tok-1");
  ASSERT_THAT(issued.status(), IsOk());
  ASSERT_EQ(issued->token.size(), 64u);
  EXPECT_EQ(issued->event.issue_token().token_sha256(), Sha256(issued->token));
  auto person = h_.ledger().Authenticate(issued->token);
  ASSERT_THAT(person.status(), IsOk());
  EXPECT_EQ(person->person_id, "gw01");
  // A retry answers with the same seq but cannot show the token again: only its hash was kept.
  auto retry = h_.Run("admin", "issue_token", R"({"person_id":"gw01","token_id":"t1"})", "tok-1");
  ASSERT_THAT(retry.status(), IsOk());
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->event.seq(), issued->event.seq());
  EXPECT_EQ(retry->token, "");
  EXPECT_THAT(h_.Do("admin", "issue_token", R"({"person_id":"gw01","token_id":"t1"})"),
              StatusIs(Code::kAlreadyExists, HasSubstr("t1")));
  EXPECT_THAT(h_.Do("admin", "issue_token", R"({"person_id":"nobody","token_id":"t2"})"),
              StatusIs(Code::kNotFound, HasSubstr("nobody")));
  ASSERT_THAT(h_.Do("admin", "revoke_token", R"({"token_id":"t1"})"), IsOk());
  EXPECT_THAT(h_.ledger().Authenticate(issued->token).status(),
              StatusIs(Code::kUnauthenticated, HasSubstr("revoked")));
  EXPECT_THAT(h_.Do("admin", "revoke_token", R"({"token_id":"t1"})"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("already revoked")));
  EXPECT_THAT(h_.ledger().Authenticate("not-a-token").status(), StatusIs(Code::kUnauthenticated, HasSubstr("unknown")));
}

TEST_F(CommandsTest, PolicyVersionsApplyToLaterEvents) {
  const uint32_t before = h_.Read([](const State& s) { return s.policy().version(); });
  EXPECT_EQ(before, 1u);
  EXPECT_THAT(h_.Do("cw01", "set_policy", R"({"policy":{"visit_late":{"enabled":true,"cutoff_minute_of_day":1440}}})"),
              StatusIs(Code::kInvalidArgument, HasSubstr("policy.subscription_backfilled")));
  EXPECT_THAT(h_.Do("kf01", "set_policy", R"({"policy":{}})"), StatusIs(Code::kPermissionDenied, HasSubstr("FINANCE_LEAD")));
  v1::Policy policy = h_.Read([](const State& s) { return s.policy(); });
  {  // The plan deadline must be a day every year has.
    v1::Policy bad = policy;
    bad.mutable_plan_missing()->set_plan_deadline_month(2);
    bad.mutable_plan_missing()->set_plan_deadline_day(29);
    v1::Command refused;
    refused.mutable_set_policy()->set_request_id("policy-feb-29");
    *refused.mutable_set_policy()->mutable_policy() = bad;
    EXPECT_THAT(h_.ledger().Execute("cw01", refused).status(),
                StatusIs(Code::kInvalidArgument, HasSubstr("'policy.plan_missing.plan_deadline_day' must be in 1..28; got 29")));
    bad.mutable_plan_missing()->set_plan_deadline_month(4);
    bad.mutable_plan_missing()->set_plan_deadline_day(31);
    refused.mutable_set_policy()->set_request_id("policy-apr-31");
    *refused.mutable_set_policy()->mutable_policy() = bad;
    EXPECT_THAT(h_.ledger().Execute("cw01", refused).status(),
                StatusIs(Code::kInvalidArgument, HasSubstr("must be in 1..30; got 31")));
  }
  policy.mutable_visit_late()->set_warnings_per_month(0);
  policy.mutable_visit_late()->set_amount_fen(10000);
  v1::Command command;
  command.mutable_set_policy()->set_request_id("policy-2");
  *command.mutable_set_policy()->mutable_policy() = policy;
  auto set = h_.ledger().Execute("cw01", command);
  ASSERT_THAT(set.status(), IsOk());
  EXPECT_EQ(set->event.policy_version(), 1u);  // judged by the version in force when recorded
  EXPECT_EQ(set->event.set_policy().policy().version(), 2u);
  h_.clock().Advance(absl::Hours(48));
  auto late = h_.Run("gw01", "log_visit",
                     R"({"project_id":"BJF","visit_id":"V1","customer_id":"C1","consultant_id":"gw01","kind":"CALL","occurred_at":"2026-03-01T10:00:00+08:00"})");
  ASSERT_THAT(late.status(), IsOk());
  EXPECT_EQ(late->event.policy_version(), 2u);
  h_.Read([&](const State& s) {
    const Violation* v = s.violations.Find(absl::StrCat(late->event.seq(), ".1"));
    EXPECT_NE(v, nullptr);
    if (v == nullptr) return 0;
    EXPECT_EQ(v->amount_fen, 10000);  // no warning under version 2
    EXPECT_EQ(v->policy_version, 2u);
    EXPECT_THAT(v->parameters.str(), HasSubstr("amount_fen=10000"));
    return 0;
  });
}

// ---- units and plans ----

TEST_F(CommandsTest, SetupIsReviewedThenConfirmed) {
  EXPECT_EQ(h_.UnitStatusOf("A1-1204"), UnitStatus::kDraft);
  EXPECT_THAT(h_.Do("yx01", "confirm_setup", R"({"project_id":"BJF","item_ids":["A1-1204"]})"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("A1-1204")));
  ASSERT_THAT(h_.Do("xs01", "review_setup", R"({"project_id":"BJF","item_ids":["A1-1204"],"approve":false,"note":"价格错"})"),
              IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1204"), UnitStatus::kDraft);  // back to the specialist
  EXPECT_TRUE(h_.Read([](const State& s) { return s.projects.at("BJF").units.at("A1-1204").rejected; }));
  ASSERT_THAT(h_.Do("xs01", "review_setup", R"({"project_id":"BJF","item_ids":["A1-1204"],"approve":true})"), IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1204"), UnitStatus::kReviewed);
  EXPECT_THAT(h_.Do("xs01", "review_setup", R"({"project_id":"BJF","item_ids":["A1-1204"],"approve":true})"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("REVIEWED")));
  // One bad item refuses the whole list.
  EXPECT_THAT(h_.Do("yx01", "confirm_setup", R"({"project_id":"BJF","item_ids":["A1-1204","A1-1201"]})"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("A1-1201")));
  EXPECT_THAT(h_.Do("yx01", "confirm_setup", R"({"project_id":"BJF","item_ids":["A1-1204","NOPE"]})"),
              StatusIs(Code::kNotFound, HasSubstr("NOPE")));
  ASSERT_THAT(h_.Do("yx01", "confirm_setup", R"({"project_id":"BJF","item_ids":["A1-1204"]})"), IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1204"), UnitStatus::kAvailable);
  EXPECT_THAT(h_.Do("kf01", "define_unit",
                    R"({"project_id":"BJF","unit_id":"C1","building":"A","floor":1,"room":"1","product_type":"x","area_x100":1,"list_price_fen":1})"),
              StatusIs(Code::kAlreadyExists, HasSubstr("already names a customer")));
}

TEST_F(CommandsTest, ListPriceChangeSendsAnUnsoldUnitBackToReview) {
  ASSERT_THAT(h_.Do("kf01", "change_list_price", R"({"project_id":"BJF","unit_id":"A1-1202","list_price_fen":210000000})"),
              IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1202"), UnitStatus::kDraft);
  Subscribe();
  ASSERT_THAT(h_.Do("kf01", "change_list_price", R"({"project_id":"BJF","unit_id":"A1-1201","list_price_fen":210000000})"),
              IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1201"), UnitStatus::kSubscribed);  // a sold unit keeps its sale
  EXPECT_EQ(h_.Read([](const State& s) { return s.projects.at("BJF").subscriptions.at("S1").price_fen; }), 190000000);
}

TEST_F(CommandsTest, HoldsMoveBetweenAvailableAndHeld) {
  const char* hold = R"({"project_id":"BJF","unit_id":"A1-1201","held":true,"reason":"领导保留"})";
  const char* release = R"({"project_id":"BJF","unit_id":"A1-1201","held":false,"reason":"放开"})";
  EXPECT_THAT(h_.Do("xs01", "set_unit_hold", release), StatusIs(Code::kFailedPrecondition, HasSubstr("AVAILABLE")));
  ASSERT_THAT(h_.Do("xs01", "set_unit_hold", hold), IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1201"), UnitStatus::kHeld);
  EXPECT_THAT(h_.Do("xs01", "set_unit_hold", hold), StatusIs(Code::kFailedPrecondition, HasSubstr("HELD")));
  EXPECT_THAT(h_.Do("kf01", "create_subscription", kS1), StatusIs(Code::kFailedPrecondition, HasSubstr("HELD")));
  ASSERT_THAT(h_.Do("xs01", "set_unit_hold", release), IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1201"), UnitStatus::kAvailable);
}

// ---- customers and visits ----

TEST_F(CommandsTest, FirstRegistrationOfAPhoneOwnsTheCustomer) {
  EXPECT_THAT(h_.Do("gw02", "register_customer",
                    R"({"project_id":"BJF","customer_id":"C9","name":"王","phone":"138-0000-0001","consultant_id":"gw02","source":"CALL"})"),
              StatusIs(Code::kAlreadyExists, HasSubstr("consultant gw01")));
  EXPECT_THAT(h_.Do("desk", "register_customer",
                    R"({"project_id":"BJF","customer_id":"C9","name":"王","phone":"13100000009","consultant_id":"desk","source":"CALL"})"),
              StatusIs(Code::kInvalidArgument, HasSubstr("shared account")));
  EXPECT_THAT(h_.Do("gw01", "register_customer",
                    R"({"project_id":"BJF","customer_id":"C9","name":"王","phone":"13100000009","consultant_id":"kf01","source":"CALL"})"),
              StatusIs(Code::kInvalidArgument, HasSubstr("CONSULTANT")));
  // The shared desk account logs a visit naming the consultant who served.
  EXPECT_THAT(h_.Do("desk", "log_visit",
                    absl::StrCat(R"({"project_id":"BJF","visit_id":"V1","customer_id":"C1","consultant_id":"gw01","kind":"VISIT","occurred_at":")",
                                 h_.At(), R"("})")),
              IsOk());
}

// ---- sales ----

TEST_F(CommandsTest, ReservationConvertsIntoASubscriptionForItsCustomer) {
  const std::string reserve = absl::StrCat(
      R"({"project_id":"BJF","reservation_id":"R1","unit_id":"A1-1201","customer_id":"C1","occurred_at":")", h_.At(), R"("})");
  ASSERT_THAT(h_.Do("kf01", "reserve_unit", reserve), IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1201"), UnitStatus::kReserved);
  EXPECT_THAT(h_.Do("kf01", "create_subscription",
                    R"({"project_id":"BJF","subscription_id":"S2","unit_id":"A1-1201","customer_ids":["C2"],"consultant_id":"gw02","price_fen":1,"payment_plan_id":"MORTGAGE30","occurred_at":"2026-03-01T09:00:00+08:00"})"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("RESERVED for customer C1")));
  ASSERT_THAT(h_.Do("kf01", "create_subscription", kS1), IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1201"), UnitStatus::kSubscribed);
  EXPECT_THAT(h_.Do("kf01", "cancel_reservation", R"({"project_id":"BJF","reservation_id":"R1","reason":"x"})"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("no longer active")));
}

TEST_F(CommandsTest, CancelledReservationFreesTheUnit) {
  ASSERT_THAT(h_.Do("kf01", "reserve_unit",
                    absl::StrCat(R"({"project_id":"BJF","reservation_id":"R1","unit_id":"A1-1201","customer_id":"C1","occurred_at":")",
                                 h_.At(), R"("})")),
              IsOk());
  ASSERT_THAT(h_.Do("kf01", "cancel_reservation", R"({"project_id":"BJF","reservation_id":"R1","reason":"不买了"})"), IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1201"), UnitStatus::kAvailable);
}

TEST_F(CommandsTest, ContractsAndChanges) {
  Subscribe();
  const char* contract =
      R"({"project_id":"BJF","contract_id":"K1","subscription_id":"S1","contract_no":"HT-1","price_fen":190000000,"occurred_at":"2026-03-01T09:00:00+08:00"})";
  ASSERT_THAT(h_.Do("kf01", "sign_contract", contract), IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1201"), UnitStatus::kContracted);
  EXPECT_THAT(h_.Do("kf01", "sign_contract",
                    R"({"project_id":"BJF","contract_id":"K2","subscription_id":"S1","contract_no":"HT-2","price_fen":1,"occurred_at":"2026-03-01T09:00:00+08:00"})"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("not active")));
  // Changes go to the contract now.
  EXPECT_THAT(h_.Do("kf01", "request_change", Change("CH0", "S1", "CANCEL")),
              StatusIs(Code::kFailedPrecondition, HasSubstr("contract K1")));
  // Change of unit: the new unit takes the old one's status.
  ASSERT_THAT(h_.Do("kf01", "request_change", Change("CH1", "K1", "CHANGE_UNIT", R"(,"new_unit_id":"A1-1202")")), IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1201"), UnitStatus::kContracted);  // nothing changes yet
  ASSERT_THAT(h_.Do("xs01", "decide_change", Decide("CH1")), IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1201"), UnitStatus::kAvailable);
  EXPECT_EQ(h_.UnitStatusOf("A1-1202"), UnitStatus::kContracted);
  EXPECT_THAT(h_.Do("xs01", "decide_change", Decide("CH1")), StatusIs(Code::kFailedPrecondition, HasSubstr("already decided")));
  // Rename, plan and price changes; a rejected change changes nothing.
  ASSERT_THAT(h_.Do("kf01", "request_change", Change("CH2", "K1", "RENAME", R"(,"new_customer_ids":["C1","C2"])")), IsOk());
  ASSERT_THAT(h_.Do("xs01", "decide_change", Decide("CH2")), IsOk());
  ASSERT_THAT(h_.Do("kf01", "request_change", Change("CH3", "K1", "CHANGE_PRICE", R"(,"new_price_fen":180000000)")), IsOk());
  ASSERT_THAT(h_.Do("xs01", "decide_change", Decide("CH3", false)), IsOk());
  ASSERT_THAT(h_.Do("kf01", "request_change", Change("CH4", "K1", "CHANGE_PRICE", R"(,"new_price_fen":170000000)")), IsOk());
  ASSERT_THAT(h_.Do("xs01", "decide_change", Decide("CH4")), IsOk());
  h_.Read([](const State& s) {
    const Project& p = s.projects.at("BJF");
    EXPECT_EQ(p.subscriptions.at("S1").customer_ids, (std::vector<std::string>{"C1", "C2"}));
    EXPECT_EQ(p.contracts.at("K1").price_fen, 170000000);
    EXPECT_EQ(p.contracts.at("K1").unit_id, "A1-1202");
    return 0;
  });
  // Cancel (退房).
  ASSERT_THAT(h_.Do("kf01", "request_change", Change("CH5", "K1", "CANCEL")), IsOk());
  ASSERT_THAT(h_.Do("xs01", "decide_change", Decide("CH5")), IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1202"), UnitStatus::kAvailable);
  EXPECT_THAT(h_.Do("kf01", "request_change", Change("CH6", "K1", "CANCEL")),
              StatusIs(Code::kFailedPrecondition, HasSubstr("cancelled")));
}

TEST_F(CommandsTest, ChangeOfUnitNeedsAnAvailableUnitWhenDecided) {
  Subscribe();
  ASSERT_THAT(h_.Do("kf01", "request_change", Change("CH1", "S1", "CHANGE_UNIT", R"(,"new_unit_id":"A1-1202")")), IsOk());
  ASSERT_THAT(h_.Do("xs01", "set_unit_hold", R"({"project_id":"BJF","unit_id":"A1-1202","held":true,"reason":"x"})"), IsOk());
  EXPECT_THAT(h_.Do("xs01", "decide_change", Decide("CH1")), StatusIs(Code::kFailedPrecondition, HasSubstr("HELD")));
  EXPECT_THAT(h_.Do("kf01", "request_change", Change("CH2", "S1", "CHANGE_PAYMENT_PLAN", R"(,"new_payment_plan_id":"NOPE")")),
              StatusIs(Code::kNotFound, HasSubstr("NOPE")));
}

TEST_F(CommandsTest, LockedTargetCannotBeChangedUntilUnlocked) {
  Subscribe();
  ASSERT_THAT(h_.Do("kj01", "approve_audit", Target("S1")), IsOk());
  ASSERT_THAT(h_.Do("kf01", "request_change", Change("CH1", "S1", "CHANGE_PRICE", R"(,"new_price_fen":1000)")), IsOk());
  EXPECT_THAT(h_.Do("xs01", "decide_change", Decide("CH1")), StatusIs(Code::kFailedPrecondition, HasSubstr("locked")));
  ASSERT_THAT(h_.Do("kj01", "unlock_record", Target("S1", R"(,"reason":"改价")")), IsOk());
  ASSERT_THAT(h_.Do("xs01", "decide_change", Decide("CH1")), IsOk());
  h_.Read([](const State& s) {
    const Subscription& sub = s.projects.at("BJF").subscriptions.at("S1");
    EXPECT_EQ(sub.price_fen, 1000);
    EXPECT_EQ(sub.audit, AuditStatus::kNone);  // must be audited again
    EXPECT_FALSE(sub.locked);
    return 0;
  });
}

TEST_F(CommandsTest, ExpectedSeqRefusesAStaleWrite) {
  const uint64_t seen = h_.head();
  Subscribe();
  EXPECT_THAT(h_.Do("kf01", "request_change",
                    absl::StrCat(R"({"expected_seq":)", seen,
                                 R"(,"project_id":"BJF","change_id":"CH1","target_id":"S1","kind":"CANCEL","reason":"x"})")),
              StatusIs(Code::kAborted, HasSubstr("S1")));
  EXPECT_THAT(h_.Do("kf01", "request_change",
                    absl::StrCat(R"({"expected_seq":)", h_.head(),
                                 R"(,"project_id":"BJF","change_id":"CH1","target_id":"S1","kind":"CANCEL","reason":"x"})")),
              IsOk());
}

// ---- money ----

TEST_F(CommandsTest, ReceiptNumbersAreGapFreePerProject) {
  Subscribe();
  auto first = h_.Run("sy01", "record_payment",
                      R"({"project_id":"BJF","payment_id":"P1","customer_id":"C1","subscription_id":"S1","kind":"DEPOSIT","amount_fen":100,"method":"CASH","occurred_at":"2026-03-01T09:00:00+08:00"})",
                      "pay-1");
  ASSERT_THAT(first.status(), IsOk());
  EXPECT_EQ(first->event.receipt_no(), "BJF-R000001");
  EXPECT_THAT(h_.Do("sy01", "record_payment",
                    R"({"project_id":"BJF","payment_id":"P2","customer_id":"C2","subscription_id":"S1","kind":"DEPOSIT","amount_fen":100,"method":"CASH","occurred_at":"2026-03-01T09:00:00+08:00"})"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("not a buyer")));
  auto retry = h_.Run("sy01", "record_payment",
                      R"({"project_id":"BJF","payment_id":"P1","customer_id":"C1","subscription_id":"S1","kind":"DEPOSIT","amount_fen":100,"method":"CASH","occurred_at":"2026-03-01T09:00:00+08:00"})",
                      "pay-1");
  ASSERT_THAT(retry.status(), IsOk());
  EXPECT_EQ(retry->event.receipt_no(), "BJF-R000001");
  Pay("P3", "EARNEST", 2000000, "");
  EXPECT_EQ(h_.Read([](const State& s) { return s.projects.at("BJF").payments.at("P3").receipt_no; }), "BJF-R000002");
  EXPECT_THAT(h_.Do("sy01", "record_payment",
                    R"({"project_id":"BJF","payment_id":"P4","customer_id":"C1","kind":"DEPOSIT","amount_fen":100,"method":"CASH","occurred_at":"2026-03-01T09:00:00+08:00"})"),
              StatusIs(Code::kInvalidArgument, HasSubstr("subscription_id")));
  EXPECT_THAT(h_.Do("sy01", "record_payment",
                    R"({"project_id":"BJF","payment_id":"P4","customer_id":"C1","subscription_id":"S1","kind":"COLLECTED_FEE","amount_fen":100,"method":"CASH","occurred_at":"2026-03-01T09:00:00+08:00"})"),
              StatusIs(Code::kInvalidArgument, HasSubstr("fee_item")));
}

TEST_F(CommandsTest, RefundsAndTransfers) {
  Subscribe();
  Pay("P1", "DEPOSIT", 1000);
  Pay("E1", "EARNEST", 2000, "");
  auto refund = [&](const std::string& id, const std::string& payment, int64_t amount) {
    return h_.Do("sy01", "refund_payment",
                 absl::StrCat(R"({"project_id":"BJF","refund_id":")", id, R"(","payment_id":")", payment,
                              R"(","amount_fen":)", amount, R"(,"reason":"退","occurred_at":")", h_.At(), R"("})"));
  };
  auto transfer = [&](const std::string& id, const std::string& payment) {
    return h_.Do("sy01", "transfer_payment",
                 absl::StrCat(R"({"project_id":"BJF","transfer_id":")", id, R"(","payment_id":")", payment,
                              R"(","subscription_id":"S1","occurred_at":")", h_.At(), R"("})"));
  };
  ASSERT_THAT(refund("RF1", "P1", 400), IsOk());
  EXPECT_THAT(refund("RF2", "P1", 601), StatusIs(Code::kFailedPrecondition, HasSubstr("600 fen left")));
  ASSERT_THAT(refund("RF2", "P1", 600), IsOk());
  EXPECT_THAT(transfer("T1", "P1"), StatusIs(Code::kFailedPrecondition, HasSubstr("only EARNEST")));
  ASSERT_THAT(transfer("T1", "E1"), IsOk());
  EXPECT_THAT(transfer("T2", "E1"), StatusIs(Code::kFailedPrecondition, HasSubstr("already transferred")));
  EXPECT_THAT(refund("RF3", "E1", 1), StatusIs(Code::kFailedPrecondition, HasSubstr("0 fen left")));
}

// ---- audit ----

TEST_F(CommandsTest, AuditStates) {
  Subscribe();
  Pay("P1");
  ASSERT_THAT(h_.Do("kj01", "approve_audit", Target("P1")), IsOk());
  EXPECT_THAT(h_.Do("kj01", "approve_audit", Target("P1")), StatusIs(Code::kFailedPrecondition, HasSubstr("already audited")));
  EXPECT_THAT(h_.Do("kj01", "unlock_record", Target("P1", R"(,"reason":"x")")),
              StatusIs(Code::kFailedPrecondition, HasSubstr("only subscriptions and contracts")));
  EXPECT_THAT(h_.Do("kj01", "unlock_record", Target("S1", R"(,"reason":"x")")),
              StatusIs(Code::kFailedPrecondition, HasSubstr("not locked")));
  Pay("P2");
  ASSERT_THAT(h_.Do("kj01", "reject_audit", Target("P2", R"(,"reason":"金额不符")")), IsOk());
  EXPECT_THAT(h_.Do("kj01", "approve_audit", Target("P2")), StatusIs(Code::kFailedPrecondition, HasSubstr("void it")));
  EXPECT_THAT(h_.Do("kj01", "approve_audit", Target("NOPE")), StatusIs(Code::kNotFound, HasSubstr("NOPE")));
  const char* invoice = R"({"project_id":"BJF","payment_id":"P1","invoice_no":"FP-1","invoice_type":"RECEIPT"})";
  ASSERT_THAT(h_.Do("kj01", "register_invoice", invoice), IsOk());
  EXPECT_THAT(h_.Do("kj01", "register_invoice", invoice), StatusIs(Code::kAlreadyExists, HasSubstr("FP-1")));
  ASSERT_THAT(h_.Do("kj01", "register_invoice",
                    R"({"project_id":"BJF","payment_id":"P1","invoice_no":"FP-2","invoice_type":"RECEIPT"})"),
              IsOk());
  const auto view = h_.Read([](const State& s) {
    v1::GetPaymentRequest request;
    request.set_project_id("BJF");
    request.set_payment_id("P1");
    return GetPayment(s, request);
  });
  ASSERT_THAT(view, IsOk());
  EXPECT_EQ(view->payment_id(), "P1");
  EXPECT_THAT(view->invoice_nos(), ::testing::ElementsAre("FP-1", "FP-2"));  // in the order registered
}

// ---- services after the sale ----

TEST_F(CommandsTest, ServiceStepsInOrder) {
  Subscribe();
  ASSERT_THAT(h_.Do("kf01", "sign_contract",
                    R"({"project_id":"BJF","contract_id":"K1","subscription_id":"S1","contract_no":"HT-1","price_fen":1,"occurred_at":"2026-03-01T09:00:00+08:00"})"),
              IsOk());
  auto step = [&](const std::string& service, const std::string& name) {
    return h_.Do("qz01", "record_service_step",
                 absl::StrCat(R"({"project_id":"BJF","contract_id":"K1","service":")", service, R"(","step":")", name,
                              R"(","occurred_at":")", h_.At(), R"("})"));
  };
  EXPECT_THAT(step("MORTGAGE", "BANK_APPROVED"), StatusIs(Code::kFailedPrecondition, HasSubstr("after DOCS_COLLECTED")));
  EXPECT_THAT(step("MORTGAGE", "FILED"), StatusIs(Code::kInvalidArgument, HasSubstr("not a step of MORTGAGE")));
  for (const char* s : {"DOCS_COLLECTED", "SUBMITTED_TO_BANK", "BANK_APPROVED", "LOAN_DISBURSED"}) {
    ASSERT_THAT(step("MORTGAGE", s), IsOk()) << s;
  }
  EXPECT_THAT(step("MORTGAGE", "BANK_APPROVED"), StatusIs(Code::kFailedPrecondition, HasSubstr("already recorded")));
  ASSERT_THAT(step("HANDOVER", "NOTICE_SENT"), IsOk());
}

// ---- plans ----

TEST_F(CommandsTest, SalesPlansNeedTwelveMonths) {
  EXPECT_THAT(h_.Do("yx01", "set_sales_plan", R"({"project_id":"BJF","year":2026,"product_type":"住宅","months":[{"units":1}]})"),
              StatusIs(Code::kInvalidArgument, HasSubstr("12 months")));
  EXPECT_THAT(h_.Do("yx01", "record_plan_feedback", R"({"project_id":"BJF","month":"2026-13","analysis":"x"})"),
              StatusIs(Code::kInvalidArgument, HasSubstr("YYYY-MM")));
}

// ---- voids ----

TEST_F(CommandsTest, VoidsAreAskedByTheMakerAndDecidedByTheRightRole) {
  Subscribe();
  const uint64_t subscription_seq = h_.head();
  Pay("P1");
  const uint64_t payment_seq = h_.head();
  auto ask = [&](const std::string& actor, const std::string& id, uint64_t seq) {
    return h_.Do(actor, "request_void",
                 absl::StrCat(R"({"project_id":"BJF","void_id":")", id, R"(","target_seq":)", seq, R"(,"reason":"录错"})"));
  };
  auto decide = [&](const std::string& actor, const std::string& id, bool approve) {
    return h_.Do(actor, "decide_void",
                 absl::StrCat(R"({"project_id":"BJF","void_id":")", id, R"(","approve":)", approve ? "true" : "false", "}"));
  };
  EXPECT_THAT(ask("gw01", "VD1", payment_seq), StatusIs(Code::kPermissionDenied, HasSubstr("only its maker (sy01)")));
  EXPECT_THAT(ask("kf01", "VD1", subscription_seq), StatusIs(Code::kFailedPrecondition, HasSubstr("payment P1")));
  EXPECT_THAT(ask("kf01", "VD1", 2), StatusIs(Code::kFailedPrecondition, HasSubstr("cannot be voided")));
  EXPECT_THAT(ask("kf01", "VD1", 9999), StatusIs(Code::kNotFound, HasSubstr("9999")));
  ASSERT_THAT(ask("sy01", "VD1", payment_seq), IsOk());
  EXPECT_THAT(ask("sy01", "VD2", payment_seq), StatusIs(Code::kFailedPrecondition, HasSubstr("pending")));
  EXPECT_THAT(decide("xs01", "VD1", true), StatusIs(Code::kPermissionDenied, HasSubstr("ACCOUNTANT")));
  ASSERT_THAT(decide("kj01", "VD1", true), IsOk());
  EXPECT_THAT(decide("kj01", "VD1", true), StatusIs(Code::kFailedPrecondition, HasSubstr("already decided")));
  // With the payment voided, the subscription can be voided too: the unit is free again.
  ASSERT_THAT(ask("kf01", "VD3", subscription_seq), IsOk());
  ASSERT_THAT(decide("xs01", "VD3", false), IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1201"), UnitStatus::kSubscribed);
  ASSERT_THAT(ask("kf01", "VD4", subscription_seq), IsOk());
  ASSERT_THAT(decide("xs01", "VD4", true), IsOk());
  EXPECT_EQ(h_.UnitStatusOf("A1-1201"), UnitStatus::kAvailable);
  EXPECT_THAT(ask("kf01", "VD5", subscription_seq), StatusIs(Code::kFailedPrecondition, HasSubstr("already voided")));
}

TEST_F(CommandsTest, LockedEntryCannotBeVoided) {
  Subscribe();
  const uint64_t seq = h_.head();
  ASSERT_THAT(h_.Do("kj01", "approve_audit", Target("S1")), IsOk());
  EXPECT_THAT(h_.Do("kf01", "request_void",
                    absl::StrCat(R"({"project_id":"BJF","void_id":"VD1","target_seq":)", seq, R"(,"reason":"x"})")),
              StatusIs(Code::kFailedPrecondition, HasSubstr("locked")));
}

// ---- inspections and waivers ----

TEST_F(CommandsTest, WaiversAreNotForOneselfAndOnlyOnce) {
  ASSERT_THAT(h_.Do("admin", "update_person", R"({"person_id":"cw02","name":"财务二","roles":["FINANCE_LEAD","CONSULTANT"],"project_ids":["BJF"],"active":true})"),
              IsOk());
  // A late visit of cw02's own (as consultant) and one of gw01's.
  h_.clock().Advance(absl::Hours(48));
  ASSERT_THAT(h_.Do("gw01", "log_visit",
                    R"({"project_id":"BJF","visit_id":"V1","customer_id":"C1","consultant_id":"cw02","kind":"CALL","occurred_at":"2026-03-01T10:00:00+08:00"})"),
              IsOk());
  const std::string own = absl::StrCat(h_.head(), ".1");
  EXPECT_THAT(h_.Do("cw02", "waive_violation", absl::StrCat(R"({"violation_id":")", own, R"(","reason":"x"})")),
              StatusIs(Code::kPermissionDenied, HasSubstr("their own")));
  ASSERT_THAT(h_.Do("cw01", "waive_violation", absl::StrCat(R"({"violation_id":")", own, R"(","reason":"培训"})")), IsOk());
  EXPECT_THAT(h_.Do("cw01", "waive_violation", absl::StrCat(R"({"violation_id":")", own, R"(","reason":"x"})")),
              StatusIs(Code::kFailedPrecondition, HasSubstr("already waived")));
  EXPECT_THAT(h_.Do("cw01", "waive_violation", R"({"violation_id":"999.1","reason":"x"})"),
              StatusIs(Code::kNotFound, HasSubstr("999.1")));
  EXPECT_THAT(h_.Do("cw01", "waive_violation", R"({"violation_id":"abc","reason":"x"})"),
              StatusIs(Code::kInvalidArgument, HasSubstr("<seq>.<n>")));
  EXPECT_THAT(h_.Do("jc01", "run_inspection", R"({"project_id":"OTHER"})"), IsOk());  // inspectors see every project
}

}  // namespace
}  // namespace salesledger
