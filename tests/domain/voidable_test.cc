#include "domain/voidable.h"

#include <vector>

#include "gtest/gtest.h"

namespace salesledger {
namespace {

using v1::Event;

std::vector<uint64_t> Seqs(const VoidableEntries& v) {
  std::vector<uint64_t> out;
  for (const VoidableEntry& e : v) out.push_back(e.seq);
  return out;
}

TEST(VoidableEntriesTest, FindsBySeqInAFold) {
  VoidableEntries v;
  v.Add({5, Event::kLogVisit, false, "cw01", "V1"});
  v.Add({9, Event::kRecordPayment, false, "cs01", "P1"});
  v.Add({12, Event::kLogVisit, false, "cw02", "V2"});
  ASSERT_NE(v.Find(9), nullptr);
  EXPECT_EQ(v.Find(9)->item_id, "P1");
  EXPECT_EQ(v.Find(9)->actor_id, "cs01");
  EXPECT_EQ(v.Find(8), nullptr);
  EXPECT_EQ(v.Find(13), nullptr);
  EXPECT_EQ(v.Find(1), nullptr);
  v.Find(12)->voided = true;
  EXPECT_TRUE(v.Find(12)->voided);
  EXPECT_EQ(Seqs(v), (std::vector<uint64_t>{5, 9, 12}));
}

TEST(VoidableEntriesTest, OutOfOrderAddsStaySortedAndReplaceTheSameSeq) {
  VoidableEntries v;
  v.Add({10, Event::kLogVisit, false, "a", "V10"});
  v.Add({4, Event::kLogVisit, false, "a", "V4"});
  v.Add({7, Event::kLogVisit, false, "a", "V7"});
  v.Add({7, Event::kRecordPayment, false, "b", "P7"});
  EXPECT_EQ(Seqs(v), (std::vector<uint64_t>{4, 7, 10}));
  EXPECT_EQ(v.Find(7)->item_id, "P7");
  EXPECT_EQ(v.size(), 3u);
}

}  // namespace
}  // namespace salesledger
