#include "domain/validation.h"

#include <cstdlib>
#include <limits>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "base/time_proto.h"

namespace salesledger {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// protobuf's own Timestamp limits (google/protobuf/timestamp.proto).
constexpr int64_t kMinTimestampSeconds = -62135596800;  // 0001-01-01T00:00:00Z
constexpr int64_t kMaxTimestampSeconds = 253402300799;  // 9999-12-31T23:59:59Z

// A time in a message: RFC 3339 in UTC, whatever zone the machine is in (decide stays pure).
std::string Utc(absl::Time t) { return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone()); }

bool IdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == ':' || c == '-';
}

absl::Status Missing(absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat("field '", field, "' is required"));
}

// The length of the UTF-8 sequence starting with `c`, or 0 when `c` cannot start one.
size_t Utf8SequenceLength(unsigned char c) {
  return c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
}

// `value` quoted for a message, cut short when long (ids are refused long before 200 bytes).
std::string Quoted(absl::string_view value) {
  constexpr size_t kShown = 70;
  if (value.size() <= kShown) return absl::StrCat("'", value, "'");
  size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xc0) == 0x80) --cut;  // not inside a character
  return absl::StrCat("'", value.substr(0, cut), "...' (", value.size(), " bytes)");
}

// What the n-th character of an id is, when it is not allowed: "a space", "'房'", "byte 0x07".
std::string DescribeCharacter(absl::string_view rest) {
  const unsigned char c = rest[0];
  if (c == ' ') return "a space";
  if (c < 0x20 || c == 0x7f) return absl::StrFormat("the control byte 0x%02x", c);
  const size_t len = Utf8SequenceLength(c);
  if (len == 0 || len > rest.size()) return absl::StrFormat("the byte 0x%02x, which is not UTF-8", c);
  return absl::StrCat("'", rest.substr(0, len), "'");
}

absl::Status CheckUtf8Text(absl::string_view field, absl::string_view value, bool required, size_t max) {
  if (value.empty()) return required ? Missing(field) : absl::OkStatus();
  const int64_t chars = Utf8Length(value);
  if (chars < 0) return absl::InvalidArgumentError(absl::StrCat("field '", field, "' is not valid UTF-8"));
  if (static_cast<size_t>(chars) > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("field '", field, "' has ", chars, " characters; at most ", max, " are allowed"));
  }
  return absl::OkStatus();
}

absl::Status CheckEnumValue(absl::string_view field, int value, const google::protobuf::EnumDescriptor* type,
                            bool required) {
  if (value == 0) return required ? Missing(field) : absl::OkStatus();
  if (type->FindValueByNumber(value) == nullptr) {
    std::string known;
    for (int i = 0; i < type->value_count(); ++i) {
      if (type->value(i)->number() != 0) absl::StrAppend(&known, known.empty() ? "" : ", ", type->value(i)->name());
    }
    return absl::InvalidArgumentError(
        absl::StrCat("field '", field, "' has unknown value ", value, "; it must be one of ", known));
  }
  return absl::OkStatus();
}

std::string Bounds(int64_t lo, int64_t hi) {
  if (hi == std::numeric_limits<int64_t>::max()) return absl::StrCat("at least ", lo);
  if (lo == hi) return absl::StrCat("exactly ", lo);
  return absl::StrCat("in ", lo, "..", hi);
}

// An integer field's value, widened; nullopt for a uint64 past int64's range.
std::optional<int64_t> IntegerValue(const Message& m, const FieldDescriptor* f) {
  const Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: return r->GetInt32(m, f);
    case FieldDescriptor::CPPTYPE_INT64: return r->GetInt64(m, f);
    case FieldDescriptor::CPPTYPE_UINT32: return r->GetUInt32(m, f);
    case FieldDescriptor::CPPTYPE_UINT64: {
      const uint64_t v = r->GetUInt64(m, f);
      if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
      return static_cast<int64_t>(v);
    }
    default: std::abort();  // a rule on a field that is not an integer: a programming error
  }
}

