#include "domain/access.h"

#include "absl/strings/str_cat.h"

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
    case Command::kAddPerson:
    case Command::kUpdatePerson:
    case Command::kSetProjectLeads:
    case Command::kIssueToken:
    case Command::kRevokeToken:
      return {v1::ADMIN};
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

bool OnProject(const Person& person, absl::string_view project_id) {
  return ActsOnEveryProject(person) || person.project_ids.contains(project_id);
}

absl::Status RequireProject(const Person& person, absl::string_view project_id) {
  if (OnProject(person, project_id)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(person.person_id, " is not assigned to project ", project_id));
}

bool SeesFullPhone(const Person& reader, const Project& project, const Customer& customer) {
  if (reader.HasRole(v1::AUDITOR) || reader.HasRole(v1::ADMIN)) return true;
  if (reader.HasRole(v1::SALES_LEAD) && reader.project_ids.contains(project.project_id)) return true;
  return reader.person_id == customer.consultant_id;
}

absl::Status RequirePayReader(const Person& reader, absl::string_view person_id) {
  if (ActsOnEveryProject(reader) || reader.person_id == person_id) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(reader.person_id, " may read only their own violations and statements"));
}

bool ReadsProjectTimeliness(const Person& reader, absl::string_view project_id) {
  return ActsOnEveryProject(reader) || (reader.HasRole(v1::SALES_LEAD) && reader.project_ids.contains(project_id));
}

}  // namespace salesledger
