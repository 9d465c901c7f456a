// Audit (SPEC.md §3.6, §6.2): the accountant audits payments, refunds, subscriptions and
// contracts; an audited subscription or contract is locked (审核锁定) until unlocked.
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/commands.h"
#include "domain/decide_support.h"
#include "domain/describe.h"
#include "domain/validation.h"

namespace salesledger {
namespace {

using namespace salesledger::v1;

// The auditable record an audit command names.
struct Audited {
  const Auditable* record = nullptr;
  bool lockable = false;     // subscriptions and contracts
  std::string state;         // why it can no longer be audited: "voided by void VD1 ...", or empty
};

absl::StatusOr<Audited> FindAudited(const Project& p, const std::string& id) {
  if (auto it = p.payments.find(id); it != p.payments.end()) {
    return Audited{&it->second, false, it->second.voided ? DescribeVoided(p, it->second.seq) : ""};
  }
  if (auto it = p.refunds.find(id); it != p.refunds.end()) {
    return Audited{&it->second, false, it->second.voided ? DescribeVoided(p, it->second.seq) : ""};
  }
  if (auto it = p.subscriptions.find(id); it != p.subscriptions.end()) {
    const Subscription& s = it->second;
    const bool ended = s.voided || s.status == SubscriptionStatus::kCancelled;
    return Audited{&s, true, ended ? DescribeSubscription(p, s) : ""};
  }
  if (auto it = p.contracts.find(id); it != p.contracts.end()) {
    const Contract& k = it->second;
    const bool ended = k.voided || k.status == ContractStatus::kCancelled;
    return Audited{&k, true, ended ? DescribeContract(p, k) : ""};
  }
  return absl::NotFoundError(
      absl::StrCat("no payment, refund, subscription or contract '", id, "' in project ", p.project_id));
}

// What approve_audit, reject_audit and unlock_record share: the target, found and still live.
template <typename Request>
absl::StatusOr<Audited> LiveTarget(const State& state, const Request& r, const DecideContext& c) {
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  ASSIGN_OR_RETURN(Audited target, FindAudited(project, r.target_id()));
  RETURN_IF_ERROR(CheckExpectedSeq(project, r.expected_seq(), r.target_id()));
  if (!target.state.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(r.target_id(), " is ", target.state));
  }
  return target;
}

// An audit decides once: approved stays approved, and a rejected record is voided and entered again.
absl::Status CheckNotAudited(const std::string& id, const Auditable& record) {
  switch (record.audit) {
    case AuditStatus::kNone:
      return absl::OkStatus();
    case AuditStatus::kApproved:
      return absl::FailedPreconditionError(absl::StrCat(id, " is already audited (", DescribeAudit(record), ")"));
    case AuditStatus::kRejected:
      return absl::FailedPreconditionError(absl::StrCat(
          id, " was rejected (", DescribeAudit(record), "); its maker must void it and enter it again"));
  }
  return absl::OkStatus();
}

Auditable& AuditableAt(Project& p, const std::string& id) {
  if (auto it = p.payments.find(id); it != p.payments.end()) return it->second;
  if (auto it = p.refunds.find(id); it != p.refunds.end()) return it->second;
  if (auto it = p.subscriptions.find(id); it != p.subscriptions.end()) return it->second;
  return p.contracts.at(id);  // decided: it is one of the four
}

void SetAudit(State& state, const Event& event, const std::string& id, AuditStatus audit, bool locked) {
  Project& project = *state.FindProject(event.project_id());
  Auditable& record = AuditableAt(project, id);
  record.audit = audit;
  record.audit_seq = audit == AuditStatus::kNone ? 0 : event.seq();
  record.locked = locked;
  project.Touch(id, event.seq());
}

}  // namespace

absl::Status DecideApproveAudit(const State& state, const ApproveAuditRequest& r, const DecideContext& c,
                                Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("target_id"), OptionalText("note")}));
  ASSIGN_OR_RETURN(const Audited target, LiveTarget(state, r, c));
  RETURN_IF_ERROR(CheckNotAudited(r.target_id(), *target.record));
  Record(event, event.mutable_approve_audit(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyApproveAudit(State& state, const Event& event, const ApproveAuditRequest& b) {
  const Project& project = *state.FindProject(event.project_id());
  const bool lockable = project.subscriptions.contains(b.target_id()) || project.contracts.contains(b.target_id());
  SetAudit(state, event, b.target_id(), AuditStatus::kApproved, lockable);
}

absl::Status DecideRejectAudit(const State& state, const RejectAuditRequest& r, const DecideContext& c,
                               Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("target_id"), Text("reason")}));
  ASSIGN_OR_RETURN(const Audited target, LiveTarget(state, r, c));
  RETURN_IF_ERROR(CheckNotAudited(r.target_id(), *target.record));
  Record(event, event.mutable_reject_audit(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyRejectAudit(State& state, const Event& event, const RejectAuditRequest& b) {
  SetAudit(state, event, b.target_id(), AuditStatus::kRejected, false);
}

absl::Status DecideUnlockRecord(const State& state, const UnlockRecordRequest& r, const DecideContext& c,
                                Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("target_id"), Text("reason")}));
  ASSIGN_OR_RETURN(const Audited target, LiveTarget(state, r, c));
  if (!target.lockable) {
    return absl::FailedPreconditionError(
        absl::StrCat(r.target_id(), " is a payment or refund: only subscriptions and contracts are locked"));
  }
  if (!target.record->locked) {
    return absl::FailedPreconditionError(
        absl::StrCat(r.target_id(), " is not locked (", DescribeAudit(*target.record), ")"));
  }
  Record(event, event.mutable_unlock_record(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyUnlockRecord(State& state, const Event& event, const UnlockRecordRequest& b) {
  SetAudit(state, event, b.target_id(), AuditStatus::kNone, false);  // it must be audited again
}

absl::Status DecideRegisterInvoice(const State& state, const RegisterInvoiceRequest& r, const DecideContext& c,
                                   Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("payment_id"), Name("invoice_no"), Enum("invoice_type")}));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  ASSIGN_OR_RETURN(const Payment& payment, Find(project.payments, "payment", r.payment_id(), project));
  if (project.invoice_nos.contains(r.invoice_no())) {
    return absl::AlreadyExistsError(absl::StrCat("invoice_no '", r.invoice_no(), "' is already registered"));
  }
  RETURN_IF_ERROR(CheckExpectedSeq(project, r.expected_seq(), r.payment_id()));
  if (payment.voided) {
    return absl::FailedPreconditionError(
        absl::StrCat("payment ", r.payment_id(), " was ", DescribeVoided(project, payment.seq)));
  }
  Record(event, event.mutable_register_invoice(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyRegisterInvoice(State& state, const Event& event, const RegisterInvoiceRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  project.invoice_nos.insert(b.invoice_no());
  project.payment_invoices[b.payment_id()].push_back(b.invoice_no());
  project.Touch(b.payment_id(), event.seq());
}

}  // namespace salesledger
