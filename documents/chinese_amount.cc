#include "documents/chinese_amount.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace salesledger {
namespace {

constexpr const char* kDigits[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
constexpr const char* kPlaces[] = {"", "拾", "佰", "仟"};     // within a group of four digits
constexpr const char* kGroups[] = {"", "万", "亿", "万亿"};  // groups of four, from the right

// One group of four digits (1..9999), with 零 for the zeros inside it but none at its end.
std::string Group(int value, bool zero_before) {
  std::string out;
  bool pending_zero = zero_before;
  for (int place = 3; place >= 0; --place) {
    int divisor = 1;
    for (int i = 0; i < place; ++i) divisor *= 10;
    const int digit = value / divisor % 10;
    if (digit == 0) {
      if (!out.empty()) pending_zero = true;
      continue;
    }
    if (pending_zero) out += kDigits[0];
    pending_zero = false;
    absl::StrAppend(&out, kDigits[digit], kPlaces[place]);
  }
  return out;
}

std::string Yuan(int64_t yuan) {
  if (yuan == 0) return "";
  int groups[4] = {};
  int n = 0;
  for (int64_t rest = yuan; rest > 0; rest /= 10000) groups[n++] = static_cast<int>(rest % 10000);
  std::string out;
  bool zero = false;  // zeros between the last group written and this one
  for (int g = n - 1; g >= 0; --g) {
    const int value = groups[g];
    if (value == 0) {
      zero = true;
      continue;
    }
    // A group after a higher one gets its 零 when it starts with a zero or zeros came before it.
    const bool lead = !out.empty() && (zero || value < 1000);
    absl::StrAppend(&out, Group(value, lead), kGroups[g]);
    zero = false;
  }
  return out + "元";
}

}  // namespace

std::string ChineseCapitalAmount(int64_t fen) {
  const int64_t yuan = fen / 100;
  const int jiao = static_cast<int>(fen / 10 % 10), cents = static_cast<int>(fen % 10);
  if (fen == 0) return "零元整";
  std::string out = Yuan(yuan);
  if (jiao == 0 && cents == 0) return out + "整";
  if (jiao != 0) absl::StrAppend(&out, kDigits[jiao], "角");
  if (cents != 0) {
    if (jiao == 0 && yuan != 0) out += kDigits[0];
    absl::StrAppend(&out, kDigits[cents], "分");
  }
  return out;
}

std::string YuanFigures(int64_t fen) {
  std::string digits = absl::StrCat(fen / 100);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return absl::StrFormat("¥%s.%02d", grouped, static_cast<int>(fen % 100));
}

}  // namespace salesledger
