#include "domain/violations.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace salesledger {
namespace {

Violation Make(const std::string& id, int64_t amount) {
  Violation v;
  v.violation_id = id;
  v.amount_fen = amount;
  return v;
}

TEST(ViolationsTest, KeepsTheOrderTheyAroseAndFindsById) {
  Violations vs;
  // "10.1" sorts before "9.1" as text; the order kept is the order added.
  ASSERT_TRUE(vs.Add(Make("9.1", 100)));
  ASSERT_TRUE(vs.Add(Make("9.2", 50)));
  ASSERT_TRUE(vs.Add(Make("10.1", 200)));
  std::vector<std::string> order;
  for (const Violation& v : vs) order.push_back(v.violation_id);
  EXPECT_EQ(order, (std::vector<std::string>{"9.1", "9.2", "10.1"}));
  EXPECT_EQ(vs[2].amount_fen, 200);
  ASSERT_NE(vs.Find("9.2"), nullptr);
  EXPECT_EQ(vs.Find("9.2")->amount_fen, 50);
  EXPECT_EQ(vs.Find("9.3"), nullptr);
  vs.Find(std::string("10.1"))->waived = true;
  EXPECT_TRUE(vs[2].waived);
}

TEST(ViolationsTest, AnIdTwiceIsRefusedAndChangesNothing) {
  Violations vs;
  ASSERT_TRUE(vs.Add(Make("5.1", 100)));
  EXPECT_FALSE(vs.Add(Make("5.1", 999)));
  EXPECT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs.Find("5.1")->amount_fen, 100);
}

TEST(ViolationsTest, AWaiverIsFoundByItsViolationsId) {
  Violations vs;
  ASSERT_TRUE(vs.Add(Make("5.1", 100)));
  EXPECT_EQ(vs.WaiverOf("5.1"), nullptr);
  vs.SetWaiver("5.1", Waiver{"酌情", "xs01"});
  ASSERT_NE(vs.WaiverOf("5.1"), nullptr);
  EXPECT_EQ(vs.WaiverOf("5.1")->reason, "酌情");
  EXPECT_EQ(vs.WaiverOf("5.1")->waived_by, "xs01");
  EXPECT_EQ(vs.WaiverOf("5.2"), nullptr);
}

}  // namespace
}  // namespace salesledger
