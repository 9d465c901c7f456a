// 人民币大写 against a table written from the rules (documents/chinese_amount.h), not from the code.
#include "documents/chinese_amount.h"

#include "gtest/gtest.h"

namespace salesledger {
namespace {

TEST(ChineseAmountTest, TheRulesCaseByCase) {
  const struct {
    int64_t fen;
    const char* words;
  } cases[] = {
      {0, "零元整"},
      {5, "伍分"},                                  // no 元 without yuan
      {50, "伍角"},
      {55, "伍角伍分"},
      {100, "壹元整"},
      {1000, "壹拾元整"},                           // 壹拾, as money is written
      {1005, "壹拾元零伍分"},                       // 角 is 0 and 分 is not: 零
      {1050, "壹拾元伍角"},                         // no 整 after 角
      {101010, "壹仟零壹拾元壹角"},                 // the 1,010.10
      {100001, "壹仟元零壹分"},
      {10000000, "壹拾万元整"},
      {10000005, "壹拾万元零伍分"},                 // the 100,000.05
      {100000000, "壹佰万元整"},                    // 1,000,000.00
      {2000000000, "贰仟万元整"},                   // 20,000,000.00
      {30010000000, "叁亿零壹拾万元整"},            // 300,100,000.00
      {100100, "壹仟零壹元整"},
      {110000, "壹仟壹佰元整"},
      {1001000, "壹万零壹拾元整"},
      {1050000, "壹万零伍佰元整"},                  // the group after 万 starts with a zero
      {10050000, "壹拾万零伍佰元整"},
      {100050000, "壹佰万零伍佰元整"},
      {1000010000, "壹仟万零壹佰元整"},
      {10000000100, "壹亿零壹元整"},                // two empty places between groups: one 零
      {10000100000, "壹亿零壹仟元整"},
      {10100000000, "壹亿零壹佰万元整"},
      {12345678900, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整"},
      {199999999999, "壹拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"},
      {1000000000000, "壹佰亿元整"},                // the ledger's largest amount
      {168032, "壹仟陆佰捌拾元叁角贰分"},           // 元 place 0, 角 not: no 零 (either is allowed)
  };
  for (const auto& c : cases) EXPECT_EQ(ChineseCapitalAmount(c.fen), c.words) << c.fen << " fen";
}

TEST(ChineseAmountTest, FiguresGroupThousands) {
  EXPECT_EQ(YuanFigures(0), "¥0.00");
  EXPECT_EQ(YuanFigures(5), "¥0.05");
  EXPECT_EQ(YuanFigures(101010), "¥1,010.10");
  EXPECT_EQ(YuanFigures(30010000000), "¥300,100,000.00");
  EXPECT_EQ(YuanFigures(99999), "¥999.99");
}

}  // namespace
}  // namespace salesledger