absl::Status CheckRule(const Message& m, const FieldRule& rule) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(rule.field);
  if (f == nullptr) std::abort();  // a rule naming no field: a programming error
  const Reflection* r = m.GetReflection();
  switch (rule.kind) {
    case FieldRule::kId: return CheckId(rule.field, r->GetStringReference(m, f, nullptr));
    case FieldRule::kOptionalId: return CheckOptionalId(rule.field, r->GetStringReference(m, f, nullptr));
    case FieldRule::kName: return CheckName(rule.field, r->GetStringReference(m, f, nullptr), true);
    case FieldRule::kOptionalName: return CheckName(rule.field, r->GetStringReference(m, f, nullptr), false);
    case FieldRule::kText: return CheckText(rule.field, r->GetStringReference(m, f, nullptr), true);
    case FieldRule::kOptionalText: return CheckText(rule.field, r->GetStringReference(m, f, nullptr), false);
    case FieldRule::kMoney: return CheckMoney(rule.field, r->GetInt64(m, f));
    case FieldRule::kEnum: return CheckEnumValue(rule.field, r->GetEnumValue(m, f), f->enum_type(), true);
    case FieldRule::kOptionalEnum: return CheckEnumValue(rule.field, r->GetEnumValue(m, f), f->enum_type(), false);
    case FieldRule::kMonth: return CheckMonth(rule.field, r->GetStringReference(m, f, nullptr));
    case FieldRule::kPresent:
      return r->HasField(m, f) ? absl::OkStatus() : Missing(rule.field);
    case FieldRule::kRange: {
      if (f->has_presence() && !r->HasField(m, f)) return Missing(rule.field);
      const std::optional<int64_t> v = IntegerValue(m, f);
      if (!f->has_presence() && v == 0 && rule.lo > 0) return Missing(rule.field);
      if (!v || *v < rule.lo || *v > rule.hi) {
        return absl::InvalidArgumentError(absl::StrCat("field '", rule.field, "' must be ", Bounds(rule.lo, rule.hi),
                                                       "; got ", v ? absl::StrCat(*v) : absl::StrCat(r->GetUInt64(m, f))));
      }
      return absl::OkStatus();
    }
    case FieldRule::kIds: {
      const int n = r->FieldSize(m, f);
      if (n < rule.lo || n > rule.hi) {
        if (n == 0) return Missing(rule.field);
        return absl::InvalidArgumentError(
            absl::StrCat("field '", rule.field, "' needs ", rule.lo, " to ", rule.hi, " ids; got ", n));
      }
      absl::flat_hash_set<std::string> seen;
      for (int i = 0; i < n; ++i) {
        const std::string& id = r->GetRepeatedStringReference(m, f, i, nullptr);
        RETURN_IF_ERROR(CheckId(rule.field, id));
        if (!seen.insert(id).second) {
          return absl::InvalidArgumentError(absl::StrCat("field '", rule.field, "' names '", id, "' twice"));
        }
      }
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

absl::Status CheckTimestamp(const std::string& path, const google::protobuf::Timestamp& t) {
  if (t.seconds() < kMinTimestampSeconds || t.seconds() > kMaxTimestampSeconds) {
    return absl::InvalidArgumentError(absl::StrCat("field '", path, "' is not a valid timestamp: its seconds (",
                                                   t.seconds(), ") lie outside 0001-01-01..9999-12-31"));
  }
  if (t.nanos() < 0 || t.nanos() > 999999999) {
    return absl::InvalidArgumentError(absl::StrCat("field '", path, "' is not a valid timestamp: its nanos (",
                                                   t.nanos(), ") lie outside 0..999999999"));
  }
  return absl::OkStatus();
}

absl::Status WalkTimestamps(const Message& m, const std::string& prefix, bool top) {
  if (m.GetDescriptor() == google::protobuf::Timestamp::descriptor()) {
    return CheckTimestamp(prefix, static_cast<const google::protobuf::Timestamp&>(m));
  }
  std::vector<const FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const std::string name = top && f->containing_oneof() != nullptr ? "" : absl::StrCat(prefix, prefix.empty() ? "" : ".", f->name());
    const Reflection* r = m.GetReflection();
    if (!f->is_repeated()) {
      RETURN_IF_ERROR(WalkTimestamps(r->GetMessage(m, f), name, false));
      continue;
    }
    for (int i = 0; i < r->FieldSize(m, f); ++i) {
      RETURN_IF_ERROR(WalkTimestamps(r->GetRepeatedMessage(m, f, i), absl::StrCat(name, "[", i, "]"), false));
    }
  }
  return absl::OkStatus();
}

}  // namespace

