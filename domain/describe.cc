#include "domain/describe.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace salesledger {
namespace {

// The approved change among `change_ids` that cancelled its target.
const Change* CancellingChange(const Project& p, const std::vector<std::string>& change_ids) {
  for (const std::string& id : change_ids) {
    auto it = p.changes.find(id);
    if (it != p.changes.end() && it->second.status == DecisionStatus::kApproved &&
        it->second.kind == v1::RequestChangeRequest::CANCEL) {
      return &it->second;
    }
  }
  return nullptr;
}

std::string Cancelled(const Project& p, const std::vector<std::string>& change_ids) {
  const Change* change = CancellingChange(p, change_ids);
  if (change == nullptr) return "cancelled";
  return absl::StrCat("cancelled by change ", change->change_id, " at seq ", change->decided_seq);
}

}  // namespace

const VoidRequest* ApprovedVoidOf(const Project& p, uint64_t entry_seq) {
  for (const auto& [id, v] : p.voids) {
    if (v.target_seq == entry_seq && v.status == DecisionStatus::kApproved) return &v;
  }
  return nullptr;
}

std::string DescribeVoided(const Project& p, uint64_t entry_seq) {
  const VoidRequest* v = ApprovedVoidOf(p, entry_seq);
  if (v == nullptr) return "voided";
  return absl::StrCat("voided by void ", v->void_id, " at seq ", v->decided_seq);
}

std::string DescribeUnit(const Unit& u) {
  const char* status = UnitStatusName(u.status);
  switch (u.status) {
    case UnitStatus::kDraft:
      return absl::StrCat(status, u.rejected ? " (sent back by the last review)" : " (not yet reviewed)");
    case UnitStatus::kReviewed:
      return absl::StrCat(status, " (waiting for marketing's confirm_setup)");
    case UnitStatus::kAvailable:
      return status;
    case UnitStatus::kHeld:
      return absl::StrCat(status, " (held by the sales lead)");
    case UnitStatus::kReserved:
      return absl::StrCat(status, " (reservation ", u.reservation_id, ")");
    case UnitStatus::kSubscribed:
      return absl::StrCat(status, " (subscription ", u.subscription_id, ")");
    case UnitStatus::kContracted:
      return absl::StrCat(status, " (contract ", u.contract_id, ")");
  }
  return status;
}

std::string DescribeSubscription(const Project& p, const Subscription& s) {
  if (s.voided) return DescribeVoided(p, s.seq);
  switch (s.status) {
    case SubscriptionStatus::kActive:
      return "active";
    case SubscriptionStatus::kConverted: {
      auto k = p.contracts.find(s.contract_id);
      return absl::StrCat("converted to contract ", s.contract_id,
                          k == p.contracts.end() ? "" : absl::StrCat(" at seq ", k->second.seq));
    }
    case SubscriptionStatus::kCancelled:
      return Cancelled(p, s.change_ids);
  }
  return "?";
}

std::string DescribeContract(const Project& p, const Contract& k) {
  if (k.voided) return DescribeVoided(p, k.seq);
  switch (k.status) {
    case ContractStatus::kActive:
      return "active";
    case ContractStatus::kCancelled:
      return Cancelled(p, k.change_ids);
  }
  return "?";
}

std::string DescribeReservation(const Project& p, const Reservation& r) {
  if (r.voided) return DescribeVoided(p, r.seq);
  switch (r.status) {
    case ReservationStatus::kActive:
      return "active";
    case ReservationStatus::kCancelled:
      return absl::StrCat("cancelled at seq ", r.ended_seq);
    case ReservationStatus::kConverted:
      return absl::StrCat("converted to subscription ", r.subscription_id, " at seq ", r.ended_seq);
  }
  return "?";
}

std::string DescribePaymentUse(const Project& p, absl::string_view payment_id, const Payment& pay) {
  if (pay.voided) return DescribeVoided(p, pay.seq);
  std::vector<std::string> uses;
  for (const auto& [id, r] : p.refunds) {
    if (r.payment_id == payment_id && !r.voided) {
      uses.push_back(absl::StrCat("refunded by ", id, " (", r.amount_fen, " fen, seq ", r.seq, ")"));
    }
  }
  if (!pay.transfer_id.empty()) {
    auto t = p.transfers.find(pay.transfer_id.view());
    uses.push_back(absl::StrCat("transferred by ", pay.transfer_id.view(),
                                t == p.transfers.end() ? "" : absl::StrCat(" to subscription ", t->second.subscription_id)));
  }
  if (uses.empty()) return "untouched";
  return absl::StrJoin(uses, ", ");
}

std::string DescribeAudit(const Auditable& record) {
  switch (record.audit) {
    case AuditStatus::kNone:
      return "not audited";
    case AuditStatus::kApproved:
      return absl::StrCat("audited at seq ", record.audit_seq);
    case AuditStatus::kRejected:
      return absl::StrCat("rejected at seq ", record.audit_seq);
  }
  return "?";
}

std::string DescribeDecision(DecisionStatus status, uint64_t decided_seq) {
  switch (status) {
    case DecisionStatus::kPending:
      return "pending";
    case DecisionStatus::kApproved:
      return absl::StrCat("approved at seq ", decided_seq);
    case DecisionStatus::kRejected:
      return absl::StrCat("rejected at seq ", decided_seq);
  }
  return "?";
}

}  // namespace salesledger
