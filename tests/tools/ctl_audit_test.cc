// ledgerctl's audit verbs as a user runs them: a verb that cannot print what it read fails.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/record_format.h"
#include "tests/testing/ledger_harness.h"
#include "tests/testing/ledgerd_process.h"
#include "tests/testing/raw_ledger.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;

// A ledger written before timestamps were range-checked could hold an occurred_at with nanos past
// 999,999,999 in an event body, which protobuf's JSON printer refuses half way through the line.
// `events` used to print the cut-off line and exit 0; it must name the event and exit 1.
TEST(CtlAuditTest, EventsExitsNonZeroWhenAnEventCannotBePrinted) {
  testing::LedgerHarness h;
  const uint64_t seq = h.Must("gw01", "log_visit",
                              R"({"project_id":"BJF","visit_id":"V1","customer_id":"C1","consultant_id":"gw01",)"
                              R"("kind":"CALL","occurred_at":"2026-03-01T09:00:00+08:00"})");
  h.Close();
  {
    testing::RawLedger raw(h.data_dir() + "/ledger");
    const std::string stored = *raw.GetEvent(seq);
    auto value = record_format::DecodeEventValue(stored);
    v1::Event event;
    ASSERT_TRUE(event.ParseFromArray(value->event_bytes.data(), value->event_bytes.size()));
    event.mutable_log_visit()->mutable_occurred_at()->set_nanos(1000000000);
    raw.Rewrite(seq, event);
  }
  std::string out;
  const std::string events = absl::StrCat(LEDGERCTL_PATH, " events --data-dir ", h.data_dir(), " --kind log_visit");
  EXPECT_EQ(testing::RunCommand(events, &out), 1) << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("event ", seq, ": cannot print this Event as JSON")));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("\"visit_id\":\"V1\"")));  // no half-printed line
  // The other events still print.
  EXPECT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " events --data-dir ", h.data_dir(), " --kind define_project"),
                                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("\"project_id\":\"BJF\""));
}

}  // namespace
}  // namespace salesledger
