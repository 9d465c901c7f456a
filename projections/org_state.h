// Who may act: people, their roles and projects, and bearer tokens (SPEC.md §1, §3.1, §9).
// A pure fold over the events; never reads the clock.
#ifndef SALESLEDGER_PROJECTIONS_ORG_STATE_H_
#define SALESLEDGER_PROJECTIONS_ORG_STATE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger {

inline constexpr char kAdminPersonId[] = "admin";
inline constexpr char kSystemPersonId[] = "system";

// Role ids of SPEC.md §1.
inline constexpr char kRoleAdmin[] = "ADMIN";
inline constexpr char kRoleAuditor[] = "AUDITOR";
inline constexpr char kRoleFinanceLead[] = "FINANCE_LEAD";
inline constexpr char kRoleInspector[] = "INSPECTOR";

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

// Folds one event into the organisation state.
void ApplyOrg(OrgState& org, const salesledger::v1::Event& event);

}  // namespace salesledger

#endif  // SALESLEDGER_PROJECTIONS_ORG_STATE_H_
