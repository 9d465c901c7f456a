// An amount of money in Chinese capital numerals (人民币大写), as banks and receipts write it
// (中国人民银行《正确填写票据和结算凭证的基本规定》):
//   digits 零壹贰叁肆伍陆柒捌玖, places 拾佰仟 within a group of four, groups 万 and 亿, 元角分;
//   zeros: one 零 for any run of zeros inside the number, none at the end of a group; a group that
//   starts with zeros after a higher group gets its 零 (壹拾万零伍佰元); 元 ends the whole yuan
//   (none when there are no yuan: 伍分); 整 after 元 when there are no 角 and 分, none after 角;
//   a 零 between 元 and 分 when 角 is 0 (壹拾万元零伍分), none between 元 and 角.
// Pure; thread-safe.
#ifndef SALESLEDGER_DOCUMENTS_CHINESE_AMOUNT_H_
#define SALESLEDGER_DOCUMENTS_CHINESE_AMOUNT_H_

#include <cstdint>
#include <string>

namespace salesledger {

// REQUIRES: 0 <= fen < 10^16 (a trillion yuan and more; the ledger caps amounts at 10^12 fen).
// 0 is 零元整.
std::string ChineseCapitalAmount(int64_t fen);

// "¥1,010.10": the figures as the page prints them.
std::string YuanFigures(int64_t fen);

}  // namespace salesledger

#endif  // SALESLEDGER_DOCUMENTS_CHINESE_AMOUNT_H_
