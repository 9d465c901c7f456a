#include "domain/access.h"

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "domain/state.h"

namespace salesledger {
namespace {

using v1::Command;

// The roles that act on every project (SPEC.md §1).
constexpr RoleSet kEveryProject = {v1::ADMIN, v1::AUDITOR, v1::FINANCE_LEAD, v1::INSPECTOR};

}  // namespace

RoleSet RolesFor(Command::CommandCase command) {
  switch (command) {
    // 3.1 organisation and policy
    case Command::kDefineProject:
    case Command::kDefineRegion:
    case Command::kMoveProjectRegion:
      return {v1::ADMIN};
    // which people and projects a REGION_ADMIN reaches: RequireAdministers* (org.cc)
    case Command::kAddPerson:
    case Command::kUpdatePerson:
    case Command::kSetProjectLeads:
    case Command::kIssueToken:
    case Command::kRevokeToken:
      return {v1::ADMIN, v1::REGION_ADMIN};
    case Command::kRotateToken:
      return {};  // the token's holder, whatever the role (org.cc)
    case Command::kSetPolicy:
      return {v1::ADMIN, v1::FINANCE_LEAD};
    // 3.2 units and payment plans
    case Command::kDefineUnit:
    case Command::kDefinePaymentPlan:
    case Command::kChangeListPrice:
      return {v1::CUSTOMER_SERVICE};
    case Command::kReviewSetup:
    case Command::kSetUnitHold:
      return {v1::SALES_LEAD};
    case Command::kConfirmSetup:
      return {v1::MARKETING};
    // 3.3 customers and visits
    case Command::kRegisterCustomer:
    case Command::kLogVisit:
      return {v1::CONSULTANT, v1::CUSTOMER_SERVICE};
    // erasing personal data (issue 20): an administrator asks, finance decides (erasures.cc)
    case Command::kEraseCustomerData:
      return {v1::ADMIN};
    case Command::kDecideErasure:
      return {v1::FINANCE_LEAD};
    // 3.4 sales
    case Command::kReserveUnit:
    case Command::kCancelReservation:
    case Command::kCreateSubscription:
    case Command::kSignContract:
    case Command::kRequestChange:
      return {v1::CUSTOMER_SERVICE};
    case Command::kDecideChange:
      return {v1::SALES_LEAD};
    // 3.5 money
    case Command::kRecordPayment:
    case Command::kRefundPayment:
    case Command::kTransferPayment:
      return {v1::CASHIER};
    // 3.6 audit
    case Command::kApproveAudit:
    case Command::kRejectAudit:
    case Command::kUnlockRecord:
    case Command::kRegisterInvoice:
      return {v1::ACCOUNTANT};
    // 3.7 services after the sale
    case Command::kRecordServiceStep:
      return {v1::TITLE_MORTGAGE};
    // 3.8 plans, marketing and voids
    case Command::kSetSalesPlan:
    case Command::kRecordPlanFeedback:
    case Command::kRecordMarketingSpend:
    case Command::kRecordCompetitor:
      return {v1::MARKETING};
    case Command::kRequestVoid:
      return {};  // the entry's maker, whatever their role
    case Command::kDecideVoid:
      return {v1::SALES_LEAD, v1::ACCOUNTANT};  // which of the two: by the entry (voids.cc)
    // 3.9 inspections and violations
    case Command::kRunInspection:
      return {v1::INSPECTOR};
    case Command::kWaiveViolation:
      return {v1::FINANCE_LEAD};
    // 3.11 documents: which of the two by the kind (documents.cc)
    case Command::kPrintDocument:
      return {v1::CASHIER, v1::CUSTOMER_SERVICE};
    // witnesses: a cosignature says an independent party saw the tree; an auditor is one
    case Command::kAddCosignature:
      return {v1::AUDITOR};
    // 3.12 the system's own downtime: finance judges what an outage excuses; ledgerd records its
    // starts as the `system` principal, which alone holds no token (outages.cc)
    case Command::kDeclareOutage:
    case Command::kWithdrawOutage:
      return {v1::FINANCE_LEAD};
    case Command::kServerStarted:
      return {v1::INSPECTOR};
    case Command::COMMAND_NOT_SET:
      return {};
  }
  return {};
}

absl::Status RequireRole(const Person& person, RoleSet roles, absl::string_view action) {
  if (person.roles.Intersects(roles)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(person.person_id, " may not ", action, ": it needs role ", roles.Names()));
}

absl::Status RequireRoleFor(const Person& actor, Command::CommandCase command) {
  const RoleSet roles = RolesFor(command);
  if (roles.empty()) return absl::OkStatus();
  return RequireRole(actor, roles, Command::descriptor()->FindFieldByNumber(command)->name());
}

bool ActsOnEveryProject(const Person& person) { return person.roles.Intersects(kEveryProject); }

namespace {

// The project's region, or "" when there is no such project or it has none.
absl::string_view RegionOf(const State& state, absl::string_view project_id) {
  const Project* project = state.FindProject(std::string(project_id));
  return project == nullptr ? "" : absl::string_view(project->region_id);
}

bool InRegions(const State& state, const Person& person, absl::string_view project_id) {
  const absl::string_view region = RegionOf(state, project_id);
  return !region.empty() && person.region_ids.contains(region);
}

}  // namespace

bool OnProject(const State& state, const Person& person, absl::string_view project_id) {
  return ActsOnEveryProject(person) || person.project_ids.contains(project_id) ||
         (person.HasRole(v1::MANAGER) && InRegions(state, person, project_id));
}

absl::Status RequireProject(const State& state, const Person& person, absl::string_view project_id) {
  if (OnProject(state, person, project_id)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(person.person_id, " is not assigned to project ", project_id));
}

absl::Status RequireAdministersProject(const State& state, const Person& admin, absl::string_view project_id) {
  if (admin.HasRole(v1::ADMIN) || (admin.HasRole(v1::REGION_ADMIN) && InRegions(state, admin, project_id))) {
    return absl::OkStatus();
  }
  const absl::string_view region = RegionOf(state, project_id);
  return absl::PermissionDeniedError(
      region.empty() ? absl::StrCat(admin.person_id, " does not administer project ", project_id,
                                    ": it belongs to no region, so only ADMIN administers it")
                     : absl::StrCat(admin.person_id, " does not administer project ", project_id, ": it is in region ",
                                    region, ", not one of theirs"));
}

absl::Status RequireAdministersPerson(const State& state, const Person& admin, const Person& person) {
  if (admin.HasRole(v1::ADMIN)) return absl::OkStatus();
  const std::string who = absl::StrCat(admin.person_id, " may not manage ", person.person_id);
  if (person.person_id == admin.person_id) {
    return absl::PermissionDeniedError(absl::StrCat(who, ": a regional administrator never acts on their own account"));
  }
  if (person.roles.Intersects(kGroupRoles)) {
    return absl::PermissionDeniedError(absl::StrCat(who, ": they hold a role only ADMIN manages (",
                                                    kGroupRoles.Names(", "), ")"));
  }
  if (person.project_ids.empty() && person.region_ids.empty()) {
    return absl::PermissionDeniedError(absl::StrCat(who, ": they belong to no project or region, so to the group"));
  }
  for (const auto& project_id : person.project_ids) {
    if (!InRegions(state, admin, project_id)) {
      return absl::PermissionDeniedError(absl::StrCat(who, ": their project ", project_id, " is not in a region of ",
                                                      admin.person_id));
    }
  }
  for (const auto& region_id : person.region_ids) {
    if (!admin.region_ids.contains(region_id)) {
      return absl::PermissionDeniedError(absl::StrCat(who, ": their region ", region_id, " is not one of ",
                                                      admin.person_id, "'s"));
    }
  }
  return absl::OkStatus();
}

bool SeesFullPhone(const Person& reader, const Project& project, const Customer& customer) {
  if (reader.HasRole(v1::AUDITOR) || reader.HasRole(v1::ADMIN)) return true;
  if (reader.HasRole(v1::SALES_LEAD) && reader.project_ids.contains(project.project_id)) return true;
  return reader.person_id == customer.consultant_id;
}

absl::Status RequirePayReader(const State& state, const Person& reader, absl::string_view person_id) {
  if (ActsOnEveryProject(reader) || reader.person_id == person_id) return absl::OkStatus();
  if (reader.HasRole(v1::MANAGER)) {
    auto person = state.org.people.find(person_id);
    const bool within = person != state.org.people.end() && !person->second.project_ids.empty() &&
                        absl::c_all_of(person->second.project_ids,
                                       [&](const std::string& p) { return OnProject(state, reader, p); });
    if (within) return absl::OkStatus();
    return absl::PermissionDeniedError(absl::StrCat(reader.person_id, " may read the violations and statements of "
                                                    "people of their own projects and regions only; ", person_id,
                                                    " is not one of them"));
  }
  return absl::PermissionDeniedError(
      absl::StrCat(reader.person_id, " may read only their own violations and statements"));
}

bool ReadsProjectTimeliness(const State& state, const Person& reader, absl::string_view project_id) {
  return ActsOnEveryProject(reader) || (reader.HasRole(v1::SALES_LEAD) && reader.project_ids.contains(project_id)) ||
         (reader.HasRole(v1::MANAGER) && OnProject(state, reader, project_id));
}

}  // namespace salesledger
