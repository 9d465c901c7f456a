#include "base/id_table.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace salesledger {
namespace {

struct Record {
  std::string id;
  int value = 0;
};
absl::string_view RecordId(const Record& r) { return r.id; }
using Table = IdTable<Record, RecordId>;

std::vector<std::pair<std::string, int>> Contents(const Table& t) {
  std::vector<std::pair<std::string, int>> out;
  for (const Record& r : t) out.emplace_back(r.id, r.value);
  return out;
}

TEST(IdTableTest, FindsByIdAndIteratesInTheOrderAdded) {
  Table t;
  EXPECT_TRUE(t.Add({"V9", 1}));
  EXPECT_TRUE(t.Add({"a-payment-id-longer-than-fifteen-bytes", 2}));
  EXPECT_TRUE(t.Add({"C1", 3}));
  EXPECT_FALSE(t.Add({"V9", 4}));  // refused, and the first record kept
  ASSERT_NE(t.Find("V9"), nullptr);
  EXPECT_EQ(t.Find("V9")->value, 1);
  EXPECT_EQ(t.Find(std::string("a-payment-id-longer-than-fifteen-bytes"))->value, 2);
  EXPECT_EQ(t.Find("V1"), nullptr);
  EXPECT_EQ(t.Find(""), nullptr);
  t.Find("C1")->value = 7;
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t[1].id, "a-payment-id-longer-than-fifteen-bytes");
  EXPECT_EQ(Contents(t), (std::vector<std::pair<std::string, int>>{
                             {"V9", 1}, {"a-payment-id-longer-than-fifteen-bytes", 2}, {"C1", 7}}));
}

TEST(IdTableTest, KeepsFindingRecordsAsItGrowsAndMoves) {
  Table t;
  const int n = 100000;  // many rehashes of the index
  const Record* first = nullptr;
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(t.Add({absl::StrCat("id", i), i}));
    if (i == 0) first = t.Find("id0");
  }
  EXPECT_EQ(t.Find("id0"), first);  // records never move
  Table moved = std::move(t);
  for (int i = 0; i < n; i += 997) {
    ASSERT_NE(moved.Find(absl::StrCat("id", i)), nullptr) << i;
    EXPECT_EQ(moved.Find(absl::StrCat("id", i))->value, i);
  }
  EXPECT_EQ(moved.Find(absl::StrCat("id", n)), nullptr);
  EXPECT_EQ(moved.Find("id0"), first);
  t = moved;  // a moved-from table takes a copy
  EXPECT_EQ(t.size(), static_cast<size_t>(n));
  EXPECT_EQ(t.Find("id99999")->value, 99999);
}

TEST(IdTableTest, ACopyIsIndependentAndIndexedOnItsOwn) {
  Table original;
  original.Add({"A", 1});
  original.Add({"B", 2});
  Table copy = original;
  copy.Find("A")->value = 10;
  copy.Add({"C", 3});
  EXPECT_EQ(original.Find("A")->value, 1);
  EXPECT_EQ(original.Find("C"), nullptr);
  EXPECT_EQ(Contents(copy), (std::vector<std::pair<std::string, int>>{{"A", 10}, {"B", 2}, {"C", 3}}));
  original = Table();  // the copy does not share the original's records
  EXPECT_EQ(copy.Find("B")->value, 2);
  copy = copy;  // NOLINT: self-assignment keeps the table
  EXPECT_EQ(copy.size(), 3u);
  EXPECT_EQ(copy.Find("C")->value, 3);
}

}  // namespace
}  // namespace salesledger
