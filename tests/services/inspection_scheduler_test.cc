#include "services/inspection_scheduler.h"

#include "gtest/gtest.h"
#include "tests/testing/ledger_harness.h"

namespace salesledger {
namespace {

// The run_inspection events of `project` in the log, each checked to be the system's.
int Inspections(testing::LedgerHarness& h, const std::string& project) {
  int n = 0;
  EXPECT_TRUE(h.ledger().log().Read(1, 0, [&](const StoredEvent& e) {
    v1::Event event;
    EXPECT_TRUE(event.ParseFromArray(e.bytes.data(), e.bytes.size()));
    if (event.has_run_inspection() && event.project_id() == project) {
      EXPECT_EQ(event.actor_id(), "system");
      ++n;
    }
    return true;
  }).ok());
  return n;
}

TEST(InspectionSchedulerTest, RunsOncePerProjectAndDayAtTheInspectionTime) {
  testing::LedgerHarness h;  // projects BJF and OTHER, both Asia/Shanghai; clock at 2026-03-01 09:00 +08
  InspectionScheduler scheduler(&h.ledger(), &h.clock());
  h.clock().Set(absl::FromCivil(absl::CivilMinute(2026, 3, 1, 17, 59), absl::FixedTimeZone(8 * 3600)));
  EXPECT_EQ(scheduler.RunDue(), 0);
  h.clock().Advance(absl::Minutes(1));  // 18:00 local
  EXPECT_EQ(scheduler.RunDue(), 2);
  EXPECT_EQ(scheduler.RunDue(), 0);
  EXPECT_EQ(Inspections(h, "BJF"), 1);
  // A new scheduler (a restart) the same evening appends nothing: the request id names the day.
  InspectionScheduler restarted(&h.ledger(), &h.clock());
  EXPECT_EQ(restarted.RunDue(), 0);
  EXPECT_EQ(Inspections(h, "BJF"), 1);
  h.clock().Advance(absl::Hours(24));
  EXPECT_EQ(scheduler.RunDue(), 2);
  EXPECT_EQ(Inspections(h, "BJF"), 2);
}

}  // namespace
}  // namespace salesledger
