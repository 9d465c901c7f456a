// Deadlines of entries (SPEC.md §6.1, §6.5) and whom an entry concerns, as a table.
#include "domain/deadlines.h"

#include "base/time_proto.h"
#include "domain/policy.h"
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"

namespace salesledger::testing {
namespace {

absl::Time Local(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), absl::FixedTimeZone(8 * 3600));
}

TEST(DeadlinesTest, EachKindItsDeadline) {
  DomainHarness h;
  const Project& bjf = h.state().projects.at("BJF");
  const v1::Policy policy = DefaultPolicy();
  struct Row {
    std::string kind;
    absl::Time occurred, deadline;
    bool inclusive;
  };
  const absl::Time t = Local(2026, 3, 2, 23, 50);
  const std::vector<Row> rows = {
      {"log_visit", t, Local(2026, 3, 3, 0, 0), false},            // the end of the local day
      {"register_customer", t, Local(2026, 3, 3, 0, 0), false},
      {"create_subscription", t, t + absl::Minutes(30), true},     // "<= 30 min"
      {"record_payment", t, t + absl::Minutes(30), true},
      {"refund_payment", t, t + absl::Minutes(30), true},
      {"transfer_payment", t, t + absl::Minutes(30), true},
      {"record_service_step", t, t + absl::Hours(24), true},
      {"reserve_unit", t, t + absl::Minutes(30), true},
      {"sign_contract", t, t + absl::Minutes(30), true},
  };
  for (const Row& r : rows) {
    v1::Event e;
    *e.mutable_occurred_at() = ToProto(r.occurred);
    e.GetReflection()->MutableMessage(&e, v1::Event::descriptor()->FindFieldByName(r.kind));
    const auto d = DeadlineOf(policy, bjf, e);
    ASSERT_TRUE(d.has_value()) << r.kind;
    EXPECT_EQ(d->at, r.deadline) << r.kind;
    EXPECT_EQ(d->inclusive, r.inclusive) << r.kind;
    EXPECT_EQ(d->Late(r.deadline), !r.inclusive) << r.kind << ": exactly at the deadline";
  }
  v1::Event feedback;
  feedback.mutable_record_plan_feedback();
  EXPECT_FALSE(DeadlineOf(policy, bjf, feedback).has_value());
}

TEST(DeadlinesTest, TheSubjectOfAnEntry) {
  DomainHarness h;
  const Project& bjf = h.state().projects.at("BJF");
  v1::Event visit;
  visit.set_actor_id("desk");
  visit.mutable_log_visit()->set_consultant_id("gw02");
  EXPECT_EQ(EntrySubject(h.state(), bjf, visit), "gw02");  // the named consultant
  v1::Event payment;
  payment.set_actor_id("sy01");
  payment.mutable_record_payment();
  EXPECT_EQ(EntrySubject(h.state(), bjf, payment), "sy01");
  payment.set_actor_id("desk");
  EXPECT_EQ(EntrySubject(h.state(), bjf, payment), "xs01");  // a shared account: the project's lead
  const Project& other = h.state().projects.at("OTHER");
  EXPECT_EQ(EntrySubject(h.state(), other, payment), "desk");  // no lead there: the account itself
}

}  // namespace
}  // namespace salesledger::testing
