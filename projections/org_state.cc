#include "projections/org_state.h"

namespace salesledger {

void ApplyOrg(OrgState& org, const salesledger::v1::Event& event) {
  switch (event.body_case()) {
    case salesledger::v1::Event::kGenesis: {
      const auto& g = event.genesis();
      Person admin;
      admin.person_id = kAdminPersonId;
      admin.name = "Administrator";
      admin.roles = {kRoleAdmin};
      org.people[admin.person_id] = admin;
      Person system;
      system.person_id = kSystemPersonId;
      system.name = "Scheduled inspections";
      system.roles = {kRoleInspector};
      org.people[system.person_id] = system;
      org.tokens[g.admin_token_id()] = Token{g.admin_token_id(), kAdminPersonId, g.admin_token_sha256(), false};
      org.token_by_hash[g.admin_token_sha256()] = g.admin_token_id();
      break;
    }
    default:
      break;
  }
}

}  // namespace salesledger
