// Sales (SPEC.md §3.4), decided and applied on an in-memory state: one row per refusal, in the
// order decide.h documents (role, fields, project, references, new ids, expected_seq, state), each
// with its exact code and the words a clerk reads. The cast's last event is seq 27.
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"

namespace salesledger::testing {
namespace {

constexpr char kReserve[] =
    R"({"project_id":"BJF","reservation_id":"R1","unit_id":"A1-1201","customer_id":"C1","occurred_at":"$NOW"})";
constexpr char kSubscribe[] =
    R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"gw01",)"
    R"("price_fen":190000000,"payment_plan_id":"MORTGAGE30","occurred_at":"$NOW"})";
constexpr char kContract[] =
    R"({"project_id":"BJF","contract_id":"K1","subscription_id":"S1","contract_no":"HT-1","price_fen":190000000,)"
    R"("occurred_at":"$NOW"})";

std::string Cancel(const std::string& change_id, const std::string& target) {
  return R"({"project_id":"BJF","change_id":")" + change_id + R"(","target_id":")" + target +
         R"(","kind":"CANCEL","reason":"退房"})";
}
std::string Decide(const std::string& change_id, bool approve = true) {
  return R"({"project_id":"BJF","change_id":")" + change_id + R"(","approve":)" + (approve ? "true" : "false") + "}";
}

TEST(SalesTest, ReserveAndCancelReservation) {
  DomainHarness h;
  RunSteps(h, {
      {"a consultant does not reserve", "gw01", "reserve_unit", kReserve, kPermissionDenied,
       "gw01 may not reserve_unit: it needs role CUSTOMER_SERVICE"},
      {"an id with a space", "kf01", "reserve_unit",
       R"({"project_id":"BJF","reservation_id":"R 1","unit_id":"A1-1201","customer_id":"C1","occurred_at":"$NOW"})",
       kInvalidArgument, "field 'reservation_id' = 'R 1': character 2 is a space; allowed are A-Z a-z 0-9 . _ : -"},
      {"occurred_at is required", "kf01", "reserve_unit",
       R"({"project_id":"BJF","reservation_id":"R1","unit_id":"A1-1201","customer_id":"C1"})", kInvalidArgument,
       "field 'occurred_at' is required"},
      {"no such project", "kf01", "reserve_unit",
       R"({"project_id":"NOPE","reservation_id":"R1","unit_id":"A1-1201","customer_id":"C1","occurred_at":"$NOW"})",
       kNotFound, "project 'NOPE' not found"},
      {"not on the project", "kf09", "reserve_unit", kReserve, kPermissionDenied, "kf09 is not assigned to project BJF"},
      {"no such unit", "kf01", "reserve_unit",
       R"({"project_id":"BJF","reservation_id":"R1","unit_id":"A1-9999","customer_id":"C1","occurred_at":"$NOW"})",
       kNotFound, "unit 'A1-9999' not found in project BJF"},
      {"no such customer", "kf01", "reserve_unit",
       R"({"project_id":"BJF","reservation_id":"R1","unit_id":"A1-1201","customer_id":"C9","occurred_at":"$NOW"})",
       kNotFound, "customer 'C9' not found in project BJF"},
      {"the id names a customer", "kf01", "reserve_unit",
       R"({"project_id":"BJF","reservation_id":"C2","unit_id":"A1-1201","customer_id":"C1","occurred_at":"$NOW"})",
       kAlreadyExists, "reservation_id 'C2' already names a customer in project BJF"},
      {"a unit in draft", "kf01", "reserve_unit",
       R"({"project_id":"BJF","reservation_id":"R1","unit_id":"A1-1204","customer_id":"C1","occurred_at":"$NOW"})",
       kFailedPrecondition, "unit A1-1204 is DRAFT (not yet reviewed); only an AVAILABLE unit can be reserved"},
      {"reserved (seq 28)", "kf01", "reserve_unit", kReserve},
      {"the unit changed after expected_seq", "kf01", "reserve_unit",
       R"({"project_id":"BJF","reservation_id":"R2","unit_id":"A1-1201","customer_id":"C2","occurred_at":"$NOW","expected_seq":27})",
       kAborted, "'A1-1201' changed at seq 28, after expected_seq 27; read it again and retry"},
      {"a reserved unit", "kf01", "reserve_unit",
       R"({"project_id":"BJF","reservation_id":"R2","unit_id":"A1-1201","customer_id":"C2","occurred_at":"$NOW"})",
       kFailedPrecondition, "unit A1-1201 is RESERVED (reservation R1); only an AVAILABLE unit can be reserved"},
      {"a reason is required", "kf01", "cancel_reservation", R"({"project_id":"BJF","reservation_id":"R1"})",
       kInvalidArgument, "field 'reason' is required"},
      {"no such reservation", "kf01", "cancel_reservation",
       R"({"project_id":"BJF","reservation_id":"R9","reason":"客户放弃"})", kNotFound,
       "reservation 'R9' not found in project BJF"},
      {"cancelled (seq 29)", "kf01", "cancel_reservation", R"({"project_id":"BJF","reservation_id":"R1","reason":"客户放弃"})"},
      {"cancelled twice names when", "kf01", "cancel_reservation",
       R"({"project_id":"BJF","reservation_id":"R1","reason":"客户放弃"})", kFailedPrecondition,
       "reservation R1 is no longer active: it is cancelled at seq 29"},
      {"reserved again (seq 30)", "kf01", "reserve_unit",
       R"({"project_id":"BJF","reservation_id":"R2","unit_id":"A1-1201","customer_id":"C2","occurred_at":"$NOW"})"},
      {"another customer may not buy the reserved unit", "kf01", "create_subscription", kSubscribe, kFailedPrecondition,
       "unit A1-1201 is RESERVED for customer C2 (reservation R2)"},
      {"its customer may (seq 31)", "kf01", "create_subscription",
       R"({"project_id":"BJF","subscription_id":"S2","unit_id":"A1-1201","customer_ids":["C2"],"consultant_id":"gw02",)"
       R"("price_fen":190000000,"payment_plan_id":"MORTGAGE30","occurred_at":"$NOW"})"},
      {"a converted reservation names its subscription", "kf01", "cancel_reservation",
       R"({"project_id":"BJF","reservation_id":"R2","reason":"x"})", kFailedPrecondition,
       "reservation R2 is no longer active: it is converted to subscription S2 at seq 31"},
  });
  EXPECT_EQ(h.state().projects.at("BJF").units.at("A1-1201").status, UnitStatus::kSubscribed);
}

