// The system's own downtime (SPEC.md §3.12) on an in-memory state: outages excuse exactly the
// violations whose deadline fell inside them, raised before or after the declaration; a
// withdrawal undoes its excusals; only ledgerd records its starts. The cast ends at seq 27.
#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"

namespace salesledger::testing {
namespace {

std::string Visit(const std::string& id, const std::string& occurred) {
  return R"({"project_id":"BJF","visit_id":")" + id + R"(","customer_id":"C1","consultant_id":"gw01",)"
         R"("kind":"CALL","occurred_at":")" + occurred + R"("})";
}

// violation id -> "amount counted" for every violation: "5000" counts, "(5000)" does not.
std::map<std::string, std::string> Ledger(const DomainHarness& h) {
  std::map<std::string, std::string> out;
  for (const Violation& v : h.state().violations) {
    const std::string amount = std::to_string(v.amount_fen);
    out[std::string(v.violation_id.view())] = v.Counts() ? amount : "(" + amount + ")";
  }
  return out;
}

const TimelinessCell& Cell(const DomainHarness& h, const std::string& person, const std::string& kind) {
  return h.state().timeliness.at(TimelinessKey{"BJF", person, kind, "2026-03"});
}

TEST(OutagesTest, AnOutageExcusesTheDeadlinesInsideItAndAWithdrawalUndoesIt) {
  DomainHarness h;  // 2026-03-01 09:00 +08:00
  h.Must("kf01", "create_subscription",
         R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"gw01",)"
         R"("price_fen":190000000,"payment_plan_id":"MORTGAGE30","occurred_at":"$NOW"})");            // seq 28
  h.Must("gw01", "log_visit", Visit("V0", "2026-02-28T12:00:00+08:00"));  // seq 29: the month's warning
  h.Advance(absl::Hours(49));                                              // 2026-03-03 10:00: back-filling
  h.Must("gw01", "log_visit", Visit("V1", "2026-03-01T15:00:00+08:00"));  // 30: deadline 03-02 00:00
  h.Must("gw01", "log_visit", Visit("V2", "2026-03-02T11:00:00+08:00"));  // 31: deadline 03-03 00:00
  h.Must("sy01", "record_payment",
         R"({"project_id":"BJF","payment_id":"P1","customer_id":"C1","subscription_id":"S1","kind":"DEPOSIT",)"
         R"("amount_fen":5000000,"method":"CASH","occurred_at":"2026-03-02T14:00:00+08:00"})");  // 32: deadline 14:30
  EXPECT_EQ(Ledger(h), (std::map<std::string, std::string>{
                           {"29.1", "0"}, {"30.1", "5000"}, {"31.1", "5000"}, {"32.1", "10000"}, {"32.2", "10000"}}));

