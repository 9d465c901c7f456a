// Organisation and policy (SPEC.md §3.1): projects, people, tokens, policy versions.
#include <limits>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/commands.h"
#include "domain/decide_support.h"
#include "domain/policy.h"
#include "domain/validation.h"

namespace salesledger {
namespace {

using namespace salesledger::v1;

constexpr char kDefaultTimeZone[] = "Asia/Shanghai";
constexpr int64_t kAnyNumber = std::numeric_limits<int64_t>::max();

// The fields add_person and update_person share.
template <typename Request>
absl::Status CheckPersonFields(const Request& r) {
  RETURN_IF_ERROR(CheckFields(r, {Id("person_id"), Name("name")}));
  if (r.roles().empty()) return absl::InvalidArgumentError("field 'roles' needs at least one role");
  for (int role : r.roles()) {
    if (role == 0 || !Role_IsValid(role)) {
      return absl::InvalidArgumentError(absl::StrCat("field 'roles' has unknown value ", role));
    }
  }
  RETURN_IF_ERROR(CheckFields(r, {OptionalId("supervisor_id"), Ids("project_ids", 0, kAnyNumber)}));
  if (r.supervisor_id() == r.person_id()) return absl::InvalidArgumentError("a person cannot be their own supervisor");
  return absl::OkStatus();
}

// The supervisor and projects a person record names.
template <typename Request>
absl::Status CheckPersonReferences(const State& state, const Request& r) {
  if (!r.supervisor_id().empty() && !state.org.people.contains(r.supervisor_id())) {
    return absl::NotFoundError(absl::StrCat("supervisor '", r.supervisor_id(), "' not found"));
  }
  for (const auto& p : r.project_ids()) {
    if (state.FindProject(p) == nullptr) return absl::NotFoundError(absl::StrCat("project '", p, "' not found"));
  }
  return absl::OkStatus();
}

absl::Status CheckLead(const State& state, const Project& project, const char* field, const std::string& id,
                       Role role) {
  auto it = state.org.people.find(id);
  if (it == state.org.people.end()) return absl::NotFoundError(absl::StrCat(field, " '", id, "' not found"));
  const Person& p = it->second;
  if (!p.HasRole(role) || p.shared || !p.active) {
    return absl::FailedPreconditionError(absl::StrCat(id, " cannot be the project's ", Role_Name(role),
                                                      ": they are not an active ", Role_Name(role)));
  }
  if (!p.project_ids.contains(project.project_id)) {
    return absl::FailedPreconditionError(absl::StrCat(id, " is not assigned to project ", project.project_id));
  }
  return absl::OkStatus();
}

// Joint fines go to the subject's supervisor: a chain that comes back to the person would make
// subordinates answer for their own lead. Only update_person can close one (a new person has no
// subordinates). The walk is bounded in case an older ledger already holds a cycle.
absl::Status CheckNoSupervisorCycle(const State& state, const std::string& person_id,
                                    const std::string& supervisor_id) {
  std::string chain = person_id;
  std::string next = supervisor_id;
  for (size_t steps = 0; !next.empty() && steps <= state.org.people.size(); ++steps) {
    absl::StrAppend(&chain, " -> ", next);
    if (next == person_id) {
      return absl::FailedPreconditionError(
          absl::StrCat(person_id, " cannot report to ", supervisor_id, ": the chain would loop (", chain, ")"));
    }
    auto it = state.org.people.find(next);
    if (it == state.org.people.end()) break;
    next = it->second.supervisor_id;
  }
  return absl::OkStatus();
}

template <typename Body>
Person PersonFrom(const Body& b) {
  Person p;
  p.person_id = b.person_id();
  p.name = b.name();
  for (int r : b.roles()) p.roles.Add(static_cast<Role>(r));
  p.supervisor_id = b.supervisor_id();
  p.project_ids.insert(b.project_ids().begin(), b.project_ids().end());
  return p;
}

}  // namespace

absl::Status DecideDefineProject(const State& state, const DefineProjectRequest& r, const DecideContext&,
                                 Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("project_id"), Name("name"), OptionalName("company")}));
  absl::TimeZone zone;
  if (!r.time_zone().empty() && !absl::LoadTimeZone(r.time_zone(), &zone)) {
    return absl::InvalidArgumentError(absl::StrCat("field 'time_zone': unknown IANA time zone '", r.time_zone(), "'"));
  }
  if (state.FindProject(r.project_id()) != nullptr) {
    return absl::AlreadyExistsError(absl::StrCat("project '", r.project_id(), "' already exists"));
  }
  Record(event, event.mutable_define_project(), r, r.project_id());
  if (r.time_zone().empty()) event.mutable_define_project()->set_time_zone(kDefaultTimeZone);
  if (r.company().empty()) event.mutable_define_project()->set_company(r.name());
  return absl::OkStatus();
}

void ApplyDefineProject(State& state, const Event& event, const DefineProjectRequest& b) {
  Project& p = state.projects[b.project_id()];
  p.project_id = b.project_id();
  p.name = b.name();
  p.company = b.company().empty() ? b.name() : b.company();  // events from before the field have none
  p.time_zone = b.time_zone();
  absl::LoadTimeZone(b.time_zone(), &p.zone);
  p.defined_at = FromProto(event.recorded_at());
}

absl::Status DecideAddPerson(const State& state, const AddPersonRequest& r, const DecideContext&, Event& event) {
  RETURN_IF_ERROR(CheckPersonFields(r));
  RETURN_IF_ERROR(CheckPersonReferences(state, r));
  if (state.org.people.contains(r.person_id())) {
    return absl::AlreadyExistsError(absl::StrCat("person '", r.person_id(), "' already exists"));
  }
  Record(event, event.mutable_add_person(), r);
  return absl::OkStatus();
}

