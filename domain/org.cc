// Organisation and policy (SPEC.md §3.1): regions, projects, people, tokens, policy versions.
#include <algorithm>
#include <limits>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/access.h"
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
  RETURN_IF_ERROR(
      CheckFields(r, {OptionalId("supervisor_id"), Ids("project_ids", 0, kAnyNumber), Ids("region_ids", 0, kAnyNumber)}));
  if (r.supervisor_id() == r.person_id()) return absl::InvalidArgumentError("a person cannot be their own supervisor");
  const bool regional = absl::c_any_of(r.roles(), [](int role) { return role == MANAGER || role == REGION_ADMIN; });
  if (!r.region_ids().empty() && !regional) {
    return absl::InvalidArgumentError("field 'region_ids' is for a MANAGER or a REGION_ADMIN only");
  }
  if (absl::c_linear_search(r.roles(), REGION_ADMIN) && r.region_ids().empty()) {
    return absl::InvalidArgumentError("a REGION_ADMIN needs field 'region_ids': the regions they administer");
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
  p.region_ids.insert(b.region_ids().begin(), b.region_ids().end());
  return p;
}

// The supervisor, projects and regions a person record names.
template <typename Request>
absl::Status CheckPersonReferences(const State& state, const Request& r) {
  if (!r.supervisor_id().empty() && !state.org.people.contains(r.supervisor_id())) {
    return absl::NotFoundError(absl::StrCat("supervisor '", r.supervisor_id(), "' not found"));
  }
  for (const auto& p : r.project_ids()) {
    if (state.FindProject(p) == nullptr) return absl::NotFoundError(absl::StrCat("project '", p, "' not found"));
  }
  for (const auto& id : r.region_ids()) {
    if (!state.org.regions.contains(id)) return absl::NotFoundError(absl::StrCat("region '", id, "' not found"));
  }
  return absl::OkStatus();
}

// A regional administrator grants only a region's staff roles, and only within their regions.
template <typename Request>
absl::Status CheckGrantedBy(const State& state, const Person& admin, const Request& r) {
  if (admin.HasRole(ADMIN)) return absl::OkStatus();
  for (int role : r.roles()) {
    if (kGroupRoles.Has(static_cast<Role>(role))) {
      return absl::PermissionDeniedError(absl::StrCat(admin.person_id, " may not grant role ", Role_Name(role),
                                                      ": a regional administrator never grants ",
                                                      kGroupRoles.Names(", ")));
    }
  }
  return RequireAdministersPerson(state, admin, PersonFrom(r));
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

}  // namespace

absl::Status DecideDefineProject(const State& state, const DefineProjectRequest& r, const DecideContext&,
                                 Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("project_id"), Name("name"), OptionalName("company")}));
  absl::TimeZone zone;
  if (!r.time_zone().empty() && !absl::LoadTimeZone(r.time_zone(), &zone)) {
    return absl::InvalidArgumentError(absl::StrCat("field 'time_zone': unknown IANA time zone '", r.time_zone(), "'"));
  }
  RETURN_IF_ERROR(CheckFields(r, {OptionalId("region_id")}));
  if (!r.region_id().empty() && !state.org.regions.contains(r.region_id())) {
    return absl::NotFoundError(absl::StrCat("region '", r.region_id(), "' not found"));
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
  p.region_id = b.region_id();
}

absl::Status DecideDefineRegion(const State& state, const DefineRegionRequest& r, const DecideContext&, Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("region_id"), Name("name")}));
  if (state.org.regions.contains(r.region_id())) {
    return absl::AlreadyExistsError(absl::StrCat("region '", r.region_id(), "' already exists"));
  }
  Record(event, event.mutable_define_region(), r);
  return absl::OkStatus();
}

void ApplyDefineRegion(State& state, const Event&, const DefineRegionRequest& b) {
  state.org.regions[b.region_id()] = Region{b.region_id(), b.name()};
}

