// Units and payment plans (SPEC.md §3.2) on an in-memory state. The cast's last event is seq 27:
// A1-1201..A1-1203 and MORTGAGE30 are confirmed, A1-1204 is in DRAFT.
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"

namespace salesledger::testing {
namespace {

constexpr char kUnit[] =
    R"({"project_id":"BJF","unit_id":"B1-0101","building":"B1","floor":1,"room":"01","product_type":"商铺",)"
    R"("area_x100":5000,"list_price_fen":100000000})";

TEST(SetupTest, DefineUnitsAndPlans) {
  DomainHarness h;
  RunSteps(h, {
      {"a sales lead defines no unit", "xs01", "define_unit", kUnit, kPermissionDenied,
       "xs01 may not define_unit: it needs role CUSTOMER_SERVICE"},
      {"the floor is required", "kf01", "define_unit",
       R"({"project_id":"BJF","unit_id":"B1-0101","building":"B1","room":"01","product_type":"商铺","area_x100":5000,"list_price_fen":1})",
       kInvalidArgument, "field 'floor' is required"},
      {"floor out of range", "kf01", "define_unit",
       R"({"project_id":"BJF","unit_id":"B1-0101","building":"B1","floor":301,"room":"01","product_type":"商铺","area_x100":5000,"list_price_fen":1})",
       kInvalidArgument, "field 'floor' must be in -20..300; got 301"},
      {"no area", "kf01", "define_unit",
       R"({"project_id":"BJF","unit_id":"B1-0101","building":"B1","floor":1,"room":"01","product_type":"商铺","list_price_fen":1})",
       kInvalidArgument, "field 'area_x100' is required"},
      {"a unit id again", "kf01", "define_unit",
       R"({"project_id":"BJF","unit_id":"A1-1201","building":"B1","floor":1,"room":"01","product_type":"商铺","area_x100":5000,"list_price_fen":1})",
       kAlreadyExists, "unit_id 'A1-1201' already names a unit in project BJF"},
      {"defined in DRAFT (seq 28)", "kf01", "define_unit", kUnit},
      {"a plan's discount over 100%", "kf01", "define_payment_plan",
       R"({"project_id":"BJF","plan_id":"P1","name":"x","kind":"FULL","discount_bp":10001})", kInvalidArgument,
       "field 'discount_bp' must be in 0..10000; got 10001"},
      {"a plan's discount is required (0 is a value)", "kf01", "define_payment_plan",
       R"({"project_id":"BJF","plan_id":"P1","name":"x","kind":"FULL"})", kInvalidArgument,
       "field 'discount_bp' is required"},
      {"a plan id that names a unit", "kf01", "define_payment_plan",
       R"({"project_id":"BJF","plan_id":"B1-0101","name":"x","kind":"FULL","discount_bp":0})", kAlreadyExists,
       "plan_id 'B1-0101' already names a unit in project BJF"},
  });
}

TEST(SetupTest, ReviewConfirmHoldAndReprice) {
  DomainHarness h;
  RunSteps(h, {
      {"only the sales lead reviews", "kf01", "review_setup", R"({"project_id":"BJF","item_ids":["A1-1204"],"approve":true})",
       kPermissionDenied, "kf01 may not review_setup: it needs role SALES_LEAD"},
      {"items are required", "xs01", "review_setup", R"({"project_id":"BJF","approve":true})", kInvalidArgument,
       "field 'item_ids' is required"},
      {"an item twice", "xs01", "review_setup", R"({"project_id":"BJF","item_ids":["A1-1204","A1-1204"],"approve":true})",
       kInvalidArgument, "field 'item_ids' names 'A1-1204' twice"},
      {"no such item", "xs01", "review_setup", R"({"project_id":"BJF","item_ids":["A1-1204","X9"],"approve":true})",
       kNotFound, "no unit or payment plan 'X9' in project BJF"},
      {"an item reviewed already", "xs01", "review_setup", R"({"project_id":"BJF","item_ids":["A1-1201"],"approve":true})",
       kFailedPrecondition, "review_setup: 'A1-1201' is confirmed; it must be DRAFT (not yet reviewed)"},
      {"confirmed before review", "yx01", "confirm_setup", R"({"project_id":"BJF","item_ids":["A1-1204"]})",
       kFailedPrecondition, "confirm_setup: 'A1-1204' is DRAFT (not yet reviewed); it must be REVIEWED"},
      {"reviewed (seq 28)", "xs01", "review_setup", R"({"project_id":"BJF","item_ids":["A1-1204"],"approve":true})"},
      {"held before it is on sale", "xs01", "set_unit_hold",
       R"({"project_id":"BJF","unit_id":"A1-1204","held":true,"reason":"领导留房"})", kFailedPrecondition,
       "unit A1-1204 is REVIEWED (waiting for marketing's confirm_setup); only an AVAILABLE unit can be held"},
      {"confirmed (seq 29)", "yx01", "confirm_setup", R"({"project_id":"BJF","item_ids":["A1-1204"]})"},
      {"held needs a reason", "xs01", "set_unit_hold", R"({"project_id":"BJF","unit_id":"A1-1204","held":true})",
       kInvalidArgument, "field 'reason' is required"},
      {"held (seq 30)", "xs01", "set_unit_hold", R"({"project_id":"BJF","unit_id":"A1-1204","held":true,"reason":"留房"})"},
      {"held twice", "xs01", "set_unit_hold", R"({"project_id":"BJF","unit_id":"A1-1204","held":true,"reason":"留房"})",
       kFailedPrecondition, "unit A1-1204 is HELD (held by the sales lead); only an AVAILABLE unit can be held"},
      {"released (seq 31)", "xs01", "set_unit_hold", R"({"project_id":"BJF","unit_id":"A1-1204","held":false,"reason":"放开"})"},
      {"released twice", "xs01", "set_unit_hold", R"({"project_id":"BJF","unit_id":"A1-1204","held":false,"reason":"x"})",
       kFailedPrecondition, "unit A1-1204 is AVAILABLE; only a HELD unit can be released"},
      {"repriced: off sale until reviewed again (seq 32)", "kf01", "change_list_price",
       R"({"project_id":"BJF","unit_id":"A1-1204","list_price_fen":200000000})"},
      {"repricing a unit that changed since", "kf01", "change_list_price",
       R"({"project_id":"BJF","unit_id":"A1-1204","list_price_fen":1,"expected_seq":31})", kAborted,
       "'A1-1204' changed at seq 32, after expected_seq 31"},
  });
  EXPECT_EQ(h.state().projects.at("BJF").units.at("A1-1204").status, UnitStatus::kDraft);
}

}  // namespace
}  // namespace salesledger::testing