void ApplyAddPerson(State& state, const Event&, const AddPersonRequest& b) {
  Person p = PersonFrom(b);
  p.shared = b.shared();
  state.org.people[p.person_id] = std::move(p);
}

absl::Status DecideUpdatePerson(const State& state, const UpdatePersonRequest& r, const DecideContext&,
                                Event& event) {
  RETURN_IF_ERROR(CheckPersonFields(r));
  RETURN_IF_ERROR(CheckFields(r, {Present("active")}));
  RETURN_IF_ERROR(CheckPersonReferences(state, r));
  if (!state.org.people.contains(r.person_id())) {
    return absl::NotFoundError(absl::StrCat("person '", r.person_id(), "' not found"));
  }
  if (r.person_id() == kAdminPersonId || r.person_id() == kSystemPersonId) {
    return absl::FailedPreconditionError(absl::StrCat("the built-in principal '", r.person_id(),
                                                      "' cannot be changed"));
  }
  RETURN_IF_ERROR(CheckNoSupervisorCycle(state, r.person_id(), r.supervisor_id()));
  Record(event, event.mutable_update_person(), r);
  return absl::OkStatus();
}

void ApplyUpdatePerson(State& state, const Event&, const UpdatePersonRequest& b) {
  Person& p = state.org.people[b.person_id()];
  const bool shared = p.shared;  // an account is shared or not for life
  p = PersonFrom(b);
  p.shared = shared;
  p.active = b.active();
}

absl::Status DecideSetProjectLeads(const State& state, const SetProjectLeadsRequest& r, const DecideContext& c,
                                   Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("project_id"), Id("sales_lead_id"), Id("accountant_id")}));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  RETURN_IF_ERROR(CheckLead(state, project, "sales_lead_id", r.sales_lead_id(), SALES_LEAD));
  RETURN_IF_ERROR(CheckLead(state, project, "accountant_id", r.accountant_id(), ACCOUNTANT));
  Record(event, event.mutable_set_project_leads(), r, r.project_id());
  return absl::OkStatus();
}

void ApplySetProjectLeads(State& state, const Event&, const SetProjectLeadsRequest& b) {
  Project& p = state.projects[b.project_id()];
  p.sales_lead_id = b.sales_lead_id();
  p.accountant_id = b.accountant_id();
}

absl::Status DecideIssueToken(const State& state, const IssueTokenRequest& r, const DecideContext& c, Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("person_id"), Id("token_id")}));
  auto person = state.org.people.find(r.person_id());
  if (person == state.org.people.end()) {
    return absl::NotFoundError(absl::StrCat("person '", r.person_id(), "' not found"));
  }
  if (state.org.tokens.contains(r.token_id())) {
    return absl::AlreadyExistsError(absl::StrCat("token_id '", r.token_id(), "' already exists"));
  }
  if (r.person_id() == kSystemPersonId) return absl::FailedPreconditionError("the system principal has no tokens");
  if (!person->second.active) {
    return absl::FailedPreconditionError(absl::StrCat("person '", r.person_id(), "' is not active"));
  }
  if (c.token_sha256.size() != 32) return absl::InternalError("issue_token needs the new token's hash");
  // The event keeps the token's hash, never the token (SPEC.md §3.1).
  TokenIssued* body = event.mutable_issue_token();
  body->set_person_id(r.person_id());
  body->set_token_id(r.token_id());
  body->set_token_sha256(c.token_sha256);
  return absl::OkStatus();
}

void ApplyIssueToken(State& state, const Event&, const TokenIssued& b) {
  state.org.tokens[b.token_id()] = Token{b.token_id(), b.person_id(), b.token_sha256(), false};
  state.org.token_by_hash[b.token_sha256()] = b.token_id();
}

absl::Status DecideRevokeToken(const State& state, const RevokeTokenRequest& r, const DecideContext&, Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("token_id")}));
  auto token = state.org.tokens.find(r.token_id());
  if (token == state.org.tokens.end()) return absl::NotFoundError(absl::StrCat("token '", r.token_id(), "' not found"));
  if (token->second.revoked) {
    return absl::FailedPreconditionError(absl::StrCat("token '", r.token_id(), "' is already revoked"));
  }
  Record(event, event.mutable_revoke_token(), r);
  return absl::OkStatus();
}

void ApplyRevokeToken(State& state, const Event&, const RevokeTokenRequest& b) {
  state.org.tokens[b.token_id()].revoked = true;
}

absl::Status DecideSetPolicy(const State& state, const SetPolicyRequest& r, const DecideContext&, Event& event) {
  if (!r.has_policy()) return absl::InvalidArgumentError("field 'policy' is required");
  RETURN_IF_ERROR(CheckPolicy(r.policy()));
  Record(event, event.mutable_set_policy(), r);
  event.mutable_set_policy()->mutable_policy()->set_version(state.policy().version() + 1);
  return absl::OkStatus();
}

void ApplySetPolicy(State& state, const Event&, const SetPolicyRequest& b) { state.policies.push_back(b.policy()); }

void ApplyGenesis(State& state, const Event&, const Genesis& g) {
  OrgState& org = state.org;
  Person admin;
  admin.person_id = kAdminPersonId;
  admin.name = "Administrator";
  admin.roles = {ADMIN};
  org.people[admin.person_id] = admin;
  Person system;
  system.person_id = kSystemPersonId;
  system.name = "Scheduled inspections";
  system.roles = {INSPECTOR};
  org.people[system.person_id] = system;
  org.tokens[g.admin_token_id()] = Token{g.admin_token_id(), kAdminPersonId, g.admin_token_sha256(), false};
  org.token_by_hash[g.admin_token_sha256()] = g.admin_token_id();
  state.policies = {DefaultPolicy()};
}

}  // namespace salesledger
