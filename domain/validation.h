// Field checks shared by every command's `decide` (SPEC.md §3 field types, §4). Each returns
// INVALID_ARGUMENT with a message naming the field and what is wrong with it.
#ifndef SALESLEDGER_DOMAIN_VALIDATION_H_
#define SALESLEDGER_DOMAIN_VALIDATION_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"

namespace salesledger {

inline constexpr int64_t kMaxMoneyFen = 1000000000000;  // 10^12 fen
inline constexpr size_t kMaxIdChars = 64;
inline constexpr size_t kMaxNameChars = 100;
inline constexpr size_t kMaxTextChars = 2000;
// How far after recorded_at an occurred_at may lie (clock skew between a desk and the server).
inline constexpr absl::Duration kMaxFutureSkew = absl::Minutes(5);

// An id: 1-64 characters from [A-Za-z0-9._:-].
absl::Status CheckId(const char* field, const std::string& value);
// An optional id: empty, or as CheckId.
absl::Status CheckOptionalId(const char* field, const std::string& value);
// A name: 1-100 UTF-8 characters (0-100 when !required).
absl::Status CheckName(const char* field, const std::string& value, bool required = true);
// Free text: 1-2000 UTF-8 characters (0-2000 when !required).
absl::Status CheckText(const char* field, const std::string& value, bool required = true);
// Money in fen: 0 < value <= 10^12.
absl::Status CheckMoney(const char* field, int64_t value);
// A known, non-zero value of `type`.
absl::Status CheckEnum(const char* field, int value, const google::protobuf::EnumDescriptor* type);
// A YYYY-MM month.
absl::Status CheckMonth(const char* field, const std::string& value);

// occurred_at: required unless `fallback` is given (then a missing one means recorded_at); not
// more than 5 minutes after recorded_at; not before the year 2000.
absl::StatusOr<absl::Time> CheckOccurredAt(const google::protobuf::Timestamp* value, bool present,
                                           absl::Time recorded_at, bool required);

// Digits of a phone number after dropping spaces, dashes, parentheses and a leading '+'.
absl::StatusOr<std::string> NormalizePhone(const std::string& phone);
// 13800000001 -> 138****0001: what roles without the right to see it get.
std::string MaskPhone(const std::string& digits);

// Number of UTF-8 characters, or -1 when `s` is not valid UTF-8.
int64_t Utf8Length(const std::string& s);

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_VALIDATION_H_