TEST(SalesTest, CreateSubscription) {
  DomainHarness h;
  h.Must("kf01", "define_payment_plan",
         R"({"project_id":"BJF","plan_id":"FULL","name":"一次性","kind":"FULL","discount_bp":100})");  // seq 28, DRAFT
  RunSteps(h, {
      {"a cashier does not subscribe", "sy01", "create_subscription", kSubscribe, kPermissionDenied,
       "sy01 may not create_subscription: it needs role CUSTOMER_SERVICE"},
      {"price 0", "kf01", "create_subscription",
       R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"gw01",)"
       R"("price_fen":0,"payment_plan_id":"MORTGAGE30","occurred_at":"$NOW"})",
       kInvalidArgument, "field 'price_fen' must be more than 0 and at most 10^12 fen; got 0 or nothing"},
      {"five buyers", "kf01", "create_subscription",
       R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1","C2","C3","C4","C5"],)"
       R"("consultant_id":"gw01","price_fen":1,"payment_plan_id":"MORTGAGE30","occurred_at":"$NOW"})",
       kInvalidArgument, "field 'customer_ids' needs 1 to 4 ids; got 5"},
      {"a buyer twice", "kf01", "create_subscription",
       R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1","C1"],)"
       R"("consultant_id":"gw01","price_fen":1,"payment_plan_id":"MORTGAGE30","occurred_at":"$NOW"})",
       kInvalidArgument, "field 'customer_ids' names 'C1' twice"},
      {"occurred_at in the future", "kf01", "create_subscription",
       R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"gw01",)"
       R"("price_fen":1,"payment_plan_id":"MORTGAGE30","occurred_at":"$AT[6]"})",
       kInvalidArgument, "is more than 5 minutes in the future: the server's time is 2026-03-01T01:00:00+00:00"},
      {"a shared account named as consultant", "kf01", "create_subscription",
       R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"desk",)"
       R"("price_fen":1,"payment_plan_id":"MORTGAGE30","occurred_at":"$NOW"})",
       kInvalidArgument, "consultant_id 'desk' is a shared account; name the consultant who served the customer"},
      {"no such buyer", "kf01", "create_subscription",
       R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C9"],"consultant_id":"gw01",)"
       R"("price_fen":1,"payment_plan_id":"MORTGAGE30","occurred_at":"$NOW"})",
       kNotFound, "customer 'C9' not found in project BJF"},
      {"no such plan", "kf01", "create_subscription",
       R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"gw01",)"
       R"("price_fen":1,"payment_plan_id":"NOPLAN","occurred_at":"$NOW"})",
       kNotFound, "payment plan 'NOPLAN' not found in project BJF"},
      {"the id names a unit", "kf01", "create_subscription",
       R"({"project_id":"BJF","subscription_id":"A1-1202","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"gw01",)"
       R"("price_fen":1,"payment_plan_id":"MORTGAGE30","occurred_at":"$NOW"})",
       kAlreadyExists, "subscription_id 'A1-1202' already names a unit in project BJF"},
      {"a plan not yet confirmed", "kf01", "create_subscription",
       R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"gw01",)"
       R"("price_fen":1,"payment_plan_id":"FULL","occurred_at":"$NOW"})",
       kFailedPrecondition, "payment plan FULL is DRAFT, not confirmed yet (review_setup, then confirm_setup)"},
      {"subscribed (seq 29)", "kf01", "create_subscription", kSubscribe},
      {"a sold unit", "kf01", "create_subscription",
       R"({"project_id":"BJF","subscription_id":"S2","unit_id":"A1-1201","customer_ids":["C2"],"consultant_id":"gw02",)"
       R"("price_fen":1,"payment_plan_id":"MORTGAGE30","occurred_at":"$NOW"})",
       kFailedPrecondition, "unit A1-1201 is SUBSCRIBED (subscription S1); a subscription needs an AVAILABLE unit"},
  });
}

