#include "projections/id_table.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace salesledger {
namespace {

std::vector<std::pair<std::string, int>> Contents(const IdTable<int>& t) {
  std::vector<std::pair<std::string, int>> out;
  for (const auto& [id, value] : t) out.emplace_back(id.str(), value);
  return out;
}

TEST(IdTableTest, FindsByIdAndIteratesInTheOrderAdded) {
  IdTable<int> t;
  EXPECT_TRUE(t.Add("V9", 1));
  EXPECT_TRUE(t.Add("a-payment-id-longer-than-fifteen-bytes", 2));
  EXPECT_TRUE(t.Add("C1", 3));
  EXPECT_FALSE(t.Add("V9", 4));  // refused, and the first value kept
  ASSERT_NE(t.Find("V9"), nullptr);
  EXPECT_EQ(*t.Find("V9"), 1);
  EXPECT_EQ(*t.Find(std::string("a-payment-id-longer-than-fifteen-bytes")), 2);
  EXPECT_EQ(t.Find("V1"), nullptr);
  EXPECT_EQ(t.Find(""), nullptr);
  *t.Find("C1") = 7;
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(Contents(t), (std::vector<std::pair<std::string, int>>{
                             {"V9", 1}, {"a-payment-id-longer-than-fifteen-bytes", 2}, {"C1", 7}}));
}

TEST(IdTableTest, KeepsFindingEntriesAsItGrowsAndMoves) {
  IdTable<int> t;
  const int n = 100000;  // many rehashes of the index
  const int* first = nullptr;
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(t.Add(absl::StrCat("id", i), i));
    if (i == 0) first = t.Find("id0");
  }
  EXPECT_EQ(t.Find("id0"), first);  // entries never move
  IdTable<int> moved = std::move(t);
  for (int i = 0; i < n; i += 997) {
    ASSERT_NE(moved.Find(absl::StrCat("id", i)), nullptr) << i;
    EXPECT_EQ(*moved.Find(absl::StrCat("id", i)), i);
  }
  EXPECT_EQ(moved.Find(absl::StrCat("id", n)), nullptr);
  EXPECT_EQ(moved.Find("id0"), first);
  t = moved;  // a moved-from table takes a copy
  EXPECT_EQ(t.size(), static_cast<size_t>(n));
  EXPECT_EQ(*t.Find("id99999"), 99999);
}

TEST(IdTableTest, ACopyIsIndependentAndIndexedOnItsOwn) {
  IdTable<int> original;
  original.Add("A", 1);
  original.Add("B", 2);
  IdTable<int> copy = original;
  *copy.Find("A") = 10;
  copy.Add("C", 3);
  EXPECT_EQ(*original.Find("A"), 1);
  EXPECT_EQ(original.Find("C"), nullptr);
  EXPECT_EQ(Contents(copy), (std::vector<std::pair<std::string, int>>{{"A", 10}, {"B", 2}, {"C", 3}}));
  original = IdTable<int>();  // the copy does not share the original's entries
  EXPECT_EQ(*copy.Find("B"), 2);
  copy = copy;  // NOLINT: self-assignment keeps the table
  EXPECT_EQ(copy.size(), 3u);
  EXPECT_EQ(*copy.Find("C"), 3);
}

}  // namespace
}  // namespace salesledger
