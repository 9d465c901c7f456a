// Money (SPEC.md §3.5): payments with ledger-assigned receipt numbers, refunds, 转定.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "domain/commands.h"
#include "domain/decide_support.h"
#include "domain/describe.h"
#include "domain/validation.h"

namespace salesledger {
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

// Money may be taken on a subscription until it is cancelled or voided (a contract's too).
absl::Status CheckPayable(const Project& p, const Subscription& sub) {
  if (sub.status == SubscriptionStatus::kCancelled || sub.voided) {
    return absl::FailedPreconditionError(absl::StrCat("subscription ", sub.subscription_id, " takes no more money: ",
                                                      DescribeSubscription(p, sub)));
  }
  return absl::OkStatus();
}

absl::Status CheckNotVoided(const Project& p, const std::string& payment_id, const Payment& payment) {
  if (!payment.voided) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("payment ", payment_id, " was ", DescribeVoided(p, payment.seq)));
}

}  // namespace

absl::Status DecideRecordPayment(const State& state, const RecordPaymentRequest& r, const DecideContext& c,
                                 Event& event) {
  const bool earnest = r.kind() == RecordPaymentRequest::EARNEST;
  RETURN_IF_ERROR(CheckFields(r, {Id("payment_id"), Id("customer_id"), Enum("kind"),
                                  earnest ? OptionalId("subscription_id") : Id("subscription_id"),
                                  r.kind() == RecordPaymentRequest::COLLECTED_FEE ? Name("fee_item")
                                                                                  : OptionalName("fee_item"),
                                  Money("amount_fen"), Enum("method")}));
  ASSIGN_OR_RETURN(const absl::Time occurred,
                   CheckOccurredAt(r.occurred_at(), r.has_occurred_at(), c.recorded_at, Presence::kRequired));
  ASSIGN_OR_RETURN(const Project& p, AccessProject(state, c.actor, r.project_id()));
  ASSIGN_OR_RETURN(const Customer& customer, Find(p.customers, "customer", r.customer_id(), p));
  const Subscription* sub = nullptr;
  if (!r.subscription_id().empty()) {
    ASSIGN_OR_RETURN(const Subscription& found, Find(p.subscriptions, "subscription", r.subscription_id(), p));
    sub = &found;
  }
  RETURN_IF_ERROR(CheckNewId(p, "payment_id", r.payment_id()));
  if (sub != nullptr) RETURN_IF_ERROR(CheckExpectedSeq(p, r.expected_seq(), sub->subscription_id));
  if (sub != nullptr) {
    RETURN_IF_ERROR(CheckPayable(p, *sub));
    RETURN_IF_ERROR(CheckBuyer(*sub, r.customer_id()));
  }
  if (customer.voided) {
    return absl::FailedPreconditionError(
        absl::StrCat("customer ", r.customer_id(), " was ", DescribeVoided(p, customer.seq)));
  }
  Record(event, event.mutable_record_payment(), r, r.project_id(), occurred);
  event.set_receipt_no(ReceiptNo(p.project_id, p.receipts_issued + 1));
  return absl::OkStatus();
}

void ApplyRecordPayment(State& state, const Event& event, const RecordPaymentRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  Payment& pay = project.payments[b.payment_id()];
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
  ++project.receipts_issued;
  project.AddItem(b.payment_id(), ItemKind::kPayment, event.seq());
  if (!b.subscription_id().empty()) project.Touch(b.subscription_id(), event.seq());
  project.voidable.Add({event.seq(), Event::kRecordPayment, false, event.actor_id(), b.payment_id()});
}

absl::Status DecideRefundPayment(const State& state, const RefundPaymentRequest& r, const DecideContext& c,
                                 Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("refund_id"), Id("payment_id"), Money("amount_fen"), Text("reason")}));
  ASSIGN_OR_RETURN(const absl::Time occurred,
                   CheckOccurredAt(r.occurred_at(), r.has_occurred_at(), c.recorded_at, Presence::kRequired));
  ASSIGN_OR_RETURN(const Project& p, AccessProject(state, c.actor, r.project_id()));
  ASSIGN_OR_RETURN(const Payment& payment, Find(p.payments, "payment", r.payment_id(), p));
  RETURN_IF_ERROR(CheckNewId(p, "refund_id", r.refund_id()));
  RETURN_IF_ERROR(CheckExpectedSeq(p, r.expected_seq(), r.payment_id()));
  RETURN_IF_ERROR(CheckNotVoided(p, r.payment_id(), payment));
  if (r.amount_fen() > Remaining(payment)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "payment ", r.payment_id(), " has ", Remaining(payment), " fen left to refund of ", payment.amount_fen,
        " (", DescribePaymentUse(p, r.payment_id(), payment), "); the refund asks for ", r.amount_fen()));
  }
  Record(event, event.mutable_refund_payment(), r, r.project_id(), occurred);
  return absl::OkStatus();
}