absl::Status DecideMoveProjectRegion(const State& state, const MoveProjectRegionRequest& r, const DecideContext& c,
                                     Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("project_id"), Id("region_id")}));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  if (!state.org.regions.contains(r.region_id())) {
    return absl::NotFoundError(absl::StrCat("region '", r.region_id(), "' not found"));
  }
  if (project.region_id == r.region_id()) {
    return absl::FailedPreconditionError(
        absl::StrCat("project ", r.project_id(), " is already in region ", r.region_id()));
  }
  Record(event, event.mutable_move_project_region(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyMoveProjectRegion(State& state, const Event&, const MoveProjectRegionRequest& b) {
  state.projects[b.project_id()].region_id = b.region_id();
}

absl::Status DecideAddPerson(const State& state, const AddPersonRequest& r, const DecideContext& c, Event& event) {
  RETURN_IF_ERROR(CheckPersonFields(r));
  RETURN_IF_ERROR(CheckPersonReferences(state, r));
  RETURN_IF_ERROR(CheckGrantedBy(state, c.actor, r));
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

absl::Status DecideUpdatePerson(const State& state, const UpdatePersonRequest& r, const DecideContext& c,
                                Event& event) {
  RETURN_IF_ERROR(CheckPersonFields(r));
  RETURN_IF_ERROR(CheckFields(r, {Present("active")}));
  RETURN_IF_ERROR(CheckPersonReferences(state, r));
  auto current = state.org.people.find(r.person_id());
  if (current == state.org.people.end()) {
    return absl::NotFoundError(absl::StrCat("person '", r.person_id(), "' not found"));
  }
  // The person as they are, and as they would be: both within the regional administrator's reach.
  RETURN_IF_ERROR(RequireAdministersPerson(state, c.actor, current->second));
  RETURN_IF_ERROR(CheckGrantedBy(state, c.actor, r));
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
  const Project* project = state.FindProject(r.project_id());
  if (project == nullptr) return absl::NotFoundError(absl::StrCat("project '", r.project_id(), "' not found"));
  RETURN_IF_ERROR(RequireAdministersProject(state, c.actor, r.project_id()));
  RETURN_IF_ERROR(CheckLead(state, *project, "sales_lead_id", r.sales_lead_id(), SALES_LEAD));
  RETURN_IF_ERROR(CheckLead(state, *project, "accountant_id", r.accountant_id(), ACCOUNTANT));
  Record(event, event.mutable_set_project_leads(), r, r.project_id());
  return absl::OkStatus();
}

void ApplySetProjectLeads(State& state, const Event&, const SetProjectLeadsRequest& b) {
  Project& p = state.projects[b.project_id()];
  p.sales_lead_id = b.sales_lead_id();
  p.accountant_id = b.accountant_id();
}

// How many days a token issued now may live at most (policy token_max_age_days; 0: 90).
int32_t MaxTokenDays(const State& state) {
  const int32_t days = state.policy().token_max_age_days();
  return days > 0 ? days : kDefaultTokenMaxAgeDays;
}

absl::Status DecideIssueToken(const State& state, const IssueTokenRequest& r, const DecideContext& c, Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("person_id"), Id("token_id")}));
  const int32_t max_days = MaxTokenDays(state);
  if (r.valid_days() < 0 || r.valid_days() > max_days) {
    return absl::InvalidArgumentError(absl::StrCat("field 'valid_days' = ", r.valid_days(),
                                                   ": a token lives 1 to ", max_days,
                                                   " days (the policy's token_max_age_days); 0 = the most"));
  }
  auto person = state.org.people.find(r.person_id());
  if (person == state.org.people.end()) {
    return absl::NotFoundError(absl::StrCat("person '", r.person_id(), "' not found"));
  }
  RETURN_IF_ERROR(RequireAdministersPerson(state, c.actor, person->second));
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
  *body->mutable_expires_at() = ToProto(c.recorded_at + absl::Hours(24) * (r.valid_days() > 0 ? r.valid_days() : max_days));
  return absl::OkStatus();
}

void ApplyIssueToken(State& state, const Event& event, const TokenIssued& b) {
  Token& t = state.org.tokens[b.token_id()];
  t = Token{b.token_id(), b.person_id(), b.token_sha256(), false};
  if (b.has_expires_at()) t.expires_at = FromProto(b.expires_at());
  t.issued_at = FromProto(event.recorded_at());
  state.org.token_by_hash[b.token_sha256()] = b.token_id();
}

