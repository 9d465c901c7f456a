// Field checks (SPEC.md §3 "Field types", §4): each returns INVALID_ARGUMENT with a message that
// names the field, the value and what is allowed. A command's fields are listed once, as a table
// of FieldRules that CheckFields walks in order (the first failure answers). Pure and thread-safe.
#ifndef SALESLEDGER_DOMAIN_VALIDATION_H_
#define SALESLEDGER_DOMAIN_VALIDATION_H_

#include <cstdint>
#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"

namespace salesledger {

inline constexpr int64_t kMaxMoneyFen = 1000000000000;  // 10^12 fen
inline constexpr size_t kMaxIdChars = 64;
inline constexpr size_t kMaxNameChars = 100;
inline constexpr size_t kMaxTextChars = 2000;
// How far after recorded_at an occurred_at may lie (clock skew between a desk and the server).
inline constexpr absl::Duration kMaxFutureSkew = absl::Minutes(5);

// What one field of a request must hold.
struct FieldRule {
  enum Kind {
    kId,            // 1-64 characters from [A-Za-z0-9._:-]
    kOptionalId,    // empty, or an id
    kIds,           // a repeated field of lo..hi ids, none twice
    kName,          // 1-100 UTF-8 characters
    kOptionalName,  // 0-100
    kText,          // 1-2000 UTF-8 characters
    kOptionalText,  // 0-2000
    kMoney,         // fen, 0 < value <= 10^12
    kEnum,          // a known value other than 0 (UNSPECIFIED)
    kOptionalEnum,  // 0, or a known value
    kPresent,       // an `optional` scalar that must be set (approve, held, active)
    kRange,         // an integer in lo..hi; an `optional` one must also be set
    kMonth,         // YYYY-MM
  };
  const char* field;
  Kind kind;
  int64_t lo = 0, hi = 0;
};

// The table entries, spelled as the rules read: {Id("unit_id"), Money("price_fen"), ...}.
constexpr FieldRule Id(const char* field) { return {field, FieldRule::kId}; }
constexpr FieldRule OptionalId(const char* field) { return {field, FieldRule::kOptionalId}; }
constexpr FieldRule Ids(const char* field, int64_t at_least, int64_t at_most) {
  return {field, FieldRule::kIds, at_least, at_most};
}
constexpr FieldRule Name(const char* field) { return {field, FieldRule::kName}; }
constexpr FieldRule OptionalName(const char* field) { return {field, FieldRule::kOptionalName}; }
constexpr FieldRule Text(const char* field) { return {field, FieldRule::kText}; }
constexpr FieldRule OptionalText(const char* field) { return {field, FieldRule::kOptionalText}; }
constexpr FieldRule Money(const char* field) { return {field, FieldRule::kMoney}; }
constexpr FieldRule Enum(const char* field) { return {field, FieldRule::kEnum}; }
constexpr FieldRule OptionalEnum(const char* field) { return {field, FieldRule::kOptionalEnum}; }
constexpr FieldRule Present(const char* field) { return {field, FieldRule::kPresent}; }
constexpr FieldRule Range(const char* field, int64_t lo, int64_t hi) { return {field, FieldRule::kRange, lo, hi}; }
constexpr FieldRule Month(const char* field) { return {field, FieldRule::kMonth}; }

// Checks the fields of `request` that `rules` name, in order. REQUIRES: each rule names a field of
// the request's type of the kind the rule expects (a programming error aborts).
absl::Status CheckFields(const google::protobuf::Message& request, std::initializer_list<FieldRule> rules);

// Every google.protobuf.Timestamp set anywhere in `message` (nested messages included) must be one
// protobuf itself can represent: seconds within 0001-01-01..9999-12-31 UTC, nanos 0..999,999,999.
// The message names the field by its path inside `message`, skipping its top-level oneof member
// (a command's occurred_at is 'occurred_at').
absl::Status CheckTimestamps(const google::protobuf::Message& message);

// The single checks CheckFields applies, for fields that only some cases need.
absl::Status CheckId(absl::string_view field, absl::string_view value);
absl::Status CheckOptionalId(absl::string_view field, absl::string_view value);
absl::Status CheckName(absl::string_view field, absl::string_view value, bool required = true);
absl::Status CheckText(absl::string_view field, absl::string_view value, bool required = true);
absl::Status CheckMoney(absl::string_view field, int64_t value);
absl::Status CheckMonth(absl::string_view field, absl::string_view value);

// occurred_at (SPEC.md §2.1): required unless `required` is false (then a missing one means
// recorded_at); not more than 5 minutes after recorded_at; not before the year 2000.
enum class Presence { kRequired, kOptional };
absl::StatusOr<absl::Time> CheckOccurredAt(const google::protobuf::Timestamp& value, bool present,
                                           absl::Time recorded_at, Presence presence);

// Digits of a phone number after dropping spaces, dashes, parentheses and a leading '+'.
absl::StatusOr<std::string> NormalizePhone(absl::string_view phone);
// 13800000001 -> 138****0001: what roles without the right to see it get.
std::string MaskPhone(absl::string_view digits);

// Number of UTF-8 characters, or -1 when `s` is not valid UTF-8.
int64_t Utf8Length(absl::string_view s);

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_VALIDATION_H_