void ApplyRefundPayment(State& state, const Event& event, const RefundPaymentRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  Refund& ref = project.refunds[b.refund_id()];
  ref.refund_id = b.refund_id();
  ref.payment_id = b.payment_id();
  ref.amount_fen = b.amount_fen();
  ref.cashier_id = event.actor_id();
  ref.occurred_at = FromProto(event.occurred_at());
  ref.seq = event.seq();
  ref.recorded_at = FromProto(event.recorded_at());
  project.payments[b.payment_id()].refunded_fen += b.amount_fen();
  project.AddItem(b.refund_id(), ItemKind::kRefund, event.seq());
  for (const auto& id : {b.refund_id(), b.payment_id()}) project.Touch(id, event.seq());
  project.voidable.Add({event.seq(), Event::kRefundPayment, false, event.actor_id(), b.refund_id()});
}

absl::Status DecideTransferPayment(const State& state, const TransferPaymentRequest& r, const DecideContext& c,
                                   Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("transfer_id"), Id("payment_id"), Id("subscription_id")}));
  ASSIGN_OR_RETURN(const absl::Time occurred,
                   CheckOccurredAt(r.occurred_at(), r.has_occurred_at(), c.recorded_at, Presence::kRequired));
  ASSIGN_OR_RETURN(const Project& p, AccessProject(state, c.actor, r.project_id()));
  ASSIGN_OR_RETURN(const Payment& payment, Find(p.payments, "payment", r.payment_id(), p));
  ASSIGN_OR_RETURN(const Subscription& sub, Find(p.subscriptions, "subscription", r.subscription_id(), p));
  RETURN_IF_ERROR(CheckNewId(p, "transfer_id", r.transfer_id()));
  RETURN_IF_ERROR(CheckExpectedSeq(p, r.expected_seq(), r.payment_id()));
  RETURN_IF_ERROR(CheckNotVoided(p, r.payment_id(), payment));
  RETURN_IF_ERROR(CheckPayable(p, sub));
  if (payment.kind != RecordPaymentRequest::EARNEST) {
    return absl::FailedPreconditionError(absl::StrCat("payment ", r.payment_id(), " is ", NameOf(payment.kind),
                                                      "; only EARNEST money is transferred to a deposit"));
  }
  if (!payment.transfer_id.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("payment ", r.payment_id(), " was already transferred (",
                                                      DescribePaymentUse(p, r.payment_id(), payment), ")"));
  }
  if (Remaining(payment) <= 0) {
    return absl::FailedPreconditionError(absl::StrCat("payment ", r.payment_id(), " was refunded in full (",
                                                      DescribePaymentUse(p, r.payment_id(), payment), ")"));
  }
  RETURN_IF_ERROR(CheckBuyer(sub, payment.customer_id));
  Record(event, event.mutable_transfer_payment(), r, r.project_id(), occurred);
  return absl::OkStatus();
}

void ApplyTransferPayment(State& state, const Event& event, const TransferPaymentRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  Payment& pay = project.payments[b.payment_id()];
  Transfer& t = project.transfers[b.transfer_id()];
  t.transfer_id = b.transfer_id();
  t.payment_id = b.payment_id();
  t.subscription_id = b.subscription_id();
  t.amount_fen = pay.amount_fen - pay.refunded_fen;
  pay.transfer_id = b.transfer_id();
  project.AddItem(b.transfer_id(), ItemKind::kTransfer, event.seq());
  for (const auto& id : {b.transfer_id(), b.payment_id(), b.subscription_id()}) project.Touch(id, event.seq());
  project.voidable.Add({event.seq(), Event::kTransferPayment, false, event.actor_id(), b.transfer_id()});
}

}  // namespace salesledger