absl::Status DecideRevokeToken(const State& state, const RevokeTokenRequest& r, const DecideContext& c, Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("token_id")}));
  auto token = state.org.tokens.find(r.token_id());
  if (token == state.org.tokens.end()) return absl::NotFoundError(absl::StrCat("token '", r.token_id(), "' not found"));
  if (auto holder = state.org.people.find(token->second.person_id); holder != state.org.people.end()) {
    RETURN_IF_ERROR(RequireAdministersPerson(state, c.actor, holder->second));
  }
  if (token->second.revoked) {
    return absl::FailedPreconditionError(absl::StrCat("token '", r.token_id(), "' is already revoked"));
  }
  Record(event, event.mutable_revoke_token(), r);
  return absl::OkStatus();
}

void ApplyRevokeToken(State& state, const Event&, const RevokeTokenRequest& b) {
  state.org.tokens[b.token_id()].revoked = true;
}

absl::Status DecideRotateToken(const State& state, const RotateTokenRequest& r, const DecideContext& c, Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("token_id"), OptionalId("new_token_id")}));
  auto old = state.org.tokens.find(r.token_id());
  if (old == state.org.tokens.end()) return absl::NotFoundError(absl::StrCat("token '", r.token_id(), "' not found"));
  if (old->second.person_id != c.actor.person_id) {
    return absl::PermissionDeniedError(absl::StrCat(c.actor.person_id, " may rotate only their own tokens; '",
                                                    r.token_id(), "' is ", old->second.person_id, "'s"));
  }
  const std::string new_id = r.new_token_id().empty() ? absl::StrCat(c.actor.person_id, "-", c.seq) : r.new_token_id();
  if (state.org.tokens.contains(new_id)) {
    return absl::AlreadyExistsError(absl::StrCat("token_id '", new_id, "' already exists"));
  }
  if (old->second.revoked) {
    return absl::FailedPreconditionError(absl::StrCat("token '", r.token_id(), "' was revoked; ask an administrator for a new one"));
  }
  if (old->second.expires_at <= c.recorded_at) {
    return absl::FailedPreconditionError(absl::StrCat("token '", r.token_id(), "' expired at ",
                                                      absl::FormatTime(absl::RFC3339_sec, old->second.expires_at, absl::UTCTimeZone()),
                                                      "; ask an administrator for a new one"));
  }
  if (c.token_sha256.size() != 32) return absl::InternalError("rotate_token needs the new token's hash");
  // As long as the old one was issued for, at most the policy's maximum (a token that never
  // expired gets the maximum).
  const absl::Duration max_age = absl::Hours(24) * MaxTokenDays(state);
  const absl::Duration age = old->second.expires_at == absl::InfiniteFuture()
                                 ? max_age
                                 : std::min(max_age, old->second.expires_at - old->second.issued_at);
  TokenIssued* body = event.mutable_rotate_token();
  body->set_person_id(c.actor.person_id);
  body->set_token_id(new_id);
  body->set_token_sha256(c.token_sha256);
  *body->mutable_expires_at() = ToProto(c.recorded_at + age);
  body->set_replaces_token_id(r.token_id());
  return absl::OkStatus();
}

void ApplyRotateToken(State& state, const Event& event, const TokenIssued& b) {
  state.org.tokens[b.replaces_token_id()].revoked = true;
  ApplyIssueToken(state, event, b);
}

absl::Status DecideSetPolicy(const State& state, const SetPolicyRequest& r, const DecideContext&, Event& event) {
  if (!r.has_policy()) return absl::InvalidArgumentError("field 'policy' is required");
  RETURN_IF_ERROR(CheckPolicy(r.policy()));
  Record(event, event.mutable_set_policy(), r);
  event.mutable_set_policy()->mutable_policy()->set_version(state.policy().version() + 1);
  return absl::OkStatus();
}

void ApplySetPolicy(State& state, const Event&, const SetPolicyRequest& b) { state.policies.push_back(b.policy()); }

void ApplyGenesis(State& state, const Event& event, const Genesis& g) {
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
  org.tokens[g.admin_token_id()].issued_at = FromProto(event.recorded_at());
  org.token_by_hash[g.admin_token_sha256()] = g.admin_token_id();
  state.policies = {DefaultPolicy()};
}

}  // namespace salesledger
