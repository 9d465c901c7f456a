#include "domain/validation.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/time_proto.h"

namespace salesledger {
namespace {

bool IdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == ':' || c == '-';
}

absl::Status Missing(const char* field) {
  return absl::InvalidArgumentError(absl::StrCat("field '", field, "' is required"));
}

absl::Status CheckUtf8Text(const char* field, const std::string& value, bool required, size_t max) {
  if (value.empty()) return required ? Missing(field) : absl::OkStatus();
  const int64_t chars = Utf8Length(value);
  if (chars < 0) return absl::InvalidArgumentError(absl::StrCat("field '", field, "' is not valid UTF-8"));
  if (static_cast<size_t>(chars) > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("field '", field, "' has ", chars, " characters; at most ", max, " are allowed"));
  }
  return absl::OkStatus();
}

}  // namespace

int64_t Utf8Length(const std::string& s) {
  int64_t chars = 0;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (len == 0 || i + len > s.size()) return -1;
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    for (size_t k = 1; k < len; ++k) {
      const unsigned char cc = s[i + k];
      if ((cc >> 6) != 0x2) return -1;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
      return -1;
    }
    i += len;
    ++chars;
  }
  return chars;
}

absl::Status CheckId(const char* field, const std::string& value) {
  if (value.empty()) return Missing(field);
  if (value.size() > kMaxIdChars || !std::all_of(value.begin(), value.end(), IdChar)) {
    return absl::InvalidArgumentError(absl::StrCat("field '", field, "' must be 1-64 characters from ",
                                                   "A-Z a-z 0-9 . _ : - (got ", value.size(), " characters)"));
  }
  return absl::OkStatus();
}

absl::Status CheckOptionalId(const char* field, const std::string& value) {
  return value.empty() ? absl::OkStatus() : CheckId(field, value);
}

absl::Status CheckName(const char* field, const std::string& value, bool required) {
  return CheckUtf8Text(field, value, required, kMaxNameChars);
}

absl::Status CheckText(const char* field, const std::string& value, bool required) {
  return CheckUtf8Text(field, value, required, kMaxTextChars);
}

absl::Status CheckMoney(const char* field, int64_t value) {
  // Zero and absent are one value in proto3; the clerk is told what is allowed either way.
  if (value <= 0 || value > kMaxMoneyFen) {
    return absl::InvalidArgumentError(absl::StrCat("field '", field,
                                                   "' must be more than 0 and at most 10^12 fen; got ",
                                                   value == 0 ? "0 or nothing" : absl::StrCat(value)));
  }
  return absl::OkStatus();
}

absl::Status CheckEnum(const char* field, int value, const google::protobuf::EnumDescriptor* type) {
  if (value == 0) return Missing(field);
  if (type->FindValueByNumber(value) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("field '", field, "' has unknown value ", value));
  }
  return absl::OkStatus();
}

absl::Status CheckMonth(const char* field, const std::string& value) {
  if (value.empty()) return Missing(field);
  int year = 0, month = 0;
  if (value.size() != 7 || value[4] != '-' || !absl::SimpleAtoi(value.substr(0, 4), &year) ||
      !absl::SimpleAtoi(value.substr(5, 2), &month) || year < 2000 || year > 2100 || month < 1 || month > 12) {
    return absl::InvalidArgumentError(absl::StrCat("field '", field, "' must be a month YYYY-MM; got '", value, "'"));
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::Time> CheckOccurredAt(const google::protobuf::Timestamp* value, bool present,
                                           absl::Time recorded_at, bool required) {
  if (!present) {
    if (required) return Missing("occurred_at");
    return recorded_at;
  }
  const absl::Time t = FromProto(*value);
  if (t > recorded_at + kMaxFutureSkew) {
    return absl::InvalidArgumentError(absl::StrCat("field 'occurred_at' (", absl::FormatTime(t),
                                                   ") is more than 5 minutes in the future: the server's time is ",
                                                   absl::FormatTime(recorded_at),
                                                   "; check the date and the UTC offset"));
  }
  if (t < absl::FromCivil(absl::CivilDay(2000, 1, 1), absl::UTCTimeZone())) {
    return absl::InvalidArgumentError(absl::StrCat("field 'occurred_at' (", absl::FormatTime(t),
                                                   ") is before the year 2000"));
  }
  return t;
}

absl::StatusOr<std::string> NormalizePhone(const std::string& phone) {
  if (phone.empty()) return Missing("phone");
  std::string digits;
  for (size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (!(c == ' ' || c == '-' || c == '(' || c == ')' || (c == '+' && i == 0))) {
      return absl::InvalidArgumentError(absl::StrCat("field 'phone' may hold only digits, spaces, dashes and ",
                                                     "parentheses; got '", phone, "'"));
    }
  }
  if (digits.size() < 5 || digits.size() > 20) {
    return absl::InvalidArgumentError(absl::StrCat("field 'phone' must have 5-20 digits; got ", digits.size()));
  }
  return digits;
}

std::string MaskPhone(const std::string& digits) {
  if (digits.size() < 8) return std::string(digits.size(), '*');
  return digits.substr(0, 3) + std::string(digits.size() - 7, '*') + digits.substr(digits.size() - 4);
}

}  // namespace salesledger