int64_t Utf8Length(absl::string_view s) {
  int64_t chars = 0;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    const size_t len = Utf8SequenceLength(c);
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

absl::Status CheckId(absl::string_view field, absl::string_view value) {
  if (value.empty()) return Missing(field);
  // Name the first character that is not allowed, by its position, before any length: a clerk
  // who typed 'BU 1' needs to hear about the space, not that four characters are fine.
  size_t position = 1;
  for (size_t i = 0; i < value.size(); ++position) {
    if (!IdChar(value[i])) {
      return absl::InvalidArgumentError(absl::StrCat("field '", field, "' = ", Quoted(value), ": character ", position,
                                                     " is ", DescribeCharacter(value.substr(i)),
                                                     "; allowed are A-Z a-z 0-9 . _ : -"));
    }
    ++i;
  }
  if (value.size() > kMaxIdChars) {
    return absl::InvalidArgumentError(absl::StrCat("field '", field, "' has ", value.size(), " characters; at most ",
                                                   kMaxIdChars, " are allowed"));
  }
  return absl::OkStatus();
}

absl::Status CheckOptionalId(absl::string_view field, absl::string_view value) {
  return value.empty() ? absl::OkStatus() : CheckId(field, value);
}

absl::Status CheckName(absl::string_view field, absl::string_view value, bool required) {
  return CheckUtf8Text(field, value, required, kMaxNameChars);
}

absl::Status CheckText(absl::string_view field, absl::string_view value, bool required) {
  return CheckUtf8Text(field, value, required, kMaxTextChars);
}

absl::Status CheckMoney(absl::string_view field, int64_t value) {
  // Zero and absent are one value in proto3; the clerk is told what is allowed either way.
  if (value <= 0 || value > kMaxMoneyFen) {
    return absl::InvalidArgumentError(absl::StrCat("field '", field,
                                                   "' must be more than 0 and at most 10^12 fen; got ",
                                                   value == 0 ? "0 or nothing" : absl::StrCat(value)));
  }
  return absl::OkStatus();
}

absl::Status CheckMonth(absl::string_view field, absl::string_view value) {
  if (value.empty()) return Missing(field);
  int year = 0, month = 0;
  if (value.size() != 7 || value[4] != '-' || !absl::SimpleAtoi(value.substr(0, 4), &year) ||
      !absl::SimpleAtoi(value.substr(5, 2), &month) || year < 2000 || year > 2100 || month < 1 || month > 12) {
    return absl::InvalidArgumentError(absl::StrCat("field '", field, "' must be a month YYYY-MM; got ", Quoted(value)));
  }
  return absl::OkStatus();
}

absl::Status CheckFields(const Message& request, std::initializer_list<FieldRule> rules) {
  for (const FieldRule& rule : rules) RETURN_IF_ERROR(CheckRule(request, rule));
  return absl::OkStatus();
}

absl::Status CheckTimestamps(const Message& message) { return WalkTimestamps(message, "", true); }

absl::StatusOr<absl::Time> CheckOccurredAt(const google::protobuf::Timestamp& value, bool present,
                                           absl::Time recorded_at, Presence presence) {
  if (!present) {
    if (presence == Presence::kRequired) return Missing("occurred_at");
    return recorded_at;
  }
  RETURN_IF_ERROR(CheckTimestamp("occurred_at", value));
  const absl::Time t = FromProto(value);
  if (t > recorded_at + kMaxFutureSkew) {
    return absl::InvalidArgumentError(absl::StrCat("field 'occurred_at' (", Utc(t),
                                                   ") is more than 5 minutes in the future: the server's time is ",
                                                   Utc(recorded_at), "; check the date and the UTC offset"));
  }
  if (t < absl::FromCivil(absl::CivilDay(2000, 1, 1), absl::UTCTimeZone())) {
    return absl::InvalidArgumentError(absl::StrCat("field 'occurred_at' (", Utc(t), ") is before the year 2000"));
  }
  return t;
}

absl::StatusOr<std::string> NormalizePhone(absl::string_view phone) {
  if (phone.empty()) return Missing("phone");
  std::string digits;
  for (size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (!(c == ' ' || c == '-' || c == '(' || c == ')' || (c == '+' && i == 0))) {
      return absl::InvalidArgumentError(absl::StrCat("field 'phone' may hold only digits, spaces, dashes and ",
                                                     "parentheses; got ", Quoted(phone)));
    }
  }
  if (digits.size() < 5 || digits.size() > 20) {
    return absl::InvalidArgumentError(absl::StrCat("field 'phone' must have 5-20 digits; got ", digits.size()));
  }
  return digits;
}

std::string MaskPhone(absl::string_view digits) {
  if (digits.size() < 8) return std::string(digits.size(), '*');
  return absl::StrCat(digits.substr(0, 3), std::string(digits.size() - 7, '*'), digits.substr(digits.size() - 4));
}

}  // namespace salesledger