TEST(SalesTest, SignContract) {
  DomainHarness h;
  h.Must("kf01", "create_subscription", kSubscribe);  // seq 28
  RunSteps(h, {
      {"a contract_no is required", "kf01", "sign_contract",
       R"({"project_id":"BJF","contract_id":"K1","subscription_id":"S1","price_fen":1,"occurred_at":"$NOW"})",
       kInvalidArgument, "field 'contract_no' is required"},
      {"no such subscription", "kf01", "sign_contract",
       R"({"project_id":"BJF","contract_id":"K1","subscription_id":"S9","contract_no":"HT-1","price_fen":1,"occurred_at":"$NOW"})",
       kNotFound, "subscription 'S9' not found in project BJF"},
      {"signed (seq 29)", "kf01", "sign_contract", kContract},
      {"a contract number used already", "kf01", "sign_contract",
       R"({"project_id":"BJF","contract_id":"K2","subscription_id":"S1","contract_no":"HT-1","price_fen":1,"occurred_at":"$NOW"})",
       kAlreadyExists, "contract_no 'HT-1' is already used"},
      {"signed twice: converted, and to what", "kf01", "sign_contract",
       R"({"project_id":"BJF","contract_id":"K2","subscription_id":"S1","contract_no":"HT-2","price_fen":1,"occurred_at":"$NOW"})",
       kFailedPrecondition, "subscription S1 is not active: converted to contract K1 at seq 29"},
  });
  EXPECT_EQ(h.state().projects.at("BJF").units.at("A1-1201").status, UnitStatus::kContracted);
}

