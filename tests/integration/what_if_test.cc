#include "queries/what_if.h"

#include "projections/projector.h"

#include <fstream>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tests/testing/ledger_harness.h"
#include "tests/testing/ledgerd_process.h"
#include "tests/testing/status_matchers.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;

class WhatIfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.clock().Advance(absl::Hours(48));  // 2026-03-03 09:00 local
    for (const char* id : {"V1", "V2", "V3"}) {
      h_.Must("gw01", "log_visit",
              absl::StrCat(R"({"project_id":"BJF","visit_id":")", id,
                           R"(","customer_id":"C1","consultant_id":"gw01","kind":"CALL","occurred_at":"2026-03-01T10:00:00+08:00"})"));
    }
    h_.Must("sy01", "record_payment",
            R"({"project_id":"BJF","payment_id":"E1","customer_id":"C1","kind":"EARNEST","amount_fen":100,"method":"CASH","occurred_at":"2026-03-02T10:00:00+08:00"})");
  }
  v1::Policy Doubled() {
    v1::Policy p = h_.Read([](const State& s) { return s.policy(); });
    p.mutable_visit_late()->set_amount_fen(p.visit_late().amount_fen() * 2);
    return p;
  }
  Refold Refolder() {
    return [this](const PolicyOverride* judge_by) { return FoldFromScratch(h_.ledger().log(), 0, {}, judge_by); };
  }
  testing::LedgerHarness h_;
};

TEST_F(WhatIfTest, DoublingVisitLateDoublesExactlyThoseItems) {
  const uint64_t head = h_.head();
  auto rows = WhatIf(Refolder(), Doubled(), "2026-03");
  ASSERT_THAT(rows.status(), testing::IsOk());
  std::map<std::string, WhatIfRow> by_person;
  for (const auto& r : *rows) by_person[r.person_id] = r;
  ASSERT_EQ(by_person.count("gw01"), 1u);
  EXPECT_EQ(by_person["gw01"].actual_fen, 10000);   // warning, 5000, 5000
  EXPECT_EQ(by_person["gw01"].what_if_fen, 20000);  // warning, 10000, 10000
  EXPECT_EQ(by_person["gw01"].actual_items, 3);
  EXPECT_EQ(by_person["gw01"].what_if_items, 3);
  EXPECT_EQ(by_person["sy01"].actual_fen, 10000);
  EXPECT_EQ(by_person["sy01"].what_if_fen, 10000);
  EXPECT_EQ(by_person["cw01"].what_if_fen, by_person["cw01"].actual_fen);
  EXPECT_EQ(h_.head(), head);  // nothing written
  // Another month: nothing changes.
  auto april = WhatIf(Refolder(), Doubled(), "2026-04");
  ASSERT_THAT(april.status(), testing::IsOk());
  EXPECT_TRUE(april->empty());
  EXPECT_THAT(WhatIf(Refolder(), Doubled(), "March").status(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("month")));
}

TEST_F(WhatIfTest, LedgerctlPrintsTheDifferencePerPerson) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(Doubled(), &text);
  const std::string file = h_.data_dir() + "/../doubled.txt";
  std::ofstream(file) << text;
  std::string out;
  ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " what-if --csv --month 2026-03 --policy ", file,
                                             " --data-dir ", h_.data_dir()),
                                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("gw01,10000,20000,10000,3,3"));
  EXPECT_THAT(out, HasSubstr("sy01,10000,10000,0,1,1"));
}

}  // namespace
}  // namespace salesledger
