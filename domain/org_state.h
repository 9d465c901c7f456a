// Who may act: people, their roles and projects, and bearer tokens (SPEC.md §1, §3.1, §9).
// Part of State (state.h); folded by the org area (org.cc).
#ifndef SALESLEDGER_DOMAIN_ORG_STATE_H_
#define SALESLEDGER_DOMAIN_ORG_STATE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace salesledger {

inline constexpr char kAdminPersonId[] = "admin";
inline constexpr char kSystemPersonId[] = "system";

// Role ids of SPEC.md §1 (the names of salesledger.v1.Role).
inline constexpr char kRoleConsultant[] = "CONSULTANT";
inline constexpr char kRoleCustomerService[] = "CUSTOMER_SERVICE";
inline constexpr char kRoleSalesLead[] = "SALES_LEAD";
inline constexpr char kRoleCashier[] = "CASHIER";
inline constexpr char kRoleAccountant[] = "ACCOUNTANT";
inline constexpr char kRoleTitleMortgage[] = "TITLE_MORTGAGE";
inline constexpr char kRoleMarketing[] = "MARKETING";
inline constexpr char kRoleInspector[] = "INSPECTOR";
inline constexpr char kRoleFinanceLead[] = "FINANCE_LEAD";
inline constexpr char kRoleAuditor[] = "AUDITOR";
inline constexpr char kRoleAdmin[] = "ADMIN";

struct Person {
  std::string person_id;
  std::string name;
  absl::flat_hash_set<std::string> roles;
  std::string supervisor_id;                 // empty: no direct supervisor
  absl::flat_hash_set<std::string> project_ids;
  bool shared = false;                       // a shared front-desk account
  bool active = true;

  bool HasRole(const std::string& role) const { return roles.contains(role); }
};

struct Token {
  std::string token_id;
  std::string person_id;
  std::string sha256;                        // of the bearer token; the token is never stored
  bool revoked = false;
};

struct OrgState {
  absl::flat_hash_map<std::string, Person> people;
  absl::flat_hash_map<std::string, Token> tokens;              // by token_id
  absl::flat_hash_map<std::string, std::string> token_by_hash; // sha256 -> token_id
};

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_ORG_STATE_H_
