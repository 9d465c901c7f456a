// Audit (SPEC.md §3.6, §6.2): the accountant audits payments, refunds, subscriptions and
// contracts; an audited subscription or contract is locked (审核锁定) until unlocked.
#include "absl/strings/str_cat.h"
#include "domain/areas.h"
#include "domain/decide_support.h"
#include "domain/validation.h"

namespace salesledger::areas {
namespace {

using namespace salesledger::v1;

// The auditable record `id` names, or null.
const Auditable* FindAuditable(const Project& p, const std::string& id, bool* lockable, bool* cancelled) {
  *lockable = false;
  *cancelled = false;
  if (auto it = p.payments.find(id); it != p.payments.end()) return &it->second;
  if (auto it = p.refunds.find(id); it != p.refunds.end()) return &it->second;
  *lockable = true;
  if (auto it = p.subscriptions.find(id); it != p.subscriptions.end()) {
    *cancelled = it->second.status == SubscriptionStatus::kCancelled;
    return &it->second;
  }
  if (auto it = p.contracts.find(id); it != p.contracts.end()) {
    *cancelled = it->second.status == ContractStatus::kCancelled;
    return &it->second;
  }
  return nullptr;
}

Auditable* FindAuditable(Project& p, const std::string& id) {
  bool lockable, cancelled;
  return const_cast<Auditable*>(FindAuditable(static_cast<const Project&>(p), id, &lockable, &cancelled));
}

}  // namespace

std::optional<absl::Status> DecideAudit(const State& state, const Command& command, const DecideContext& c,
                                        Event& event) {
  const auto case_ = command.command_case();
  if (case_ == Command::kApproveAudit || case_ == Command::kRejectAudit || case_ == Command::kUnlockRecord) {
    const char* name = case_ == Command::kApproveAudit  ? "approve_audit"
                       : case_ == Command::kRejectAudit ? "reject_audit"
                                                        : "unlock_record";
    const std::string& project_id = case_ == Command::kApproveAudit  ? command.approve_audit().project_id()
                                    : case_ == Command::kRejectAudit ? command.reject_audit().project_id()
                                                                     : command.unlock_record().project_id();
    const std::string& target_id = case_ == Command::kApproveAudit  ? command.approve_audit().target_id()
                                   : case_ == Command::kRejectAudit ? command.reject_audit().target_id()
                                                                    : command.unlock_record().target_id();
    const uint64_t expected_seq = case_ == Command::kApproveAudit  ? command.approve_audit().expected_seq()
                                  : case_ == Command::kRejectAudit ? command.reject_audit().expected_seq()
                                                                   : command.unlock_record().expected_seq();
    if (auto s = RequireRole(c.actor, {kRoleAccountant}, name); !s.ok()) return s;
    if (auto s = CheckId("target_id", target_id); !s.ok()) return s;
    if (case_ == Command::kApproveAudit) {
      if (auto s = CheckText("note", command.approve_audit().note(), false); !s.ok()) return s;
    } else {
      const std::string& reason =
          case_ == Command::kRejectAudit ? command.reject_audit().reason() : command.unlock_record().reason();
      if (auto s = CheckText("reason", reason); !s.ok()) return s;
    }
    auto project = AccessProject(state, c.actor, project_id);
    if (!project.ok()) return project.status();
    bool lockable = false, cancelled = false;
    const Auditable* record = FindAuditable(**project, target_id, &lockable, &cancelled);
    if (record == nullptr) {
      return absl::NotFoundError(absl::StrCat("no payment, refund, subscription or contract '", target_id,
                                              "' in project ", project_id));
    }
    if (auto s = CheckExpectedSeq(**project, expected_seq, target_id); !s.ok()) return s;
    if (record->voided || cancelled) {
      return absl::FailedPreconditionError(absl::StrCat(target_id, " is voided or cancelled"));
    }
    if (case_ == Command::kUnlockRecord) {
      if (!lockable) return absl::FailedPreconditionError("only subscriptions and contracts are locked");
      if (!record->locked) return absl::FailedPreconditionError(absl::StrCat(target_id, " is not locked"));
      StoreBody(event.mutable_unlock_record(), command.unlock_record());
    } else {
      if (record->audit == AuditStatus::kApproved) {
        return absl::FailedPreconditionError(absl::StrCat(target_id, " is already audited"));
      }
      if (record->audit == AuditStatus::kRejected) {
        return absl::FailedPreconditionError(
            absl::StrCat(target_id, " was rejected; its maker must void it and enter it again"));
      }
      if (case_ == Command::kApproveAudit) {
        StoreBody(event.mutable_approve_audit(), command.approve_audit());
      } else {
        StoreBody(event.mutable_reject_audit(), command.reject_audit());
      }
    }
    event.set_project_id(project_id);
    return absl::OkStatus();
  }
  if (case_ == Command::kRegisterInvoice) {
    const auto& r = command.register_invoice();
    if (auto s = RequireRole(c.actor, {kRoleAccountant}, "register_invoice"); !s.ok()) return s;
    if (auto s = CheckId("payment_id", r.payment_id()); !s.ok()) return s;
    if (auto s = CheckName("invoice_no", r.invoice_no()); !s.ok()) return s;
    if (auto s = CheckEnum("invoice_type", r.invoice_type(), RegisterInvoiceRequest::InvoiceType_descriptor());
        !s.ok()) {
      return s;
    }
    auto project = AccessProject(state, c.actor, r.project_id());
    if (!project.ok()) return project.status();
    auto payment = Find((*project)->payments, "payment", r.payment_id(), **project);
    if (!payment.ok()) return payment.status();
    if ((*project)->invoice_nos.contains(r.invoice_no())) {
      return absl::AlreadyExistsError(absl::StrCat("invoice_no '", r.invoice_no(), "' is already registered"));
    }
    if (auto s = CheckExpectedSeq(**project, r.expected_seq(), r.payment_id()); !s.ok()) return s;
    if ((*payment)->voided) return absl::FailedPreconditionError(absl::StrCat("payment ", r.payment_id(), " was voided"));
    StoreBody(event.mutable_register_invoice(), r);
    event.set_project_id(r.project_id());
    return absl::OkStatus();
  }
  return std::nullopt;
}

bool ApplyAudit(State& state, const Event& event) {
  Project* project = state.FindProject(event.project_id());
  switch (event.body_case()) {
    case Event::kApproveAudit: {
      const std::string& id = event.approve_audit().target_id();
      Auditable* record = FindAuditable(*project, id);
      record->audit = AuditStatus::kApproved;
      record->locked = project->subscriptions.contains(id) || project->contracts.contains(id);
      project->Touch(id, event.seq());
      return true;
    }
    case Event::kRejectAudit: {
      const std::string& id = event.reject_audit().target_id();
      FindAuditable(*project, id)->audit = AuditStatus::kRejected;
      project->Touch(id, event.seq());
      return true;
    }
    case Event::kUnlockRecord: {
      const std::string& id = event.unlock_record().target_id();
      Auditable* record = FindAuditable(*project, id);
      record->locked = false;
      record->audit = AuditStatus::kNone;  // it must be audited again
      project->Touch(id, event.seq());
      return true;
    }
    case Event::kRegisterInvoice: {
      const auto& b = event.register_invoice();
      project->invoice_nos.insert(b.invoice_no());
      project->payment_invoices[b.payment_id()].push_back(b.invoice_no());
      project->Touch(b.payment_id(), event.seq());
      return true;
    }
    default:
      return false;
  }
}

}  // namespace salesledger::areas
