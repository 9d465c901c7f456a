// Who may do what (SPEC.md §1, §3, §5): the one place `decide`, the services and the read models
// ask. Pure functions of the person and the state; thread-safe as their arguments are.
#ifndef SALESLEDGER_DOMAIN_ACCESS_H_
#define SALESLEDGER_DOMAIN_ACCESS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "domain/org_state.h"
#include "domain/state.h"
#include "salesledger/v1/commands.pb.h"

namespace salesledger {

// ---- commands ----

// The roles that may issue `command` (SPEC.md §3's tables). Empty for request_void, which anyone
// may ask for an entry they made (decide checks the maker), and for no command at all.
RoleSet RolesFor(v1::Command::CommandCase command);

// PERMISSION_DENIED unless `actor` holds one of RolesFor(command): "kf01 may not set_policy: it
// needs role ADMIN or FINANCE_LEAD".
absl::Status RequireRoleFor(const Person& actor, v1::Command::CommandCase command);

// PERMISSION_DENIED unless `person` holds one of `roles`: "<person> may not <action>: it needs
// role ...".
absl::Status RequireRole(const Person& person, RoleSet roles, absl::string_view action);

// ---- projects ----

// ADMIN, AUDITOR, FINANCE_LEAD and INSPECTOR act on, and read, every project; every other role
// only the projects the person is assigned to, and a MANAGER also every project of their regions.
bool ActsOnEveryProject(const Person& person);
bool OnProject(const State& state, const Person& person, absl::string_view project_id);
// PERMISSION_DENIED unless OnProject.
absl::Status RequireProject(const State& state, const Person& person, absl::string_view project_id);

// ---- regions (the group's administrator and the regions') ----

// The roles a REGION_ADMIN never grants, and whose holders they never manage: those that act on
// every project or administer.
inline constexpr RoleSet kGroupRoles = {v1::ADMIN, v1::REGION_ADMIN, v1::FINANCE_LEAD, v1::AUDITOR, v1::INSPECTOR};

// ADMIN administers every project; a REGION_ADMIN the projects of their regions. PERMISSION_DENIED
// otherwise, naming the project's region (or that it has none, so ADMIN's alone).
absl::Status RequireAdministersProject(const State& state, const Person& admin, absl::string_view project_id);
// ADMIN administers everyone; a REGION_ADMIN someone else who holds no group role and whose
// projects and regions, at least one, all lie in the admin's regions. PERMISSION_DENIED naming the
// rule otherwise.
absl::Status RequireAdministersPerson(const State& state, const Person& admin, const Person& person);

// ---- what readers see ----

// A customer's full phone number: AUDITOR, ADMIN, a SALES_LEAD on the project, and the consultant
// who owns the customer. Everyone else who may read customers sees it masked (SPEC.md §3.3).
bool SeesFullPhone(const Person& reader, const Project& project, const Customer& customer);

// Another person's violations and statements: the roles that act on every project, and a MANAGER
// for people whose projects (at least one) all lie in what the manager reads. PERMISSION_DENIED
// otherwise, unless `person_id` is the reader.
absl::Status RequirePayReader(const State& state, const Person& reader, absl::string_view person_id);

// Everyone's timeliness and violations on a project: the roles that act on every project, the
// project's SALES_LEAD (assigned to it) and a MANAGER who reads it. Everyone else reads their own.
bool ReadsProjectTimeliness(const State& state, const Person& reader, absl::string_view project_id);

// History, proofs and verification (AuditService).
inline constexpr RoleSet kHistoryReaders = {v1::AUDITOR, v1::ADMIN, v1::FINANCE_LEAD};
// Operations that are not entries (AdminService: backups, status, rebuilds).
inline constexpr RoleSet kOperators = {v1::ADMIN};

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_ACCESS_H_