  const std::string out1 =
      R"({"outage_id":"OUT1","project_ids":["BJF"],"from":"2026-03-02T09:00:00+08:00","to":"2026-03-03T09:30:00+08:00",)"
      R"("reason":"机房断电"})";
  RunSteps(h, {
      {"a cashier declares none", "sy01", "declare_outage", out1, kPermissionDenied,
       "sy01 may not declare_outage: it needs role FINANCE_LEAD"},
      {"a reason is required", "cw02", "declare_outage",
       R"({"outage_id":"OUT1","from":"2026-03-02T09:00:00+08:00","to":"2026-03-03T09:30:00+08:00"})", kInvalidArgument,
       "field 'reason' is required"},
      {"to is required", "cw02", "declare_outage", R"({"outage_id":"OUT1","from":"2026-03-02T09:00:00+08:00","reason":"x"})",
       kInvalidArgument, "field 'to' is required"},
      {"to after from", "cw02", "declare_outage",
       R"({"outage_id":"OUT1","from":"2026-03-02T09:00:00+08:00","to":"2026-03-02T09:00:00+08:00","reason":"x"})",
       kInvalidArgument, "field 'to' (2026-03-02T01:00:00+00:00) must come after field 'from'"},
      {"not ahead of time", "cw02", "declare_outage",
       R"({"outage_id":"OUT1","from":"2026-03-02T09:00:00+08:00","to":"2026-03-04T09:00:00+08:00","reason":"x"})",
       kInvalidArgument, "field 'to' is in the future (2026-03-04T01:00:00+00:00): declare an outage when it is over"},
      {"an unknown project", "cw02", "declare_outage",
       R"({"outage_id":"OUT1","project_ids":["NOPE"],"from":"2026-03-02T09:00:00+08:00","to":"2026-03-03T09:30:00+08:00","reason":"x"})",
       kNotFound, "project 'NOPE' not found"},
      {"declared (seq 33)", "cw02", "declare_outage", out1},
      {"an outage id again", "cw02", "declare_outage", out1, kAlreadyExists, "outage 'OUT1' already exists"},
  });
  // V2's and the payment's deadlines fell inside; V1's (the day before the outage) did not.
  EXPECT_EQ(Ledger(h), (std::map<std::string, std::string>{
                           {"29.1", "0"}, {"30.1", "5000"}, {"31.1", "(5000)"}, {"32.1", "(10000)"}, {"32.2", "(10000)"}}));
  // A visit back-filled after the declaration, whose deadline fell inside: excused as it is raised.
  h.Advance(absl::Hours(1));
  h.Must("gw01", "log_visit", Visit("V3", "2026-03-02T20:00:00+08:00"));  // 34
  EXPECT_EQ(Ledger(h).at("34.1"), "(5000)");
  EXPECT_EQ(h.state().violations.Find("34.1")->Deadline(), absl::FromUnixSeconds(1772467200));  // 03-03 00:00 +08
  // Timeliness keeps them late, and counts them as excused.
  EXPECT_EQ(Cell(h, "gw01", "log_visit").late, 4);
  EXPECT_EQ(Cell(h, "gw01", "log_visit").late_deadlines.size(), 4u);
  EXPECT_EQ(Cell(h, "sy01", "record_payment").late, 1);

  // A group-wide outage over the night also covers V2's and V3's deadline: withdrawing OUT1 leaves
  // them excused (by OUT2) and brings the payment's fines back.
  RunSteps(h, {
      {"group-wide (seq 35)", "cw01", "declare_outage",
       R"({"outage_id":"OUT2","from":"2026-03-02T20:00:00+08:00","to":"2026-03-03T06:00:00+08:00","reason":"专线中断"})"},
      {"no such outage", "cw02", "withdraw_outage", R"({"outage_id":"OUT9","reason":"x"})", kNotFound,
       "outage 'OUT9' not found"},
      {"a withdrawal gives its reason", "cw02", "withdraw_outage", R"({"outage_id":"OUT1"})", kInvalidArgument,
       "field 'reason' is required"},
      {"withdrawn (seq 36)", "cw02", "withdraw_outage", R"({"outage_id":"OUT1","reason":"停电在营业时间外"})"},
      {"withdrawn twice", "cw02", "withdraw_outage", R"({"outage_id":"OUT1","reason":"x"})", kFailedPrecondition,
       "outage 'OUT1' was already withdrawn (seq 36)"},
  });
  EXPECT_EQ(Ledger(h), (std::map<std::string, std::string>{{"29.1", "0"},
                                                           {"30.1", "5000"},
                                                           {"31.1", "(5000)"},
                                                           {"32.1", "10000"},
                                                           {"32.2", "10000"},
                                                           {"34.1", "(5000)"}}));
  EXPECT_EQ(h.state().ExcusingOutage("BJF", h.state().violations.Find("31.1")->Deadline())->outage_id, "OUT2");
  // A waiver of an excused violation is still possible: it stays out of the totals either way.
  h.Must("cw02", "waive_violation", R"({"violation_id":"31.1","reason":"双重豁免"})");  // 37
  EXPECT_EQ(Ledger(h).at("31.1"), "(5000)");
}

TEST(OutagesTest, OnlyLedgerdRecordsItsStarts) {
  DomainHarness h;
  RunSteps(h, {
      {"not a consultant", "gw01", "server_started", R"({"previous_stop_clean":true})", kPermissionDenied,
       "gw01 may not server_started: it needs role INSPECTOR"},
      {"not an inspector either", "jc01", "server_started", R"({"previous_stop_clean":true})", kPermissionDenied,
       "jc01 may not server_started: ledgerd records its own starts"},
      {"the system principal (seq 28)", "system", "server_started",
       R"({"previous_stop_clean":false,"last_recorded_at":"2026-03-01T08:00:00+08:00","version":"ledgerd"})"},
  });
}

}  // namespace
}  // namespace salesledger::testing