TEST(SalesTest, RequestAndDecideChange) {
  DomainHarness h;
  h.Must("kf01", "create_subscription", kSubscribe);  // seq 28
  RunSteps(h, {
      {"a change needs its kind", "kf01", "request_change",
       R"({"project_id":"BJF","change_id":"CH1","target_id":"S1","reason":"x"})", kInvalidArgument,
       "field 'kind' is required"},
      {"an unknown kind", "kf01", "request_change",
       R"({"project_id":"BJF","change_id":"CH1","target_id":"S1","kind":9,"reason":"x"})", kInvalidArgument,
       "field 'kind' has unknown value 9; it must be one of CANCEL, CHANGE_UNIT, RENAME, CHANGE_PAYMENT_PLAN, CHANGE_PRICE"},
      {"a change of unit names the unit", "kf01", "request_change",
       R"({"project_id":"BJF","change_id":"CH1","target_id":"S1","kind":"CHANGE_UNIT","reason":"x"})",
       kInvalidArgument, "field 'new_unit_id' is required"},
      {"a change of price names the price", "kf01", "request_change",
       R"({"project_id":"BJF","change_id":"CH1","target_id":"S1","kind":"CHANGE_PRICE","reason":"x"})",
       kInvalidArgument, "field 'new_price_fen' must be more than 0"},
      {"no such target", "kf01", "request_change", Cancel("CH1", "S9"), kNotFound,
       "no subscription or contract 'S9' in project BJF"},
      {"the unit it already has", "kf01", "request_change",
       R"({"project_id":"BJF","change_id":"CH1","target_id":"S1","kind":"CHANGE_UNIT","reason":"x","new_unit_id":"A1-1201"})",
       kInvalidArgument, "field 'new_unit_id' is the unit the target already has"},
      {"requested (seq 29)", "kf01", "request_change", Cancel("CH1", "S1")},
      {"the change id again", "kf01", "request_change", Cancel("CH1", "S1"), kAlreadyExists,
       "change_id 'CH1' already names a change in project BJF"},
      {"only the sales lead decides", "kf01", "decide_change", Decide("CH1"), kPermissionDenied,
       "kf01 may not decide_change: it needs role SALES_LEAD"},
      {"approve is required", "xs01", "decide_change", R"({"project_id":"BJF","change_id":"CH1"})", kInvalidArgument,
       "field 'approve' is required"},
      {"no such change", "xs01", "decide_change", Decide("CH9"), kNotFound, "change 'CH9' not found in project BJF"},
      {"the target changed after expected_seq", "xs01", "decide_change",
       R"({"project_id":"BJF","change_id":"CH1","approve":true,"expected_seq":28})", kAborted,
       "'S1' changed at seq 29, after expected_seq 28"},
      {"approved: cancelled (seq 30)", "xs01", "decide_change", Decide("CH1")},
      {"decided twice", "xs01", "decide_change", Decide("CH1"), kFailedPrecondition,
       "change CH1 was already decided: approved at seq 30"},
      // A cancelled subscription names the change that cancelled it, whatever is asked of it.
      {"a change of a cancelled subscription", "kf01", "request_change", Cancel("CH2", "S1"), kFailedPrecondition,
       "subscription S1 is not active: cancelled by change CH1 at seq 30"},
      {"a contract on it", "kf01", "sign_contract", kContract, kFailedPrecondition,
       "subscription S1 is not active: cancelled by change CH1 at seq 30"},
      {"money on it", "sy01", "record_payment",
       R"({"project_id":"BJF","payment_id":"P1","customer_id":"C1","subscription_id":"S1","kind":"DEPOSIT",)"
       R"("amount_fen":100,"method":"CASH","occurred_at":"$NOW"})",
       kFailedPrecondition, "subscription S1 takes no more money: cancelled by change CH1 at seq 30"},
      {"an audit of it", "kj01", "approve_audit", R"({"project_id":"BJF","target_id":"S1"})", kFailedPrecondition,
       "S1 is cancelled by change CH1 at seq 30"},
  });
  EXPECT_EQ(h.state().projects.at("BJF").units.at("A1-1201").status, UnitStatus::kAvailable);
}

TEST(SalesTest, ChangesOfAContractAndLocks) {
  DomainHarness h;
  h.Must("kf01", "create_subscription", kSubscribe);  // seq 28
  h.Must("kf01", "sign_contract", kContract);         // seq 29
  RunSteps(h, {
      {"a subscription that became a contract is changed through the contract", "kf01", "request_change",
       Cancel("CH1", "S1"), kFailedPrecondition, "subscription S1 became contract K1; change the contract instead"},
      {"a change of unit to a unit not for sale", "kf01", "request_change",
       R"({"project_id":"BJF","change_id":"CH1","target_id":"K1","kind":"CHANGE_UNIT","reason":"x","new_unit_id":"A1-1204"})"},
      {"audited: locked (seq 31)", "kj01", "approve_audit", R"({"project_id":"BJF","target_id":"K1"})"},
      {"a locked contract is not changed", "xs01", "decide_change", Decide("CH1", false), kFailedPrecondition,
       "K1 is locked: audited at seq 31; the accountant must unlock it first"},
      {"unlocked (seq 32)", "kj01", "unlock_record", R"({"project_id":"BJF","target_id":"K1","reason":"换房"})"},
      {"approving needs an AVAILABLE unit", "xs01", "decide_change", Decide("CH1"), kFailedPrecondition,
       "unit A1-1204 is DRAFT (not yet reviewed); a change of unit needs an AVAILABLE unit"},
      {"rejected instead (seq 33)", "xs01", "decide_change", Decide("CH1", false)},
  });
}

}  // namespace
}  // namespace salesledger::testing
