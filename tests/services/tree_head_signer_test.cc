// Signed checkpoints of a running ledger (services/tree_head_signer.h): one at open, one per
// growth, none for an unchanged tree, and each one the tree's root signed by log.key.
#include "services/tree_head_signer.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/log_key.h"
#include "tests/testing/ledger_harness.h"
#include "tests/testing/status_matchers.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;
using Code = absl::StatusCode;

int CountHeads(const EventLog& log) {
  int n = 0;
  EXPECT_THAT(log.ReadTreeHeads([&](uint64_t, absl::string_view) { return ++n > 0; }), IsOk());
  return n;
}

TEST(TreeHeadSignerTest, SignsAtOpenAndWhenTheTreeGrows) {
  testing::LedgerHarness h;
  const uint64_t head = h.head();
  auto key = ReadLogKey(h.data_dir());
  ASSERT_THAT(key.status(), IsOk());
  auto latest = ReadTreeHead(h.ledger().log(), key->verifier(), 0);
  ASSERT_THAT(latest.status(), IsOk());
  // The harness's cast arrived within the signer's first second, or at open: at most the head.
  EXPECT_LE(latest->size, head);
  auto signed_now = h.ledger().tree_heads().SignLatest();
  ASSERT_THAT(signed_now.status(), IsOk());
  EXPECT_EQ(signed_now->size, head);
  EXPECT_EQ(signed_now->root, *h.ledger().log().TreeRoot(head));
  auto opened = OpenCheckpoint(signed_now->note, key->verifier());
  ASSERT_THAT(opened.status(), IsOk());
  EXPECT_EQ(opened->origin, key->name);
  EXPECT_EQ(opened->size, head);

  const int heads = CountHeads(h.ledger().log());
  ASSERT_THAT(h.ledger().tree_heads().SignLatest().status(), IsOk());
  EXPECT_EQ(CountHeads(h.ledger().log()), heads);  // nothing new to sign

  EXPECT_THAT(ReadTreeHead(h.ledger().log(), key->verifier(), head + 5).status(),
              StatusIs(Code::kNotFound, HasSubstr(absl::StrCat("no checkpoint was signed at tree size ", head + 5,
                                                               "; the latest is size ", head))));
}

TEST(TreeHeadSignerTest, TheBackgroundSignerCatchesUpWithinASecond) {
  testing::LedgerHarness h;
  h.Must("gw01", "log_visit",
         absl::StrCat(R"({"project_id":"BJF","visit_id":"V1","customer_id":"C1","consultant_id":"gw01","kind":"CALL",)",
                      R"("occurred_at":")", h.At(), R"("})"));
  const uint64_t head = h.head();
  auto key = ReadLogKey(h.data_dir());
  ASSERT_THAT(key.status(), IsOk());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  uint64_t size = 0;
  while (absl::Now() < deadline) {
    size = ReadTreeHead(h.ledger().log(), key->verifier(), 0)->size;
    if (size == head) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(size, head);
}

}  // namespace
}  // namespace salesledger
