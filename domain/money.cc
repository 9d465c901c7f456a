// Money (SPEC.md §3.5): payments with ledger-assigned receipt numbers, refunds, 转定.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/time_proto.h"
#include "domain/areas.h"
#include "domain/decide_support.h"
#include "domain/validation.h"

namespace salesledger::areas {
namespace {

using namespace salesledger::v1;

// <project_id>-R<6 digits>: receipt numbers are gap-free per project.
std::string ReceiptNo(const std::string& project_id, int64_t n) { return absl::StrFormat("%s-R%06d", project_id, n); }

// What is left of a payment to refund or transfer.
int64_t Remaining(const Payment& p) { return p.transfer_id.empty() ? p.amount_fen - p.refunded_fen : 0; }

absl::Status CheckBuyer(const Subscription& sub, const std::string& customer_id) {
  for (const auto& id : sub.customer_ids) {
    if (id == customer_id) return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("customer ", customer_id, " is not a buyer on subscription ", sub.subscription_id));
}

absl::StatusOr<const Subscription*> PayableSubscription(const Project& p, const std::string& id) {
  auto sub = Find(p.subscriptions, "subscription", id, p);
  if (!sub.ok()) return sub.status();
  if ((*sub)->status == SubscriptionStatus::kCancelled || (*sub)->voided) {
    return absl::FailedPreconditionError(absl::StrCat("subscription ", id, " is cancelled or voided"));
  }
  return *sub;
}

absl::StatusOr<const Payment*> LivePayment(const Project& p, const std::string& id) {
  auto payment = Find(p.payments, "payment", id, p);
  if (!payment.ok()) return payment.status();
  if ((*payment)->voided) return absl::FailedPreconditionError(absl::StrCat("payment ", id, " was voided"));
  return *payment;
}

}  // namespace



std::optional<absl::Status> DecideMoney(const State& state, const Command& command, const DecideContext& c,
                                        Event& event) {
  switch (command.command_case()) {
    case Command::kRecordPayment: {
      const auto& r = command.record_payment();
      if (auto s = RequireRole(c.actor, {kRoleCashier}, "record_payment"); !s.ok()) return s;
      if (auto s = CheckId("payment_id", r.payment_id()); !s.ok()) return s;
      if (auto s = CheckId("customer_id", r.customer_id()); !s.ok()) return s;
      if (auto s = CheckEnum("kind", r.kind(), RecordPaymentRequest::Kind_descriptor()); !s.ok()) return s;
      if (r.kind() == RecordPaymentRequest::EARNEST) {
        if (auto s = CheckOptionalId("subscription_id", r.subscription_id()); !s.ok()) return s;
      } else if (auto s = CheckId("subscription_id", r.subscription_id()); !s.ok()) {
        return s;
      }
      if (auto s = CheckName("fee_item", r.fee_item(), r.kind() == RecordPaymentRequest::COLLECTED_FEE); !s.ok()) {
        return s;
      }
      if (auto s = CheckMoney("amount_fen", r.amount_fen()); !s.ok()) return s;
      if (auto s = CheckEnum("method", r.method(), RecordPaymentRequest::Method_descriptor()); !s.ok()) return s;
      auto occurred = CheckOccurredAt(&r.occurred_at(), r.has_occurred_at(), c.recorded_at, true);
      if (!occurred.ok()) return occurred.status();
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      const Project& p = **project;
      auto customer = Find(p.customers, "customer", r.customer_id(), p);
      if (!customer.ok()) return customer.status();
      const Subscription* sub = nullptr;
      if (!r.subscription_id().empty()) {
        auto found = PayableSubscription(p, r.subscription_id());
        if (!found.ok()) return found.status();
        sub = *found;
      }
      if (auto s = CheckNewId(p, "payment_id", r.payment_id()); !s.ok()) return s;
      if (sub != nullptr) {
        if (auto s = CheckExpectedSeq(p, r.expected_seq(), sub->subscription_id); !s.ok()) return s;
        if (auto s = CheckBuyer(*sub, r.customer_id()); !s.ok()) return s;
      }
      if ((*customer)->voided) return absl::FailedPreconditionError(absl::StrCat("customer ", r.customer_id(), " was voided"));
      StoreBody(event.mutable_record_payment(), r);
      event.set_project_id(r.project_id());
      *event.mutable_occurred_at() = ToProto(*occurred);
      event.set_receipt_no(ReceiptNo(p.project_id, p.receipts_issued + 1));
      return absl::OkStatus();
    }
    case Command::kRefundPayment: {
      const auto& r = command.refund_payment();
      if (auto s = RequireRole(c.actor, {kRoleCashier}, "refund_payment"); !s.ok()) return s;
      if (auto s = CheckId("refund_id", r.refund_id()); !s.ok()) return s;
      if (auto s = CheckId("payment_id", r.payment_id()); !s.ok()) return s;
      if (auto s = CheckMoney("amount_fen", r.amount_fen()); !s.ok()) return s;
      if (auto s = CheckText("reason", r.reason()); !s.ok()) return s;
      auto occurred = CheckOccurredAt(&r.occurred_at(), r.has_occurred_at(), c.recorded_at, true);
      if (!occurred.ok()) return occurred.status();
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      const Project& p = **project;
      auto payment = Find(p.payments, "payment", r.payment_id(), p);
      if (!payment.ok()) return payment.status();
      if (auto s = CheckNewId(p, "refund_id", r.refund_id()); !s.ok()) return s;
      if (auto s = CheckExpectedSeq(p, r.expected_seq(), r.payment_id()); !s.ok()) return s;
      if ((*payment)->voided) return absl::FailedPreconditionError(absl::StrCat("payment ", r.payment_id(), " was voided"));
      if (r.amount_fen() > Remaining(**payment)) {
        return absl::FailedPreconditionError(absl::StrCat("payment ", r.payment_id(), " has ", Remaining(**payment),
                                                          " fen left to refund; the refund asks for ", r.amount_fen()));
      }
      StoreBody(event.mutable_refund_payment(), r);
      event.set_project_id(r.project_id());
      *event.mutable_occurred_at() = ToProto(*occurred);
      return absl::OkStatus();
    }
    case Command::kTransferPayment: {
      const auto& r = command.transfer_payment();
      if (auto s = RequireRole(c.actor, {kRoleCashier}, "transfer_payment"); !s.ok()) return s;
      if (auto s = CheckId("transfer_id", r.transfer_id()); !s.ok()) return s;
      if (auto s = CheckId("payment_id", r.payment_id()); !s.ok()) return s;
      if (auto s = CheckId("subscription_id", r.subscription_id()); !s.ok()) return s;
      auto occurred = CheckOccurredAt(&r.occurred_at(), r.has_occurred_at(), c.recorded_at, true);
      if (!occurred.ok()) return occurred.status();
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      const Project& p = **project;
      auto payment = LivePayment(p, r.payment_id());
      if (!payment.ok()) return payment.status();
      auto sub = PayableSubscription(p, r.subscription_id());
      if (!sub.ok()) return sub.status();
      if (auto s = CheckNewId(p, "transfer_id", r.transfer_id()); !s.ok()) return s;
      if (auto s = CheckExpectedSeq(p, r.expected_seq(), r.payment_id()); !s.ok()) return s;
      if ((*payment)->kind != RecordPaymentRequest::EARNEST) {
        return absl::FailedPreconditionError(absl::StrCat("payment ", r.payment_id(), " is ",
                                                          EnumName(RecordPaymentRequest::Kind_descriptor(), (*payment)->kind),
                                                          "; only EARNEST money is transferred to a deposit"));
      }
      if (!(*payment)->transfer_id.empty()) {
        return absl::FailedPreconditionError(absl::StrCat("payment ", r.payment_id(), " was already transferred (",
                                                          (*payment)->transfer_id.view(), ")"));
      }
      if (Remaining(**payment) <= 0) {
        return absl::FailedPreconditionError(absl::StrCat("payment ", r.payment_id(), " was refunded in full"));
      }
      if (auto s = CheckBuyer(**sub, (*payment)->customer_id); !s.ok()) return s;
      StoreBody(event.mutable_transfer_payment(), r);
      event.set_project_id(r.project_id());
      *event.mutable_occurred_at() = ToProto(*occurred);
      return absl::OkStatus();
    }
    default:
      return std::nullopt;
  }
}

bool ApplyMoney(State& state, const Event& event) {
  Project* project = state.FindProject(event.project_id());
  switch (event.body_case()) {
    case Event::kRecordPayment: {
      const auto& b = event.record_payment();
      Payment& pay = project->payments[b.payment_id()];
      pay.customer_id = b.customer_id();
      pay.subscription_id = b.subscription_id();
      pay.fee_item = b.fee_item();
      pay.kind = b.kind();
      pay.method = b.method();
      pay.amount_fen = b.amount_fen();
      pay.receipt_no = event.receipt_no();
      pay.cashier_id = event.actor_id();
      pay.occurred_at = FromProto(event.occurred_at());
      pay.seq = event.seq();
      pay.recorded_at = FromProto(event.recorded_at());
      ++project->receipts_issued;
      project->AddItem(b.payment_id(), ItemKind::kPayment, event.seq());
      if (!b.subscription_id().empty()) project->Touch(b.subscription_id(), event.seq());
      project->voidable.Add({event.seq(), Event::kRecordPayment, false, event.actor_id(), b.payment_id()});
      return true;
    }
    case Event::kRefundPayment: {
      const auto& b = event.refund_payment();
      Refund& ref = project->refunds[b.refund_id()];
      ref.refund_id = b.refund_id();
      ref.payment_id = b.payment_id();
      ref.amount_fen = b.amount_fen();
      ref.cashier_id = event.actor_id();
      ref.occurred_at = FromProto(event.occurred_at());
      ref.seq = event.seq();
      ref.recorded_at = FromProto(event.recorded_at());
      project->payments[b.payment_id()].refunded_fen += b.amount_fen();
      project->AddItem(b.refund_id(), ItemKind::kRefund, event.seq());
      for (const auto& id : {b.refund_id(), b.payment_id()}) project->Touch(id, event.seq());
      project->voidable.Add({event.seq(), Event::kRefundPayment, false, event.actor_id(), b.refund_id()});
      return true;
    }
    case Event::kTransferPayment: {
      const auto& b = event.transfer_payment();
      Payment& pay = project->payments[b.payment_id()];
      Transfer& t = project->transfers[b.transfer_id()];
      t.transfer_id = b.transfer_id();
      t.payment_id = b.payment_id();
      t.subscription_id = b.subscription_id();
      t.amount_fen = pay.amount_fen - pay.refunded_fen;
      pay.transfer_id = b.transfer_id();
      project->AddItem(b.transfer_id(), ItemKind::kTransfer, event.seq());
      for (const auto& id : {b.transfer_id(), b.payment_id(), b.subscription_id()}) project->Touch(id, event.seq());
      project->voidable.Add({event.seq(), Event::kTransferPayment, false, event.actor_id(), b.transfer_id()});
      return true;
    }
    default:
      return false;
  }
}

}  // namespace salesledger::areas
