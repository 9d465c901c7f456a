// The seed's policy as the built-in version 1, and checks of a policy set by `set_policy`.
// Pure functions; thread-safe.
#ifndef SALESLEDGER_DOMAIN_POLICY_H_
#define SALESLEDGER_DOMAIN_POLICY_H_

#include <cstdint>

#include "absl/status/status.h"
#include "salesledger/v1/policy.pb.h"

namespace salesledger {

// A token's longest life when the policy says 0 (policies set before the field existed).
inline constexpr int32_t kDefaultTokenMaxAgeDays = 90;

// 销售管理软件数据录入考核管理制度 as SPEC.md §6.1 reads it.
salesledger::v1::Policy DefaultPolicy();

// INVALID_ARGUMENT naming the field when a rule is missing or a number is out of range.
absl::Status CheckPolicy(const salesledger::v1::Policy& policy);

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_POLICY_H_
