// Organisation and policy (SPEC.md §3.1): projects, people, tokens, policy versions.
#include "absl/strings/str_cat.h"
#include "domain/areas.h"
#include "domain/decide_support.h"
#include "domain/policy.h"
#include "domain/validation.h"

namespace salesledger::areas {
namespace {

using namespace salesledger::v1;

constexpr char kDefaultTimeZone[] = "Asia/Shanghai";

absl::Status CheckPersonFields(const State& state, const std::string& person_id, const std::string& name,
                               const google::protobuf::RepeatedField<int>& roles, const std::string& supervisor_id,
                               const google::protobuf::RepeatedPtrField<std::string>& project_ids) {
  if (auto s = CheckId("person_id", person_id); !s.ok()) return s;
  if (auto s = CheckName("name", name); !s.ok()) return s;
  if (roles.empty()) return absl::InvalidArgumentError("field 'roles' needs at least one role");
  for (int role : roles) {
    if (auto s = CheckEnum("roles", role, Role_descriptor()); !s.ok()) return s;
  }
  if (auto s = CheckOptionalId("supervisor_id", supervisor_id); !s.ok()) return s;
  for (const auto& p : project_ids) {
    if (auto s = CheckId("project_ids", p); !s.ok()) return s;
  }
  if (supervisor_id == person_id) return absl::InvalidArgumentError("a person cannot be their own supervisor");
  if (!supervisor_id.empty() && !state.org.people.contains(supervisor_id)) {
    return absl::NotFoundError(absl::StrCat("supervisor '", supervisor_id, "' not found"));
  }
  for (const auto& p : project_ids) {
    if (state.FindProject(p) == nullptr) return absl::NotFoundError(absl::StrCat("project '", p, "' not found"));
  }
  return absl::OkStatus();
}

absl::Status CheckLead(const State& state, const Project& project, const char* field, const std::string& id,
                       const char* role) {
  if (auto s = CheckId(field, id); !s.ok()) return s;
  auto it = state.org.people.find(id);
  if (it == state.org.people.end()) return absl::NotFoundError(absl::StrCat(field, " '", id, "' not found"));
  const Person& p = it->second;
  if (!p.HasRole(role) || p.shared || !p.active) {
    return absl::FailedPreconditionError(absl::StrCat(id, " cannot be the project's ", role, ": they are not an active ",
                                                      role));
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

Person PersonFrom(const std::string& id, const std::string& name, const google::protobuf::RepeatedField<int>& roles,
                  const std::string& supervisor_id, const google::protobuf::RepeatedPtrField<std::string>& projects) {
  Person p;
  p.person_id = id;
  p.name = name;
  for (int r : roles) p.roles.insert(Role_Name(static_cast<Role>(r)));
  p.supervisor_id = supervisor_id;
  p.project_ids.insert(projects.begin(), projects.end());
  return p;
}

}  // namespace

std::optional<absl::Status> DecideOrg(const State& state, const Command& command, const DecideContext& c,
                                      Event& event) {
  switch (command.command_case()) {
    case Command::kDefineProject: {
      const auto& r = command.define_project();
      if (auto s = RequireRole(c.actor, {kRoleAdmin}, "define_project"); !s.ok()) return s;
      if (auto s = CheckId("project_id", r.project_id()); !s.ok()) return s;
      if (auto s = CheckName("name", r.name()); !s.ok()) return s;
      absl::TimeZone zone;
      if (!r.time_zone().empty() && !absl::LoadTimeZone(r.time_zone(), &zone)) {
        return absl::InvalidArgumentError(absl::StrCat("field 'time_zone': unknown IANA time zone '", r.time_zone(), "'"));
      }
      if (state.FindProject(r.project_id()) != nullptr) {
        return absl::AlreadyExistsError(absl::StrCat("project '", r.project_id(), "' already exists"));
      }
      StoreBody(event.mutable_define_project(), r);
      if (r.time_zone().empty()) event.mutable_define_project()->set_time_zone(kDefaultTimeZone);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    case Command::kAddPerson: {
      const auto& r = command.add_person();
      if (auto s = RequireRole(c.actor, {kRoleAdmin}, "add_person"); !s.ok()) return s;
      if (auto s = CheckPersonFields(state, r.person_id(), r.name(), r.roles(), r.supervisor_id(), r.project_ids());
          !s.ok()) {
        return s;
      }
      if (state.org.people.contains(r.person_id())) {
        return absl::AlreadyExistsError(absl::StrCat("person '", r.person_id(), "' already exists"));
      }
      StoreBody(event.mutable_add_person(), r);
      return absl::OkStatus();
    }
    case Command::kUpdatePerson: {
      const auto& r = command.update_person();
      if (auto s = RequireRole(c.actor, {kRoleAdmin}, "update_person"); !s.ok()) return s;
      if (auto s = CheckPersonFields(state, r.person_id(), r.name(), r.roles(), r.supervisor_id(), r.project_ids());
          !s.ok()) {
        return s;
      }
      if (!r.has_active()) return absl::InvalidArgumentError("field 'active' is required");
      if (!state.org.people.contains(r.person_id())) {
        return absl::NotFoundError(absl::StrCat("person '", r.person_id(), "' not found"));
      }
      if (r.person_id() == kAdminPersonId || r.person_id() == kSystemPersonId) {
        return absl::FailedPreconditionError(absl::StrCat("the built-in principal '", r.person_id(),
                                                          "' cannot be changed"));
      }
      if (auto s = CheckNoSupervisorCycle(state, r.person_id(), r.supervisor_id()); !s.ok()) return s;
      StoreBody(event.mutable_update_person(), r);
      return absl::OkStatus();
    }
    case Command::kSetProjectLeads: {
      const auto& r = command.set_project_leads();
      if (auto s = RequireRole(c.actor, {kRoleAdmin}, "set_project_leads"); !s.ok()) return s;
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      if (auto s = CheckLead(state, **project, "sales_lead_id", r.sales_lead_id(), kRoleSalesLead); !s.ok()) return s;
      if (auto s = CheckLead(state, **project, "accountant_id", r.accountant_id(), kRoleAccountant); !s.ok()) return s;
      StoreBody(event.mutable_set_project_leads(), r);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    case Command::kIssueToken: {
      const auto& r = command.issue_token();
      if (auto s = RequireRole(c.actor, {kRoleAdmin}, "issue_token"); !s.ok()) return s;
      if (auto s = CheckId("person_id", r.person_id()); !s.ok()) return s;
      if (auto s = CheckId("token_id", r.token_id()); !s.ok()) return s;
      auto person = state.org.people.find(r.person_id());
      if (person == state.org.people.end()) {
        return absl::NotFoundError(absl::StrCat("person '", r.person_id(), "' not found"));
      }
      if (state.org.tokens.contains(r.token_id())) {
        return absl::AlreadyExistsError(absl::StrCat("token_id '", r.token_id(), "' already exists"));
      }
      if (r.person_id() == kSystemPersonId) {
        return absl::FailedPreconditionError("the system principal has no tokens");
      }
      if (!person->second.active) {
        return absl::FailedPreconditionError(absl::StrCat("person '", r.person_id(), "' is not active"));
      }
      if (c.token_sha256.size() != 32) return absl::InternalError("issue_token needs the new token's hash");
      auto* body = event.mutable_issue_token();
      body->set_person_id(r.person_id());
      body->set_token_id(r.token_id());
      body->set_token_sha256(c.token_sha256);
      return absl::OkStatus();
    }
    case Command::kRevokeToken: {
      const auto& r = command.revoke_token();
      if (auto s = RequireRole(c.actor, {kRoleAdmin}, "revoke_token"); !s.ok()) return s;
      if (auto s = CheckId("token_id", r.token_id()); !s.ok()) return s;
      auto token = state.org.tokens.find(r.token_id());
      if (token == state.org.tokens.end()) {
        return absl::NotFoundError(absl::StrCat("token '", r.token_id(), "' not found"));
      }
      if (token->second.revoked) {
        return absl::FailedPreconditionError(absl::StrCat("token '", r.token_id(), "' is already revoked"));
      }
      StoreBody(event.mutable_revoke_token(), r);
      return absl::OkStatus();
    }
    case Command::kSetPolicy: {
      const auto& r = command.set_policy();
      if (auto s = RequireRole(c.actor, {kRoleAdmin, kRoleFinanceLead}, "set_policy"); !s.ok()) return s;
      if (!r.has_policy()) return absl::InvalidArgumentError("field 'policy' is required");
      if (auto s = CheckPolicy(r.policy()); !s.ok()) return s;
      StoreBody(event.mutable_set_policy(), r);
      event.mutable_set_policy()->mutable_policy()->set_version(state.policy().version() + 1);
      return absl::OkStatus();
    }
    default:
      return std::nullopt;
  }
}

bool ApplyOrg(State& state, const Event& event) {
  OrgState& org = state.org;
  switch (event.body_case()) {
    case Event::kGenesis: {
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
      state.policies = {DefaultPolicy()};
      return true;
    }
    case Event::kDefineProject: {
      const auto& b = event.define_project();
      Project& p = state.projects[b.project_id()];
      p.project_id = b.project_id();
      p.name = b.name();
      p.time_zone = b.time_zone();
      absl::LoadTimeZone(b.time_zone(), &p.zone);
      p.defined_at = absl::FromUnixSeconds(event.recorded_at().seconds()) + absl::Nanoseconds(event.recorded_at().nanos());
      return true;
    }
    case Event::kAddPerson: {
      const auto& b = event.add_person();
      Person p = PersonFrom(b.person_id(), b.name(), b.roles(), b.supervisor_id(), b.project_ids());
      p.shared = b.shared();
      org.people[p.person_id] = std::move(p);
      return true;
    }
    case Event::kUpdatePerson: {
      const auto& b = event.update_person();
      Person& p = org.people[b.person_id()];
      const bool shared = p.shared;
      p = PersonFrom(b.person_id(), b.name(), b.roles(), b.supervisor_id(), b.project_ids());
      p.shared = shared;
      p.active = b.active();
      return true;
    }
    case Event::kSetProjectLeads: {
      const auto& b = event.set_project_leads();
      Project& p = state.projects[b.project_id()];
      p.sales_lead_id = b.sales_lead_id();
      p.accountant_id = b.accountant_id();
      return true;
    }
    case Event::kIssueToken: {
      const auto& b = event.issue_token();
      org.tokens[b.token_id()] = Token{b.token_id(), b.person_id(), b.token_sha256(), false};
      org.token_by_hash[b.token_sha256()] = b.token_id();
      return true;
    }
    case Event::kRevokeToken:
      org.tokens[event.revoke_token().token_id()].revoked = true;
      return true;
    case Event::kSetPolicy:
      state.policies.push_back(event.set_policy().policy());
      return true;
    default:
      return false;
  }
}

}  // namespace salesledger::areas
