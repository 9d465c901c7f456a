#include "base/compact_id.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace salesledger {
namespace {

TEST(CompactIdTest, KeepsShortAndLongIdsIntact) {
  for (size_t n : {0, 1, 14, 15, 16, 17, 128}) {
    std::string text;
    for (size_t i = 0; i < n; ++i) text.push_back(static_cast<char>('a' + i % 26));
    CompactId id(text);
    EXPECT_EQ(id.view(), text) << n;
    EXPECT_EQ(id.size(), n);
    EXPECT_EQ(id.empty(), n == 0);
    EXPECT_EQ(id.str(), text);
  }
}

TEST(CompactIdTest, CopiesAndMovesOwnTheirText) {
  const std::string long_text(40, 'x');
  for (const std::string& text : {std::string("V-000123"), long_text}) {
    CompactId a(text);
    CompactId copy(a);
    CompactId assigned("other");
    assigned = a;
    EXPECT_EQ(copy, a);
    EXPECT_EQ(assigned, text);
    if (text.size() > CompactId::kInline) {
      EXPECT_NE(copy.view().data(), a.view().data());  // a deep copy
    }
    CompactId moved(std::move(a));
    EXPECT_EQ(moved, text);
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the moved-from id is empty
    CompactId move_assigned;
    move_assigned = std::move(moved);
    EXPECT_EQ(move_assigned, text);
    CompactId& self = move_assigned;
    move_assigned = self;  // self-assignment keeps the text
    EXPECT_EQ(move_assigned, text);
  }
}

TEST(CompactIdTest, ComparesOrdersAndHashesAsItsText) {
  EXPECT_LT(CompactId("a"), CompactId("b"));
  EXPECT_LT(CompactId("ab"), CompactId("abc"));
  EXPECT_LT(CompactId(std::string(20, 'a')), CompactId(std::string(20, 'b')));
  EXPECT_EQ(CompactId("P1"), "P1");
  EXPECT_EQ(CompactId("P1"), std::string("P1"));
  EXPECT_NE(CompactId("P1"), "P2");
  CompactIdMap<int> m;
  m["V1"] = 1;
  m[std::string(30, 'v')] = 2;
  EXPECT_EQ(m.at(std::string("V1")), 1);  // looked up by a std::string without building a CompactId
  EXPECT_EQ(m.find(absl::string_view(std::string(30, 'v')))->second, 2);
  EXPECT_FALSE(m.contains("V2"));
  std::vector<CompactId> grown;
  for (int i = 0; i < 100; ++i) grown.emplace_back(std::string(20, static_cast<char>('a' + i % 26)));
  EXPECT_EQ(grown[99], std::string(20, 'v'));  // survives the vector's moves
}

}  // namespace
}  // namespace salesledger
