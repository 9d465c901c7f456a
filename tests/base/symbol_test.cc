#include "base/symbol.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace salesledger {
namespace {

TEST(SymbolTest, EqualTextsShareOneCopy) {
  const size_t before = InternedSymbolCount();
  Symbol a(std::string("symbol-test-cw01"));
  Symbol b = absl::StrCat("symbol-test-", "cw01");
  EXPECT_EQ(&a.str(), &b.str());
  EXPECT_EQ(InternedSymbolCount(), before + 1);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, "symbol-test-cw01");
  EXPECT_EQ(a, std::string("symbol-test-cw01"));
  EXPECT_NE(a, Symbol("symbol-test-cw02"));
}

TEST(SymbolTest, EmptyIsTheDefaultAndNotInterned) {
  const size_t before = InternedSymbolCount();
  Symbol s("x-symbol-test");
  s.clear();
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s, Symbol());
  EXPECT_EQ(s, Symbol(""));
  EXPECT_EQ(InternedSymbolCount(), before + 1);  // only "x-symbol-test"
}

TEST(SymbolTest, OrdersAndHashesAsItsText) {
  EXPECT_LT(Symbol("symbol-test-a"), Symbol("symbol-test-b"));
  EXPECT_GT(Symbol("symbol-test-ab"), Symbol("symbol-test-a"));
  absl::flat_hash_map<std::string, int> by_text{{"symbol-test-k", 7}};
  EXPECT_EQ(by_text.at(Symbol("symbol-test-k")), 7);  // heterogeneous lookup by the text
  EXPECT_EQ(absl::StrCat("<", Symbol("symbol-test-k").str(), ">"), "<symbol-test-k>");
}

TEST(SymbolTest, ConcurrentInterningGivesOneCopyPerText) {
  constexpr int kThreads = 4, kTexts = 2000;
  std::vector<std::vector<const std::string*>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &seen] {
      for (int i = 0; i < kTexts; ++i) seen[t].push_back(&Symbol(absl::StrCat("symbol-race-", i)).str());
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 1; t < kThreads; ++t) EXPECT_EQ(seen[t], seen[0]);
  EXPECT_EQ(*seen[0][1234], "symbol-race-1234");
}

}  // namespace
}  // namespace salesledger
